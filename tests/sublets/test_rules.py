"""The sublet rules as tables of cases: numbering, terms, the head lease, premises, group, overlap."""

from datetime import date, time
from decimal import Decimal

import pytest

from leasing.sublets import rules
from leasing.sublets.rules import Claim

TODAY = date(2027, 3, 1)  # a Monday
T = time


# --- numbering ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year,existing,expected",
    [
        (2027, [], "AV-2027-0001"),
        (2027, ["AV-2027-0001", "AV-2027-0009"], "AV-2027-0010"),
        (2027, ["AV-2026-0041"], "AV-2027-0001"),
        (2027, ["TK-2027-0005", "rubbish"], "AV-2027-0001"),
    ],
)
def test_numbers_run_per_year(year, existing, expected):
    assert rules.next_number(year, existing) == expected


def test_a_number_parses_back():
    assert rules.parse_number("AV-2027-0012") == (2027, 12)
    assert rules.parse_number("TK-2027-0012") is None


# --- the sublet's own terms -----------------------------------------------------------------------


def _terms(**overrides):
    values = {
        "kind": "exclusive",
        "starts_on": date(2027, 3, 1),
        "ends_on": date(2027, 8, 31),
        "weekday": None,
        "slot_starts": None,
        "slot_ends": None,
        "monthly_rent": Decimal("150.00"),
    }
    values.update(overrides)
    return values


SLOT = {"kind": "slot", "weekday": 1, "slot_starts": T(18), "slot_ends": T(21)}


@pytest.mark.parametrize(
    "overrides,expected",
    [
        ({}, {}),
        (SLOT, {}),
        ({"monthly_rent": Decimal("0")}, {}),
        ({"starts_on": None}, {"starts_on": "start_needed"}),
        ({"starts_on": date(2027, 2, 28)}, {"starts_on": "start_in_past"}),
        ({"ends_on": None}, {"ends_on": "end_needed"}),
        ({"ends_on": date(2027, 2, 28)}, {"ends_on": "end_before_start"}),
        ({"ends_on": date(2027, 3, 1)}, {}),  # one day is a period
        ({"monthly_rent": Decimal("-0.01")}, {"monthly_rent": "rent_negative"}),
        ({"monthly_rent": None}, {"monthly_rent": "rent_needed"}),
        ({"kind": "weekly"}, {"kind": "kind_needed"}),
        ({**SLOT, "weekday": None}, {"weekday": "weekday_needed"}),
        ({**SLOT, "weekday": 7}, {"weekday": "weekday_needed"}),
        ({**SLOT, "slot_starts": None}, {"slot_starts": "slot_start_needed"}),
        ({**SLOT, "slot_ends": None}, {"slot_ends": "slot_end_needed"}),
        ({**SLOT, "slot_ends": T(18)}, {"slot_ends": "slot_end_before_start"}),
        ({**SLOT, "slot_ends": T(17)}, {"slot_ends": "slot_end_before_start"}),
        # 1–3 March 2027 is Monday to Wednesday: no Friday in it.
        ({**SLOT, "weekday": 4, "ends_on": date(2027, 3, 3)}, {"weekday": "weekday_not_in_period"}),
        ({**SLOT, "weekday": 2, "ends_on": date(2027, 3, 3)}, {}),
    ],
)
def test_term_problems(overrides, expected):
    assert rules.term_problems(**_terms(**overrides), today=TODAY, is_new=True) == expected


def test_an_unchanged_start_in_the_past_is_kept():
    values = _terms(starts_on=date(2027, 1, 1))
    assert rules.term_problems(**values, today=TODAY, is_new=False) == {}


# --- the head lease -------------------------------------------------------------------------------

LEASE_START, LEASE_END = date(2027, 1, 1), date(2027, 12, 31)


@pytest.mark.parametrize(
    "status,allowed,last_day,starts_on,ends_on,expected",
    [
        ("active", True, LEASE_END, date(2027, 3, 1), date(2027, 8, 31), {}),
        ("signed", True, LEASE_END, LEASE_START, LEASE_END, {}),  # the whole lease period
        ("active", True, None, date(2027, 3, 1), date(2035, 8, 31), {}),  # indefinite lease
        ("active", True, LEASE_END, date(2026, 12, 31), date(2027, 8, 31), {"starts_on": "before_lease"}),
        ("active", True, LEASE_END, date(2027, 3, 1), date(2028, 1, 1), {"ends_on": "after_lease"}),
        ("active", True, date(2027, 6, 30), date(2027, 3, 1), date(2027, 8, 31), {"ends_on": "after_lease"}),
        ("draft", True, LEASE_END, date(2027, 3, 1), date(2027, 8, 31), {"lease": "lease_not_binding"}),
        ("offered", True, LEASE_END, date(2027, 3, 1), date(2027, 8, 31), {"lease": "lease_not_binding"}),
        ("expired", True, LEASE_END, date(2027, 3, 1), date(2027, 8, 31), {"lease": "lease_not_binding"}),
        ("terminated", True, LEASE_END, date(2027, 3, 1), date(2027, 8, 31), {"lease": "lease_not_binding"}),
        ("active", False, LEASE_END, date(2027, 3, 1), date(2027, 8, 31), {"lease": "subletting_not_allowed"}),
    ],
)
def test_lease_problems(status, allowed, last_day, starts_on, ends_on, expected):
    assert rules.lease_problems(status, allowed, LEASE_START, last_day, starts_on, ends_on) == expected


@pytest.mark.parametrize(
    "space_building,space_id,whole,lease_spaces,expected",
    [
        (1, 10, True, [], None),
        (2, 20, True, [], "space_not_leased"),  # another building's space
        (1, 10, False, [10, 11], None),
        (1, 12, False, [10, 11], "space_not_leased"),  # a space of the building the lease does not cover
    ],
)
def test_space_must_be_in_the_leased_premises(space_building, space_id, whole, lease_spaces, expected):
    assert rules.space_problem(space_building, space_id, 1, whole, lease_spaces) == expected


@pytest.mark.parametrize(
    "kind,group_id,expected",
    [
        ("cultural_group", 5, None),
        ("association", 5, "not_a_group"),
        ("facilities_centre", 5, "not_a_group"),
        ("cultural_group", 1, "not_a_group"),  # the association itself
    ],
)
def test_the_subtenant_is_a_cultural_group(kind, group_id, expected):
    assert rules.group_problem(kind, group_id, 1) == expected


# --- overlap --------------------------------------------------------------------------------------


def exclusive(start, end, space=1, id=None):
    return Claim(id, space, "exclusive", start, end)


EVENING, EVENING_END = T(18), T(21)


def slot(start, end, weekday=1, starts=EVENING, ends=EVENING_END, space=1, id=None):
    return Claim(id, space, "slot", start, end, weekday, starts, ends)


MAR, APR, MAY, JUN = (date(2027, m, 1) for m in (3, 4, 5, 6))
MAR_END, APR_END, MAY_END = date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31)


@pytest.mark.parametrize(
    "a,b,expected",
    [
        # exclusive vs exclusive
        (exclusive(MAR, APR_END), exclusive(APR, MAY_END), True),
        (exclusive(MAR, MAR_END), exclusive(APR, APR_END), False),  # back to back
        (exclusive(MAR, APR), exclusive(APR, APR_END), True),  # one shared day
        (exclusive(MAR, MAY_END), exclusive(APR, APR_END), True),  # inside
        (exclusive(MAR, APR_END), exclusive(APR, MAY_END, space=2), False),  # another space
        # exclusive vs slot: exclusive means alone
        (exclusive(MAR, APR_END), slot(APR, MAY_END), True),
        (slot(MAR, MAY_END, weekday=6, starts=T(8), ends=T(9)), exclusive(APR, APR), True),
        (exclusive(MAR, MAR_END), slot(APR, MAY_END), False),
        # slot vs slot
        (slot(MAR, MAY_END), slot(APR, JUN), True),
        (slot(MAR, MAY_END), slot(APR, JUN, starts=T(20), ends=T(22)), True),
        (slot(MAR, MAY_END), slot(APR, JUN, starts=T(21), ends=T(23)), False),  # touching times
        (slot(MAR, MAY_END), slot(APR, JUN, starts=T(15), ends=T(18)), False),
        (slot(MAR, MAY_END), slot(APR, JUN, weekday=2), False),  # another weekday
        (slot(MAR, MAR_END), slot(APR, JUN), False),  # periods apart
        (slot(MAR, MAY_END), slot(APR, JUN, space=2), False),
        # 1–2 March 2027 are Monday and Tuesday: the shared days hold no Thursday.
        (slot(date(2027, 2, 1), date(2027, 3, 2), weekday=3), slot(MAR, MAY_END, weekday=3), False),
        (slot(date(2027, 2, 1), date(2027, 3, 4), weekday=3), slot(MAR, MAY_END, weekday=3), True),
    ],
)
def test_clash(a, b, expected):
    assert rules.clash(a, b) is expected
    assert rules.clash(b, a) is expected


def test_a_sublet_does_not_clash_with_itself():
    claim = exclusive(MAR, APR_END, id=7)
    assert rules.clashes(claim, [claim, exclusive(APR, APR, id=8)]) == [exclusive(APR, APR, id=8)]


@pytest.mark.parametrize(
    "status,ended_on,expected",
    [
        ("draft", None, True),
        ("offered", None, True),
        ("awaiting_approval", None, True),
        ("signed", None, True),
        ("active", None, True),
        ("terminated", date(2027, 4, 30), True),  # holds until its ended_on (the claim's last day)
        ("cancelled", None, False),
        ("refused", None, False),
        ("expired", None, False),
    ],
)
def test_which_statuses_hold_their_space(status, ended_on, expected):
    assert rules.holds(status, ended_on) is expected


# --- termination and signatures -------------------------------------------------------------------


@pytest.mark.parametrize(
    "last_day,expected",
    [
        (date(2027, 4, 30), None),
        (TODAY, None),
        (None, "end_needed"),
        (date(2027, 2, 28), "end_in_past"),
        (date(2027, 9, 1), "end_after_current"),
    ],
)
def test_termination_problem(last_day, expected):
    assert rules.termination_problem(last_day, date(2027, 1, 1), date(2027, 8, 31), TODAY) == expected


def test_termination_of_a_sublet_not_yet_started_ends_on_its_first_day_at_the_earliest():
    assert rules.termination_problem(TODAY, date(2027, 4, 1), date(2027, 8, 31), TODAY) == "end_before_start"


@pytest.mark.parametrize(
    "signed,expected",
    [([], False), ([1], False), ([2], False), ([1, 1], False), ([1, 2], True), ([2, 1, 3], True)],
)
def test_one_signature_per_side_is_enough(signed, expected):
    assert rules.sides_signed(signed, 1, 2) is expected
