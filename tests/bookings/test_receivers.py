"""When a lease or a sublet ends early, the live dates after its last day are flagged and the groups told;
nothing is cancelled or deleted."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from leasing.audit import AuditEvent
from leasing.bookings import receivers, services
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.extensions import db
from leasing.leases import lifecycle
from leasing.leases.signals import lease_ending
from leasing.sublets.signals import sublet_binding, sublet_ending
from leasing.sublets.vocabulary import SubletKind, SubletStatus
from tests.bookings import kit
from tests.bookings.kit import TUESDAY, weekly

WEEK = timedelta(days=7)


@pytest.fixture
def lease(association, association_admin):
    return kit.house(association)


@pytest.fixture
def space(lease):
    return lease.building.spaces[0]


def test_the_receivers_are_connected_when_the_app_is_built(app):
    assert id(receivers.on_lease_ending) in lease_ending.receivers
    assert id(receivers.on_sublet_ending) in sublet_ending.receivers


def test_terminating_the_lease_flags_the_dates_after_its_last_day(
    app_ctx, lease, space, group, group_member, group_admin, staff, outbox
):
    booking = services.request(group_member, space, weekly(group, times=3))
    kit.deliver()
    outbox.clear()
    last_day = TUESDAY + WEEK
    lifecycle.terminate(staff, lease, last_day, "Vesivahinko")
    kit.deliver()
    first, second, third = booking.occurrences
    assert (first.flagged_at, second.flagged_at) == (None, None)
    assert third.flagged_at is not None and third.status == OccurrenceStatus.REQUESTED  # flagged, not cancelled
    assert third.flag_reason == f"The lease of {lease.building.name} ends on {last_day:%d/%m/%Y}."
    flagged = [m for m in outbox if "affected" in m["Subject"]]
    assert sorted(m["To"] for m in flagged) == sorted([group_member.email, group_admin.email])
    assert kit.when(TUESDAY + 2 * WEEK) in kit.body(flagged[0])
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "booking.flag")) == 1


def test_flagging_twice_flags_and_mails_once(app_ctx, lease, space, group, group_member, outbox):
    booking = services.request(group_member, space, weekly(group, times=2))
    lease_ending.send(lease, lease=lease, last_day=TUESDAY, actor=None)
    lease_ending.send(lease, lease=lease, last_day=TUESDAY, actor=None)
    kit.deliver()
    assert [o.flagged_at is not None for o in booking.occurrences] == [False, True]
    assert len([m for m in outbox if "affected" in m["Subject"]]) == 1


def test_cancelled_and_past_dates_are_not_flagged(app_ctx, lease, space, group, group_member, outbox):
    booking = services.request(group_member, space, weekly(group, times=2))
    services.cancel(group_member, booking.occurrences[1])
    kit.deliver()
    outbox.clear()
    flagged = receivers.on_lease_ending(None, lease=lease, last_day=date.today() - timedelta(days=1))
    assert flagged == [booking.occurrences[0]] and booking.occurrences[1].flagged_at is None


def test_a_sublet_ending_flags_the_dates_booked_in_its_slot(app_ctx, lease, space, group, group_member, outbox):
    slot = kit.make_sublet(lease, group, space, kind=SubletKind.SLOT)
    in_slot = services.request(group_member, space, weekly(group, times=3))
    elsewhere = services.request(group_member, lease.building.spaces[1], weekly(group, times=3))
    assert in_slot.sublet == slot and elsewhere.sublet is None
    sublet_ending.send(slot, sublet=slot, last_day=TUESDAY, actor=None)
    kit.deliver()
    assert [o.flagged_at is not None for o in in_slot.occurrences] == [False, True, True]
    assert [o.flagged_at for o in elsewhere.occurrences] == [None] * 3
    assert in_slot.occurrences[1].flag_reason == f"The sublet {slot.number} ends on {TUESDAY:%d/%m/%Y}."
    assert [m["To"] for m in outbox if "affected" in m["Subject"]] == [group_member.email]


def test_a_sublet_coming_into_force_flags_other_groups_dates_inside_it(
    app_ctx, lease, space, group, group_member, outbox
):
    """Dates booked before an exclusive sublet or a weekly slot was signed are flagged, not cancelled."""
    band_member = kit.other_group()
    band = band_member.memberships[0].organization
    tuesdays = services.request(group_member, space, weekly(group, times=2))
    thursday = services.request(
        group_member, space, kit.values(group, first_date=TUESDAY + timedelta(days=2), repeat="once")
    )
    slot = kit.make_sublet(lease, band, space, kind=SubletKind.SLOT, status=SubletStatus.DRAFT)
    kit.deliver()
    outbox.clear()
    flagged = receivers.on_sublet_binding(None, sublet=slot, actor=None)
    kit.deliver()
    assert flagged == tuesdays.occurrences
    assert all(o.status == OccurrenceStatus.REQUESTED for o in tuesdays.occurrences)
    assert thursday.occurrences[0].flagged_at is None
    assert f"weekly slot (sublet {slot.number})" in tuesdays.occurrences[0].flag_reason
    assert [m["To"] for m in outbox if "affected" in m["Subject"]] == [group_member.email]
    assert band_member.email not in [m["To"] for m in outbox]

    exclusive = kit.make_sublet(lease, band, lease.building.spaces[1], status=SubletStatus.DRAFT)
    other_room = services.request(group_member, lease.building.spaces[1], weekly(group, times=1))
    assert receivers.on_sublet_binding(None, sublet=exclusive, actor=None) == other_room.occurrences
    assert "exclusive use" in other_room.occurrences[0].flag_reason


def test_the_binding_receiver_is_connected(app):
    assert id(receivers.on_sublet_binding) in sublet_binding.receivers


def test_the_landlords_approval_of_a_sublet_flags_the_dates_inside_it(
    app_ctx, lease, space, group, group_member, staff, outbox
):
    from leasing.sublets import signing as sublet_signing

    booking = services.request(group_member, space, weekly(group, times=1))
    band = kit.other_group().memberships[0].organization
    sublet = kit.make_sublet(lease, band, space, status=SubletStatus.AWAITING_APPROVAL)
    sublet_signing.approve(staff, sublet)
    assert booking.occurrences[0].flagged_at is not None
