"""Sublets: a space of a leased building given by the tenant association to a group, for a period."""

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.accounts.models import Organization, Role
from leasing.db import TimestampMixin, UTCDateTime, enum_column
from leasing.extensions import db
from leasing.leases.models import Lease
from leasing.premises.models import Space
from leasing.sublets.vocabulary import BINDING_STATUSES, SubletKind, SubletStatus


class Sublet(TimestampMixin, db.Model):
    """A group's right to a space: exclusively for a period, or a weekly slot (every Tuesday 18–21)."""

    __tablename__ = "sublet"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: AV-YYYY-NNNN (alivuokrasopimus).
    number: Mapped[str] = mapped_column(sa.String(20), nullable=False, unique=True)
    lease_id: Mapped[int] = mapped_column(sa.ForeignKey("lease.id", ondelete="RESTRICT"), nullable=False, index=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="RESTRICT"), nullable=False, index=True)
    #: The tenant association (the sublessor), copied from the lease for queries.
    association_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    #: The group (the subtenant).
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    kind: Mapped[SubletKind] = mapped_column(enum_column(SubletKind), nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    #: A slot's weekday (0 = Monday) and Europe/Helsinki wall-clock times; NULL for exclusive use.
    weekday: Mapped[int | None] = mapped_column(sa.Integer)
    slot_starts: Mapped[time | None] = mapped_column(sa.Time)
    slot_ends: Mapped[time | None] = mapped_column(sa.Time)
    #: Euros per month.
    monthly_rent: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False, default=Decimal("0.00"))
    terms: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: The contract's language, "fi" or "en".
    language: Mapped[str] = mapped_column(sa.String(2), nullable=False, default="fi")
    status: Mapped[SubletStatus] = mapped_column(
        enum_column(SubletStatus), nullable=False, default=SubletStatus.DRAFT, index=True
    )
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The landlord's decision where the lease asks for approval.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    #: The last day after early termination.
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    terminated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    termination_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: Set when the lease carrying the sublet ends or is terminated before the sublet's end.
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flag_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    lease: Mapped[Lease] = relationship(lazy="joined", innerjoin=True)
    space: Mapped[Space] = relationship(lazy="joined", innerjoin=True)
    association: Mapped[Organization] = relationship(foreign_keys=[association_id])
    group: Mapped[Organization] = relationship(foreign_keys=[group_id], lazy="joined", innerjoin=True)

    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_starts"),
        sa.CheckConstraint("monthly_rent >= 0", name="rent_not_negative"),
        sa.CheckConstraint("language IN ('fi', 'en')", name="language_known"),
        sa.CheckConstraint(
            "(kind = 'exclusive' AND weekday IS NULL AND slot_starts IS NULL AND slot_ends IS NULL) OR "
            "(kind = 'slot' AND weekday >= 0 AND weekday <= 6 AND slot_starts < slot_ends)",
            name="slot_defined",
        ),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= starts_on", name="ended_after_start"),
    )

    def __repr__(self):
        return f"<Sublet {self.id} {self.number}>"

    @property
    def last_day(self):
        """The sublet's last day: its end, or the earlier day it was ended on."""
        return min(self.ends_on, self.ended_on) if self.ended_on else self.ends_on

    def effective_status(self, today=None):
        """The status on ``today``: a signed sublet is active from its start, expired after its last day."""
        from leasing.leases.rules import today as helsinki_today

        today = today or helsinki_today()
        if self.status not in BINDING_STATUSES:
            return self.status
        if self.last_day < today:
            return SubletStatus.TERMINATED if self.terminated_at else SubletStatus.EXPIRED
        return SubletStatus.ACTIVE if self.starts_on <= today else SubletStatus.SIGNED

    @property
    def current_status(self):
        return self.effective_status()

    def _membership(self, user, organization_id):
        return user.membership_in(organization_id) if user.is_authenticated else None

    def is_party(self, user):
        """A member of the association or of the group."""
        return any(self._membership(user, org) for org in (self.association_id, self.group_id))

    def can_view(self, user):
        """The association's and the group's members, and facilities staff."""
        return user.is_authenticated and (user.is_staff or self.is_party(user))

    def _association_admin(self, user):
        membership = self._membership(user, self.association_id)
        return membership is not None and membership.role == Role.ADMIN

    def can_edit(self, user):
        """The association's admins change a draft or an offer (an offer's change makes a new version)."""
        return self._association_admin(user) and self.status in (SubletStatus.DRAFT, SubletStatus.OFFERED)

    def can_offer(self, user):
        """The association's admins send a draft to the group."""
        return self._association_admin(user) and self.status == SubletStatus.DRAFT

    def can_cancel(self, user):
        """The association's admins withdraw a sublet not yet in force."""
        return self._association_admin(user) and self.status in (
            SubletStatus.DRAFT,
            SubletStatus.OFFERED,
            SubletStatus.AWAITING_APPROVAL,
        )

    def can_sign(self, user):
        """A member with signing authority of either side, while the sublet is offered."""
        if self.status != SubletStatus.OFFERED:
            return False
        return any(
            (m := self._membership(user, org)) is not None and m.can_sign
            for org in (self.association_id, self.group_id)
        )

    def can_decide(self, user):
        """Facilities staff approve or refuse a signed sublet the lease asks them to approve."""
        return user.is_authenticated and user.is_staff and self.status == SubletStatus.AWAITING_APPROVAL

    def can_terminate(self, user):
        """The association's admins or staff end a sublet in force early."""
        return (user.is_authenticated and user.is_staff or self._association_admin(user)) and (
            self.effective_status() in BINDING_STATUSES
        )

    @classmethod
    def can_manage(cls, user):
        """Facilities staff see the sublet register of every building."""
        return user.is_authenticated and user.is_staff

    @classmethod
    def can_list(cls, user):
        """Any signed-in member of an organization sees its own sublets."""
        return user.is_authenticated and bool(user.memberships)
