"""A lease's life after signing: notice, early termination, the daily tick, and the staff's watch list."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from leasing import audit
from leasing.authz import authorize
from leasing.db import utcnow
from leasing.errors import Conflict, RuleViolation
from leasing.extensions import db
from leasing.i18n import _
from leasing.leases import notify, rules, signals
from leasing.leases.models import Lease
from leasing.leases.vocabulary import BINDING_STATUSES, LeaseStatus
from leasing.premises import services as premises
from leasing.premises.vocabulary import BuildingStatus

#: How far ahead the staff's list looks for ends and notice deadlines.
WATCH_DAYS = 183


def give_notice(actor, lease, given_on, reason, today=None):
    """Give notice on an indefinite lease: it ends at the end of the notice period counted from the month's end."""
    authorize(actor, "give_notice", lease)
    today = today or rules.today()
    problem = rules.notice_problem(lease.end_date, lease.notice_period_months)
    if problem == "fixed_term":
        raise Conflict(_("A fixed-term lease cannot be given notice: it ends on its end date under its terms."))
    if lease.notice_given_on is not None:
        raise Conflict(_("Notice has already been given on this lease."))
    if given_on is None or given_on < today:
        raise RuleViolation(_("Enter today's date or a later one as the date of notice."), field="given_on")
    ends_on = max(rules.notice_end_date(given_on, lease.notice_period_months), lease.start_date)
    by = lease.tenant if actor.membership_in(lease.tenant_id) else lease.landlord
    changes = audit.diff(
        lease, {"notice_given_on": given_on, "notice_given_by_id": by.id, "notice_reason": reason, "ends_on": ends_on}
    )
    db.session.flush()
    audit.record(actor, "lease.notice", lease, changes)
    _end_amendment(actor, lease, reason)
    notify.notice_given(lease, by)
    signals.lease_ending.send(lease, lease=lease, last_day=ends_on, actor=actor)
    return lease


def terminate(actor, lease, ends_on, reason, today=None):
    """End a signed or active lease early on ``ends_on`` (staff), with a reason."""
    authorize(actor, "terminate", lease)
    today = today or rules.today()
    if ends_on is None or ends_on < today:
        raise RuleViolation(_("Enter today's date or a later one as the last day of the lease."), field="ends_on")
    if lease.last_day is not None and ends_on > lease.last_day:
        raise RuleViolation(_("Enter a date before the lease's current last day."), field="ends_on")
    if not (reason or "").strip():
        raise RuleViolation(_("Enter the reason for ending the lease."), field="reason")
    ends_on = max(ends_on, lease.start_date)
    changes = audit.diff(lease, {"ends_on": ends_on, "terminated_at": utcnow(), "termination_reason": reason})
    db.session.flush()
    audit.record(actor, "lease.terminate", lease, changes)
    _end_amendment(actor, lease, reason)
    notify.terminated(lease)
    signals.lease_ending.send(lease, lease=lease, last_day=ends_on, actor=actor)
    tick_lease(actor, lease, today)
    return lease


def _end_amendment(actor, lease, reason):
    """A lease ending by notice or termination takes a running amendment with it (an offered amended
    version is withdrawn and its signers told), so that no one signs new terms for an ending lease."""
    if lease.amending:
        from leasing.leases import signing

        signing.drop_amendment(actor, lease, reason or "")


def tick(today=None):
    """Persist every signed or active lease's effective status and move buildings; idempotent."""
    today = today or rules.today()
    leases = db.session.execute(sa.select(Lease).where(Lease.status.in_(BINDING_STATUSES))).scalars().all()
    return sum(1 for lease in leases if tick_lease(None, lease, today))


def tick_lease(actor, lease, today):
    """Bring one lease's stored status to its effective status; True when it changed."""
    target = lease.effective_status(today)
    if target == lease.status:
        if target in BINDING_STATUSES:
            premises.follow_lease(actor, lease.building, BuildingStatus.LEASED, "lease.signed")
        return False
    changes = audit.diff(lease, {"status": target})
    db.session.flush()
    audit.record(actor, f"lease.{target.value}", lease, changes)
    if target in BINDING_STATUSES:
        premises.follow_lease(actor, lease.building, BuildingStatus.LEASED, "lease.active")
    else:
        if not _other_binding(lease):
            premises.follow_lease(actor, lease.building, BuildingStatus.VACANT, "lease.ended")
        if target == LeaseStatus.EXPIRED:
            notify.expired(lease)
    return True


def _other_binding(lease):
    return db.session.execute(
        sa.select(Lease.id).where(
            Lease.building_id == lease.building_id, Lease.id != lease.id, Lease.status.in_(BINDING_STATUSES)
        )
    ).first()


def all_leases():
    """Every lease for the staff list, newest first, with building and tenant in the same query."""
    return db.session.execute(sa.select(Lease).order_by(Lease.id.desc())).scalars().unique().all()


def tenant_query(organization_ids):
    """A select of the leases of the given associations (unordered; the API pages it)."""
    return sa.select(Lease).where(Lease.tenant_id.in_(organization_ids))


def tenant_leases(organization_ids):
    """The leases of the given associations, newest first."""
    query = tenant_query(organization_ids).order_by(Lease.id.desc())
    return db.session.execute(query).scalars().unique().all()


def watch_list(leases, today=None):
    """``(lease, date, what)`` for leases ending or reaching a notice deadline within six months, soonest first.

    ``what`` is "ends" (the last day of a fixed term, or after notice or termination) or "notice" (the
    last day to give notice that ends an indefinite lease at the end of its lease year).
    """
    today = today or rules.today()
    horizon = today + timedelta(days=WATCH_DAYS)
    rows = []
    for lease in leases:
        if lease.effective_status(today) not in BINDING_STATUSES:
            continue
        if lease.last_day is not None:
            if lease.last_day <= horizon:
                rows.append((lease, lease.last_day, "ends"))
        elif lease.notice_period_months:
            deadline = rules.next_notice_deadline(lease.start_date, lease.notice_period_months, today)
            if deadline <= horizon:
                rows.append((lease, deadline, "notice"))
    return sorted(rows, key=lambda row: (row[1], row[0].id))


def leases_with_signers(ids):
    """Leases by id with their signers loaded (for pages that list who signs)."""
    return db.session.execute(sa.select(Lease).options(selectinload(Lease.signers)).where(Lease.id.in_(ids))).scalars()
