"""Pure rules of leases, as tables of cases: reference numbers, IBAN, numbers, terms, notice, rent, index."""

from datetime import date
from decimal import Decimal

import pytest

from leasing.leases import rules

D = Decimal


# Hand check of 1232: digits from the right 2,3,2,1 × weights 7,3,1,7 = 14+9+2+7 = 32 → (10 − 2) % 10 = 8.
# 123456: 6·7+5·3+4·1+3·7+2·3+1·1 = 89 → 1 (the usual textbook example 1234561).
# 20260001: 1·7+0·3+0·1+0·7+6·3+2·1+0·7+2·3 = 33 → 7.
@pytest.mark.parametrize(
    "base,check",
    [("1232", "8"), ("123456", "1"), ("20260001", "7"), ("100", "9"), ("1000", "3"), ("99999", "1"), ("123", "2")],
)
def test_reference_check_digit(base, check):
    assert rules.reference_check_digit(base) == check


@pytest.mark.parametrize("base", ["12", "", "12a4", "1" * 20])
def test_reference_base_must_be_3_to_19_digits(base):
    with pytest.raises(ValueError):
        rules.reference_check_digit(base)


@pytest.mark.parametrize(
    "value,valid",
    [
        ("12328", True),
        ("1234561", True),
        ("12 34561", True),
        ("202600017", True),
        ("1000 3", True),
        ("12329", False),
        ("1234562", False),
        ("123", False),  # base of two digits
        ("1232X", False),
        ("", False),
        ("1" * 19 + "0", False),
        ("RF18539007547034", False),  # the international form is a different rule
    ],
)
def test_reference_is_valid(value, valid):
    assert rules.is_valid_reference(value) is valid


@pytest.mark.parametrize(
    "value,printed", [("1234561", "12 34561"), ("202600017", "2026 00017"), ("12328", "12328"), ("123", "123")]
)
def test_reference_printed_in_groups_of_five_from_the_right(value, printed):
    assert rules.format_reference(value) == printed


@pytest.mark.parametrize("year,seq,ref", [(2026, 1, "202600017"), (2027, 42, "202700425")])
def test_reference_for_a_lease_number(year, seq, ref):
    assert rules.lease_reference(year, seq) == ref
    assert rules.is_valid_reference(ref)


@pytest.mark.parametrize(
    "value,valid",
    [
        ("FI49 5000 9420 0287 30", True),
        ("FI4950009420028730", True),
        ("fi49 5000 9420 0287 30", True),
        ("FI21 1234 5600 0007 85", True),
        ("FI49 5000 9420 0287 31", False),
        ("FI48 5000 9420 0287 30", False),
        ("FI49 5000 9420 0287", False),
        ("DE89 3704 0044 0532 0130 00", True),  # valid, though not Finnish
        ("", False),
        ("not an iban", False),
    ],
)
def test_iban_is_valid(value, valid):
    assert rules.is_valid_iban(value) is valid


@pytest.mark.parametrize(
    "value,finnish", [("FI49 5000 9420 0287 30", True), ("DE89 3704 0044 0532 0130 00", False), ("FI00", False)]
)
def test_iban_is_finnish(value, finnish):
    assert rules.is_finnish_iban(value) is finnish


def test_iban_printed_in_groups_of_four():
    assert rules.format_iban("fi4950009420028730") == "FI49 5000 9420 0287 30"
    assert rules.compact_iban(" FI49 5000 9420 0287 30 ") == "FI4950009420028730"


@pytest.mark.parametrize(
    "year,existing,expected",
    [
        (2026, [], "TK-2026-0001"),
        (2026, ["TK-2026-0001", "TK-2026-0002"], "TK-2026-0003"),
        (2026, ["TK-2026-0009", "TK-2025-0100"], "TK-2026-0010"),
        (2027, ["TK-2026-0009"], "TK-2027-0001"),
        (2026, ["TK-2026-0003", "garbage"], "TK-2026-0004"),
    ],
)
def test_next_lease_number(year, existing, expected):
    assert rules.next_lease_number(year, existing) == expected


@pytest.mark.parametrize(
    "number,parsed", [("TK-2026-0001", (2026, 1)), ("TK-2026-1234", (2026, 1234)), ("TK-26-1", None), ("x", None)]
)
def test_parse_lease_number(number, parsed):
    assert rules.parse_lease_number(number) == parsed


TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "start,end,notice,is_new,problems",
    [
        (date(2027, 1, 1), date(2027, 12, 31), None, True, {}),
        (date(2027, 1, 1), None, 3, True, {}),
        (TODAY, None, 1, True, {}),
        (date(2027, 1, 1), date(2027, 1, 1), None, True, {"end_date": "end_before_start"}),
        (date(2027, 1, 1), date(2026, 12, 31), None, True, {"end_date": "end_before_start"}),
        (date(2026, 11, 27), None, 3, True, {"start_date": "start_in_past"}),
        (date(2026, 11, 27), None, 3, False, {}),  # an existing lease keeps its start
        (date(2027, 1, 1), None, None, True, {"notice_period_months": "notice_needed"}),
        (date(2027, 1, 1), None, 0, True, {"notice_period_months": "notice_range"}),
        (date(2027, 1, 1), None, 25, True, {"notice_period_months": "notice_range"}),
        (date(2027, 1, 1), None, 24, True, {}),
        (None, None, 3, True, {"start_date": "start_needed"}),
    ],
)
def test_term_problems(start, end, notice, is_new, problems):
    assert rules.term_problems(start, end, notice, today=TODAY, is_new=is_new) == problems


@pytest.mark.parametrize(
    "given,months,ends",
    [
        (date(2027, 3, 15), 3, date(2027, 6, 30)),  # the worked example: end of March + 3 months
        (date(2027, 3, 1), 3, date(2027, 6, 30)),
        (date(2027, 3, 31), 3, date(2027, 6, 30)),
        (date(2027, 4, 1), 3, date(2027, 7, 31)),
        (date(2027, 11, 10), 3, date(2028, 2, 29)),  # leap year February
        (date(2026, 11, 10), 3, date(2027, 2, 28)),
        (date(2027, 10, 31), 2, date(2027, 12, 31)),
        (date(2027, 12, 31), 1, date(2028, 1, 31)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 1, 15), 24, date(2029, 1, 31)),
        (date(2027, 5, 20), 1, date(2027, 6, 30)),
    ],
)
def test_notice_ends_at_the_end_of_the_period_counted_from_the_month_end(given, months, ends):
    assert rules.notice_end_date(given, months) == ends


@pytest.mark.parametrize(
    "end_date,notice,given,start,problem",
    [
        (date(2027, 12, 31), None, date(2027, 3, 1), date(2027, 1, 1), "fixed_term"),
        (None, 3, date(2027, 3, 1), date(2027, 1, 1), None),
        (None, 3, date(2026, 12, 31), date(2027, 1, 1), None),  # notice before the start is allowed
    ],
)
def test_notice_problem(end_date, notice, given, start, problem):
    assert rules.notice_problem(end_date, notice) == problem


@pytest.mark.parametrize(
    "months,target_end,deadline",
    [
        (3, date(2027, 6, 30), date(2027, 3, 31)),
        (1, date(2027, 3, 31), date(2027, 2, 28)),
        (6, date(2028, 8, 31), date(2028, 2, 29)),
        (12, date(2027, 12, 31), date(2026, 12, 31)),
    ],
)
def test_notice_deadline_is_the_last_day_to_end_at_a_month_end(months, target_end, deadline):
    assert rules.notice_deadline(target_end, months) == deadline
    assert rules.notice_end_date(deadline, months) == target_end


@pytest.mark.parametrize(
    "start,months,today,deadline",
    [
        # ends at the lease year's end (31.12.2027): notice by 30.9.2027
        (date(2027, 1, 1), 3, date(2027, 2, 1), date(2027, 9, 30)),
        # that deadline has passed: the next lease year
        (date(2027, 1, 1), 3, date(2027, 10, 1), date(2028, 9, 30)),
        (date(2027, 3, 15), 1, date(2027, 4, 1), date(2028, 1, 31)),
    ],
)
def test_next_notice_deadline_ends_the_lease_year(start, months, today, deadline):
    assert rules.next_notice_deadline(start, months, today) == deadline


STEPS = [
    rules.Step(date(2027, 1, 1), date(2027, 3, 31), D("0.00")),
    rules.Step(date(2027, 4, 1), date(2027, 12, 31), D("500.00")),
]


@pytest.mark.parametrize(
    "on,rent",
    [
        (date(2027, 1, 1), D("0.00")),
        (date(2027, 3, 31), D("0.00")),
        (date(2027, 4, 1), D("500.00")),
        (date(2027, 12, 31), D("500.00")),
        (date(2028, 1, 1), D("1200.00")),
        (date(2026, 12, 31), D("1200.00")),
    ],
)
def test_rent_in_force(on, rent):
    assert rules.rent_on(on, D("1200.00"), STEPS) == rent


@pytest.mark.parametrize(
    "steps,problems",
    [
        (STEPS, {}),
        ([rules.Step(date(2027, 1, 1), date(2027, 1, 31), D("0"))], {}),
        ([rules.Step(date(2026, 12, 1), date(2027, 1, 31), D("0"))], {0: "outside_term"}),
        ([rules.Step(date(2029, 12, 1), date(2030, 1, 31), D("0"))], {0: "outside_term"}),
        ([rules.Step(date(2027, 2, 1), date(2027, 1, 31), D("0"))], {0: "ends_before_starts"}),
        ([rules.Step(date(2027, 2, 1), date(2027, 2, 1), D("0"))], {}),  # one day
        ([rules.Step(date(2027, 1, 1), date(2027, 1, 31), D("-1"))], {0: "negative_rent"}),
        (
            [rules.Step(date(2027, 1, 1), date(2027, 2, 28), D("0")), rules.Step(date(2027, 2, 1), None, D("1"))],
            {1: "missing_end"},
        ),
        (
            [
                rules.Step(date(2027, 1, 1), date(2027, 2, 28), D("0")),
                rules.Step(date(2027, 2, 28), date(2027, 3, 31), D("1")),
            ],
            {1: "overlap"},
        ),
    ],
)
def test_step_problems(steps, problems):
    assert rules.step_problems(steps, date(2027, 1, 1), date(2029, 12, 31)) == problems


def test_steps_of_an_indefinite_lease_may_run_late():
    steps = [rules.Step(date(2035, 1, 1), date(2035, 12, 31), D("10"))]
    assert rules.step_problems(steps, date(2027, 1, 1), None) == {}


@pytest.mark.parametrize(
    "base_rent,base_value,index_value,revised",
    [
        (D("1000.00"), D("2000.00"), D("2100.00"), D("1050.00")),
        (D("1000.00"), D("2000.00"), D("1900.00"), D("1000.00")),  # never below the base rent
        (D("1234.56"), D("1987.00"), D("2034.00"), D("1263.76")),  # 1234.56 × 2034 / 1987 = 1263.7619…
        (D("999.99"), D("3.00"), D("4.00"), D("1333.32")),  # exactly 1333.32
        (D("0.00"), D("100"), D("150"), D("0.00")),
    ],
)
def test_revised_rent(base_rent, base_value, index_value, revised):
    assert rules.revised_rent(base_rent, base_value, index_value) == revised


def test_index_revisions_yearly_on_the_anniversary():
    values = {date(2026, 9, 1): D("2000"), date(2027, 9, 1): D("2100"), date(2028, 9, 1): D("2142")}
    revisions = rules.index_revisions(
        D("1000.00"), date(2026, 9, 1), D("2000"), date(2027, 1, 1), values, until=date(2029, 12, 31)
    )
    assert revisions == [
        rules.Revision(date(2028, 1, 1), date(2027, 9, 1), D("2100"), D("1050.00")),
        rules.Revision(date(2029, 1, 1), date(2028, 9, 1), D("2142"), D("1071.00")),
    ]


def test_index_revision_waits_for_its_index_value():
    revisions = rules.index_revisions(D("1000"), date(2026, 9, 1), D("2000"), date(2027, 1, 1), {}, date(2030, 1, 1))
    assert revisions == []


def test_rent_with_index_applies_from_the_review_date():
    revisions = [rules.Revision(date(2028, 1, 1), date(2027, 9, 1), D("2100"), D("1050.00"))]
    assert rules.indexed_rent(date(2027, 12, 31), D("1000.00"), revisions) == D("1000.00")
    assert rules.indexed_rent(date(2028, 1, 1), D("1000.00"), revisions) == D("1050.00")


@pytest.mark.parametrize(
    "a,b,overlap",
    [
        ((date(2027, 1, 1), date(2027, 12, 31)), (date(2027, 12, 31), None), True),
        ((date(2027, 1, 1), date(2027, 12, 31)), (date(2028, 1, 1), None), False),
        ((date(2027, 1, 1), None), (date(2030, 1, 1), date(2030, 1, 2)), True),
        ((date(2028, 1, 1), None), (date(2027, 1, 1), date(2027, 12, 31)), False),
        ((date(2027, 1, 1), None), (date(2026, 1, 1), None), True),
    ],
)
def test_periods_overlap(a, b, overlap):
    assert rules.periods_overlap(*a, *b) is overlap
    assert rules.periods_overlap(*b, *a) is overlap


@pytest.mark.parametrize(
    "a_spaces,a_whole,b_spaces,b_whole,share",
    [
        ({1, 2}, False, {2, 3}, False, True),
        ({1}, False, {2}, False, False),
        (set(), True, {2}, False, True),  # a whole-building lease holds every space
        ({1}, False, set(), True, True),
        (set(), True, set(), True, True),
        (set(), False, set(), False, False),
    ],
)
def test_spaces_shared(a_spaces, a_whole, b_spaces, b_whole, share):
    assert rules.spaces_shared(a_spaces, a_whole, b_spaces, b_whole) is share


E = rules


@pytest.mark.parametrize(
    "status,start,end,ends_on,terminated,today,expected",
    [
        ("draft", date(2027, 1, 1), None, None, False, date(2027, 6, 1), "draft"),
        ("offered", date(2027, 1, 1), None, None, False, date(2027, 6, 1), "offered"),
        ("signed", date(2027, 1, 1), None, None, False, date(2026, 12, 31), "signed"),
        ("signed", date(2027, 1, 1), None, None, False, date(2027, 1, 1), "active"),
        ("active", date(2027, 1, 1), date(2027, 12, 31), None, False, date(2027, 12, 31), "active"),
        ("active", date(2027, 1, 1), date(2027, 12, 31), None, False, date(2028, 1, 1), "expired"),
        ("signed", date(2027, 1, 1), date(2027, 12, 31), None, False, date(2028, 1, 1), "expired"),
        ("active", date(2027, 1, 1), None, date(2027, 6, 30), False, date(2027, 7, 1), "expired"),
        ("active", date(2027, 1, 1), None, date(2027, 6, 30), False, date(2027, 6, 30), "active"),
        ("active", date(2027, 1, 1), date(2028, 12, 31), date(2027, 6, 30), True, date(2027, 7, 1), "terminated"),
        ("expired", date(2027, 1, 1), date(2027, 12, 31), None, False, date(2027, 6, 1), "expired"),
        ("terminated", date(2027, 1, 1), None, None, True, date(2027, 6, 1), "terminated"),
    ],
)
def test_effective_status(status, start, end, ends_on, terminated, today, expected):
    assert E.effective_status(status, start, end, ends_on, terminated, today) == expected


@pytest.mark.parametrize("written", ["FI21 1234 5600 0007 85", "fi21-1234-5600-0007-85", "FI21.1234.5600.0007.85"])
def test_an_iban_is_stored_compact_however_it_was_written(written):
    assert rules.compact_iban(written) == "FI2112345600000785"
    assert rules.is_finnish_iban(written)
