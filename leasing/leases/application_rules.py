"""Pure rules of lease applications: the status table and the checks on what an applicant enters.

No Flask, no database. Statuses are their string values (``ApplicationStatus`` members compare equal).
"""

from datetime import date

#: Waiting for the facilities centre, or for the applicant's answer: one per association and building.
OPEN_STATUSES = frozenset({"submitted", "under_review", "information_requested"})
#: Nothing more happens to these; the thread is closed.
CLOSED_STATUSES = frozenset({"rejected", "withdrawn"})
#: The applicant may still add attachments.
EDITABLE_STATUSES = frozenset({"submitted", "under_review", "information_requested"})

#: action → (the statuses it is allowed from, the status it leads to)
TRANSITIONS = {
    "start_review": (frozenset({"submitted"}), "under_review"),
    "request_information": (frozenset({"submitted", "under_review", "information_requested"}), "information_requested"),
    "reply": (frozenset({"information_requested"}), "under_review"),
    "accept": (frozenset({"under_review"}), "accepted"),
    "reject": (frozenset({"submitted", "under_review", "information_requested", "accepted"}), "rejected"),
    "withdraw": (frozenset({"submitted", "under_review", "information_requested", "accepted"}), "withdrawn"),
}

MAX_TEXT = 10_000
MAX_TERM_MONTHS = 600
MAX_COUNT = 1_000_000


def allowed(action, status):
    """True when ``action`` may be taken on an application in ``status``."""
    return str(status) in TRANSITIONS[action][0]


def next_status(action, status):
    """The status after ``action`` from ``status``, or None when the move is not allowed."""
    allowed_from, target = TRANSITIONS[action]
    return target if str(status) in allowed_from else None


def application_problems(values, today, building_space_ids):
    """``{field: problem_key}`` for what is wrong in an application's ``values``.

    ``values`` holds whole_building, space_ids, proposed_use, requested_start, requested_term_months,
    expected_groups and expected_young_people; ``building_space_ids`` are the ids of the building's spaces.
    """
    problems = {}
    if not values.get("whole_building"):
        chosen = set(values.get("space_ids") or ())
        if not chosen:
            problems["spaces"] = "spaces_required"
        elif not chosen <= set(building_space_ids):
            problems["spaces"] = "spaces_elsewhere"
    if not (values.get("proposed_use") or "").strip():
        problems["proposed_use"] = "use_required"
    start = values.get("requested_start")
    if start is None:
        problems["requested_start"] = "start_required"
    elif start < today:
        problems["requested_start"] = "start_in_past"
    term = values.get("requested_term_months")
    if term is not None and not 0 < term <= MAX_TERM_MONTHS:
        problems["requested_term_months"] = "term_range"
    for key in ("expected_groups", "expected_young_people"):
        count = values.get(key)
        if count is None or not 0 <= count <= MAX_COUNT:
            problems[key] = "count_range"
    return problems


def accept_problem(building_status):
    """Why an application cannot be accepted while its building is in ``building_status``, or None.

    Only one application is accepted at a time: accepting moves the building to negotiating.
    """
    return None if str(building_status) == "vacant" else "building_not_vacant"


def today():
    """Today's date (a seam for tests that pin the date)."""
    return date.today()
