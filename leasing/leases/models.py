"""Leases: the terms between the facilities centre and an association, their rent steps, responsibilities,
named signers, and the cost-of-living index values their index clauses use."""

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.accounts.models import Organization, Role, User
from leasing.db import TimestampMixin, UTCDateTime, enum_column
from leasing.extensions import db
from leasing.leases import rules
from leasing.leases.vocabulary import BINDING_STATUSES, Item, LeaseStatus, Party, VatStatus
from leasing.premises.models import Building, Space

lease_space = sa.Table(
    "lease_space",
    db.metadata,
    sa.Column("lease_id", sa.ForeignKey("lease.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("space_id", sa.ForeignKey("space.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Lease(TimestampMixin, db.Model):
    """A lease of a building, whole or some of its spaces, from the facilities centre to an association."""

    __tablename__ = "lease"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: TK-YYYY-NNNN.
    number: Mapped[str] = mapped_column(sa.String(20), nullable=False, unique=True)
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lease_application.id", ondelete="SET NULL"), index=True
    )
    building_id: Mapped[int] = mapped_column(
        sa.ForeignKey("building.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    #: True: every space of the building (``spaces`` stays empty).
    whole_building: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    #: The facilities centre.
    landlord_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False)
    #: The association.
    tenant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    start_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    #: The last day of a fixed term; NULL = indefinite (then ``notice_period_months`` is set).
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    notice_period_months: Mapped[int | None] = mapped_column(sa.Integer)
    purpose: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: Base monthly rent in euros, before VAT.
    monthly_rent: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False)
    vat: Mapped[VatStatus] = mapped_column(enum_column(VatStatus), nullable=False, default=VatStatus.NONE)
    deposit: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False, default=Decimal("0.00"))
    #: Day of the month the rent falls due.
    due_day: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=5)
    #: The landlord's account, compact (no spaces).
    iban: Mapped[str] = mapped_column(sa.String(34), nullable=False)
    #: Finnish reference number (viitenumero), compact, with its check digit.
    reference_number: Mapped[str] = mapped_column(sa.String(20), nullable=False, unique=True)
    insurance: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    subletting_allowed: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    sublet_needs_approval: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    special_terms: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: The contract's language, "fi" or "en".
    language: Mapped[str] = mapped_column(sa.String(2), nullable=False, default="fi")
    #: Index clause: the base month (its first day) and Statistics Finland's value for it.
    index_base_month: Mapped[date | None] = mapped_column(sa.Date)
    index_base_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    #: The city's say over bookings: public events of more than this many people need the facilities
    #: centre's approval as well (NULL: none do) …
    city_approval_people: Mapped[int | None] = mapped_column(sa.Integer)
    #: … and so do bookings that end later than this wall-clock time (NULL: none do).
    city_approval_after: Mapped[time | None] = mapped_column(sa.Time)
    #: The stored status; ``effective_status(today)`` is what a reader sees (tick persists it).
    status: Mapped[LeaseStatus] = mapped_column(
        enum_column(LeaseStatus), nullable=False, default=LeaseStatus.DRAFT, index=True
    )
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_given_on: Mapped[date | None] = mapped_column(sa.Date)
    notice_given_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id", ondelete="SET NULL"))
    notice_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: The last day after notice or early termination.
    ends_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    terminated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    termination_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    #: The terms of an amendment (an extension, a changed rent, …) being negotiated, as plain values (see
    #: ``services.dump_terms``), or NULL. The lease stays in force on its columns — the terms of its last
    #: sealed version — until every named signer has signed the amended version; then these are applied.
    amendment_terms: Mapped[dict | None] = mapped_column(sa.JSON)

    building: Mapped[Building] = relationship(lazy="joined", innerjoin=True)
    landlord: Mapped[Organization] = relationship(foreign_keys=[landlord_id])
    tenant: Mapped[Organization] = relationship(foreign_keys=[tenant_id], lazy="joined", innerjoin=True)
    notice_given_by: Mapped[Organization | None] = relationship(foreign_keys=[notice_given_by_id])
    application = relationship("LeaseApplication")
    spaces: Mapped[list[Space]] = relationship(secondary=lease_space, order_by="Space.position, Space.id")
    rent_steps: Mapped[list["RentStep"]] = relationship(
        back_populates="lease", cascade="all, delete-orphan", order_by="RentStep.starts_on"
    )
    responsibilities: Mapped[list["Responsibility"]] = relationship(
        back_populates="lease", cascade="all, delete-orphan", order_by="Responsibility.id"
    )
    signers: Mapped[list["LeaseSigner"]] = relationship(
        back_populates="lease", cascade="all, delete-orphan", order_by="LeaseSigner.id"
    )

    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date > start_date", name="end_after_start"),
        sa.CheckConstraint("monthly_rent >= 0", name="rent_not_negative"),
        sa.CheckConstraint("deposit >= 0", name="deposit_not_negative"),
        sa.CheckConstraint("due_day >= 1 AND due_day <= 28", name="due_day_range"),
        sa.CheckConstraint(
            "notice_period_months IS NULL OR (notice_period_months >= 1 AND notice_period_months <= 24)",
            name="notice_months_range",
        ),
        sa.CheckConstraint("end_date IS NOT NULL OR notice_period_months IS NOT NULL", name="term_defined"),
        sa.CheckConstraint("language IN ('fi', 'en')", name="language_known"),
        sa.CheckConstraint(
            "(index_base_month IS NULL AND index_base_value IS NULL) "
            "OR (index_base_month IS NOT NULL AND index_base_value > 0)",
            name="index_clause_complete",
        ),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= start_date", name="ends_on_after_start"),
        sa.CheckConstraint("city_approval_people IS NULL OR city_approval_people >= 1", name="approval_people_range"),
    )

    def __repr__(self):
        return f"<Lease {self.id} {self.number}>"

    @property
    def amending(self):
        """An amendment is being negotiated."""
        return self.amendment_terms is not None

    @property
    def is_fixed_term(self):
        return self.end_date is not None

    @property
    def last_day(self):
        """The lease's last day (end date, or the end after notice or termination), or None."""
        return rules.last_day(self.end_date, self.ends_on)

    def effective_status(self, today=None):
        """The status on ``today``: a signed lease is active from its start, expired after its last day."""
        value = rules.effective_status(
            self.status.value,
            self.start_date,
            self.end_date,
            self.ends_on,
            self.terminated_at is not None,
            today or rules.today(),
        )
        return LeaseStatus(value)

    @property
    def current_status(self):
        """The effective status today (for pages)."""
        return self.effective_status()

    @property
    def total_area(self):
        """The leased area: the building's, or the chosen spaces' together."""
        if self.whole_building:
            return self.building.area_m2
        return sum((s.area_m2 for s in self.spaces), Decimal("0"))

    def space_ids(self):
        return {s.id for s in self.spaces}

    def rent_schedule(self):
        """The rent steps as pure ``rules.Step`` values."""
        return [rules.Step(s.starts_on, s.ends_on, s.monthly_rent) for s in self.rent_steps]

    def _member(self, user):
        return user.membership_in(self.tenant_id) if user.is_authenticated else None

    def signer_for(self, user):
        """This lease's named signer row for ``user``, or None."""
        return next((s for s in self.signers if user.is_authenticated and s.user_id == user.id), None)

    def can_view(self, user):
        """The tenant association's members and facilities staff."""
        return user.is_authenticated and (user.is_staff or self._member(user) is not None)

    def can_edit(self, user):
        """Staff change the terms while the lease is a draft, an offer, or being amended."""
        return (
            user.is_authenticated
            and user.is_staff
            and (self.status in (LeaseStatus.DRAFT, LeaseStatus.OFFERED) or self.amending)
        )

    def can_offer(self, user):
        """Staff send a draft to the tenant, or an amendment not yet offered."""
        if not (user.is_authenticated and user.is_staff):
            return False
        return self.status == LeaseStatus.DRAFT or (self.amending and not self.amendment_offered)

    def can_amend(self, user):
        """Staff start (or cancel) an amendment; whether the lease's state allows it is the service's to say."""
        return user.is_authenticated and user.is_staff

    @property
    def amendable(self):
        """A signed or active lease, not ending after notice or termination, with no amendment under way."""
        return (
            not self.amending
            and self.effective_status() in BINDING_STATUSES
            and self.notice_given_on is None
            and self.terminated_at is None
        )

    @property
    def amendment_offered(self):
        """An amendment's new contract version has been offered and is not yet sealed."""
        if not self.amending:
            return False
        from leasing.leases import signing

        return signing.pending_amendment(self) is not None

    def can_sign(self, user):
        """A named signer of this offer (or of an offered amendment) whose membership holds signing authority."""
        signer = self.signer_for(user)
        if signer is None or not (self.status == LeaseStatus.OFFERED or self.amendment_offered):
            return False
        membership = user.membership_in(signer.organization_id)
        return membership is not None and membership.can_sign

    def can_give_notice(self, user):
        """The tenant's admins or staff, while the lease is signed or active and not already ending."""
        if not user.is_authenticated or self.effective_status() not in BINDING_STATUSES:
            return False
        member = self._member(user)
        return user.is_staff or (member is not None and member.role == Role.ADMIN)

    def can_terminate(self, user):
        """Staff end a signed or active lease early."""
        return user.is_authenticated and user.is_staff and self.effective_status() in BINDING_STATUSES

    @classmethod
    def can_manage(cls, user):
        """Only facilities staff see every lease."""
        return user.is_authenticated and user.is_staff

    @classmethod
    def can_list(cls, user):
        """Members of an association see their own leases."""
        return user.is_authenticated and any(m.organization.kind.value == "association" for m in user.memberships)


class RentStep(db.Model):
    """A period with its own monthly rent: a reduced start-up rent, or rent-free months (0 €)."""

    __tablename__ = "rent_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    lease_id: Mapped[int] = mapped_column(sa.ForeignKey("lease.id", ondelete="CASCADE"), nullable=False, index=True)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    monthly_rent: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False)
    note: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    lease: Mapped[Lease] = relationship(back_populates="rent_steps")

    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_starts"),
        sa.CheckConstraint("monthly_rent >= 0", name="rent_not_negative"),
    )


class Responsibility(db.Model):
    """Who answers for one maintenance item under a lease."""

    __tablename__ = "lease_responsibility"

    id: Mapped[int] = mapped_column(primary_key=True)
    lease_id: Mapped[int] = mapped_column(sa.ForeignKey("lease.id", ondelete="CASCADE"), nullable=False, index=True)
    item: Mapped[Item] = mapped_column(enum_column(Item), nullable=False)
    party: Mapped[Party] = mapped_column(enum_column(Party), nullable=False)
    note: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")

    lease: Mapped[Lease] = relationship(back_populates="responsibilities")

    __table_args__ = (sa.UniqueConstraint("lease_id", "item", name="uq_lease_responsibility_item"),)


class LeaseSigner(db.Model):
    """A person named in the lease to sign it on behalf of the tenant or the facilities centre."""

    __tablename__ = "lease_signer"

    id: Mapped[int] = mapped_column(primary_key=True)
    lease_id: Mapped[int] = mapped_column(sa.ForeignKey("lease.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=False)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False)

    lease: Mapped[Lease] = relationship(back_populates="signers")
    user: Mapped[User] = relationship(lazy="joined")
    organization: Mapped[Organization] = relationship(lazy="joined")

    __table_args__ = (sa.UniqueConstraint("lease_id", "user_id", name="uq_lease_signer_user"),)


class IndexValue(db.Model):
    """Statistics Finland's cost-of-living index for one month (1951:10 = 100 or any series staff use)."""

    __tablename__ = "index_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The month's first day.
    month: Mapped[date] = mapped_column(sa.Date, nullable=False, unique=True)
    value: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), nullable=False)
    source: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    __table_args__ = (
        sa.CheckConstraint("value > 0", name="value_positive"),
        sa.CheckConstraint("value < 1000000", name="value_range"),
    )

    @classmethod
    def can_manage(cls, user):
        """Only facilities staff enter index values."""
        return user.is_authenticated and user.is_staff
