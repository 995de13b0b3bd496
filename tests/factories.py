"""Factories with realistic Finnish defaults: ``make_building(name="…")``, and users of every role.

Each factory adds and flushes; tests that go through HTTP see the rows because the whole test
shares one rolled-back connection.
"""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from leasing.accounts.models import Membership, Organization, OrgKind, Role, User
from leasing.accounts.passwords import hash_password
from leasing.extensions import db
from leasing.premises.models import Building, OpeningHours, Space, SpaceFeature
from leasing.premises.vocabulary import BuildingStatus, BuildingType, Feature, SpaceKind

PASSWORD = "oikein-hyva-salasana-2026"
_seq = itertools.count(1)


def make_org(kind=OrgKind.ASSOCIATION, **overrides):
    """An organization; associations get a valid, unused business ID."""
    n = next(_seq)
    values = {
        "kind": kind,
        "name": f"Testiyhdistys {n} ry" if kind == OrgKind.ASSOCIATION else f"Testiryhmä {n}",
        "contact_email": f"info{n}@example.fi",
    }
    if kind == OrgKind.ASSOCIATION and "business_id" not in overrides:
        values["business_id"] = next_business_id()
    values.update(overrides)
    org = Organization(**values)
    db.session.add(org)
    db.session.flush()
    return org


def next_business_id():
    """A checksum-valid Y-tunnus that no organization in the database uses yet (as many as needed)."""
    while True:
        base = f"{3000000 + next(_seq):07d}"
        remainder = sum(int(d) * w for d, w in zip(base, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder == 1:
            continue  # no valid check digit for this base
        candidate = f"{base}-{0 if remainder == 0 else 11 - remainder}"
        if not db.session.query(Organization).filter_by(business_id=candidate).first():
            return candidate


_password_hash_cache = {}


def make_user(org=None, role=Role.MEMBER, password=PASSWORD, **overrides):
    """A user, optionally a member of ``org`` with ``role`` (admins may sign)."""
    n = next(_seq)
    if password not in _password_hash_cache:
        _password_hash_cache[password] = hash_password(password)
    # English like the test client (see IsolatedClient); language tests set "fi" or "sv" themselves.
    values = {"email": f"kayttaja{n}@example.fi", "name": f"Testi Käyttäjä {n}", "locale": "en"}
    values.update(overrides)
    user = User(password_hash=_password_hash_cache[password], **values)
    db.session.add(user)
    db.session.flush()
    if org is not None:
        db.session.add(Membership(user=user, organization=org, role=role, can_sign=role == Role.ADMIN))
        db.session.flush()
        db.session.refresh(user)
    return user


def make_building(**overrides):
    """A vacant building in Tuira unless told otherwise."""
    n = next(_seq)
    values = {
        "name": f"Vanha paloasema {n}",
        "street_address": f"Paloasemantie {n}",
        "postal_code": "90500",
        "city": "Oulu",
        "district": "Tuira",
        "latitude": Decimal("65.026000"),
        "longitude": Decimal("25.466000"),
        "building_type": BuildingType.FIRE_STATION,
        "year_built": 1956,
        "area_m2": Decimal("850.0"),
        "description": "Punatiilinen paloasema Tuirassa.",
        "accessibility": "Sisäänkäynti ilman portaita.",
        "asking_rent": Decimal("2450.00"),
        "available_from": date(2027, 1, 1),
        "status": BuildingStatus.VACANT,
    }
    values.update(overrides)
    building = Building(**values)
    db.session.add(building)
    db.session.flush()
    return building


def make_space(building, features=(), hours=None, **overrides):
    """A space in ``building``; ``hours`` maps weekday to (opens, closes)."""
    n = next(_seq)
    values = {"name": f"Harjoitushuone {n}", "kind": SpaceKind.REHEARSAL_ROOM, "area_m2": Decimal("40.0")}
    values["capacity"] = 12
    values.update(overrides)
    space = Space(building=building, **values)
    space.features = [SpaceFeature(feature=Feature(f)) for f in features]
    space.opening_hours = [OpeningHours(weekday=d, opens=o, closes=c) for d, (o, c) in (hours or {}).items()]
    db.session.add(space)
    db.session.flush()
    return space


@pytest.fixture
def staff(app):
    """A facilities-centre employee."""
    centre = make_org(OrgKind.FACILITIES_CENTRE, name="Oulun kaupungin Tilakeskus")
    return make_user(centre, Role.ADMIN, name="Tiina Tilakeskus")


@pytest.fixture
def association(app):
    return make_org(OrgKind.ASSOCIATION, name="Nuorten Kulttuuritalo ry")


@pytest.fixture
def association_admin(association):
    return make_user(association, Role.ADMIN, name="Aino Yhdistys")


@pytest.fixture
def association_member(association):
    return make_user(association, Role.MEMBER, name="Matti Jäsen")


@pytest.fixture
def group(app):
    return make_org(OrgKind.CULTURAL_GROUP, name="Bändi Pohjoistuuli")


@pytest.fixture
def group_admin(group):
    return make_user(group, Role.ADMIN, name="Gia Ryhmä")


@pytest.fixture
def group_member(group):
    return make_user(group, Role.MEMBER, name="Veeti Soittaja")


def make_lease(building=None, tenant=None, **overrides):
    """A lease row (a draft unless told otherwise) of a whole building, indefinite with 3 months' notice."""
    from leasing.accounts.services import facilities_centre
    from leasing.leases import rules as lease_rules
    from leasing.leases.models import Lease
    from leasing.leases.vocabulary import LeaseStatus

    n = next(_seq)
    building = building or make_building()
    tenant = tenant or make_org(OrgKind.ASSOCIATION)
    values = {
        "number": f"TK-2099-{n:04d}",
        "reference_number": lease_rules.lease_reference(2099, n),
        "building": building,
        "tenant": tenant,
        "landlord": facilities_centre(),
        "whole_building": True,
        "start_date": date.today(),
        "end_date": None,
        "notice_period_months": 3,
        "purpose": "Nuorisotalo ja harjoitustilat",
        "monthly_rent": Decimal("1200.00"),
        "deposit": Decimal("2400.00"),
        "due_day": 5,
        "iban": "FI4950009420028730",
        "status": LeaseStatus.DRAFT,
    }
    values.update(overrides)
    lease = Lease(**values)
    db.session.add(lease)
    db.session.flush()
    return lease


def make_house(tenant=None, spaces=2, **lease_overrides):
    """An active lease of a building with ``spaces`` bookable spaces (open every day 8–22), for sublets and
    bookings: returns the lease (its building's spaces are ``lease.building.spaces``)."""
    from datetime import time, timedelta

    from leasing.leases.vocabulary import LeaseStatus

    building = make_building(status=BuildingStatus.LEASED)
    hours = {day: (time(8), time(22)) for day in range(7)}
    for n in range(spaces):
        make_space(building, name=f"Harjoitushuone {n + 1}", bookable=True, hourly_rate=Decimal("10.00"), hours=hours)
    values = {
        "status": LeaseStatus.ACTIVE,
        "start_date": date.today() - timedelta(days=60),
        "end_date": date.today() + timedelta(days=900),
        "notice_period_months": None,
        "subletting_allowed": True,
    }
    values.update(lease_overrides)
    return make_lease(building, tenant=tenant, **values)


def make_occurrence_row(space, starts_at, ends_at, status="confirmed", group=None, lease=None):
    """A booking with one occurrence row written directly (no rules): for tests of the database guards."""
    from leasing.bookings.models import Booking, Occurrence
    from leasing.bookings.vocabulary import OccurrenceStatus
    from leasing.db import HELSINKI

    local_start, local_end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
    booking = Booking(
        space=space,
        lease=lease or make_lease(space.building),
        group=group or make_org(OrgKind.CULTURAL_GROUP),
        title="Bändiharjoitus",
        attendees=5,
        first_date=local_start.date(),
        starts_time=local_start.time(),
        ends_time=local_end.time(),
    )
    occurrence = Occurrence(
        space_id=space.id,
        building_id=space.building_id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=OccurrenceStatus(status),
    )
    booking.occurrences.append(occurrence)
    db.session.add(booking)
    db.session.flush()
    return occurrence
