"""Offer and signing: the contract versions a lease issues, the named signers' signatures, the sealed PDF.

A version is rendered once (when the offer is sent, and again on each change after it) and then
served from storage. The tenant's named signers sign first, then the facilities centre's; when
every named signer has signed the current version, it is sealed into the signed PDF, the lease is
signed and the building is leased.
"""

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
from leasing.leases import notify, rules, signals
from leasing.leases.vocabulary import BINDING_STATUSES, LeaseStatus
from leasing.premises import services as premises
from leasing.premises.vocabulary import BuildingStatus

OWNER = "lease"
TITLES = {"fi": "Vuokrasopimus", "en": "Lease agreement"}


def template_for(lease):
    """The contract template of the lease's language (an amendment's, while one is negotiated)."""
    return f"lease_{contract_terms(lease).language}.html"


def contract_terms(lease):
    """What the contract is rendered from: the lease, or the lease as amended while an amendment is negotiated."""
    if not lease.amending:
        return lease
    from leasing.leases import services

    return services.terms_view(lease, services.negotiated_values(lease))


def contract_context(lease):
    """Plain values for the contract template: every term, formatted by the template in its own language."""
    building = lease.building
    terms = contract_terms(lease)
    revisions = index_revisions(terms)
    return {
        "lease": {
            "number": lease.number,
            "purpose": terms.purpose,
            "start_date": terms.start_date,
            "end_date": terms.end_date,
            "notice_period_months": terms.notice_period_months,
            "monthly_rent": terms.monthly_rent,
            "vat": terms.vat.value,
            "deposit": terms.deposit,
            "due_day": terms.due_day,
            "iban": rules.format_iban(terms.iban),
            "reference_number": rules.format_reference(lease.reference_number),
            "insurance": terms.insurance,
            "subletting_allowed": terms.subletting_allowed,
            "sublet_needs_approval": terms.sublet_needs_approval,
            "city_approval_people": terms.city_approval_people,
            "city_approval_after": terms.city_approval_after,
            "special_terms": terms.special_terms,
            "index_base_month": terms.index_base_month,
            "index_base_value": terms.index_base_value,
            "whole_building": terms.whole_building,
        },
        "landlord": _party(lease.landlord),
        "tenant": _party(lease.tenant),
        "building": {
            "name": building.name,
            "address": f"{building.street_address}, {building.postal_code} {building.city}",
            "area_m2": building.area_m2,
        },
        "spaces": [
            {"name": s.name, "area_m2": s.area_m2} for s in (building.spaces if terms.whole_building else terms.spaces)
        ],
        "total_area": terms.total_area,
        "rent_steps": [
            {"starts_on": s.starts_on, "ends_on": s.ends_on, "monthly_rent": s.monthly_rent, "note": s.note}
            for s in terms.rent_steps
        ],
        "responsibilities": [
            {"item": r.item.value, "party": r.party.value, "note": r.note} for r in terms.responsibilities
        ],
        "revisions": [{"applies_from": r.applies_from, "monthly_rent": r.monthly_rent} for r in revisions],
        "signers": [
            {"organization": s.organization.name, "name": s.user.name, "role": None}
            for s in sorted(lease.signers, key=lambda s: (s.organization_id != lease.tenant_id, s.id))
        ],
        "document_number": lease.number,
    }


def _party(org):
    return {"name": org.name, "business_id": org.business_id or "", "address": org.billing_address or ""}


def index_revisions(lease, until=None):
    """The lease's index revisions known so far (an empty list without an index clause); ``lease`` may be
    the view of an amendment (:func:`contract_terms`)."""
    if lease.index_base_month is None:
        return []
    from leasing.leases.indexes import values_by_month

    until = until or rules.today().replace(year=rules.today().year + 1)
    return rules.index_revisions(
        lease.monthly_rent, lease.index_base_month, lease.index_base_value, lease.start_date, values_by_month(), until
    )


def _rendering(lease):
    """The template, context and PDF metadata of the lease's contract as it stands."""
    language = contract_terms(lease).language
    return {
        "template": f"lease_{language}.html",
        "context": contract_context(lease),
        "language": language,
        "title": f"{TITLES[language]} {lease.number}",
        "subject": lease.building.name,
    }


def issue_contract(lease):
    """Render and store the next contract version (superseding the last; its signatures are void)."""
    return documents.issue_version(OWNER, lease.id, **_rendering(lease))


def current_contract(lease):
    """The current contract version — to read and sign, or the one in force after a withdrawn amendment —
    or None before the offer."""
    document = documents.current_version(OWNER, lease.id)
    if document is None:
        sealed = sealed_pdf(lease)
        document = sealed.sealed_from if sealed is not None else None
    return document


def published_pdf(lease):
    """What ``contract.pdf`` serves: the sealed signed PDF once signed, else the current version."""
    return documents.current_version(OWNER, lease.id, kind="signed") or current_contract(lease)


def sealed_pdf(lease):
    """The signed PDF in force (the last sealed version), or None before the lease is first signed."""
    return documents.current_version(OWNER, lease.id, kind=DocumentKind.SIGNED.value)


def contract_version(lease, version):
    """The lease's contract version number ``version`` (live or superseded), or None."""
    return db.session.execute(
        sa.select(Document).where(
            Document.owner_type == OWNER,
            Document.owner_id == lease.id,
            Document.kind == DocumentKind.CONTRACT.value,
            Document.version == version,
        )
    ).scalar_one_or_none()


def pending_amendment(lease):
    """The offered amendment's contract version (the current one, not yet sealed), or None."""
    if not lease.amending:
        return None
    document = current_contract(lease)
    sealed = sealed_pdf(lease)
    if document is None or (sealed is not None and sealed.sealed_from_id == document.id):
        return None
    return document


def amend(actor, lease):
    """Start an amendment of a signed or active lease: staff may change its terms, then offer a new version.

    The lease stays in force on its sealed version meanwhile; its status does not change.
    """
    authorize(actor, "amend", lease)
    if lease.amending:
        raise Conflict(_("An amendment of this lease is already under way."))
    if lease.effective_status() not in BINDING_STATUSES or sealed_pdf(lease) is None:
        raise Conflict(_("Only a signed or active lease can be amended."))
    if lease.notice_given_on is not None or lease.terminated_at is not None:
        raise Conflict(_("This lease is ending after notice or termination: it can no longer be amended."))
    from leasing.leases import services

    lease.amendment_terms = services.dump_terms(services.term_values(lease))
    db.session.flush()
    audit.record(actor, "lease.amend", lease, {"amendment_terms": (None, "amending")})
    return lease


def cancel_amendment(actor, lease, reason=""):
    """Give up an amendment: its terms are dropped and an offered amended version is withdrawn (its
    signatures void; the verification page shows it as replaced). The lease goes on as it was."""
    authorize(actor, "amend", lease)
    if not lease.amending:
        raise Conflict(_("No amendment of this lease is under way."))
    return drop_amendment(actor, lease, reason)


def drop_amendment(actor, lease, reason=""):
    """Drop a running amendment (the caller has authorized: staff cancelling it, or the lease ending by
    notice or termination, which an amendment may not outlive)."""
    offered = pending_amendment(lease)
    if offered is not None:
        documents.withdraw(offered)
    lease.amendment_terms = None
    db.session.flush()
    changes = {"amendment_terms": ("amending", None)}
    if offered is not None:
        changes["document"] = (offered.version, None)
    audit.record(actor, "lease.amendment_cancel", lease, changes)
    if offered is not None:
        notify.amendment_withdrawn(lease, reason)
    return lease


def offer(actor, lease):
    """Send a draft (or an amendment) to the tenant: a contract version and an e-mail to its named signers."""
    authorize(actor, "offer", lease)
    if not _signers_of(lease, lease.tenant_id) or not _signers_of(lease, lease.landlord_id):
        raise RuleViolation(
            _("Name at least one signer for the tenant and one for the facilities centre before the offer."),
            field="signer_ids",
        )
    if lease.amending:
        changes = audit.diff(lease, {"offered_at": utcnow()})
        db.session.flush()
        document = issue_contract(lease)
        audit.record(actor, "lease.amendment_offer", lease, {**changes, "document": (None, document.version)})
        notify.amendment_offered(lease)
        return lease
    changes = audit.diff(lease, {"status": LeaseStatus.OFFERED, "offered_at": utcnow()})
    db.session.flush()
    issue_contract(lease)
    audit.record(actor, "lease.offer", lease, changes)
    notify.offer_sent(lease)
    return lease


def _signers_of(lease, organization_id):
    return [s for s in lease.signers if s.organization_id == organization_id]


def signature_rows(lease, document=None):
    """``(named signer, live signature or None)`` for each named signer, tenant first."""
    document = document or current_contract(lease)
    signed = {s.signer_id: s for s in documents.live_signatures(document)} if document else {}
    ordered = sorted(lease.signers, key=lambda s: (s.organization_id != lease.tenant_id, s.id))
    return [(s, signed.get(s.user_id)) for s in ordered]


def sign(actor, lease, password, ip_address):
    """Sign the current version as a named signer, confirmed with the password; seal when all have signed."""
    authorize(actor, "sign", lease)
    if not verify_password(actor.password_hash, password or ""):
        raise RuleViolation(_("Enter your password to confirm your signature."), field="password")
    document = current_contract(lease)
    rows = signature_rows(lease, document)
    signer = lease.signer_for(actor)
    if signer.organization_id != lease.tenant_id and any(
        s.organization_id == lease.tenant_id and sig is None for s, sig in rows
    ):
        raise Conflict(_("The tenant's signers sign first; the facilities centre signs after them."))
    signature = documents.sign(document, signer=actor, organization=signer.organization, ip_address=ip_address)
    audit.record(actor, "lease.sign", lease, {"document": (None, document.version), "sha256": (None, document.sha256)})
    if all(sig is not None or s.user_id == actor.id for s, sig in rows):
        _conclude(actor, lease, document)
    return signature


def _conclude(actor, lease, document):
    """Every named signer has signed: seal the PDF, the lease is signed, the building leased.

    An amendment concludes the same way; the lease keeps its status (signed or active) and is in force
    on the new sealed version from now on.
    """
    if lease.amending and (lease.notice_given_on is not None or lease.terminated_at is not None):
        raise Conflict(_("This lease is ending after notice or termination: it can no longer be amended."))
    documents.seal(document, **_rendering(lease))
    if lease.amending:
        from leasing.leases import services

        before = lease.last_day
        try:
            changes = services.apply_amendment(lease)
        except RuleViolation as err:
            raise Conflict(err.message) from err
        if lease.last_day is not None and (before is None or lease.last_day < before):
            signals.lease_ending.send(lease, lease=lease, last_day=lease.last_day, actor=actor)
        changes.update(audit.diff(lease, {"signed_at": utcnow()}))
        event = "lease.amendment_signed"
    else:
        changes = audit.diff(lease, {"status": LeaseStatus.SIGNED, "signed_at": utcnow()})
        event = "lease.signed"
    db.session.flush()
    audit.record(actor, event, lease, {**changes, "document": (None, document.version)})
    premises.follow_lease(actor, lease.building, BuildingStatus.LEASED, "lease.signed")
    notify.signed(lease)
