"""The booking settings of a leased building's spaces: who may see and change them, the changes (each
authorized, checked, audited and flushed, never committed), and the reads the booking services use.

The association holding a binding lease (signed or active, not past its last day) of a space sets how
it is booked: bookable or not, opening hours, shortest and longest booking, how far ahead, the hourly
and member prices, approval, closed dates and house rules. Facilities staff see and change them too (the
city owns the building); the association's members see them, its admins change them.

Audit events are recorded against the space, so a space's history is one indexed query.
"""

from datetime import datetime

import sqlalchemy as sa

from leasing import audit
from leasing.accounts.models import Role
from leasing.authz import authorize
from leasing.bookings import queries
from leasing.bookings import settings_rules as checks
from leasing.bookings.models import BookingRules, ClosedDate
from leasing.db import HELSINKI
from leasing.errors import Conflict, RuleViolation
from leasing.extensions import db
from leasing.i18n import _, _l
from leasing.leases.vocabulary import BINDING_STATUSES
from leasing.premises.models import OpeningHours, Space
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import BINDING_STATUSES as SUBLET_BINDING

DAY_NAMES = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
#: Space columns the settings form changes (the rest of the space is the facilities centre's).
SPACE_FIELDS = ("bookable", "hourly_rate")


def today():
    """Today's date in Helsinki (a seam for tests)."""
    return datetime.now(HELSINKI).date()


# --- who may -------------------------------------------------------------------------------------------


def in_force(lease, on=None):
    """The lease is signed or active on ``on`` (today): not a draft, not past its last day."""
    return lease.effective_status(on or today()) in BINDING_STATUSES


def covers(lease, space):
    """The lease's premises include ``space``: the whole building, or one of its chosen spaces."""
    return lease.building_id == space.building_id and (lease.whole_building or space.id in lease.space_ids())


def binding_lease_for(space, on=None):
    """The binding lease whose premises include ``space``, or None.

    The lease in force on ``on`` (today) comes first; otherwise the earliest signed one still to begin.
    """
    on = on or today()
    leases = queries.covering_leases(space, on)
    return min(leases, key=lambda lease: (lease.start_date > on, lease.start_date, lease.id), default=None)


class HouseAccess:
    """Who may see and change the booking settings of the spaces ``lease`` holds (None: no binding lease).

    Facilities staff: view and edit. The lease's tenant association: its admins edit, its members view.
    Used with :func:`leasing.authz.authorize` (``view``, ``edit``).
    """

    def __init__(self, lease):
        self.lease = lease

    def __repr__(self):
        return f"<HouseAccess lease={getattr(self.lease, 'id', None)}>"

    def _membership(self, user):
        if self.lease is None or not user.is_authenticated:
            return None
        return user.membership_in(self.lease.tenant_id)

    def can_view(self, user):
        """Facilities staff and the tenant association's members."""
        return user.is_authenticated and (user.is_staff or self._membership(user) is not None)

    def can_edit(self, user):
        """Facilities staff and the tenant association's admins."""
        if not user.is_authenticated:
            return False
        membership = self._membership(user)
        return user.is_staff or (membership is not None and membership.role == Role.ADMIN)


def access_for(space, on=None):
    """The access policy of ``space``'s booking settings, through its binding lease."""
    return HouseAccess(binding_lease_for(space, on))


# --- reads ---------------------------------------------------------------------------------------------


def rules_for(space):
    """The space's booking rules: the saved row, or an unsaved one with the defaults."""
    return queries.booking_rules(space)


def rules_for_spaces(spaces):
    """``{space_id: BookingRules}`` for many spaces in one query (defaults where none is saved)."""
    ids = [s.id for s in spaces]
    saved = {r.space_id: r for r in db.session.scalars(sa.select(BookingRules).where(BookingRules.space_id.in_(ids)))}
    return {s.id: saved.get(s.id) or BookingRules.defaults(s) for s in spaces}


def upcoming_closed_dates(spaces, on=None):
    """``{space_id: [ClosedDate]}``: the periods not ended by ``on`` (today), earliest first, in one query."""
    ids = [s.id for s in spaces]
    query = (
        sa.select(ClosedDate)
        .where(ClosedDate.space_id.in_(ids), ClosedDate.ends_on >= (on or today()))
        .order_by(ClosedDate.starts_on, ClosedDate.ends_on, ClosedDate.id)
    )
    found = {space_id: [] for space_id in ids}
    for closed in db.session.scalars(query):
        found[closed.space_id].append(closed)
    return found


def closed_dates_between(space, first, last):
    """The space's closed periods that share a day with ``first``–``last`` (for the booking checks)."""
    query = sa.select(ClosedDate).where(
        ClosedDate.space_id == space.id, ClosedDate.starts_on <= last, ClosedDate.ends_on >= first
    )
    return list(db.session.scalars(query.order_by(ClosedDate.starts_on)))


def house_spaces(lease):
    """The spaces of the lease's premises: the building's, or the chosen ones."""
    return list(lease.building.spaces if lease.whole_building else lease.spaces)


def pays_member_rate(lease, organization_id, on=None):
    """The organization pays the member rate in the lease's building: the tenant association itself, or a
    group holding a binding sublet under the lease."""
    if organization_id == lease.tenant_id:
        return True
    on = on or today()
    query = sa.select(Sublet).where(
        Sublet.lease_id == lease.id, Sublet.group_id == organization_id, Sublet.status.in_(SUBLET_BINDING)
    )
    return any(sublet.effective_status(on) in SUBLET_BINDING for sublet in db.session.scalars(query))


# --- changes -------------------------------------------------------------------------------------------


def update_space_settings(actor, space, values):
    """Change how ``space`` is booked; the first save creates its rules row.

    ``values`` may hold ``bookable``, ``hourly_rate``, the :attr:`BookingRules.SETTINGS` and
    ``opening_hours`` ({weekday: (opens, closes)}; a weekday missing or mapped to None is closed).
    Keys left out stay as they are.
    """
    authorize(actor, "edit", access_for(space))
    rules = rules_for(space)
    values = _clean(values)
    _check_settings(space, rules, values)
    changes = audit.diff(space, {k: values[k] for k in SPACE_FIELDS if k in values})
    changes.update(audit.diff(rules, {k: values[k] for k in BookingRules.SETTINGS if k in values}))
    if "opening_hours" in values:
        changes.update(_set_hours(space, checks.open_days(values["opening_hours"])))
    if not rules.is_saved:
        db.session.add(rules)
    db.session.flush()
    if changes:
        audit.record(actor, "space.booking_settings", space, changes)
    return rules


def add_closed_dates(actor, spaces, starts_on, ends_on, reason):
    """Close each of ``spaces`` from ``starts_on`` to ``ends_on`` (inclusive) for ``reason``."""
    spaces = list(spaces)
    for space in spaces:
        authorize(actor, "edit", access_for(space))
    reason = (reason or "").strip()
    problems = checks.closed_dates_problems(starts_on, ends_on, reason, today())
    if not spaces:
        problems["spaces"] = "missing"
    _raise(problems, _closed_message)
    added = [ClosedDate(space_id=s.id, starts_on=starts_on, ends_on=ends_on, reason=reason) for s in spaces]
    db.session.add_all(added)
    db.session.flush()
    for space, closed in zip(spaces, added, strict=True):
        audit.record(actor, "space.closed_date.add", space, _closed_changes(closed, adding=True))
    return added


def remove_closed_date(actor, closed_date):
    """Remove a closed period that has not ended yet (past ones stay as the space's history)."""
    space = db.session.get(Space, closed_date.space_id)
    authorize(actor, "edit", access_for(space))
    if closed_date.has_ended(today()):
        raise Conflict(_("A closed period that has already ended cannot be removed."))
    audit.record(actor, "space.closed_date.remove", space, _closed_changes(closed_date, adding=False))
    db.session.delete(closed_date)
    db.session.flush()


# --- helpers -------------------------------------------------------------------------------------------


def _clean(values):
    values = dict(values)
    if "house_rules" in values:
        values["house_rules"] = (values["house_rules"] or "").strip()
    for key in ("hourly_rate", "member_rate"):
        if values.get(key) is not None:
            values[key] = round(values[key], 2)
    return values


def _check_settings(space, rules, values):
    """Every rule over the settings as they would be after the change; raise one RuleViolation for all."""
    after = {**{k: getattr(rules, k) for k in BookingRules.SETTINGS}, **values}
    problems = checks.duration_problems(after["min_minutes"], after["max_minutes"])
    problems.update(checks.ahead_problems(after["book_ahead_days"]))
    rates = {k: values[k] for k in ("hourly_rate", "member_rate") if k in values}
    problems.update(checks.rate_problems(**rates))
    problems.update(checks.text_problems(values.get("house_rules")))
    problems.update(checks.hours_problems(values.get("opening_hours") or {}))
    _raise(problems, _settings_message)


def _raise(problems, message):
    if problems:
        fields = {field: [message(field, key)] for field, key in problems.items()}
        raise RuleViolation(next(iter(fields.values()))[0], fields=fields)


def _settings_message(field, key):
    if field.startswith("hours-"):
        return _hours_message(field, key)
    messages = {
        ("min_minutes", "missing"): _("Enter the shortest booking in minutes, like 60"),
        ("min_minutes", "min_too_short"): _("Enter a shortest booking of at least 15 minutes"),
        ("min_minutes", "not_on_step"): _("Enter the shortest booking in steps of 15 minutes, like 45 or 60"),
        ("max_minutes", "missing"): _("Enter the longest booking in minutes, like 240"),
        ("max_minutes", "max_too_long"): _("Enter a longest booking of at most 1440 minutes (24 hours)"),
        ("max_minutes", "not_on_step"): _("Enter the longest booking in steps of 15 minutes, like 180 or 240"),
        ("max_minutes", "max_below_min"): _("Enter a longest booking no shorter than the shortest booking"),
        ("book_ahead_days", "missing"): _("Enter how many days ahead groups may book, like 180"),
        ("book_ahead_days", "ahead_range"): _("Enter between 1 and 366 days"),
        ("hourly_rate", "negative"): _("Enter an hourly price of 0 euros or more"),
        ("hourly_rate", "too_large"): _("Enter a smaller hourly price"),
        ("member_rate", "negative"): _("Enter a member price of 0 euros or more"),
        ("member_rate", "too_large"): _("Enter a smaller member price"),
        ("house_rules", "too_long"): _("Enter at most %(max)d characters", max=checks.MAX_HOUSE_RULES),
    }
    return messages[(field, key)]


def _hours_message(field, key):
    day = DAY_NAMES[int(field.split("-")[1])]
    messages = {
        "missing_opens": _("%(day)s: enter the opening time, or mark the day closed", day=day),
        "missing_closes": _("%(day)s: enter the closing time, or mark the day closed", day=day),
        "not_on_step": _("%(day)s: enter a time on the quarter hour, like 8.00, 8.15 or 8.30", day=day),
        "closes_before_opens": _("%(day)s: enter a closing time after the opening time", day=day),
    }
    return messages[key]


def _closed_message(field, key):
    messages = {
        ("starts_on", "missing"): _("Enter the first closed day"),
        ("starts_on", "in_past"): _("Enter a first closed day that is today or later"),
        ("ends_on", "missing"): _("Enter the last closed day"),
        ("ends_on", "ends_before_starts"): _("Enter a last closed day on or after the first closed day"),
        ("ends_on", "in_past"): _("Enter a last closed day that is today or later"),
        ("reason", "missing"): _("Enter the reason, like Christmas or a renovation"),
        ("reason", "too_long"): _("Enter at most %(max)d characters", max=checks.MAX_REASON),
        ("spaces", "missing"): _("Choose the space to close"),
    }
    return messages[(field, key)]


def _set_hours(space, wanted):
    """Make the space's opening-hour rows match ``wanted``: change rows in place, add and remove the rest."""
    before = {h.weekday: (h.opens, h.closes) for h in space.opening_hours}
    if wanted == before:
        return {}
    rows = {h.weekday: h for h in space.opening_hours}
    for day, row in rows.items():
        if day in wanted:
            row.opens, row.closes = wanted[day]
    kept = [rows[d] for d in sorted(rows) if d in wanted]
    added = [OpeningHours(weekday=d, opens=o, closes=c) for d, (o, c) in wanted.items() if d not in rows]
    space.opening_hours = sorted(kept + added, key=lambda h: h.weekday)
    return {"opening_hours": (hours_text(before), hours_text(wanted))}


def hours_text(hours):
    """The week's hours as plain text for the audit log: ``0: 08:00-22:00; 5: 10:00-18:00``."""
    return "; ".join(f"{d}: {o:%H:%M}-{c:%H:%M}" for d, (o, c) in sorted(hours.items()))


def _closed_changes(closed, adding):
    fields = {
        "closed_date": closed.id,
        "starts_on": closed.starts_on,
        "ends_on": closed.ends_on,
        "reason": closed.reason,
    }
    return {k: (None, v) if adding else (v, None) for k, v in fields.items()}
