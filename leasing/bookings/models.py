"""Bookings: the association's booking rules per space, closed dates, and the groups' bookings with one
occurrence row per date (so conflicts, the inbox and calendars are plain queries)."""

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.accounts.models import Organization, User
from leasing.bookings.vocabulary import LIVE_STATUSES, OccurrenceStatus, Repeat
from leasing.db import HELSINKI, TimestampMixin, UTCDateTime, enum_column
from leasing.extensions import db
from leasing.leases.models import Lease
from leasing.premises.models import Building, Space
from leasing.sublets.models import Sublet


class BookingRules(TimestampMixin, db.Model):
    """How a space is booked, set by the tenant association (the space's ``bookable``, ``hourly_rate``
    and opening hours live on the space itself)."""

    __tablename__ = "booking_rules"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)
    #: Shortest and longest booking, in minutes.
    min_minutes: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=60)
    max_minutes: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=240)
    #: How many days ahead one may book (at most a year).
    book_ahead_days: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=180)
    #: Euros per hour for the association's own and its sublet groups' bookings; NULL = the hourly rate.
    member_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    #: True: the association confirms each request; False: a request that breaks no rule is confirmed at once.
    needs_approval: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    house_rules: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    space: Mapped[Space] = relationship()

    __table_args__ = (
        sa.CheckConstraint("min_minutes >= 15 AND min_minutes <= max_minutes", name="min_range"),
        sa.CheckConstraint("max_minutes <= 1440", name="max_range"),
        sa.CheckConstraint("book_ahead_days >= 1 AND book_ahead_days <= 366", name="ahead_range"),
        sa.CheckConstraint("member_rate IS NULL OR member_rate >= 0", name="member_rate_not_negative"),
    )

    #: The columns the association sets.
    SETTINGS = ("min_minutes", "max_minutes", "book_ahead_days", "member_rate", "needs_approval", "house_rules")

    def __repr__(self):
        return f"<BookingRules space={self.space_id}>"

    @classmethod
    def defaults(cls, space):
        """Unsaved rules of ``space`` with the columns' default values (not added to the session)."""
        columns = cls.__table__.columns
        values = {name: columns[name].default.arg if columns[name].default else None for name in cls.SETTINGS}
        return cls(space_id=space.id, space=space, **values)

    @property
    def is_saved(self):
        """The association has saved the rules (False: the defaults of an unsaved row)."""
        return sa.inspect(self).persistent

    def rate(self, member=False):
        """Euros per hour: the member rate for the association and its sublet groups (when set), else the
        space's hourly rate; 0 when the space has none."""
        if member and self.member_rate is not None:
            return self.member_rate
        return self.space.hourly_rate if self.space.hourly_rate is not None else Decimal("0.00")

    @property
    def member_price(self):
        """The member rate in force (the hourly rate when no member rate is set)."""
        return self.rate(member=True)

    def allows_length(self, minutes):
        """A booking of ``minutes`` is neither shorter nor longer than the rules allow."""
        return self.min_minutes <= minutes <= self.max_minutes

    def last_bookable_day(self, today):
        """The last date one may book on ``today``."""
        from datetime import timedelta

        return today + timedelta(days=self.book_ahead_days)


class ClosedDate(db.Model):
    """Days a space is closed (a holiday, a renovation): no occurrence falls on them."""

    __tablename__ = "closed_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), nullable=False, index=True)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_starts"),)

    def __repr__(self):
        return f"<ClosedDate {self.id} space={self.space_id} {self.starts_on}–{self.ends_on}>"

    def covers(self, day):
        """``day`` falls in the closed period."""
        return self.starts_on <= day <= self.ends_on

    def overlaps(self, first, last):
        """The closed period shares a day with ``first``–``last`` (inclusive dates)."""
        return self.starts_on <= last and first <= self.ends_on

    def has_ended(self, today):
        """The period is over (kept as history; it can no longer be removed)."""
        return self.ends_on < today


class Booking(TimestampMixin, db.Model):
    """A group's request for a space: once, or weekly or fortnightly from a date until a date or a count.

    The wall-clock times are Europe/Helsinki; each date is an :class:`Occurrence` with its own status.
    """

    __tablename__ = "booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="RESTRICT"), nullable=False, index=True)
    #: The lease that carries the booking (the building's tenant association decides on it).
    lease_id: Mapped[int] = mapped_column(sa.ForeignKey("lease.id", ondelete="RESTRICT"), nullable=False, index=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    #: The weekly-slot sublet the booking is made in (confirmed without approval), or NULL.
    sublet_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sublet.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    attendees: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    public_event: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    repeat: Mapped[Repeat] = mapped_column(enum_column(Repeat), nullable=False, default=Repeat.ONCE)
    first_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    #: The last possible date of a series (given as "until", or computed from "times").
    until_date: Mapped[date | None] = mapped_column(sa.Date)
    starts_time: Mapped[time] = mapped_column(sa.Time, nullable=False)
    ends_time: Mapped[time] = mapped_column(sa.Time, nullable=False)
    #: Euros per hour applied to this booking (the space's rate, or the member rate).
    hourly_rate: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False, default=Decimal("0.00"))
    #: The facilities centre's approval is needed as well (a kind the lease names).
    needs_city_approval: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    #: When the association was reminded of a request waiting for more than two days.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    space: Mapped[Space] = relationship(lazy="joined", innerjoin=True)
    lease: Mapped[Lease] = relationship()
    group: Mapped[Organization] = relationship(lazy="joined", innerjoin=True)
    requested_by: Mapped[User | None] = relationship()
    sublet: Mapped[Sublet | None] = relationship()
    occurrences: Mapped[list["Occurrence"]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", order_by="Occurrence.starts_at"
    )

    __table_args__ = (
        sa.CheckConstraint("starts_time < ends_time", name="starts_before_ends"),
        sa.CheckConstraint("attendees >= 1", name="attendees_positive"),
        sa.CheckConstraint("until_date IS NULL OR until_date >= first_date", name="until_after_first"),
        sa.CheckConstraint("hourly_rate >= 0", name="rate_not_negative"),
    )

    def __repr__(self):
        return f"<Booking {self.id} {self.title!r}>"

    @property
    def live_occurrences(self):
        return [o for o in self.occurrences if o.status in LIVE_STATUSES]

    @property
    def price(self):
        """What the live dates cost together."""
        return sum((o.price for o in self.live_occurrences), Decimal("0.00"))

    def _membership(self, user, organization_id):
        return user.membership_in(organization_id) if user.is_authenticated else None

    def is_group_member(self, user):
        return self._membership(user, self.group_id) is not None

    def is_house(self, user):
        """A member of the tenant association that decides on the booking."""
        return self._membership(user, self.lease.tenant_id) is not None

    def can_view(self, user):
        """The group's members, the association's members and facilities staff."""
        return user.is_authenticated and (user.is_staff or self.is_group_member(user) or self.is_house(user))

    def is_own_request(self, user):
        """``user`` asks on the group's behalf (a cultural group's member; the association booking for itself
        is confirmed at once and never asks itself)."""
        return self.group_id != self.lease.tenant_id and self.is_group_member(user)

    def can_decide(self, user):
        """The association's members confirm or decline requests — never someone of the requesting group,
        even when they also belong to the association."""
        return self.is_house(user) and not self.is_own_request(user)

    def can_city_decide(self, user):
        """Facilities staff decide on requests the lease sends to them."""
        return user.is_authenticated and user.is_staff

    def can_cancel(self, user):
        """Either side cancels a date or the rest of a series."""
        return self.is_group_member(user) or self.is_house(user)

    def can_edit(self, user):
        """The group's members change the series or book a skipped or cancelled date again."""
        return self.is_group_member(user)

    def can_move(self, user):
        """Either side moves one date (the group's move is decided again where the association approves)."""
        return self.is_group_member(user) or self.is_house(user)

    @classmethod
    def can_request(cls, user):
        """Any signed-in user may ask; the service checks that they belong to the booking organization."""
        return user.is_authenticated


class Occurrence(TimestampMixin, db.Model):
    """One date of a booking, as UTC instants, with its own status (the unit of conflicts and feeds)."""

    __tablename__ = "occurrence"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("booking.id", ondelete="CASCADE"), nullable=False, index=True)
    #: Copied from the booking so that the overlap guards and the building's sums need no join.
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="RESTRICT"), nullable=False)
    building_id: Mapped[int] = mapped_column(sa.ForeignKey("building.id", ondelete="RESTRICT"), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[OccurrenceStatus] = mapped_column(enum_column(OccurrenceStatus), nullable=False)
    #: Why it was declined, cancelled or skipped.
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: Changed by hand: editing the whole series later leaves it as it is.
    edited: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    #: Raised whenever the time changes (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    price: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False, default=Decimal("0.00"))
    #: Set when the lease or sublet carrying the date ends before it; the group is told.
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flag_reason: Mapped[str | None] = mapped_column(sa.Text)

    booking: Mapped[Booking] = relationship(back_populates="occurrences")
    space: Mapped[Space] = relationship()
    building: Mapped[Building] = relationship()

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        sa.CheckConstraint("price >= 0", name="price_not_negative"),
        sa.Index("ix_occurrence_space_starts", "space_id", "starts_at"),
        sa.Index("ix_occurrence_building_starts", "building_id", "starts_at"),
        sa.Index("ix_occurrence_status_starts", "status", "starts_at"),
    )

    def __repr__(self):
        return f"<Occurrence {self.id} {self.starts_at:%Y-%m-%d %H:%M} {self.status}>"

    def can_view(self, user):
        """Whoever sees its booking."""
        return self.booking.can_view(user)

    def can_cancel(self, user):
        """Whoever may cancel its booking's dates."""
        return self.booking.can_cancel(user)

    @property
    def is_live(self):
        return self.status in LIVE_STATUSES

    @property
    def local_date(self):
        """The Helsinki date of the occurrence."""
        return self.starts_at.astimezone(HELSINKI).date()

    @property
    def local_starts(self):
        """The Helsinki wall-clock start."""
        return self.starts_at.astimezone(HELSINKI).time()

    @property
    def local_ends(self):
        """The Helsinki wall-clock end."""
        return self.ends_at.astimezone(HELSINKI).time()
