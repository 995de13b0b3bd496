"""Changing a booking: moving one date, editing the series in place (ids kept, hand-edited dates left alone),
and re-activating skipped or cancelled dates when their time frees up."""

from datetime import time, timedelta
from decimal import Decimal

import pytest

from leasing.bookings import services
from leasing.bookings.rules import local_date, utc_range
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.errors import Conflict, PermissionDenied, RuleViolation
from tests.bookings import kit
from tests.bookings.kit import TUESDAY, values, weekly, when
from tests.factories import make_occurrence_row

REQUESTED, CONFIRMED, CANCELLED, SKIPPED = (
    OccurrenceStatus.REQUESTED,
    OccurrenceStatus.CONFIRMED,
    OccurrenceStatus.CANCELLED,
    OccurrenceStatus.SKIPPED,
)
WEEK = timedelta(days=7)


@pytest.fixture
def lease(association, association_admin):
    return kit.house(association)


@pytest.fixture
def space(lease):
    return lease.building.spaces[0]


@pytest.fixture
def series(app_ctx, space, group, group_member, association_admin, outbox):
    """Three weekly dates, confirmed by the association; the mails so far read."""
    booking = services.request(group_member, space, weekly(group, times=3))
    services.confirm(association_admin, booking)
    kit.deliver()
    outbox.clear()
    return booking


def _times(booking):
    return [(local_date(o.starts_at), o.local_starts, o.local_ends) for o in booking.occurrences]


# --- Move ----------------------------------------------------------------------------------------------------


def test_the_group_moves_a_date_and_it_is_requested_again(series, group_member, association_admin, outbox):
    second = series.occurrences[1]
    moved = services.move(group_member, second, TUESDAY + WEEK + timedelta(days=1), time(17), time(19))
    kit.deliver()
    assert moved is second and second.edited and second.sequence == 1 and second.status == REQUESTED
    assert (local_date(second.starts_at), second.local_starts, second.local_ends) == (
        TUESDAY + WEEK + timedelta(days=1),
        time(17),
        time(19),
    )
    assert second.price == Decimal("20.00")
    assert [m["To"] for m in outbox] == [association_admin.email]


def test_the_association_moves_a_date_and_the_group_hears(series, association_admin, group_member, group_admin, outbox):
    first = series.occurrences[0]
    services.move(association_admin, first, TUESDAY, time(19), time(22))
    kit.deliver()
    assert first.status == CONFIRMED and first.sequence == 1 and first.edited
    assert kit.recipients(outbox) == sorted([group_member.email, group_admin.email])
    assert when(TUESDAY) in kit.body(outbox[0]) and when(TUESDAY, "19:00", "22:00") in kit.body(outbox[0])


def test_a_date_cannot_be_moved_onto_another_booking(series, space, group_member):
    make_occurrence_row(space, *utc_range(TUESDAY + timedelta(days=1), time(17), time(19)))
    with pytest.raises(Conflict, match="overlaps an existing booking"):
        services.move(group_member, series.occurrences[1], TUESDAY + timedelta(days=1), time(18), time(20))
    assert series.occurrences[1].sequence == 0 and not series.occurrences[1].edited


def test_a_date_may_be_moved_over_its_own_old_time(series, group_member):
    services.move(group_member, series.occurrences[0], TUESDAY, time(19), time(21))
    assert series.occurrences[0].local_starts == time(19)


def test_a_move_keeps_to_the_rules(series, group_member):
    with pytest.raises(RuleViolation) as raised:
        services.move(group_member, series.occurrences[0], TUESDAY, time(18), time(18, 30))
    assert "ends_time" in raised.value.fields
    with pytest.raises(Conflict, match="outside the opening hours"):
        services.move(group_member, series.occurrences[0], TUESDAY, time(21), time(23))


def test_strangers_cannot_move_a_date(series):
    with pytest.raises(PermissionDenied):
        services.move(kit.other_group(), series.occurrences[0], TUESDAY, time(19), time(21))


# --- Edit the series -----------------------------------------------------------------------------------------


def test_a_new_time_updates_the_dates_in_place_and_leaves_hand_edited_ones(series, group_member, association_admin):
    ids = [o.id for o in series.occurrences]
    services.move(group_member, series.occurrences[2], TUESDAY + 2 * WEEK, time(10), time(12))
    services.edit_series(group_member, series, {"starts_time": time(17), "ends_time": time(20)})
    assert [o.id for o in series.occurrences] == ids
    assert _times(series) == [
        (TUESDAY, time(17), time(20)),
        (TUESDAY + WEEK, time(17), time(20)),
        (TUESDAY + 2 * WEEK, time(10), time(12)),  # moved by hand: left as it is
    ]
    assert [o.sequence for o in series.occurrences] == [1, 1, 1]
    assert [o.status for o in series.occurrences] == [REQUESTED] * 3  # a new time is decided again
    assert (series.starts_time, series.ends_time) == (time(17), time(20))


def test_a_new_title_keeps_the_dates_and_their_decision(series, group_member):
    services.edit_series(group_member, series, {"title": "Levynjulkkarit"})
    assert series.title == "Levynjulkkarit"
    assert [(o.status, o.sequence) for o in series.occurrences] == [(CONFIRMED, 0)] * 3


def test_a_longer_series_adds_dates_and_a_shorter_one_cancels_them(series, group_member):
    ids = [o.id for o in series.occurrences]
    services.edit_series(group_member, series, {"until_date": TUESDAY + 4 * WEEK})
    assert [o.id for o in series.occurrences][:3] == ids and len(series.occurrences) == 5
    assert [o.status for o in series.occurrences] == [CONFIRMED] * 3 + [REQUESTED] * 2
    services.edit_series(group_member, series, {"times": 2})
    assert series.until_date == TUESDAY + WEEK
    assert [o.status for o in series.occurrences] == [CONFIRMED] * 2 + [CANCELLED] * 3


def test_an_edit_into_a_taken_time_is_refused_or_skips_that_date(series, space, group_member):
    make_occurrence_row(space, *utc_range(TUESDAY + WEEK, time(16), time(18)))
    with pytest.raises(Conflict, match="overlaps an existing booking") as raised:
        services.edit_series(group_member, series, {"starts_time": time(17)})
    assert [p.day for p in raised.value.problems] == [TUESDAY + WEEK]
    assert [o.local_starts for o in series.occurrences] == [time(18)] * 3
    services.edit_series(group_member, series, {"starts_time": time(17)}, book_the_rest=True)
    assert [o.status for o in series.occurrences] == [REQUESTED, SKIPPED, REQUESTED]
    assert series.occurrences[1].reason == f"{when(TUESDAY + WEEK, '17:00')} overlaps an existing booking"


def test_only_the_group_edits_the_series(series, association_admin):
    with pytest.raises(PermissionDenied):
        services.edit_series(association_admin, series, {"title": "Muu"})


def test_an_edit_keeps_to_the_request_rules(series, group_member):
    with pytest.raises(RuleViolation) as raised:
        services.edit_series(group_member, series, {"attendees": 99, "title": ""})
    assert set(raised.value.fields) == {"attendees", "title"}


# --- Re-activate ---------------------------------------------------------------------------------------------


def test_a_skipped_date_is_booked_again_once_its_time_is_free(app_ctx, space, group, group_member, outbox):
    blocker = make_occurrence_row(space, *utc_range(TUESDAY + WEEK, time(17), time(19)))
    booking = services.request(group_member, space, weekly(group, times=3), book_the_rest=True)
    skipped = booking.occurrences[1]
    assert skipped.status == SKIPPED
    with pytest.raises(Conflict, match="overlaps an existing booking"):
        services.reactivate(group_member, skipped)
    blocker.status = CANCELLED
    services.reactivate(group_member, skipped)
    assert skipped.status == REQUESTED and skipped.reason == "" and skipped.price == Decimal("30.00")


def test_a_cancelled_date_is_booked_again(series, group_member):
    services.cancel(group_member, series.occurrences[0])
    services.reactivate(group_member, series.occurrences[0])
    assert series.occurrences[0].status == REQUESTED


def test_a_live_date_is_not_reactivated(series, group_member):
    with pytest.raises(Conflict):
        services.reactivate(group_member, series.occurrences[0])


def test_reactivating_keeps_to_the_rules(series, space, group_member):
    services.cancel(group_member, series.occurrences[1])
    kit.close(space, TUESDAY + WEEK, reason="Remontti")
    with pytest.raises(Conflict, match=r"falls on a closed date \(Remontti\)"):
        services.reactivate(group_member, series.occurrences[1])


def test_a_move_by_the_group_without_approval_stays_confirmed(app_ctx, space, group, group_member):
    kit.set_rules(space, needs_approval=False)
    booking = services.request(group_member, space, values(group))
    services.move(group_member, booking.occurrences[0], TUESDAY, time(19), time(21))
    assert booking.occurrences[0].status == CONFIRMED


def test_a_space_no_longer_bookable_takes_no_moved_date(series, space, group_member):
    space.bookable = False
    first = series.occurrences[0]
    with pytest.raises(RuleViolation, match="cannot be booked"):
        services.move(group_member, first, local_date(first.starts_at) + timedelta(days=1), time(10), time(12))
