"""The week grid of the request form, the deciders' inbox and the navigation counts: their content, what they
leave out, and a fixed number of queries."""

from datetime import time, timedelta

import pytest

from leasing.accounts.models import OrgKind
from leasing.bookings import services
from leasing.bookings.rules import utc_range
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.extensions import db
from leasing.sublets.vocabulary import SubletKind
from tests.bookings import kit
from tests.bookings.kit import TUESDAY, values, weekly
from tests.conftest import count_queries
from tests.factories import make_occurrence_row, make_org, make_user

MONDAY = TUESDAY - timedelta(days=1)


@pytest.fixture
def lease(association, association_admin):
    return kit.house(association)


@pytest.fixture
def space(lease):
    return lease.building.spaces[0]


def test_the_week_shows_hours_and_busy_blocks_without_names(app_ctx, lease, space, group, group_member):
    space.opening_hours[2].opens, space.opening_hours[2].closes = time(12), time(20)
    services.request(group_member, space, values(group, public_event=True, title="Avoimet ovet"))
    private = make_occurrence_row(space, *utc_range(TUESDAY, time(8), time(10)))
    kit.close(space, TUESDAY + timedelta(days=2), reason="Juhannus")
    other = make_org(OrgKind.CULTURAL_GROUP)
    kit.make_sublet(lease, other, space, starts_on=TUESDAY + timedelta(days=4), ends_on=TUESDAY + timedelta(days=30))
    kit.make_sublet(lease, other, space, kind=SubletKind.SLOT, weekday=0, slot_starts=time(9), slot_ends=time(11))
    kit.make_sublet(lease, group, space, kind=SubletKind.SLOT, weekday=3, slot_starts=time(9), slot_ends=time(11))
    group_id, names = group.id, (group.name, private.booking.group.name)
    db.session.expire_all()
    space = db.session.get(type(space), space.id)  # with its opening hours, as a view has it
    with count_queries() as queries:
        grid = services.week(space, MONDAY, for_group_id=group_id)
    assert queries.count == 3
    days = grid["days"]
    assert [d["date"] for d in days] == [MONDAY + timedelta(days=n) for n in range(7)]
    assert (days[2]["opens"], days[2]["closes"]) == (time(12), time(20))
    assert days[0]["busy"] == [_block("slot", time(9), time(11))]
    assert days[1]["busy"] == [
        _block("booking", time(8), time(10)),
        # A public event's title shows once it is confirmed; a pending request's text is nobody's yet.
        _block("booking", time(18), time(21), title="", pending=True),
    ]
    assert days[3]["busy"] == [_block("closed", title="Juhannus")]
    assert days[4]["busy"] == []  # the group's own slot is not busy for it
    assert days[5]["busy"] == [_block("sublet")]
    assert not any(name in repr(grid) for name in names + ("Avoimet ovet",))


def _block(kind, starts=None, ends=None, title="", pending=False):
    return {
        "kind": kind,
        "starts": starts,
        "ends": ends,
        "whole_day": starts is None,
        "pending": pending,
        "title": title,
    }


def test_a_closed_weekday_has_no_hours(app_ctx, space):
    space.opening_hours = [h for h in space.opening_hours if h.weekday != 6]
    db.session.flush()
    grid = services.week(space, MONDAY)
    assert (grid["days"][6]["opens"], grid["days"][6]["closes"]) == (None, None)


def _requests(space, n):
    """``n`` requests of different groups, on different Tuesdays (one a series of two)."""
    bookings = []
    for i in range(n):
        member = make_user(make_org(OrgKind.CULTURAL_GROUP))
        group = member.memberships[0].organization
        data = weekly(group, times=2) if i == 0 else values(group, first_date=TUESDAY + timedelta(days=7 * (i + 1)))
        bookings.append(services.request(member, space, data))
    return bookings


def test_the_inbox_lists_what_waits_for_each_reader_in_two_queries(app_ctx, lease, space, association_member, staff):
    bookings = _requests(space, 4)
    lease.city_approval_after = time(20)
    services.confirm(association_member, bookings[3])  # now with the facilities centre
    db.session.expire_all()
    member = db.session.get(type(association_member), association_member.id)
    with count_queries() as queries:
        items = services.inbox(member)
        [
            (i.booking.title, i.booking.space.building.name, i.booking.group.name, i.booking.requested_by.name)
            for i in items
        ]
        [i.booking.lease.tenant.name for i in items]
        [len(i.occurrences) for i in items]
    assert queries.count == 2
    assert [(i.booking.id, i.kind, len(i.occurrences)) for i in items] == [
        (bookings[0].id, "association", 2),
        (bookings[1].id, "association", 1),
        (bookings[2].id, "association", 1),
    ]
    staff_user = db.session.get(type(staff), staff.id)
    with count_queries() as queries:
        items = services.inbox(staff_user)
    assert queries.count == 2 and [(i.booking.id, i.kind) for i in items] == [(bookings[3].id, "city")]


def test_pending_counts_in_one_query(app_ctx, lease, space, association_member, staff, group_member):
    bookings = _requests(space, 3)
    lease.city_approval_after = time(20)
    services.confirm(association_member, bookings[2])
    with count_queries() as queries:
        counts = services.pending_counts(association_member)
    assert queries.count == 1 and counts == {"association": 2, "city": 0}
    assert services.pending_counts(staff) == {"association": 0, "city": 1}
    with count_queries() as queries:
        assert services.pending_counts(group_member) == {"association": 0, "city": 0}
    assert queries.count == 0


def test_another_associations_requests_are_not_in_the_inbox(app_ctx, space):
    _requests(space, 2)
    outsider = make_user(make_org(OrgKind.ASSOCIATION))
    assert services.inbox(outsider) == [] and services.pending_counts(outsider) == {"association": 0, "city": 0}


def test_decided_and_past_requests_leave_the_inbox(app_ctx, space, association_member):
    [booking] = _requests(space, 1)
    services.decline(association_member, booking, "Ei", [booking.occurrences[0].id])
    assert [len(i.occurrences) for i in services.inbox(association_member)] == [1]
    booking.occurrences[1].status = OccurrenceStatus.CANCELLED
    assert services.inbox(association_member) == []
