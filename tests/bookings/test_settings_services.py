"""Booking settings services: who may, each rule with its field, nothing half-written, audit rows."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.audit import AuditEvent
from leasing.bookings import settings
from leasing.bookings.models import BookingRules, ClosedDate
from leasing.errors import Conflict, PermissionDenied, RuleViolation
from leasing.extensions import db
from leasing.leases.vocabulary import LeaseStatus
from leasing.premises.models import OpeningHours
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import SubletKind, SubletStatus
from tests.factories import make_building, make_house, make_lease, make_org, make_space, make_user


@pytest.fixture
def house(association, app_ctx):
    """An active lease of a building with two bookable spaces, held by ``association``."""
    return make_house(tenant=association, spaces=2)


@pytest.fixture
def space(house):
    return house.building.spaces[0]


def valid_values(**overrides):
    """Every setting, valid: open Monday–Friday 8–22 and Saturday 10–16."""
    values = {
        "bookable": True,
        "hourly_rate": Decimal("12.50"),
        "member_rate": Decimal("5.00"),
        "min_minutes": 30,
        "max_minutes": 180,
        "book_ahead_days": 90,
        "needs_approval": False,
        "house_rules": "  Siivoa jälkesi.  ",
        "opening_hours": {**{d: (time(8), time(22)) for d in range(5)}, 5: (time(10), time(16)), 6: None},
    }
    values.update(overrides)
    return values


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def events(action):
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_admin_saves_settings_and_the_first_save_creates_the_rules_row(association_admin, space):
    assert not settings.rules_for(space).is_saved
    rules = settings.update_space_settings(association_admin, space, valid_values())
    db.session.expire_all()
    saved = db.session.get(BookingRules, space.id)
    assert saved is rules and saved.is_saved
    assert (saved.min_minutes, saved.max_minutes, saved.book_ahead_days) == (30, 180, 90)
    assert saved.member_rate == Decimal("5.00") and saved.needs_approval is False
    assert saved.house_rules == "Siivoa jälkesi."
    assert space.hourly_rate == Decimal("12.50") and space.bookable
    hours = {h.weekday: (h.opens, h.closes) for h in space.opening_hours}
    assert hours == {**{d: (time(8), time(22)) for d in range(5)}, 5: (time(10), time(16))}


def test_settings_are_audited_with_a_diff(association_admin, space):
    settings.update_space_settings(association_admin, space, valid_values())
    [event] = events("space.booking_settings")
    assert (event.object_type, event.object_id, event.actor_id) == ("Space", space.id, association_admin.id)
    assert event.changes["hourly_rate"] == ["10.00", "12.50"]
    assert event.changes["min_minutes"] == ["60", "30"]
    assert event.changes["needs_approval"] == ["True", "False"]
    before, after = event.changes["opening_hours"]
    assert "6: 08:00-22:00" in before
    assert after.endswith("4: 08:00-22:00; 5: 10:00-16:00")
    assert "bookable" not in event.changes  # unchanged fields are left out


def test_saving_the_same_settings_again_records_nothing(association_admin, space):
    settings.update_space_settings(association_admin, space, valid_values())
    settings.update_space_settings(association_admin, space, valid_values())
    assert len(events("space.booking_settings")) == 1


def test_changing_one_day_keeps_the_other_rows(association_admin, space):
    hours = {d: (time(8), time(22)) for d in range(7)}
    settings.update_space_settings(association_admin, space, {"opening_hours": {**hours, 2: (time(12), time(20))}})
    db.session.expire_all()
    rows = db.session.scalars(sa.select(OpeningHours).where(OpeningHours.space_id == space.id)).all()
    assert {(r.weekday, r.opens, r.closes) for r in rows} == {
        *((d, time(8), time(22)) for d in range(7) if d != 2),
        (2, time(12), time(20)),
    }


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"min_minutes": 10}, "min_minutes", "at least 15 minutes"),
        ({"min_minutes": 50}, "min_minutes", "steps of 15 minutes"),
        ({"max_minutes": 1500}, "max_minutes", "at most 1440 minutes"),
        ({"min_minutes": 120, "max_minutes": 60}, "max_minutes", "no shorter than the shortest"),
        ({"book_ahead_days": 0}, "book_ahead_days", "between 1 and 366 days"),
        ({"book_ahead_days": 367}, "book_ahead_days", "between 1 and 366 days"),
        ({"hourly_rate": Decimal("-1")}, "hourly_rate", "hourly price of 0 euros or more"),
        ({"member_rate": Decimal("-0.5")}, "member_rate", "member price of 0 euros or more"),
        ({"house_rules": "x" * 10_001}, "house_rules", "at most 10000 characters"),
        ({"opening_hours": {2: (time(18), time(8))}}, "hours-2-closes", "Wednesday: enter a closing time after"),
        ({"opening_hours": {0: (time(8, 10), time(20))}}, "hours-0-opens", "Monday: enter a time on the quarter hour"),
        ({"opening_hours": {6: (None, time(20))}}, "hours-6-opens", "Sunday: enter the opening time"),
        ({"opening_hours": {4: (time(8), None)}}, "hours-4-closes", "Friday: enter the closing time"),
    ],
)
def test_each_rule_names_its_field_and_nothing_is_written(association_admin, space, overrides, field, message):
    audited = count(AuditEvent)
    with pytest.raises(RuleViolation) as caught:
        settings.update_space_settings(association_admin, space, valid_values(**overrides))
    assert field in caught.value.fields
    assert message in str(caught.value.fields[field][0])
    assert count(BookingRules) == 0 and count(AuditEvent) == audited
    db.session.expire_all()
    assert space.hourly_rate == Decimal("10.00") and len(space.opening_hours) == 7


def test_every_problem_is_reported_at_once(association_admin, space):
    values = valid_values(min_minutes=5, hourly_rate=Decimal("-2"), opening_hours={1: (time(9), time(8))})
    with pytest.raises(RuleViolation) as caught:
        settings.update_space_settings(association_admin, space, values)
    assert set(caught.value.fields) == {"min_minutes", "hourly_rate", "hours-1-closes"}


def test_a_partial_change_is_checked_against_the_saved_rules(association_admin, space):
    settings.update_space_settings(association_admin, space, valid_values(min_minutes=120, max_minutes=240))
    with pytest.raises(RuleViolation) as caught:
        settings.update_space_settings(association_admin, space, {"max_minutes": 60})
    assert set(caught.value.fields) == {"max_minutes"}


@pytest.mark.parametrize("who", ["member", "other_admin", "group_admin"])
def test_only_the_association_admins_and_staff_change_settings(house, space, association, who):
    users = {
        "member": lambda: make_user(association, Role.MEMBER),
        "other_admin": lambda: make_user(make_org(), Role.ADMIN),
        "group_admin": lambda: make_user(make_org(OrgKind.CULTURAL_GROUP), Role.ADMIN),
    }
    with pytest.raises(PermissionDenied):
        settings.update_space_settings(users[who](), space, valid_values())


def test_staff_change_settings_of_any_space(staff, space):
    settings.update_space_settings(staff, space, valid_values(hourly_rate=Decimal("20")))
    assert space.hourly_rate == Decimal("20.00")


def test_the_association_has_no_say_once_its_lease_has_ended(association_admin, app_ctx):
    lease = make_house(
        tenant=association_admin.memberships[0].organization,
        start_date=date.today() - timedelta(days=400),
        end_date=date.today() - timedelta(days=1),
    )
    space = lease.building.spaces[0]
    assert settings.binding_lease_for(space) is None
    with pytest.raises(PermissionDenied):
        settings.update_space_settings(association_admin, space, valid_values())


@pytest.mark.parametrize(
    "status,whole,covered,found",
    [
        (LeaseStatus.ACTIVE, True, True, True),
        (LeaseStatus.SIGNED, True, True, True),
        (LeaseStatus.DRAFT, True, True, False),
        (LeaseStatus.OFFERED, True, True, False),
        (LeaseStatus.TERMINATED, True, True, False),
        (LeaseStatus.ACTIVE, False, True, True),
        (LeaseStatus.ACTIVE, False, False, False),
    ],
)
def test_binding_lease_is_signed_or_active_and_covers_the_space(app_ctx, status, whole, covered, found):
    building = make_building()
    space, other = make_space(building), make_space(building)
    lease = make_lease(building, status=status, whole_building=whole)
    if not whole:
        lease.spaces = [space if covered else other]
        db.session.flush()
    assert (settings.binding_lease_for(space) is lease) is found


def test_a_signed_lease_to_come_counts_but_the_one_in_force_comes_first(app_ctx):
    building = make_building()
    space = make_space(building)
    later = make_lease(building, status=LeaseStatus.SIGNED, start_date=date.today() + timedelta(days=100))
    assert settings.binding_lease_for(space) is later
    now = make_lease(
        building,
        status=LeaseStatus.ACTIVE,
        start_date=date.today() - timedelta(days=10),
        end_date=date.today() + timedelta(days=99),
        notice_period_months=None,
    )
    assert settings.binding_lease_for(space) is now


def test_rules_for_gives_defaults_until_saved(association_admin, space):
    rules = settings.rules_for(space)
    assert (rules.min_minutes, rules.max_minutes, rules.book_ahead_days, rules.needs_approval) == (60, 240, 180, True)
    assert rules.rate() == Decimal("10.00") and rules.member_price == Decimal("10.00")
    assert rules not in db.session
    settings.update_space_settings(association_admin, space, {"member_rate": Decimal("4")})
    assert settings.rules_for(space).member_price == Decimal("4.00")


def test_member_rate_goes_to_the_association_and_groups_holding_a_sublet(house, space, association, group):
    stranger = make_org(OrgKind.CULTURAL_GROUP)
    assert settings.pays_member_rate(house, association.id)
    assert not settings.pays_member_rate(house, group.id)
    db.session.add(
        Sublet(
            number="AV-2099-0001",
            lease=house,
            space=space,
            association_id=association.id,
            group_id=group.id,
            kind=SubletKind.EXCLUSIVE,
            starts_on=date.today() - timedelta(days=5),
            ends_on=date.today() + timedelta(days=100),
            status=SubletStatus.SIGNED,
        )
    )
    db.session.flush()
    assert settings.pays_member_rate(house, group.id)
    assert not settings.pays_member_rate(house, stranger.id)


# --- closed dates ---------------------------------------------------------------------------------------


def test_closed_dates_for_all_spaces_at_once(association_admin, house):
    first = settings.today() + timedelta(days=20)
    added = settings.add_closed_dates(
        association_admin, house.building.spaces, first, first + timedelta(days=2), " Joulu "
    )
    assert len(added) == 2
    rows = db.session.scalars(sa.select(ClosedDate).order_by(ClosedDate.space_id)).all()
    assert [r.space_id for r in rows] == [s.id for s in house.building.spaces]
    assert {(r.starts_on, r.ends_on, r.reason) for r in rows} == {(first, first + timedelta(days=2), "Joulu")}
    audit_rows = events("space.closed_date.add")
    assert sorted(e.object_id for e in audit_rows) == sorted(s.id for s in house.building.spaces)
    assert audit_rows[0].changes["reason"] == [None, "Joulu"]
    upcoming = settings.upcoming_closed_dates(house.building.spaces)
    assert all(len(v) == 1 for v in upcoming.values())


@pytest.mark.parametrize(
    "start,end,reason,field,message",
    [
        (-1, 2, "Remontti", "starts_on", "today or later"),
        (5, 4, "Remontti", "ends_on", "on or after the first closed day"),
        (5, 6, "", "reason", "Enter the reason"),
        (None, 6, "Remontti", "starts_on", "Enter the first closed day"),
    ],
)
def test_closed_dates_rules_name_their_field_and_nothing_is_written(
    association_admin, house, start, end, reason, field, message
):
    today, audited = settings.today(), count(AuditEvent)
    starts = today + timedelta(days=start) if start is not None else None
    with pytest.raises(RuleViolation) as caught:
        settings.add_closed_dates(association_admin, house.building.spaces, starts, today + timedelta(days=end), reason)
    assert message in str(caught.value.fields[field][0])
    assert count(ClosedDate) == 0 and count(AuditEvent) == audited


def test_closed_dates_need_a_space(association_admin, house):
    day = settings.today()
    with pytest.raises(RuleViolation) as caught:
        settings.add_closed_dates(association_admin, [], day, day, "Joulu")
    assert "spaces" in caught.value.fields


def test_closing_a_space_of_another_house_is_refused(association_admin, app_ctx):
    other = make_house(tenant=make_org())
    day = settings.today()
    with pytest.raises(PermissionDenied):
        settings.add_closed_dates(association_admin, other.building.spaces, day, day, "Joulu")
    assert count(ClosedDate) == 0


def test_member_cannot_add_or_remove_closed_dates(association_admin, association_member, house, space):
    day = settings.today()
    with pytest.raises(PermissionDenied):
        settings.add_closed_dates(association_member, [space], day, day, "Joulu")
    [closed] = settings.add_closed_dates(association_admin, [space], day, day, "Joulu")
    with pytest.raises(PermissionDenied):
        settings.remove_closed_date(association_member, closed)


def test_remove_a_closed_date_is_audited(association_admin, space):
    day = settings.today() + timedelta(days=3)
    [closed] = settings.add_closed_dates(association_admin, [space], day, day, "Remontti")
    closed_id = closed.id
    settings.remove_closed_date(association_admin, closed)
    assert db.session.get(ClosedDate, closed_id) is None
    [event] = events("space.closed_date.remove")
    assert event.object_id == space.id
    assert event.changes["closed_date"] == [str(closed_id), None]
    assert event.changes["reason"] == ["Remontti", None]


def test_a_closed_period_that_has_ended_stays(association_admin, space):
    past = ClosedDate(space_id=space.id, starts_on=date(2020, 12, 24), ends_on=date(2020, 12, 26), reason="Joulu")
    db.session.add(past)
    db.session.flush()
    with pytest.raises(Conflict):
        settings.remove_closed_date(association_admin, past)
    assert db.session.get(ClosedDate, past.id) is not None
    assert settings.upcoming_closed_dates([space])[space.id] == []
    assert settings.closed_dates_between(space, date(2020, 12, 25), date(2020, 12, 31)) == [past]
