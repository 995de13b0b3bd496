"""Pure rules of leases: reference numbers, IBAN, lease numbers, terms, notice, rent schedule, index, overlap.

No Flask, no database: plain values in, plain values out. Dates are inclusive: a lease's
``end_date`` (and ``ends_on`` after notice) is its last day.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from stdnum import iban as _iban

#: Weights of the Finnish reference number's check digit, repeating from the right.
REFERENCE_WEIGHTS = (7, 3, 1)
NUMBER_RE = re.compile(r"^TK-(\d{4})-(\d{4,})$")
NOTICE_MONTHS_MIN, NOTICE_MONTHS_MAX = 1, 24
DUE_DAY_MIN, DUE_DAY_MAX = 1, 28
CENT = Decimal("0.01")


# --- Finnish reference number (viitenumero) ---------------------------------------------------------------


def reference_check_digit(base):
    """The check digit of a reference number's base (3–19 digits): weights 7, 3, 1 from the right."""
    if not (isinstance(base, str) and base.isdigit() and 3 <= len(base) <= 19):
        raise ValueError("a reference number's base is 3 to 19 digits")
    total = sum(int(d) * REFERENCE_WEIGHTS[i % 3] for i, d in enumerate(reversed(base)))
    return str((10 - total % 10) % 10)


def compact_reference(value):
    """The reference number without spaces."""
    return re.sub(r"\s+", "", value or "")


def is_valid_reference(value):
    """True for a Finnish reference number (4–20 digits, spaces allowed) whose check digit matches."""
    digits = compact_reference(value)
    if not (digits.isdigit() and 4 <= len(digits) <= 20):
        return False
    return reference_check_digit(digits[:-1]) == digits[-1]


def format_reference(value):
    """A reference number printed in groups of five digits from the right (``12 34561``)."""
    digits = compact_reference(value)
    groups = []
    while digits:
        groups.insert(0, digits[-5:])
        digits = digits[:-5]
    return " ".join(groups)


def lease_reference(year, seq):
    """The reference number of lease TK-<year>-<seq>: base ``<year><seq:04d>`` and its check digit."""
    base = f"{year:04d}{seq:04d}"
    return base + reference_check_digit(base)


# --- IBAN ----------------------------------------------------------------------------------------------------


def compact_iban(value):
    """The IBAN without spaces, hyphens or dots, upper-cased (as the check reads it: python-stdnum's compact)."""
    return _iban.compact(value or "")


def is_valid_iban(value):
    """True for an IBAN whose country format and mod-97 check are right."""
    return bool(value) and _iban.is_valid(compact_iban(value))


def is_finnish_iban(value):
    """True for a valid Finnish IBAN (FI + 2 check digits + 14 digits)."""
    compact = compact_iban(value)
    return compact.startswith("FI") and len(compact) == 18 and is_valid_iban(compact)


def format_iban(value):
    """The IBAN printed in groups of four (``FI49 5000 9420 0287 30``)."""
    compact = compact_iban(value)
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


# --- Lease numbers -------------------------------------------------------------------------------------------


def parse_lease_number(number):
    """``(year, seq)`` of a number like TK-2026-0001, or None."""
    match = NUMBER_RE.match(number or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def next_lease_number(year, existing):
    """The next number of ``year`` after the ``existing`` numbers (any year's): TK-<year>-<max + 1>."""
    seqs = [p[1] for p in map(parse_lease_number, existing) if p and p[0] == year]
    return f"TK-{year:04d}-{max(seqs, default=0) + 1:04d}"


# --- Term and notice -----------------------------------------------------------------------------------------


def term_problems(start, end, notice_months, *, today, is_new):
    """``{field: problem}`` for a lease term: end after start, no new lease in the past, notice for indefinite."""
    problems = {}
    if start is None:
        problems["start_date"] = "start_needed"
    elif is_new and start < today:
        problems["start_date"] = "start_in_past"
    if end is not None and start is not None and end <= start:
        problems["end_date"] = "end_before_start"
    if end is None:
        if notice_months is None:
            problems["notice_period_months"] = "notice_needed"
        elif not NOTICE_MONTHS_MIN <= notice_months <= NOTICE_MONTHS_MAX:
            problems["notice_period_months"] = "notice_range"
    return problems


def month_end(year, month):
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months_end(day, months):
    """The last day of the month ``months`` months after ``day``'s month (negative goes back)."""
    index = day.year * 12 + day.month - 1 + months
    return month_end(index // 12, index % 12 + 1)


def notice_end_date(given_on, months):
    """The lease's last day after notice: the notice period counted from the end of the month of notice."""
    return add_months_end(given_on, months)


def notice_problem(end_date, notice_months):
    """Why notice cannot be given, or None: a fixed-term lease cannot be given notice under our terms."""
    if end_date is not None:
        return "fixed_term"
    if notice_months is None:
        return "no_notice_period"
    return None


def notice_deadline(target_end, months):
    """The last day notice can be given for the lease to end at the month end ``target_end``."""
    return add_months_end(target_end, -months)


def next_notice_deadline(start, months, today):
    """The next deadline (≥ today) for notice that ends an indefinite lease at the end of a lease year.

    A lease year ends at the end of the month before the start's anniversary month.
    """
    years = max(today.year - start.year, 1)
    while True:
        target = add_months_end(date(start.year + years, start.month, 1), -1)
        deadline = notice_deadline(target, months)
        if deadline >= today:
            return deadline
        years += 1


# --- Rent schedule -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A period of the rent schedule with its own monthly rent (0 for rent-free months)."""

    starts_on: date | None
    ends_on: date | None
    monthly_rent: Decimal | None


def rent_on(day, base_rent, steps):
    """The monthly rent in force on ``day``: a step's rent within its period, else the base rent."""
    for step in steps:
        if step.starts_on <= day <= step.ends_on:
            return step.monthly_rent
    return base_rent


def step_problems(steps, start, end):
    """``{index: problem}``: each step needs both dates in order, within the term, no overlap, rent ≥ 0."""
    problems = {}
    for i, step in enumerate(steps):
        if step.starts_on is None or step.ends_on is None:
            problems[i] = "missing_end" if step.starts_on else "missing_start"
        elif step.ends_on < step.starts_on:
            problems[i] = "ends_before_starts"
        elif step.starts_on < start or (end is not None and step.ends_on > end):
            problems[i] = "outside_term"
        elif step.monthly_rent is None or step.monthly_rent < 0:
            problems[i] = "negative_rent"
        elif any(
            j not in problems
            and other.starts_on
            and other.ends_on
            and periods_overlap(step.starts_on, step.ends_on, other.starts_on, other.ends_on)
            for j, other in enumerate(steps[:i])
        ):
            problems[i] = "overlap"
    return problems


# --- Index clause --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """An index revision: from when, on which month's index, its value, and the revised rent."""

    applies_from: date
    index_month: date
    index_value: Decimal
    monthly_rent: Decimal


def revised_rent(base_rent, base_value, index_value):
    """Base rent × (index ÷ base value), rounded half up to cents, never below the base rent."""
    revised = (Decimal(base_rent) * Decimal(index_value) / Decimal(base_value)).quantize(CENT, ROUND_HALF_UP)
    return max(revised, Decimal(base_rent).quantize(CENT))


def _shift_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def index_revisions(base_rent, base_month, base_value, start, values, until):
    """Yearly revisions on the start's anniversaries up to ``until``, each on the index of base month + k years.

    ``values`` maps a month (its first day) to the index value; a revision waits for its value.
    """
    revisions = []
    k = 1
    while (applies := _shift_years(start, k)) <= until:
        month = date(base_month.year + k, base_month.month, 1)
        if month in values:
            rent = revised_rent(base_rent, base_value, values[month])
            revisions.append(Revision(applies, month, values[month], rent))
        k += 1
    return revisions


def indexed_rent(day, base_rent, revisions):
    """The rent on ``day`` after the latest revision that applies by then."""
    applied = [r for r in revisions if r.applies_from <= day]
    return applied[-1].monthly_rent if applied else base_rent


# --- Overlap and status --------------------------------------------------------------------------------------


def periods_overlap(a_start, a_end, b_start, b_end):
    """True when two inclusive date periods share a day (None = open-ended)."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def spaces_shared(a_spaces, a_whole, b_spaces, b_whole):
    """True when two leases of one building share a space (a whole-building lease holds every space)."""
    return bool(a_whole or b_whole or set(a_spaces) & set(b_spaces))


def last_day(end_date, ends_on):
    """The lease's last day: the earlier of its end date and the end after notice or termination."""
    days = [d for d in (end_date, ends_on) if d is not None]
    return min(days) if days else None


def effective_status(status, start, end_date, ends_on, terminated, today):
    """A signed lease is active from its start; past its last day it is expired (or terminated)."""
    if status not in ("signed", "active"):
        return str(status)
    final = last_day(end_date, ends_on)
    if final is not None and today > final:
        return "terminated" if terminated else "expired"
    return "active" if today >= start else "signed"


def today():
    """Today's date (a seam for tests that pin the date)."""
    return date.today()
