"""The database's own guard against double bookings (migration 0002): the last line of defence when two
requests race past the services' check. Alembic's autogenerate does not notice it missing, so the tests
look it up in the catalogue and try to break it."""

from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from leasing.bookings.vocabulary import LIVE_SQL, OccurrenceStatus
from leasing.extensions import db
from tests.factories import make_building, make_occurrence_row, make_space

T0 = datetime(2027, 3, 2, 16, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_the_migration_lists_the_live_statuses_of_the_code():
    migration = import_module("migrations.versions.0002_occurrence_overlap_guards")
    assert migration.LIVE == LIVE_SQL


def test_the_guard_is_in_the_catalogue(app):
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        row = connection.execute(
            sa.text(
                "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conname = 'ex_occurrence_no_overlap' AND conrelid = 'occurrence'::regclass"
            )
        ).one()
        assert row[0] == "x"
        assert "gist" in row[1] and "tstzrange(starts_at, ends_at, '[)'::text) WITH &&" in row[1]
        assert "space_id WITH =" in row[1]
        extension = connection.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")).first()
        assert extension is not None
    else:
        names = set(
            connection.execute(
                sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'occurrence'")
            ).scalars()
        )
        assert names == {"occurrence_no_overlap_insert", "occurrence_no_overlap_update"}


@pytest.fixture
def space(app):
    return make_space(make_building())


def _refused(callable_):
    savepoint = db.session.begin_nested()
    with pytest.raises(IntegrityError):
        callable_()
        db.session.flush()
    savepoint.rollback()


@pytest.mark.parametrize("status", ["confirmed", "requested", "city_pending"])
def test_an_overlapping_live_row_is_refused(space, status):
    make_occurrence_row(space, T0, T0 + 2 * HOUR)
    _refused(lambda: make_occurrence_row(space, T0 + HOUR, T0 + 3 * HOUR, status=status))


def test_rows_that_touch_or_lie_elsewhere_are_kept(space):
    make_occurrence_row(space, T0, T0 + 2 * HOUR)
    make_occurrence_row(space, T0 + 2 * HOUR, T0 + 3 * HOUR)  # back to back: [) ranges touch
    make_occurrence_row(space, T0 - HOUR, T0)
    make_occurrence_row(make_space(space.building), T0, T0 + 2 * HOUR)  # another room
    for status in ("declined", "cancelled", "skipped"):
        make_occurrence_row(space, T0, T0 + 2 * HOUR, status=status)


def test_a_freed_time_can_be_taken_and_not_given_back_twice(space):
    first = make_occurrence_row(space, T0, T0 + 2 * HOUR)
    first.status = OccurrenceStatus.CANCELLED
    db.session.flush()
    make_occurrence_row(space, T0, T0 + 2 * HOUR)

    def reactivate():
        first.status = OccurrenceStatus.CONFIRMED

    _refused(reactivate)


def test_moving_a_row_onto_another_is_refused(space):
    make_occurrence_row(space, T0, T0 + 2 * HOUR)
    other = make_occurrence_row(space, T0 + 4 * HOUR, T0 + 5 * HOUR)

    def move():
        other.starts_at, other.ends_at = T0 + HOUR, T0 + 2 * HOUR

    _refused(move)
