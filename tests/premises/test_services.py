"""Premises services called directly: rules enforced, audit written, nothing half-done."""

from datetime import time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.audit import AuditEvent
from leasing.errors import Conflict, LoginRequired, PermissionDenied, RuleViolation
from leasing.extensions import db
from leasing.premises import queries, services
from leasing.premises.models import Building, OpeningHours, Space
from leasing.premises.vocabulary import BuildingStatus, BuildingType, Feature, SpaceKind
from tests.factories import make_building, make_space

pytestmark = pytest.mark.usefixtures("app_ctx")


def building_values(**overrides):
    values = {
        "name": "Tuiran paloasema", "street_address": "Paloasemantie 2", "postal_code": "90500", "city": "Oulu",
        "district": "Tuira", "latitude": None, "longitude": None, "building_type": BuildingType.FIRE_STATION,
        "year_built": 1956, "area_m2": Decimal("850.0"), "description": "", "accessibility": "",
        "asking_rent": Decimal("2450.00"), "available_from": None,
    }  # fmt: skip
    values.update(overrides)
    return values


def space_values(**overrides):
    values = {
        "name": "Sali", "kind": SpaceKind.HALL, "area_m2": Decimal("100.0"), "capacity": 50, "description": "",
        "bookable": True, "hourly_rate": Decimal("20.00"), "features": ["stage"], "opening_hours": {},
    }  # fmt: skip
    values.update(overrides)
    return values


def events(action):
    return db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def test_staff_creates_a_draft_and_it_is_audited(staff):
    building = services.create_building(staff, building_values())
    assert building.status == BuildingStatus.DRAFT
    assert building.created_by_id == staff.id
    [event] = events("building.create")
    assert event.actor_id == staff.id and event.object_id == building.id
    assert event.changes["name"] == [None, "Tuiran paloasema"]


@pytest.mark.parametrize("who", ["association_admin", "group_member"])
def test_only_staff_create_buildings(request, who):
    with pytest.raises(PermissionDenied):
        services.create_building(request.getfixturevalue(who), building_values())
    assert db.session.scalar(sa.select(sa.func.count(Building.id))) == 0


def test_anonymous_cannot_create(app):
    from leasing.accounts.models import Anonymous

    with pytest.raises(LoginRequired):
        services.create_building(Anonymous(), building_values())


def test_update_records_only_changed_fields(staff):
    building = make_building()
    services.update_building(staff, building, building_values(name=building.name, area_m2=Decimal("900.0")))
    [event] = events("building.update")
    assert event.changes["area_m2"] == ["850.0", "900.0"]
    assert "name" not in event.changes


def test_building_cannot_shrink_below_its_spaces(staff):
    building = make_building(area_m2=Decimal("100.0"))
    make_space(building, area_m2=Decimal("60.0"))
    with pytest.raises(RuleViolation) as err:
        services.update_building(staff, building, {"area_m2": Decimal("50.0")})
    assert err.value.field == "area_m2"
    assert "60" in str(err.value.message)
    assert building.area_m2 == Decimal("100.0")


@pytest.mark.parametrize(
    "start,action,expected",
    [
        (BuildingStatus.DRAFT, "publish", BuildingStatus.VACANT),
        (BuildingStatus.WITHDRAWN, "publish", BuildingStatus.VACANT),
        (BuildingStatus.VACANT, "withdraw", BuildingStatus.WITHDRAWN),
        (BuildingStatus.DRAFT, "withdraw", BuildingStatus.WITHDRAWN),
    ],
)
def test_status_changes(staff, start, action, expected):
    building = make_building(status=start)
    services.change_status(staff, building, action)
    assert building.status == expected
    [event] = events(f"building.{action}")
    assert event.changes["status"] == [start.value, expected.value]


def test_publishing_sets_published_at_once(staff):
    building = make_building(status=BuildingStatus.DRAFT)
    services.change_status(staff, building, "publish")
    first = building.published_at
    assert first is not None
    services.change_status(staff, building, "withdraw")
    services.change_status(staff, building, "publish")
    assert building.published_at == first


@pytest.mark.parametrize("status", [BuildingStatus.LEASED, BuildingStatus.NEGOTIATING, BuildingStatus.VACANT])
def test_publish_refused_from_wrong_state(staff, status):
    building = make_building(status=status)
    with pytest.raises(Conflict):
        services.change_status(staff, building, "publish")
    assert building.status == status


def test_add_space_with_features_and_hours(staff):
    building = make_building()
    hours = {0: (time(9), time(21)), 1: (None, None)}
    space = services.save_space(staff, building, space_values(features=["stage", "wifi"], opening_hours=hours))
    assert space.feature_set == {Feature.STAGE, Feature.WIFI}
    assert [(h.weekday, h.opens, h.closes) for h in space.opening_hours] == [(0, time(9), time(21))]
    [event] = events("space.create")
    assert event.object_type == "Building" and event.object_id == building.id


def test_edit_space_replaces_features_and_hours(staff):
    building = make_building()
    space = make_space(building, features=["stage"], hours={0: (time(9), time(17))})
    values = space_values(area_m2=Decimal("40.0"), features=["wifi"], opening_hours={0: (time(10), time(18))})
    services.save_space(staff, building, values, space)
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    assert space.feature_set == {Feature.WIFI}
    assert [(h.opens, h.closes) for h in space.opening_hours] == [(time(10), time(18))]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OpeningHours)) == 1


@pytest.mark.parametrize(
    "existing,area,message_part",
    [((), "900.0", "no larger than the building"), (("500.0", "300.0"), "60.0", "at most 50,0")],
)
def test_space_area_rule(staff, existing, area, message_part):
    building = make_building(area_m2=Decimal("850.0"))
    for a in existing:
        make_space(building, area_m2=Decimal(a))
    with pytest.raises(RuleViolation) as err:
        services.save_space(staff, building, space_values(area_m2=Decimal(area)))
    assert err.value.field == "area_m2"
    assert message_part in str(err.value.message)


def test_editing_a_space_does_not_count_itself(staff):
    building = make_building(area_m2=Decimal("100.0"))
    space = make_space(building, area_m2=Decimal("90.0"))
    services.save_space(staff, building, space_values(area_m2=Decimal("100.0")), space)
    assert space.area_m2 == Decimal("100.0")


def test_bad_opening_hours_name_the_day_field(staff):
    building = make_building()
    with pytest.raises(RuleViolation) as err:
        services.save_space(staff, building, space_values(opening_hours={2: (time(21), time(9))}))
    assert list(err.value.fields) == ["hours-2-opens"]


def test_delete_space_is_audited(staff):
    building = make_building()
    space = make_space(building)
    services.delete_space(staff, space)
    assert db.session.get(Space, space.id) is None
    [event] = events("space.delete")
    assert event.changes["name"] == [space.name, None]


def test_recent_events_are_newest_first(staff):
    building = make_building(status=BuildingStatus.DRAFT)
    services.change_status(staff, building, "publish")
    services.change_status(staff, building, "withdraw")
    assert [e.action for e in queries.recent_events(building)] == ["building.withdraw", "building.publish"]


@pytest.mark.parametrize(
    "start,target,expected",
    [
        (BuildingStatus.VACANT, BuildingStatus.NEGOTIATING, BuildingStatus.NEGOTIATING),
        (BuildingStatus.NEGOTIATING, BuildingStatus.LEASED, BuildingStatus.LEASED),
        (BuildingStatus.LEASED, BuildingStatus.VACANT, BuildingStatus.VACANT),
        (BuildingStatus.DRAFT, BuildingStatus.LEASED, BuildingStatus.DRAFT),
        (BuildingStatus.WITHDRAWN, BuildingStatus.VACANT, BuildingStatus.WITHDRAWN),
    ],
)
def test_building_follows_its_leases_with_an_audit_event(staff, start, target, expected):
    building = make_building(status=start)
    services.follow_lease(staff, building, target, "lease.signed")
    assert building.status == expected
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "building.lease.signed")).all()
    assert len(events) == (1 if expected != start else 0)
