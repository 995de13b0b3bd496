"""The association's and the facilities centre's decisions, cancellations by either side, the reminder job,
and who may do what (with the mails each step sends and to whom)."""

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind
from leasing.audit import AuditEvent
from leasing.bookings import services
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from leasing.extensions import db
from tests.bookings import kit
from tests.bookings.kit import TUESDAY, values, weekly, when
from tests.factories import make_org, make_user

REQUESTED, CONFIRMED, DECLINED, CANCELLED = (
    OccurrenceStatus.REQUESTED,
    OccurrenceStatus.CONFIRMED,
    OccurrenceStatus.DECLINED,
    OccurrenceStatus.CANCELLED,
)


@pytest.fixture
def lease(association, association_admin):
    return kit.house(association)


@pytest.fixture
def space(lease):
    return lease.building.spaces[0]


@pytest.fixture
def series(app_ctx, space, group, group_member, outbox):
    """Three weekly requested dates; the request's mail already read."""
    booking = services.request(group_member, space, weekly(group, times=3))
    kit.deliver()
    outbox.clear()
    return booking


def _statuses(booking):
    return [o.status for o in booking.occurrences]


def test_the_association_confirms_the_series_and_the_requester_hears(series, association_member, group_member, outbox):
    decided = services.confirm(association_member, series)
    kit.deliver()
    assert decided == series.occurrences and _statuses(series) == [CONFIRMED] * 3
    [mail] = outbox
    assert mail["To"] == group_member.email and "confirmed" in mail["Subject"]
    assert all(when(TUESDAY + timedelta(days=7 * n)) in kit.body(mail) for n in range(3))
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "booking.confirm")) == 1


def test_chosen_dates_are_confirmed_and_the_rest_declined(series, association_admin, group_member, outbox):
    first, second, third = series.occurrences
    services.confirm(association_admin, series, [first.id, third.id])
    assert _statuses(series) == [CONFIRMED, REQUESTED, CONFIRMED]
    services.decline(association_admin, series, "Talkoot", [second.id])
    kit.deliver()
    assert _statuses(series) == [CONFIRMED, DECLINED, CONFIRMED] and second.reason == "Talkoot"
    assert [m["To"] for m in outbox] == [group_member.email] * 2
    assert "declined" in outbox[1]["Subject"] and "Talkoot" in kit.body(outbox[1])


def test_a_date_already_decided_cannot_be_decided_again(series, association_admin):
    first = series.occurrences[0]
    services.confirm(association_admin, series, [first.id])
    with pytest.raises(Conflict, match="no longer waiting"):
        services.decline(association_admin, series, "Ei käy", [first.id])
    services.confirm(association_admin, series)
    with pytest.raises(Conflict, match="No dates"):
        services.confirm(association_admin, series)


def test_an_occurrence_of_another_booking_is_not_found(series, space, association_admin):
    from tests.factories import make_occurrence_row

    other = make_occurrence_row(space, *services.rules.utc_range(TUESDAY, time(8), time(10)), status="requested")
    with pytest.raises(NotFound):
        services.confirm(association_admin, series, [other.id])


def test_declining_needs_a_reason(series, association_admin):
    with pytest.raises(RuleViolation) as raised:
        services.decline(association_admin, series, "  ")
    assert "reason" in raised.value.fields and _statuses(series) == [REQUESTED] * 3


def test_a_declined_date_frees_its_time(series, space, association_admin):
    services.decline(association_admin, series, "Päällekkäin talon tapahtuman kanssa")
    other = kit.other_group()
    booking = services.request(other, space, values(other.memberships[0].organization))
    assert booking.occurrences[0].status == REQUESTED


@pytest.mark.parametrize("who", ["group_member", "group_admin", "stranger", "other_association", "staff"])
def test_only_the_associations_members_decide(series, who, request):
    users = {
        "stranger": lambda: kit.other_group(),
        "other_association": lambda: make_user(make_org(OrgKind.ASSOCIATION)),
    }
    actor = users[who]() if who in users else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.confirm(actor, series)
    with pytest.raises(PermissionDenied):
        services.decline(actor, series, "Ei")
    assert _statuses(series) == [REQUESTED] * 3


def test_only_facilities_staff_decide_on_what_awaits_them(series, lease, association_admin, staff, outbox):
    lease.city_approval_after = time(20)
    services.confirm(association_admin, series)
    assert _statuses(series) == [OccurrenceStatus.CITY_PENDING] * 3
    with pytest.raises(PermissionDenied):
        services.city_confirm(association_admin, series)
    with pytest.raises(Conflict):
        services.confirm(association_admin, series)  # nothing waits for the association now
    services.city_decline(staff, series, "Myöhäinen ilta", [series.occurrences[0].id])
    services.city_confirm(staff, series)
    assert _statuses(series) == [DECLINED, CONFIRMED, CONFIRMED]


# --- Cancellation --------------------------------------------------------------------------------------------


def test_the_group_cancels_a_date_and_the_association_hears(series, association_admin, group_member, outbox):
    services.confirm(association_admin, series)
    kit.deliver()
    outbox.clear()
    services.cancel(group_member, series.occurrences[1], "Keikka")
    kit.deliver()
    assert _statuses(series) == [CONFIRMED, CANCELLED, CONFIRMED] and series.occurrences[1].reason == "Keikka"
    assert [m["To"] for m in outbox] == [association_admin.email]
    assert when(TUESDAY + timedelta(days=7)) in kit.body(outbox[0]) and "Keikka" in kit.body(outbox[0])


def test_the_association_cancels_a_date_and_the_group_hears(
    series, association_member, group_member, group_admin, outbox
):
    services.cancel(association_member, series.occurrences[0], "Vesivahinko")
    kit.deliver()
    assert kit.recipients(outbox) == sorted([group_member.email, group_admin.email])


def test_a_cancelled_date_frees_its_time_and_cannot_be_cancelled_twice(series, space, group_member):
    services.cancel(group_member, series.occurrences[0])
    with pytest.raises(Conflict):
        services.cancel(group_member, series.occurrences[0])
    other = kit.other_group()
    assert services.plan(other, space, values(other.memberships[0].organization)).dates[0].ok


def test_a_date_that_has_begun_cannot_be_cancelled(series, group_member):
    later = series.occurrences[0].starts_at + timedelta(minutes=1)
    with pytest.raises(Conflict):
        services.cancel(group_member, series.occurrences[0], now=later)


def test_the_rest_of_a_series_is_cancelled_from_a_date(series, association_admin, outbox):
    cancelled = services.cancel_rest(association_admin, series, TUESDAY + timedelta(days=7), "Talo suljetaan")
    kit.deliver()
    assert cancelled == series.occurrences[1:] and _statuses(series) == [REQUESTED, CANCELLED, CANCELLED]
    assert series.until_date == TUESDAY + timedelta(days=6)
    assert len(outbox) == 1  # the requester, once, for both dates
    with pytest.raises(Conflict):
        services.cancel_rest(association_admin, series, TUESDAY + timedelta(days=7))


def test_strangers_cannot_cancel(series):
    with pytest.raises(PermissionDenied):
        services.cancel(kit.other_group(), series.occurrences[0])
    with pytest.raises(PermissionDenied):
        services.cancel_rest(kit.other_group(), series, TUESDAY)


# --- Reminders -----------------------------------------------------------------------------------------------


def test_a_request_waiting_over_two_days_is_reminded_once(series, association_admin, outbox):
    now = series.created_at + timedelta(days=2, minutes=1)
    assert services.remind(now=series.created_at + timedelta(days=1)) == 0
    assert services.remind(now=now) == 1
    kit.deliver()
    assert [m["To"] for m in outbox] == [association_admin.email] and "Waiting" in outbox[0]["Subject"]
    assert series.reminded_at == now
    assert services.remind(now=now + timedelta(days=3)) == 0


def test_a_decided_request_is_not_reminded(series, association_admin):
    services.confirm(association_admin, series)
    assert services.remind(now=datetime.now(UTC) + timedelta(days=3)) == 0


def test_the_remind_command(series, runner, association_admin, outbox):
    series.created_at -= timedelta(days=3)
    db.session.flush()
    result = runner.invoke(args=["bookings", "remind"])
    assert result.exit_code == 0 and "Reminders sent: 1" in result.output
    assert [m["To"] for m in outbox] == [association_admin.email]
    assert "Reminders sent: 0" in runner.invoke(args=["bookings", "remind"]).output
