"""Database conventions: constraint names, UTC instants, timestamps, SQLite connection setup."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Model(DeclarativeBase):
    """The declarative base: every table shares the constraint naming convention."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


#: Every wall-clock time of the service (opening hours, bookings, sublet slots) is Helsinki time.
HELSINKI = ZoneInfo("Europe/Helsinki")


def utcnow():
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def touch_last_used(row, every, now=None):
    """Set ``row.last_used_at`` to now unless it was set less than ``every`` ago (so a token used on
    every request is not written on every request). Flushed, not committed; True when it wrote."""
    from leasing.extensions import db

    now = now or utcnow()
    if row.last_used_at is not None and now - row.last_used_at < every:
        return False
    row.last_used_at = now
    db.session.flush()
    return True


class UTCDateTime(sa.TypeDecorator):
    """An instant stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    """``created_at`` and ``updated_at``, set by callables at flush time (never at import)."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


def enum_column(enum_cls, **kwargs):
    """A string-backed enum column that stores the member values (``"vacant"``), with a named check."""
    return sa.Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        values_callable=lambda cls: [member.value for member in cls],
        native_enum=False,
        validate_strings=True,
        create_constraint=True,
        length=32,
        **kwargs,
    )


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    """WAL, a busy timeout and foreign keys on every SQLite connection; we issue BEGIN ourselves."""
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()
    # SQLite's own lower() folds only ASCII, so "PÄIVÄKOTI" would not find "päiväkoti"; PostgreSQL's does.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    """Every SQLite transaction begins IMMEDIATE, so check-then-write cannot race (see FIELD-NOTES)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _is_sqlite(dbapi_connection):
    return type(dbapi_connection).__module__.startswith("sqlite3")
