"""Sublet rules as pure functions: numbering, the terms, the head lease, the premises, the group, overlap.

No Flask and no database here: the services hand these plain values (dates, Helsinki wall-clock
times, status strings) and turn the problem codes they return into translated messages.
"""

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

NUMBER_RE = re.compile(r"^AV-(\d{4})-(\d{4,})$")
#: Stored statuses in which a sublet claims its space or slot (terminated: only up to its ``ended_on``).
HOLDING = frozenset({"draft", "offered", "awaiting_approval", "signed", "active", "terminated"})
#: Lease statuses under which a sublet may be made (signed or active).
LEASE_BINDING = frozenset({"signed", "active"})
EXCLUSIVE, SLOT = "exclusive", "slot"


def parse_number(number):
    """``(year, seq)`` of a number like AV-2026-0001, or None."""
    match = NUMBER_RE.match(number or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def next_number(year, existing):
    """The next sublet number of ``year`` after the ``existing`` numbers (any year's): AV-<year>-<max + 1>."""
    seqs = [p[1] for p in map(parse_number, existing) if p and p[0] == year]
    return f"AV-{year:04d}-{max(seqs, default=0) + 1:04d}"


def days_overlap(a_start, a_end, b_start, b_end):
    """Two inclusive date periods share at least one day."""
    return a_start <= b_end and b_start <= a_end


def times_overlap(a_start, a_end, b_start, b_end):
    """Two half-open wall-clock ranges overlap (18–21 and 21–23 only touch)."""
    return a_start < b_end and b_start < a_end


def has_weekday(start, end, weekday):
    """The inclusive period ``start``–``end`` contains at least one day of ``weekday`` (0 = Monday)."""
    if end < start:
        return False
    first = start + timedelta(days=(weekday - start.weekday()) % 7)
    return first <= end


@dataclass(frozen=True)
class Claim:
    """What a sublet holds: a space, for a period, exclusively or in a weekly slot."""

    id: int | None
    space_id: int
    kind: str
    starts_on: date
    #: The last day it holds (its end, or the earlier day it was ended on).
    last_day: date
    weekday: int | None = None
    slot_starts: time | None = None
    slot_ends: time | None = None


def holds(status, ended_on=None):
    """A sublet in ``status`` counts for the overlap (a terminated one only with its ``ended_on``)."""
    status = str(status)
    if status == "terminated":
        return ended_on is not None
    return status in HOLDING


def clash(a, b):
    """Two claims cannot both stand: same space, shared days, and exclusive use or the same slot time.

    An exclusive sublet clashes with every other claim of its space in its period (exclusive means
    alone); two slots clash only on the same weekday with overlapping times, and only when the days
    they share include that weekday.
    """
    if a.space_id != b.space_id or (a.id is not None and a.id == b.id):
        return False
    if not days_overlap(a.starts_on, a.last_day, b.starts_on, b.last_day):
        return False
    if EXCLUSIVE in (a.kind, b.kind):
        return True
    if a.weekday != b.weekday or not times_overlap(a.slot_starts, a.slot_ends, b.slot_starts, b.slot_ends):
        return False
    return has_weekday(max(a.starts_on, b.starts_on), min(a.last_day, b.last_day), a.weekday)


def clashes(claim, others):
    """The ``others`` that ``claim`` clashes with, in their order."""
    return [other for other in others if clash(claim, other)]


def term_problems(kind, starts_on, ends_on, weekday, slot_starts, slot_ends, monthly_rent, *, today, is_new):
    """``{field: problem code}`` for the sublet's own terms (no lease, no other sublet)."""
    problems = {}
    if starts_on is None:
        problems["starts_on"] = "start_needed"
    elif is_new and starts_on < today:
        problems["starts_on"] = "start_in_past"
    if ends_on is None:
        problems["ends_on"] = "end_needed"
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = "end_before_start"
    if monthly_rent is None:
        problems["monthly_rent"] = "rent_needed"
    elif Decimal(monthly_rent) < 0:
        problems["monthly_rent"] = "rent_negative"
    if kind == SLOT:
        problems.update(_slot_problems(starts_on, ends_on, weekday, slot_starts, slot_ends, problems))
    elif kind != EXCLUSIVE:
        problems["kind"] = "kind_needed"
    return problems


def _slot_problems(starts_on, ends_on, weekday, slot_starts, slot_ends, known):
    problems = {}
    if weekday is None or not 0 <= weekday <= 6:
        problems["weekday"] = "weekday_needed"
    if slot_starts is None:
        problems["slot_starts"] = "slot_start_needed"
    if slot_ends is None:
        problems["slot_ends"] = "slot_end_needed"
    elif slot_starts is not None and slot_ends <= slot_starts:
        problems["slot_ends"] = "slot_end_before_start"
    period_known = starts_on and ends_on and not ({"starts_on", "ends_on"} & set(known))
    if "weekday" not in problems and period_known and not has_weekday(starts_on, ends_on, weekday):
        problems["weekday"] = "weekday_not_in_period"
    return problems


def lease_problems(lease_status, subletting_allowed, lease_start, lease_last_day, starts_on, ends_on):
    """``{field: problem code}`` for the head lease: signed or active, allowing subletting, covering the period.

    ``lease_last_day`` is None for an indefinite lease on which no notice has been given.
    """
    problems = {}
    if str(lease_status) not in LEASE_BINDING:
        problems["lease"] = "lease_not_binding"
    elif not subletting_allowed:
        problems["lease"] = "subletting_not_allowed"
    if starts_on is not None and starts_on < lease_start:
        problems["starts_on"] = "before_lease"
    if ends_on is not None and lease_last_day is not None and ends_on > lease_last_day:
        problems["ends_on"] = "after_lease"
    return problems


def space_problem(space_building_id, space_id, lease_building_id, whole_building, lease_space_ids):
    """``"space_not_leased"`` when the space is not in the leased premises, else None."""
    if space_building_id != lease_building_id:
        return "space_not_leased"
    if not whole_building and space_id not in set(lease_space_ids):
        return "space_not_leased"
    return None


def group_problem(group_kind, group_id, association_id):
    """``"not_a_group"`` unless the subtenant is a cultural group other than the association, else None."""
    if str(group_kind) != "cultural_group" or group_id == association_id:
        return "not_a_group"
    return None


def termination_problem(last_day, starts_on, current_last_day, today):
    """A problem code for an early end on ``last_day``, or None."""
    if last_day is None:
        return "end_needed"
    if last_day < today:
        return "end_in_past"
    if last_day > current_last_day:
        return "end_after_current"
    if last_day < starts_on:
        return "end_before_start"
    return None


def sides_signed(signed_organization_ids, association_id, group_id):
    """Both sides have a live signature on the version (one signer per side is enough)."""
    return {association_id, group_id} <= set(signed_organization_ids)
