"""Sublet services: draft and change a sublet, cancel it before it is in force, end it early; and the
receiver that flags sublets when the lease carrying them ends before they do.

Every function takes the acting user and plain values, authorizes, checks every rule before writing,
flushes and never commits. Bad input raises :class:`RuleViolation` naming its field; a state that no
longer allows the step raises :class:`Conflict`. Offer, signing and the landlord's decision live in
:mod:`leasing.sublets.signing`. Importing this module connects the receiver of ``lease_ending``.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from leasing import audit
from leasing.authz import authorize
from leasing.db import utcnow
from leasing.documents import services as documents
from leasing.errors import RuleViolation
from leasing.extensions import db
from leasing.i18n import REGIONAL, _, format_date
from leasing.leases.signals import lease_ending
from leasing.sublets import checks, notify, rules, signing
from leasing.sublets.models import Sublet
from leasing.sublets.signals import sublet_ending
from leasing.sublets.vocabulary import HOLDING_STATUSES, SubletStatus


def create_draft(actor, lease, values, today=None):
    """Draft a sublet of a space of ``lease`` (the association's admins), numbered AV-YYYY-NNNN.

    :raise PermissionDenied: the actor is not an admin of the lease's tenant association.
    :raise RuleViolation: a rule says no (see :func:`leasing.sublets.checks.check`).
    """
    authorize(actor, "manage", lease.tenant)
    today = today or checks.today()
    values = checks.normalized(values)
    checks.check(lease, values, today, is_new=True)
    number = _next_number(today.year)
    sublet = Sublet(
        number=number,
        lease_id=lease.id,
        association_id=lease.tenant_id,
        status=SubletStatus.DRAFT,
        created_by_id=actor.id,
        **values,
    )
    db.session.add(sublet)
    db.session.flush()
    changes = {key: (None, value) for key, value in values.items() if value not in (None, "")}
    audit.record(actor, "sublet.create", sublet, {"number": (None, number), **changes})
    return sublet


def _next_number(year):
    existing = db.session.execute(sa.select(Sublet.number).where(Sublet.number.like(f"AV-{year:04d}-%"))).scalars()
    return rules.next_number(year, list(existing))


def term_values(sublet):
    """The sublet's terms as service values (what the form and :func:`update` take)."""
    return {key: getattr(sublet, key) for key in checks.FIELDS}


def update(actor, sublet, values, today=None):
    """Change a draft's or an offer's terms; a changed offer gets a new contract version, and signatures on
    the earlier version are void (both sides' signers are told).

    :raise RuleViolation: a rule says no; nothing was written.
    """
    authorize(actor, "edit", sublet)
    today = today or checks.today()
    values = checks.normalized(values)
    checks.check(sublet.lease, values, today, is_new=values["starts_on"] != sublet.starts_on, sublet_id=sublet.id)
    changes = audit.diff(sublet, values)
    db.session.flush()
    if changes:
        db.session.expire(sublet, ["space", "group"])
        audit.record(actor, "sublet.update", sublet, changes)
        if sublet.status == SubletStatus.OFFERED:
            document = signing.issue_contract(sublet)
            audit.record(actor, "sublet.reissue", sublet, {"document": (document.version - 1, document.version)})
            notify.offer_changed(sublet)
    return sublet


def cancel(actor, sublet, reason=""):
    """Withdraw a sublet not yet in force (the association's admins): an offered version is withdrawn, its
    signatures void; the group (and staff, when it awaited approval) are told."""
    authorize(actor, "cancel", sublet)
    was = sublet.status
    if was == SubletStatus.OFFERED:
        document = signing.current_contract(sublet)
        if document is not None and document.superseded_at is None:
            documents.withdraw(document)
    changes = audit.diff(sublet, {"status": SubletStatus.CANCELLED})
    if reason:
        changes["reason"] = (None, reason)
    db.session.flush()
    audit.record(actor, "sublet.cancel", sublet, changes)
    notify.cancelled(sublet, was.value, reason)
    sublet_ending.send(sublet, sublet=sublet, last_day=sublet.starts_on - timedelta(days=1), actor=actor)
    return sublet


def terminate(actor, sublet, last_day, reason, today=None):
    """End a signed or active sublet early (the association's admins or staff) on ``last_day``, with a reason.

    :raise RuleViolation: no reason, or a last day in the past, after the current one or before the start.
    """
    authorize(actor, "terminate", sublet)
    today = today or checks.today()
    reason = (reason or "").strip()
    fields = {}
    problem = rules.termination_problem(last_day, sublet.starts_on, sublet.last_day, today)
    if problem:
        fields["ends_on"] = [TERMINATION_MESSAGES[problem]()]
    if not reason:
        fields["reason"] = [_("Enter the reason for ending the sublet.")]
    if fields:
        raise RuleViolation(next(iter(fields.values()))[0], fields=fields)
    changes = audit.diff(sublet, {"ended_on": last_day, "terminated_at": utcnow(), "termination_reason": reason})
    db.session.flush()
    audit.record(actor, "sublet.terminate", sublet, changes)
    notify.terminated(sublet)
    sublet_ending.send(sublet, sublet=sublet, last_day=last_day, actor=actor)
    return sublet


TERMINATION_MESSAGES = {
    "end_needed": lambda: _("Enter the sublet's last day."),
    "end_in_past": lambda: _("Enter today's date or a later one as the last day."),
    "end_after_current": lambda: _("Enter a date on or before the sublet's current last day."),
    "end_before_start": lambda: _("Enter a last day on or after the sublet's start date."),
}


@lease_ending.connect
def flag_on_lease_ending(sender, lease, last_day, actor=None, **kwargs):
    """The lease now ends on ``last_day``: flag its sublets that would outlast it and tell both sides' admins.

    Nothing is deleted or cut short: the parties agree what happens next. Returns the flagged sublets.
    """
    if last_day is None:
        return []
    sublets = (
        db.session.execute(
            sa.select(Sublet)
            .where(Sublet.lease_id == lease.id, Sublet.status.in_(HOLDING_STATUSES))
            .order_by(Sublet.id)
        )
        .scalars()
        .unique()
        .all()
    )
    flagged = [s for s in sublets if s.last_day > last_day]
    for sublet in flagged:
        changes = audit.diff(sublet, {"flagged_at": utcnow(), "flag_reason": _flag_reason(sublet, lease, last_day)})
        db.session.flush()
        audit.record(actor, "sublet.flag", sublet, changes)
        notify.flagged(sublet, lease, last_day)
    return flagged


def _flag_reason(sublet, lease, last_day):
    """Why the sublet is flagged, in the contract's language (both parties read it)."""
    language = sublet.language if sublet.language in REGIONAL else current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(REGIONAL[language]):
        return _(
            "Lease %(number)s now ends on %(date)s, before this sublet's last day.",
            number=lease.number,
            date=format_date(last_day),
        )
