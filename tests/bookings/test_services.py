"""Planning and requesting bookings: the whole request's rules, each date's problems named, skipped dates,
statuses, prices, the facilities centre's say, mails and authorization."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind
from leasing.audit import AuditEvent
from leasing.bookings import planning, services
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.errors import Conflict, LoginRequired, RuleViolation
from leasing.extensions import db
from leasing.sublets.vocabulary import SubletKind, SubletStatus
from tests.bookings import kit
from tests.bookings.kit import TUESDAY, values, weekly, when
from tests.factories import make_org, make_user


@pytest.fixture
def lease(association, association_admin):
    return kit.house(association)


@pytest.fixture
def space(lease):
    return lease.building.spaces[0]


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Occurrence))


# --- Request -------------------------------------------------------------------------------------------------


def test_a_request_waits_for_the_association_and_mails_its_admins(app_ctx, space, group, group_member, outbox):
    booking = services.request(group_member, space, values(group))
    kit.deliver()
    assert booking.group == group and booking.requested_by == group_member and booking.lease.building == space.building
    [occurrence] = booking.occurrences
    assert occurrence.status == OccurrenceStatus.REQUESTED
    assert (occurrence.space_id, occurrence.building_id) == (space.id, space.building_id)
    assert occurrence.starts_at.astimezone(UTC) == planning.rules.to_utc(TUESDAY, time(18))
    assert booking.hourly_rate == Decimal("10.00") and occurrence.price == Decimal("30.00")
    assert [m["To"] for m in outbox] == [booking.lease.tenant.memberships[0].user.email]
    assert "Bändiharjoitus" in outbox[0]["Subject"] and when(TUESDAY) in kit.body(outbox[0])
    assert f"/bookings/{booking.id}" in kit.body(outbox[0])  # the link to the booking's page
    event = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "booking.request")).scalar_one()
    assert event.object_id == booking.id and event.actor_id == group_member.id


def test_without_approval_a_request_is_confirmed_at_once(app_ctx, space, group, group_member):
    kit.set_rules(space, needs_approval=False)
    booking = services.request(group_member, space, weekly(group, times=3))
    assert [o.status for o in booking.occurrences] == [OccurrenceStatus.CONFIRMED] * 3
    assert booking.until_date == TUESDAY + timedelta(days=14)


def test_the_association_books_for_itself_without_deciding_on_it(app_ctx, space, association, association_member):
    kit.set_rules(space, member_rate=Decimal("4.00"))
    booking = services.request(association_member, space, values(association))
    assert booking.occurrences[0].status == OccurrenceStatus.CONFIRMED
    assert booking.hourly_rate == Decimal("4.00") and booking.price == Decimal("12.00")


def test_a_group_with_a_sublet_in_the_building_pays_the_member_rate(app_ctx, lease, space, group, group_member):
    kit.set_rules(space, member_rate=Decimal("4.50"))
    kit.make_sublet(lease, group, lease.building.spaces[1])  # another room of the house
    booking = services.request(group_member, space, values(group, ends_time=time(19, 30)))
    assert booking.hourly_rate == Decimal("4.50") and booking.occurrences[0].price == Decimal("6.75")


def test_inside_the_groups_own_weekly_slot_it_is_free_and_confirmed(app_ctx, lease, space, group, group_member):
    kit.set_rules(space, member_rate=Decimal("4.00"))
    slot = kit.make_sublet(lease, group, space, kind=SubletKind.SLOT)
    booking = services.request(group_member, space, weekly(group, times=2, starts_time=time(18, 30)))
    assert booking.sublet == slot and booking.hourly_rate == Decimal("0.00") and booking.price == Decimal("0.00")
    assert [o.status for o in booking.occurrences] == [OccurrenceStatus.CONFIRMED] * 2


def test_partly_outside_its_slot_a_booking_is_an_ordinary_request(app_ctx, lease, space, group, group_member):
    kit.make_sublet(lease, group, space, kind=SubletKind.SLOT)
    booking = services.request(group_member, space, values(group, ends_time=time(21, 30)))
    assert booking.sublet is None and booking.occurrences[0].status == OccurrenceStatus.REQUESTED


def test_a_public_event_over_the_citys_limit_awaits_the_facilities_centre_too(
    app_ctx, space, group, group_member, staff, outbox
):
    services.queries.covering_leases(space, date.today())[0].city_approval_people = 10
    kit.set_rules(space, needs_approval=False)
    booking = services.request(group_member, space, values(group, attendees=11, public_event=True))
    kit.deliver()
    assert booking.needs_city_approval and booking.occurrences[0].status == OccurrenceStatus.CITY_PENDING
    assert kit.recipients(outbox) == [staff.email]


def test_a_late_booking_needs_the_city_after_the_associations_confirmation(
    app_ctx, space, group, group_member, association_admin, staff, outbox
):
    services.queries.covering_leases(space, date.today())[0].city_approval_after = time(21)
    booking = services.request(group_member, space, values(group, starts_time=time(19), ends_time=time(22)))
    assert booking.occurrences[0].status == OccurrenceStatus.REQUESTED
    services.confirm(association_admin, booking)
    kit.deliver()
    assert booking.occurrences[0].status == OccurrenceStatus.CITY_PENDING
    assert kit.recipients(outbox) == sorted([association_admin.email, staff.email])  # request, then the city
    outbox.clear()
    services.city_confirm(staff, booking)
    kit.deliver()
    assert booking.occurrences[0].status == OccurrenceStatus.CONFIRMED
    assert kit.recipients(outbox) == sorted([group_member.email, association_admin.email])


# --- Whole-request problems --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"title": "  "}, "title"),
        ({"attendees": 0}, "attendees"),
        ({"attendees": 13}, "attendees"),  # the room holds 12
        ({"ends_time": time(18, 30)}, "ends_time"),  # shorter than the 60-minute minimum
        ({"ends_time": time(22, 30), "starts_time": time(18)}, "ends_time"),  # longer than 240 minutes
        ({"ends_time": time(17)}, "ends_time"),
        ({"starts_time": None}, "starts_time"),
        ({"first_date": date.today() - timedelta(days=1)}, "first_date"),
        ({"first_date": date.today() + timedelta(days=181)}, "first_date"),  # 180 days ahead by default
        ({"repeat": "daily"}, "repeat"),
        ({"repeat": "weekly"}, "until_date"),
        ({"repeat": "weekly", "until_date": TUESDAY - timedelta(days=7)}, "until_date"),
        ({"repeat": "weekly", "until_date": date.today() + timedelta(days=200)}, "until_date"),
        ({"repeat": "weekly", "times": 40}, "times"),  # 40 weeks is beyond 180 days
        ({"repeat": "weekly", "times": 0}, "times"),
        ({"repeat": "weekly", "times": 2, "until_date": TUESDAY + timedelta(days=7)}, "times"),
    ],
)
def test_whole_request_problems_name_their_field(app_ctx, space, group, group_member, overrides, field):
    with pytest.raises(RuleViolation) as raised:
        services.request(group_member, space, values(group, **overrides))
    assert field in raised.value.fields
    assert _count() == 0


def test_every_whole_request_problem_is_reported_at_once(app_ctx, space, group, group_member):
    with pytest.raises(RuleViolation) as raised:
        services.plan(group_member, space, values(group, title="", attendees=0, ends_time=time(17)))
    assert set(raised.value.fields) == {"title", "attendees", "ends_time"}


def test_the_requester_must_belong_to_the_booking_organization(app_ctx, space, group):
    stranger = kit.other_group()
    with pytest.raises(RuleViolation) as raised:
        services.request(stranger, space, values(group))
    assert "group_id" in raised.value.fields


def test_another_association_does_not_book_the_house(app_ctx, space):
    outsider = make_org(OrgKind.ASSOCIATION)
    with pytest.raises(RuleViolation) as raised:
        services.request(make_user(outsider), space, values(outsider))
    assert "group_id" in raised.value.fields


def test_anonymous_users_are_sent_to_log_in(app_ctx, space, group):
    from leasing.accounts.models import Anonymous

    with pytest.raises(LoginRequired):
        services.request(Anonymous(), space, values(group))


def test_a_space_that_is_not_bookable_or_not_leased_cannot_be_booked(app_ctx, space, group, group_member):
    space.bookable = False
    with pytest.raises(RuleViolation, match="cannot be booked"):
        services.request(group_member, space, values(group))
    from tests.factories import make_building, make_space

    unleased = make_space(make_building(), bookable=True)
    with pytest.raises(RuleViolation, match="not under a lease"):
        services.request(group_member, unleased, values(group))


# --- Each date's problems ------------------------------------------------------------------------------------


def _plan_messages(actor, space, data):
    return [(d.day, d.messages) for d in services.plan(actor, space, data).dates]


def test_plan_names_each_problem_date(app_ctx, lease, space, group, group_member):
    second, third = TUESDAY + timedelta(days=7), TUESDAY + timedelta(days=14)
    from tests.factories import make_occurrence_row

    make_occurrence_row(space, planning.rules.to_utc(TUESDAY, time(20)), planning.rules.to_utc(TUESDAY, time(22)))
    kit.close(space, second, reason="Juhannus")
    count = _count()
    assert _plan_messages(group_member, space, weekly(group, times=3)) == [
        (TUESDAY, [f"{when(TUESDAY)} overlaps an existing booking"]),
        (second, [f"{when(second)} falls on a closed date (Juhannus)"]),
        (third, []),
    ]
    assert _count() == count  # nothing saved


def test_back_to_back_bookings_do_not_overlap(app_ctx, space, group, group_member):
    from tests.factories import make_occurrence_row

    make_occurrence_row(space, planning.rules.to_utc(TUESDAY, time(16)), planning.rules.to_utc(TUESDAY, time(18)))
    make_occurrence_row(space, planning.rules.to_utc(TUESDAY, time(21)), planning.rules.to_utc(TUESDAY, time(22)))
    assert services.plan(group_member, space, values(group)).dates[0].ok


def test_declined_and_cancelled_dates_do_not_hold_their_time(app_ctx, space, group, group_member):
    from tests.factories import make_occurrence_row

    for status in ("declined", "cancelled", "skipped"):
        make_occurrence_row(space, *planning.rules.utc_range(TUESDAY, time(18), time(21)), status=status)
    assert services.plan(group_member, space, values(group)).dates[0].ok


def test_opening_hours_lease_period_and_exclusive_sublets(app_ctx, lease, space, group, group_member):
    space.opening_hours[1].closes = time(20)  # Tuesdays close at 20
    lease.end_date = TUESDAY + timedelta(days=10)
    kit.make_sublet(lease, make_org(OrgKind.CULTURAL_GROUP), space, starts_on=TUESDAY + timedelta(days=14))
    second, third = TUESDAY + timedelta(days=7), TUESDAY + timedelta(days=14)
    assert _plan_messages(group_member, space, weekly(group, times=3, ends_time=time(19))) == [
        (TUESDAY, []),
        (second, []),
        (
            third,
            [
                f"{when(third, ends='19:00')} is outside the lease period",
                f"{when(third, ends='19:00')} is in another group's exclusive sublet",
            ],
        ),
    ]
    assert _plan_messages(group_member, space, values(group))[0][1] == [f"{when(TUESDAY)} is outside the opening hours"]


def test_the_groups_own_exclusive_sublet_is_no_obstacle(app_ctx, lease, space, group, group_member):
    kit.make_sublet(lease, group, space)
    assert services.plan(group_member, space, values(group)).dates[0].ok


def test_another_groups_weekly_slot_is_taken(app_ctx, lease, space, group, group_member):
    kit.make_sublet(lease, make_org(OrgKind.CULTURAL_GROUP), space, kind=SubletKind.SLOT)
    assert _plan_messages(group_member, space, values(group, starts_time=time(20), ends_time=time(22))) == [
        (TUESDAY, [f"{when(TUESDAY, '20:00', '22:00')} is in another group's weekly slot"])
    ]


def test_a_draft_sublet_holds_nothing_yet(app_ctx, lease, space, group, group_member):
    kit.make_sublet(lease, make_org(OrgKind.CULTURAL_GROUP), space, status=SubletStatus.DRAFT)
    assert services.plan(group_member, space, values(group)).dates[0].ok


def test_the_safety_limit_counts_people_across_rooms_at_the_peak(app_ctx, lease, space, group, group_member):
    from tests.factories import make_occurrence_row

    lease.building.safety_limit = 20
    other = lease.building.spaces[1]
    early = make_occurrence_row(other, *planning.rules.utc_range(TUESDAY, time(17), time(19)))  # 5 people
    late = make_occurrence_row(other, *planning.rules.utc_range(TUESDAY, time(20), time(22)))  # 5 people, apart
    early.booking.attendees, late.booking.attendees = 8, 8
    assert services.plan(group_member, space, values(group, attendees=12)).dates[0].ok  # peak 8 + 12 = 20
    planned = services.plan(group_member, space, values(group, attendees=12, starts_time=time(18)))
    assert planned.dates[0].ok
    early.booking.attendees = 9
    db.session.flush()
    assert _plan_messages(group_member, space, values(group, attendees=12)) == [
        (TUESDAY, [f"{when(TUESDAY)} would exceed the building's safety limit of 20 people"])
    ]


def test_a_conflict_lists_the_dates_and_writes_nothing(app_ctx, space, group, group_member):
    kit.close(space, TUESDAY + timedelta(days=7), reason="Remontti")
    with pytest.raises(Conflict) as raised:
        services.request(group_member, space, weekly(group, times=3))
    assert when(TUESDAY + timedelta(days=7)) + " falls on a closed date (Remontti)" in raised.value.message
    assert [d.day for d in raised.value.problems] == [TUESDAY + timedelta(days=7)]
    assert _count() == 0


def test_book_the_rest_keeps_problem_dates_as_skipped_with_their_reason(app_ctx, space, group, group_member, outbox):
    second = TUESDAY + timedelta(days=7)
    kit.close(space, second, reason="Remontti")
    booking = services.request(group_member, space, weekly(group, times=3), book_the_rest=True)
    kit.deliver()
    statuses = [(o.status, o.reason) for o in booking.occurrences]
    assert statuses == [
        (OccurrenceStatus.REQUESTED, ""),
        (OccurrenceStatus.SKIPPED, f"{when(second)} falls on a closed date (Remontti)"),
        (OccurrenceStatus.REQUESTED, ""),
    ]
    assert booking.price == Decimal("60.00")
    [mail] = outbox
    body = kit.body(mail)
    assert when(TUESDAY) in body and when(TUESDAY + timedelta(days=14)) in body and when(second) not in body


def test_no_bookable_date_is_a_conflict_even_when_booking_the_rest(app_ctx, space, group, group_member):
    kit.close(space, TUESDAY)
    with pytest.raises(Conflict, match="None of the dates"):
        services.request(group_member, space, values(group), book_the_rest=True)
    assert _count() == 0


def test_messages_follow_the_request_locale(app, space, group, group_member):
    kit.close(space, TUESDAY, reason="Juhannus")
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        planned = services.plan(group_member, space, values(group))
    weekday = ["ma", "ti", "ke", "to", "pe", "la", "su"][TUESDAY.weekday()]
    assert (
        planned.dates[0].messages[0].startswith(f"{weekday} {TUESDAY.day}.{TUESDAY.month}.{TUESDAY.year} 18.00–21.00")
    )


# --- Across daylight saving ----------------------------------------------------------------------------------


def test_a_weekly_booking_keeps_its_local_time_across_both_changes(app_ctx, association):
    today = date(2027, 3, 1)
    lease = kit.house(association, start_date=date(2026, 1, 1), end_date=date(2029, 12, 31))
    space = lease.building.spaces[0]
    kit.set_rules(space, needs_approval=False, book_ahead_days=366)
    group = make_org(OrgKind.CULTURAL_GROUP)
    member = make_user(group)
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    data = values(group, repeat="weekly", first_date=date(2027, 3, 23), until_date=date(2027, 11, 2))
    booking = services.request(member, space, data, today=today, now=now)
    starts = {o.starts_at.date(): o.starts_at.astimezone(UTC).time() for o in booking.occurrences}
    assert starts[date(2027, 3, 23)] == time(16) and starts[date(2027, 3, 30)] == time(15)
    assert starts[date(2027, 10, 26)] == time(15) and starts[date(2027, 11, 2)] == time(16)
    assert {(o.local_starts, o.local_ends) for o in booking.occurrences} == {(time(18), time(21))}


def test_a_time_the_clocks_skip_is_a_problem_of_that_date(app_ctx, association):
    lease = kit.house(association, start_date=date(2026, 1, 1), end_date=date(2029, 12, 31))
    space = lease.building.spaces[0]
    space.opening_hours[6].opens = time(0)  # Sundays from midnight
    group = make_org(OrgKind.CULTURAL_GROUP)
    member = make_user(group)
    data = values(group, first_date=date(2027, 3, 28), starts_time=time(3), ends_time=time(5))
    planned = services.plan(member, space, data, today=date(2027, 3, 1), now=datetime(2027, 3, 1, tzinfo=UTC))
    assert planned.dates[0].codes == ["nonexistent"]
    data = values(group, first_date=date(2027, 10, 31), starts_time=time(2), ends_time=time(3, 30))
    planned = services.plan(member, space, data, today=date(2027, 10, 1), now=datetime(2027, 10, 1, tzinfo=UTC))
    assert planned.dates[0].codes == ["ambiguous"]


# --- The database's guard ------------------------------------------------------------------------------------


def test_a_request_that_raced_past_the_check_gets_a_conflict(app_ctx, space, group, group_member, monkeypatch):
    from tests.factories import make_occurrence_row

    make_occurrence_row(space, *planning.rules.utc_range(TUESDAY, time(18), time(21)))
    monkeypatch.setattr(planning, "_occupancy_problems", lambda *args: [])  # the check did not see it yet
    with pytest.raises(Conflict, match="just booked by someone else") as raised:
        services.request(group_member, space, values(group))
    assert when(TUESDAY) in raised.value.message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(Booking.group_id == group.id)) == 0


def test_renaming_a_series_in_the_groups_own_slot_keeps_it_free(app_ctx, lease, space, group, group_member):
    kit.set_rules(space, member_rate=Decimal("4.00"))
    kit.make_sublet(lease, group, space, kind=SubletKind.SLOT)
    booking = services.request(group_member, space, weekly(group, times=2, starts_time=time(18, 30)))
    services.edit_series(group_member, booking, {"title": "Uusi nimi"})
    assert booking.title == "Uusi nimi" and booking.price == Decimal("0.00")
    assert [o.status for o in booking.occurrences] == [OccurrenceStatus.CONFIRMED] * 2
