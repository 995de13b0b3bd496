"""The sublet rules applied with the database: the lease, the space, the group and the other sublets of the
space are loaded, the pure rules asked, and every problem turned into a translated message on its field.

Used by the services (draft, change, offer) and by signing (the last signature, the landlord's approval),
which check again because the lease or the other sublets may have changed meanwhile.
"""

import sqlalchemy as sa

from leasing.accounts.models import Organization
from leasing.errors import RuleViolation
from leasing.extensions import db
from leasing.i18n import _
from leasing.leases import rules as lease_rules
from leasing.premises.models import Space
from leasing.sublets import rules
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import HOLDING_STATUSES, SubletKind, SubletStatus

#: The values a sublet's terms are made of (what the form gives and the services take).
FIELDS = (
    "space_id",
    "group_id",
    "kind",
    "starts_on",
    "ends_on",
    "weekday",
    "slot_starts",
    "slot_ends",
    "monthly_rent",
    "terms",
    "language",
)
LANGUAGES = ("fi", "en")

MESSAGES = {
    "start_needed": lambda: _("Enter the date the sublet starts."),
    "start_in_past": lambda: _("Enter a start date that is today or later."),
    "end_needed": lambda: _("Enter the sublet's last day."),
    "end_before_start": lambda: _("Enter a last day on or after the start date."),
    "rent_needed": lambda: _("Enter the monthly rent in euros, 0 for none."),
    "rent_negative": lambda: _("Enter a rent of 0 euros or more."),
    "kind_needed": lambda: _("Choose exclusive use or a weekly slot."),
    "weekday_needed": lambda: _("Choose the weekday of the slot."),
    "weekday_not_in_period": lambda: _("Choose a weekday that falls within the period, or a longer period."),
    "slot_start_needed": lambda: _("Enter the time the slot starts, like 18:00."),
    "slot_end_needed": lambda: _("Enter the time the slot ends, like 21:00."),
    "slot_end_before_start": lambda: _("Enter an end time after the start time."),
    "lease_not_binding": lambda: _("Only a signed or active lease can be sublet."),
    "subletting_not_allowed": lambda: _("This lease does not allow subletting."),
    "before_lease": lambda: _("Enter a start date on or after the lease's start."),
    "after_lease": lambda: _("Enter a last day on or before the lease's last day."),
    "space_not_leased": lambda: _("Choose a space of the leased premises."),
    "not_a_group": lambda: _("Choose a cultural group other than your association."),
    "language_needed": lambda: _("Choose the contract's language."),
}


def normalized(values):
    """The values with the slot's fields cleared for exclusive use, and text trimmed."""
    values = {key: values.get(key) for key in FIELDS}
    values["kind"] = SubletKind(values["kind"]) if values["kind"] in set(SubletKind) else values["kind"]
    if values["kind"] == SubletKind.EXCLUSIVE:
        values.update(weekday=None, slot_starts=None, slot_ends=None)
    values["terms"] = (values["terms"] or "").strip()
    return values


def check(lease, values, today, *, is_new, sublet_id=None):
    """Raise one RuleViolation with every field's messages; nothing has been written.

    :raise RuleViolation: a term, the lease, the space, the group or another sublet says no.
    """
    problems = rules.term_problems(
        str(values["kind"]),
        values["starts_on"],
        values["ends_on"],
        values["weekday"],
        values["slot_starts"],
        values["slot_ends"],
        values["monthly_rent"],
        today=today,
        is_new=is_new,
    )
    lease_status = lease.effective_status(today).value
    lease_problems = rules.lease_problems(
        lease_status, lease.subletting_allowed, lease.start_date, lease.last_day, values["starts_on"], values["ends_on"]
    )
    for field, code in lease_problems.items():
        problems.setdefault(field, code)
    problems.update(_party_problems(lease, values))
    if values["language"] not in LANGUAGES:
        problems["language"] = "language_needed"
    fields = {field: [MESSAGES[code]()] for field, code in problems.items()}
    if not problems:
        fields.update(_overlap_messages(values, sublet_id))
    if fields:
        first = next(iter(fields.values()))[0]
        raise RuleViolation(first, fields=fields)


def _party_problems(lease, values):
    problems = {}
    space = db.session.get(Space, values["space_id"]) if values["space_id"] else None
    if space is None:
        problems["space_id"] = "space_not_leased"
    else:
        space_ids = [s.id for s in lease.spaces] if not lease.whole_building else []
        code = rules.space_problem(space.building_id, space.id, lease.building_id, lease.whole_building, space_ids)
        if code:
            problems["space_id"] = code
    group = db.session.get(Organization, values["group_id"]) if values["group_id"] else None
    code = rules.group_problem(group.kind.value if group else None, values["group_id"], lease.tenant_id)
    if code:
        problems["group_id"] = code
    return problems


def claim_of(sublet_id, values):
    """The pure claim of a sublet's values."""
    return rules.Claim(
        sublet_id,
        values["space_id"],
        str(values["kind"]),
        values["starts_on"],
        values["ends_on"],
        values["weekday"],
        values["slot_starts"],
        values["slot_ends"],
    )


def holding_claims(space_id, exclude_id=None):
    """The claims of the space's sublets that still hold it (one query), with their sublets."""
    query = sa.select(Sublet).where(
        Sublet.space_id == space_id,
        sa.or_(
            Sublet.status.in_(HOLDING_STATUSES),
            sa.and_(Sublet.status == SubletStatus.TERMINATED, Sublet.ended_on.is_not(None)),
        ),
    )
    if exclude_id is not None:
        query = query.where(Sublet.id != exclude_id)
    sublets = db.session.execute(query).scalars().unique().all()
    return [(_claim(s), s) for s in sublets if rules.holds(s.status.value, s.ended_on)]


def _claim(sublet):
    return rules.Claim(
        sublet.id,
        sublet.space_id,
        sublet.kind.value,
        sublet.starts_on,
        sublet.last_day,
        sublet.weekday,
        sublet.slot_starts,
        sublet.slot_ends,
    )


def _overlap_messages(values, sublet_id):
    claim = claim_of(sublet_id, values)
    taken = [s for c, s in holding_claims(values["space_id"], sublet_id) if rules.clash(claim, c)]
    if not taken:
        return {}
    other = taken[0]
    if claim.kind == rules.SLOT and other.kind == SubletKind.SLOT:
        message = _(
            "The space already has a slot at this time (%(number)s, %(group)s). "
            "Choose another weekday, time or period.",
            number=other.number,
            group=other.group.name,
        )
        return {"slot_starts": [message]}
    message = _(
        "The space is already sublet for part of this period (%(number)s, %(group)s); exclusive use cannot share it. "
        "Choose other dates or another space.",
        number=other.number,
        group=other.group.name,
    )
    return {"space_id": [message]}


def today():
    """Today in Helsinki (the lease domain's seam, so that tests pin one date for both)."""
    return lease_rules.today()
