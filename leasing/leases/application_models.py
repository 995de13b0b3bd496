"""Lease applications: an association asks for a vacant building (or some of its spaces), with its plan."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.accounts.models import Organization, Role, User
from leasing.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from leasing.extensions import db
from leasing.i18n import _l
from leasing.leases import application_rules as rules
from leasing.premises.models import Building, Space


class ApplicationStatus(enum.StrEnum):
    """Where an application is, from submitted to a decision (or withdrawn)."""

    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFORMATION_REQUESTED = "information_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def title(self):
        return STATUS_TITLES[self]

    @property
    def is_open(self):
        """Waiting for the facilities centre (or for the applicant's answer)."""
        return self.value in rules.OPEN_STATUSES


STATUS_TITLES = {
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.UNDER_REVIEW: _l("Under review"),
    ApplicationStatus.INFORMATION_REQUESTED: _l("Information requested"),
    ApplicationStatus.ACCEPTED: _l("Accepted"),
    ApplicationStatus.REJECTED: _l("Rejected"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn by the applicant"),
}

_OPEN_SQL = "status IN ('submitted', 'under_review', 'information_requested')"

lease_application_space = sa.Table(
    "lease_application_space",
    db.metadata,
    sa.Column("application_id", sa.ForeignKey("lease_application.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("space_id", sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class LeaseApplication(TimestampMixin, db.Model):
    """An association's application to lease a building, whole or some of its spaces."""

    __tablename__ = "lease_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        sa.ForeignKey("building.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: The applicant association.
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), nullable=False, index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    #: True: the whole building; False: only ``spaces``.
    whole_building: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    proposed_use: Mapped[str] = mapped_column(sa.Text, nullable=False)
    operating_model: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    requested_start: Mapped[date] = mapped_column(sa.Date, nullable=False)
    #: NULL = indefinite.
    requested_term_months: Mapped[int | None] = mapped_column(sa.Integer)
    #: How many groups the association expects to use the premises.
    expected_groups: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    #: How many young people (15–29) it expects to reach.
    expected_young_people: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), nullable=False, default=ApplicationStatus.SUBMITTED
    )
    #: The staff's note on acceptance, or the reason for a rejection.
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The applicant's (optional) reason for withdrawing.
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    building: Mapped[Building] = relationship()
    organization: Mapped[Organization] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    spaces: Mapped[list[Space]] = relationship(secondary=lease_application_space, order_by="Space.position, Space.id")
    messages: Mapped[list["ApplicationMessage"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationMessage.id"
    )
    attachments: Mapped[list["ApplicationAttachment"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationAttachment.id"
    )

    __table_args__ = (
        sa.CheckConstraint("expected_groups >= 0", name="groups_not_negative"),
        sa.CheckConstraint("expected_young_people >= 0", name="young_people_not_negative"),
        sa.CheckConstraint("requested_term_months IS NULL OR requested_term_months > 0", name="term_positive"),
        #: The staff inbox: open ones first, oldest first.
        sa.Index("ix_lease_application_status_created", "status", "created_at"),
        #: One open application per association per building.
        sa.Index(
            "uq_lease_application_open_per_organization",
            "building_id",
            "organization_id",
            unique=True,
            sqlite_where=sa.text(_OPEN_SQL),
            postgresql_where=sa.text(_OPEN_SQL),
        ),
    )

    def __repr__(self):
        return f"<LeaseApplication {self.id} {self.status}>"

    def _is_applicant_admin(self, user):
        membership = user.membership_in(self.organization_id) if user.is_authenticated else None
        return membership is not None and membership.role == Role.ADMIN

    def can_view(self, user):
        """The applicant association's members and facilities staff."""
        return user.is_authenticated and (user.is_staff or user.membership_in(self.organization_id) is not None)

    def can_edit(self, user):
        """The applicant's admins add to the application while it waits for them or for review."""
        return self._is_applicant_admin(user) and self.status.value in rules.EDITABLE_STATUSES

    def can_withdraw(self, user):
        """The applicant's admins withdraw it until it is rejected or withdrawn."""
        return self._is_applicant_admin(user) and rules.allowed("withdraw", self.status)

    def can_review(self, user):
        """Facilities staff review, accept and reject applications."""
        return user.is_staff

    def can_message(self, user):
        """Staff and the applicant's admins write in the thread while the application is alive."""
        alive = self.status.value not in rules.CLOSED_STATUSES
        return alive and (user.is_staff or self._is_applicant_admin(user))

    @classmethod
    def can_manage(cls, user):
        """Only facilities staff see the inbox of every application."""
        return user.is_staff

    @classmethod
    def can_list(cls, user):
        """Members of an association (and staff) see their applications page."""
        return user.is_authenticated and (
            user.is_staff or any(m.organization.kind.value == "association" for m in user.memberships)
        )


class ApplicationMessage(db.Model):
    """A message in an application's thread, from staff or from the applicant."""

    __tablename__ = "application_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lease_application.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    #: The author's side: the facilities centre or the applicant association.
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id", ondelete="CASCADE"), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: Staff asked the applicant for more information with this message.
    asks_information: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    application: Mapped[LeaseApplication] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    organization: Mapped[Organization] = relationship()


class ApplicationAttachment(db.Model):
    """A PDF attached to an application, stored under a generated name."""

    __tablename__ = "application_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lease_application.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Generated file name under UPLOAD_FOLDER/documents.
    filename: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    size_bytes: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    application: Mapped[LeaseApplication] = relationship(back_populates="attachments")
