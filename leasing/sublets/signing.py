"""Offer, signing and the landlord's decision: the contract versions a sublet issues, one signature per side,
the sealed PDF, and the facilities centre's approval where the lease asks for it.

A version is rendered once (when the offer is sent, and again on each change after it) and then served
from storage. A member with signing authority of the association and one of the group sign the current
version; when both sides have signed, it is sealed into the signed PDF and the sublet is signed — or
awaits the landlord's approval, when the lease asks for it.
"""

from datetime import timedelta

import sqlalchemy as sa

from leasing import audit
from leasing.accounts.passwords import verify_password
from leasing.authz import authorize
from leasing.db import utcnow
from leasing.documents import services as documents
from leasing.documents.models import Document, DocumentKind
from leasing.errors import Conflict, RuleViolation
from leasing.extensions import db
from leasing.i18n import _
from leasing.sublets import checks, notify, rules
from leasing.sublets.signals import sublet_binding, sublet_ending
from leasing.sublets.vocabulary import SubletStatus

OWNER = "sublet"
TITLES = {"fi": "Alivuokrasopimus", "en": "Sublease agreement"}


def contract_context(sublet):
    """Plain values for the contract template, formatted by the template in its own language."""
    lease, space = sublet.lease, sublet.space
    building = lease.building
    return {
        "sublet": {
            "number": sublet.number,
            "kind": sublet.kind.value,
            "starts_on": sublet.starts_on,
            "ends_on": sublet.ends_on,
            "weekday": sublet.weekday,
            "slot_starts": sublet.slot_starts,
            "slot_ends": sublet.slot_ends,
            "monthly_rent": sublet.monthly_rent,
            "terms": sublet.terms,
            "needs_approval": lease.sublet_needs_approval,
        },
        "lease": {"number": lease.number, "landlord": lease.landlord.name},
        "sublessor": _party(sublet.association),
        "subtenant": _party(sublet.group),
        "building": {
            "name": building.name,
            "address": f"{building.street_address}, {building.postal_code} {building.city}",
        },
        "space": {"name": space.name, "area_m2": space.area_m2},
        "signers": [
            {"organization": sublet.association.name, "name": "", "role": None},
            {"organization": sublet.group.name, "name": "", "role": None},
        ],
        "document_number": sublet.number,
    }


def _party(org):
    return {"name": org.name, "business_id": org.business_id or "", "address": org.billing_address or ""}


def _rendering(sublet):
    return {
        "template": f"sublet_{sublet.language}.html",
        "context": contract_context(sublet),
        "language": sublet.language,
        "title": f"{TITLES[sublet.language]} {sublet.number}",
        "subject": f"{sublet.lease.building.name}: {sublet.space.name}",
    }


def issue_contract(sublet):
    """Render and store the next contract version (superseding the last; its unsealed signatures are void)."""
    return documents.issue_version(OWNER, sublet.id, **_rendering(sublet))


def current_contract(sublet):
    """The live contract version (to read and sign), or None before the offer or after a withdrawal."""
    return documents.current_version(OWNER, sublet.id)


def sealed_pdf(sublet):
    """The signed PDF, or None before both sides have signed."""
    return documents.current_version(OWNER, sublet.id, kind=DocumentKind.SIGNED.value)


def published_pdf(sublet):
    """What ``contract.pdf`` serves: the signed PDF once signed, else the current version, else the last one
    (a cancelled offer's withdrawn version)."""
    return sealed_pdf(sublet) or current_contract(sublet) or contract_version(sublet, None)


def contract_version(sublet, version):
    """Contract version number ``version`` (live or superseded), the newest when ``version`` is None."""
    query = sa.select(Document).where(
        Document.owner_type == OWNER, Document.owner_id == sublet.id, Document.kind == DocumentKind.CONTRACT.value
    )
    if version is not None:
        query = query.where(Document.version == version)
    return db.session.execute(query.order_by(Document.version.desc()).limit(1)).scalar_one_or_none()


def contract_versions(sublet):
    """Every contract version and signed PDF of the sublet, newest first (without their bytes)."""
    return (
        db.session.execute(
            sa.select(Document)
            .where(Document.owner_type == OWNER, Document.owner_id == sublet.id)
            .order_by(Document.kind, Document.version.desc())
        )
        .scalars()
        .all()
    )


def offer(actor, sublet, today=None):
    """Send a draft to the group: the rules are checked again, the contract is rendered once, and the group's
    members with signing authority are e-mailed.

    :raise RuleViolation: a rule no longer holds (the lease changed meanwhile).
    """
    authorize(actor, "offer", sublet)
    checks.check(sublet.lease, _values(sublet), today or checks.today(), is_new=False, sublet_id=sublet.id)
    changes = audit.diff(sublet, {"status": SubletStatus.OFFERED, "offered_at": utcnow()})
    db.session.flush()
    document = issue_contract(sublet)
    audit.record(actor, "sublet.offer", sublet, {**changes, "document": (None, document.version)})
    notify.offered(sublet)
    return sublet


def _values(sublet):
    return {key: getattr(sublet, key) for key in checks.FIELDS}


def signature_rows(sublet, document=None):
    """``(organization, live signature or None)`` for the association and the group, in that order."""
    document = document or current_contract(sublet)
    signatures = documents.live_signatures(document) if document is not None else []
    by_org = {}
    for signature in signatures:
        by_org.setdefault(signature.organization_id, signature)
    return [(org, by_org.get(org.id)) for org in (sublet.association, sublet.group)]


def sign(actor, sublet, password, ip_address, today=None):
    """Sign the current version for the actor's side, confirmed with the password; when both sides have
    signed, seal the PDF and conclude.

    :raise RuleViolation: wrong password (field ``password``).
    :raise Conflict: the actor's side has already signed, or the lease or another sublet no longer allows it.
    """
    authorize(actor, "sign", sublet)
    if not verify_password(actor.password_hash, password or ""):
        raise RuleViolation(_("Enter your password to confirm your signature."), field="password")
    document = current_contract(sublet)
    if document is None:
        raise Conflict(_("There is no version to sign. Ask the association to offer the sublet again."))
    rows = signature_rows(sublet, document)
    signed_orgs = {org.id for org, signature in rows if signature is not None}
    side = _side_for(actor, sublet, signed_orgs)
    if side is None:
        raise Conflict(_("Your side has already signed this version."))
    signature = documents.sign(document, signer=actor, organization=side, ip_address=ip_address)
    audit.record(
        actor,
        "sublet.sign",
        sublet,
        {"document": (None, document.version), "sha256": (None, document.sha256), "organization": (None, side.name)},
    )
    if rules.sides_signed(signed_orgs | {side.id}, sublet.association_id, sublet.group_id):
        _conclude(actor, sublet, document, today or checks.today())
    return signature


def _side_for(actor, sublet, signed_orgs):
    """The organization the actor signs for: a side with their signing authority that has not signed yet."""
    for org in (sublet.association, sublet.group):
        membership = actor.membership_in(org.id)
        if membership is not None and membership.can_sign and org.id not in signed_orgs:
            return org
    return None


def _recheck(sublet, today):
    """The rules again (the lease or the other sublets may have changed since the offer), as a conflict."""
    try:
        checks.check(sublet.lease, _values(sublet), today, is_new=False, sublet_id=sublet.id)
    except RuleViolation as err:
        raise Conflict(err.message) from err


def _conclude(actor, sublet, document, today):
    """Both sides have signed: seal the PDF; the sublet is signed, or awaits the landlord's approval."""
    _recheck(sublet, today)
    documents.seal(document, **_rendering(sublet))
    target = SubletStatus.AWAITING_APPROVAL if sublet.lease.sublet_needs_approval else SubletStatus.SIGNED
    changes = audit.diff(sublet, {"status": target, "signed_at": utcnow()})
    db.session.flush()
    audit.record(actor, "sublet.signed", sublet, {**changes, "document": (None, document.version)})
    notify.signed(sublet)
    if target == SubletStatus.SIGNED:
        sublet_binding.send(sublet, sublet=sublet, actor=actor)


def approve(actor, sublet, note="", today=None):
    """The landlord approves a signed sublet (staff): it is signed, in force from its start.

    :raise Conflict: the lease or another sublet no longer allows it.
    """
    authorize(actor, "decide", sublet)
    _recheck(sublet, today or checks.today())
    decision = {"status": SubletStatus.SIGNED, "decided_at": utcnow(), "decided_by_id": actor.id}
    changes = audit.diff(sublet, {**decision, "decision_note": (note or "").strip() or None})
    db.session.flush()
    audit.record(actor, "sublet.approve", sublet, changes)
    notify.approved(sublet)
    sublet_binding.send(sublet, sublet=sublet, actor=actor)
    return sublet


def refuse(actor, sublet, reason):
    """The landlord refuses a signed sublet (staff), with a reason both sides are told.

    :raise RuleViolation: no reason (field ``reason``).
    """
    authorize(actor, "decide", sublet)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Enter the reason for refusing the sublet."), field="reason")
    decision = {"status": SubletStatus.REFUSED, "decided_at": utcnow(), "decided_by_id": actor.id}
    changes = audit.diff(sublet, {**decision, "decision_note": reason})
    db.session.flush()
    audit.record(actor, "sublet.refuse", sublet, changes)
    notify.refused(sublet)
    sublet_ending.send(sublet, sublet=sublet, last_day=sublet.starts_on - timedelta(days=1), actor=actor)
    return sublet
