"""The application status table and the checks on an applicant's input, as tables of cases."""

from datetime import date

import pytest

from leasing.leases import application_rules as rules

S, R, Q, A, J, W = "submitted", "under_review", "information_requested", "accepted", "rejected", "withdrawn"
ALL = (S, R, Q, A, J, W)

#: action → {status it may be taken from: the status it leads to}; every other status is refused.
TABLE = {
    "start_review": {S: R},
    "request_information": {S: Q, R: Q, Q: Q},
    "reply": {Q: R},
    "accept": {R: A},
    "reject": {S: J, R: J, Q: J, A: J},
    "withdraw": {S: W, R: W, Q: W, A: W},
}
CASES = [(action, status, TABLE[action].get(status)) for action in TABLE for status in ALL]


@pytest.mark.parametrize("action,status,expected", CASES, ids=[f"{a}-from-{s}" for a, s, _ in CASES])
def test_transition_table(action, status, expected):
    assert rules.next_status(action, status) == expected
    assert rules.allowed(action, status) is (expected is not None)


def test_the_table_covers_every_action():
    assert set(TABLE) == set(rules.TRANSITIONS)


def test_decided_applications_are_final_except_accepted_ones():
    for status in (J, W):
        assert not any(rules.allowed(action, status) for action in rules.TRANSITIONS)
    assert {a for a in rules.TRANSITIONS if rules.allowed(a, A)} == {"reject", "withdraw"}


TODAY = date(2026, 11, 28)
GOOD = {
    "whole_building": True,
    "space_ids": [],
    "proposed_use": "Bänditilat",
    "requested_start": TODAY,
    "requested_term_months": None,
    "expected_groups": 0,
    "expected_young_people": 10,
}


@pytest.mark.parametrize(
    "overrides,expected",
    [
        ({}, {}),
        ({"requested_term_months": 24}, {}),
        ({"whole_building": False, "space_ids": [1]}, {}),
        ({"whole_building": False, "space_ids": []}, {"spaces": "spaces_required"}),
        ({"whole_building": False, "space_ids": [1, 99]}, {"spaces": "spaces_elsewhere"}),
        ({"proposed_use": "   "}, {"proposed_use": "use_required"}),
        ({"requested_start": date(2026, 11, 27)}, {"requested_start": "start_in_past"}),
        ({"requested_start": None}, {"requested_start": "start_required"}),
        ({"requested_term_months": 0}, {"requested_term_months": "term_range"}),
        ({"requested_term_months": 601}, {"requested_term_months": "term_range"}),
        ({"expected_groups": -1}, {"expected_groups": "count_range"}),
        ({"expected_young_people": -5}, {"expected_young_people": "count_range"}),
        ({"expected_young_people": None}, {"expected_young_people": "count_range"}),
    ],
)
def test_application_problems(overrides, expected):
    assert rules.application_problems({**GOOD, **overrides}, TODAY, [1, 2]) == expected


@pytest.mark.parametrize(
    "status,problem",
    [
        ("vacant", None),
        ("negotiating", "building_not_vacant"),
        ("leased", "building_not_vacant"),
        ("withdrawn", "building_not_vacant"),
        ("draft", "building_not_vacant"),
    ],
)
def test_only_a_vacant_building_accepts_an_application(status, problem):
    assert rules.accept_problem(status) == problem
