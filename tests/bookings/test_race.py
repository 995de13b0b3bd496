"""Requests racing for one time, each on its own connection and session (threads, each in its own app
context, committing for real): exactly one wins and the others get a Conflict, on SQLite (every transaction
BEGIN IMMEDIATE) and on PostgreSQL (the exclusion constraint).

These tests commit, so they run on a database of their own, built by the migrations and thrown away
afterwards: a temporary SQLite file, or a temporary database on the PostgreSQL server of the run.
"""

import os
import shutil
import tempfile
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from leasing import create_app
from leasing.accounts.models import Organization, OrgKind, User
from leasing.bookings import queries, services
from leasing.bookings.models import Occurrence
from leasing.bookings.vocabulary import LIVE_STATUSES, OccurrenceStatus
from leasing.errors import Conflict
from leasing.extensions import db
from leasing.premises.models import Space
from tests.bookings import kit
from tests.factories import make_org, make_user

RACERS = 4


@pytest.fixture
def race_app(app):
    """An app on a database of its own (the test's rolled-back connection cannot see other connections)."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    tmp = tempfile.mkdtemp(prefix="tilasilta-race-")
    if url.get_backend_name() == "postgresql":
        name = f"tilasilta_race_{os.getpid()}"
        _admin(url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        race_url = url.set(database=name).render_as_string(hide_password=False)
    else:
        name, race_url = None, f"sqlite:///{tmp}/race.sqlite"
    race = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": race_url, "MAIL_BACKEND": "log", "UPLOAD_FOLDER": tmp}
    )
    with race.app_context():
        upgrade()
    yield race
    with race.app_context():
        db.engine.dispose()
    if name:
        _admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    shutil.rmtree(tmp, ignore_errors=True)


def _admin(url, *statements):
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    engine.dispose()


def _house(race, safety_limit=None):
    """A leased building whose two rooms confirm at once, and RACERS groups with a member each (committed);
    returns the rooms' ids and the racers as ``(user_id, group_id)``."""
    with race.app_context():
        lease = kit.house(make_org(OrgKind.ASSOCIATION))
        lease.building.safety_limit = safety_limit
        for space in lease.building.spaces:
            kit.set_rules(space, needs_approval=False)
        members = [make_user(make_org(OrgKind.CULTURAL_GROUP)) for _ in range(RACERS)]
        db.session.commit()
        return [s.id for s in lease.building.spaces], [(m.id, m.memberships[0].organization_id) for m in members]


def _race(race, space_ids, racers, day):
    """Each racer requests ``day`` 18–21 (in the rooms in turn) in its own thread, app context and session;
    returns the outcomes."""
    start = threading.Barrier(len(racers))
    outcomes = []

    def attempt(user_id, group_id, space_id):
        start.wait(timeout=10)
        with race.test_request_context(headers={"Accept-Language": "en"}):
            try:
                user, space = db.session.get(User, user_id), db.session.get(Space, space_id)
                group = db.session.get(Organization, group_id)
                booking = services.request(user, space, kit.values(group, first_date=day))
                db.session.commit()
                outcomes.append(("won", booking.id))
            except Conflict as conflict:
                db.session.rollback()
                outcomes.append(("lost", str(conflict.message)))

    threads = [
        threading.Thread(target=attempt, args=(*racer, space_ids[n % len(space_ids)])) for n, racer in enumerate(racers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _live_rows(race, space_ids):
    with race.app_context():
        return (
            db.session.execute(
                sa.select(Occurrence.status).where(
                    Occurrence.space_id.in_(space_ids), Occurrence.status.in_(LIVE_STATUSES)
                )
            )
            .scalars()
            .all()
        )


DAY = kit.TUESDAY + timedelta(days=7)


def test_racing_requests_for_one_time_confirm_exactly_one(race_app):
    space_ids, racers = _house(race_app)
    outcomes = _race(race_app, space_ids[:1], racers, DAY)
    assert len(outcomes) == RACERS
    assert sorted(kind for kind, _ in outcomes) == ["lost"] * (RACERS - 1) + ["won"]
    assert _live_rows(race_app, space_ids) == [OccurrenceStatus.CONFIRMED]
    for kind, message in outcomes:
        if kind == "lost":  # the check saw the winner's row, or the database's guard refused the loser's
            assert "overlaps an existing booking" in message or "just booked by someone else" in message


def test_the_databases_guard_refuses_what_passed_a_blind_check(race_app, monkeypatch):
    """Every racer's check sees a free room (as when they all read before anyone wrote); on PostgreSQL they
    also wait for each other after reading (the building's lock is lifted for this), so all of them write at
    once and the exclusion constraint decides."""
    space_ids, racers = _house(race_app)
    with race_app.app_context():
        dialect = db.engine.dialect.name
    read_together = threading.Barrier(len(racers))

    def blind(building_id, starts_at, ends_at):
        if dialect == "postgresql":
            read_together.wait(timeout=10)
        return []

    monkeypatch.setattr(queries, "occupancy", blind)
    monkeypatch.setattr(queries, "lock_building", lambda building_id: None)
    outcomes = _race(race_app, space_ids[:1], racers, DAY)
    assert sorted(kind for kind, _ in outcomes) == ["lost"] * (RACERS - 1) + ["won"]
    when = kit.when(DAY)
    assert [m for kind, m in outcomes if kind == "lost"] == [
        f"The time {when} was just booked by someone else: choose another time."
    ] * (RACERS - 1)
    assert _live_rows(race_app, space_ids) == [OccurrenceStatus.CONFIRMED]


def test_racing_requests_in_different_rooms_keep_the_safety_limit(race_app):
    """Two rooms, a limit of 8 people in the building, 5 people each: only one of the racers fits. No
    constraint covers this; the building's lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) makes each check
    see the row written just before."""
    space_ids, racers = _house(race_app, safety_limit=8)
    outcomes = _race(race_app, space_ids, racers, DAY)
    assert sorted(kind for kind, _ in outcomes) == ["lost"] * (RACERS - 1) + ["won"]
    assert _live_rows(race_app, space_ids) == [OccurrenceStatus.CONFIRMED]
    assert any("safety limit of 8 people" in message for kind, message in outcomes if kind == "lost")
