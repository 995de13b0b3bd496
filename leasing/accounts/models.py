"""Organizations, users, memberships, invitations, password resets and server-side sessions."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from leasing.extensions import db
from leasing.i18n import _l


class OrgKind(enum.StrEnum):
    """What an organization is."""

    FACILITIES_CENTRE = "facilities_centre"
    ASSOCIATION = "association"
    CULTURAL_GROUP = "cultural_group"

    @property
    def title(self):
        return {
            OrgKind.FACILITIES_CENTRE: _l("Facilities centre"),
            OrgKind.ASSOCIATION: _l("Association"),
            OrgKind.CULTURAL_GROUP: _l("Cultural group"),
        }[self]


class Role(enum.StrEnum):
    """A member's role in one organization."""

    ADMIN = "admin"
    MEMBER = "member"

    @property
    def title(self):
        return {Role.ADMIN: _l("Administrator"), Role.MEMBER: _l("Member")}[self]


class Organization(TimestampMixin, db.Model):
    """The facilities centre, an association or a cultural group."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind), nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Finnish Y-tunnus in the form 1234567-8; required for associations, optional for groups.
    business_id: Mapped[str | None] = mapped_column(sa.String(9), unique=True)
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    billing_address: Mapped[str | None] = mapped_column(sa.String(500))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Membership.id"
    )

    __table_args__ = (
        sa.CheckConstraint("kind <> 'association' OR business_id IS NOT NULL", name="association_has_business_id"),
    )

    def __repr__(self):
        return f"<Organization {self.id} {self.name!r}>"

    @property
    def is_facilities_centre(self):
        return self.kind == OrgKind.FACILITIES_CENTRE

    def can_view(self, user):
        """Members and facilities staff see an organization's page."""
        return user.is_authenticated and (user.is_staff or user.membership_in(self) is not None)

    def can_manage(self, user):
        """Only the organization's admins invite members and change roles."""
        membership = user.membership_in(self) if user.is_authenticated else None
        return membership is not None and membership.role == Role.ADMIN


class User(UserMixin, TimestampMixin, db.Model):
    """A person who logs in. Personal data is kept minimal: a name and an e-mail address."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    #: The user's language for e-mail and pages (fi, sv, en).
    locale: Mapped[str] = mapped_column(sa.String(5), nullable=False, default="fi")
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="Membership.id"
    )

    def __repr__(self):
        return f"<User {self.id} {self.email}>"

    @property
    def is_active(self):
        return self.active

    @property
    def is_staff(self):
        """A member of the facilities centre."""
        return any(m.organization.kind == OrgKind.FACILITIES_CENTRE for m in self.memberships)

    def membership_in(self, organization):
        """This user's membership in ``organization``, or None."""
        org_id = getattr(organization, "id", organization)
        return next((m for m in self.memberships if m.organization_id == org_id), None)

    def admin_organizations(self):
        """Organizations this user administers."""
        return [m.organization for m in self.memberships if m.role == Role.ADMIN]

    def can_edit(self, user):
        """A user edits only their own account."""
        return user.is_authenticated and user.id == self.id


class Membership(TimestampMixin, db.Model):
    """A user's role in an organization."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False, default=Role.MEMBER)
    #: May sign documents on the organization's behalf (admins by default).
    can_sign: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("user_id", "organization_id", name="uq_membership_user_organization"),)


class Invitation(db.Model):
    """An e-mailed invitation to join an organization; the token is stored hashed."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), nullable=False, index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False, default=Role.MEMBER)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship()

    def is_usable(self, now):
        """Neither accepted, revoked nor expired at ``now``."""
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def can_accept(self, user):
        """Only the person the invitation was sent to (by e-mail address) accepts it."""
        return user.is_authenticated and user.email == self.email


class PasswordReset(db.Model):
    """A single-use, time-limited password reset; only the token's hash is stored."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now):
        """Not used yet and not expired at ``now``."""
        return self.used_at is None and now < self.expires_at


class UserSession(db.Model):
    """A signed-in browser. The cookie holds only a random id; revoking the row ends the session."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: SHA-256 of the random session id kept in the signed cookie.
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))


class Anonymous(AnonymousUserMixin):
    """The visitor who has not logged in: no memberships, no staff rights."""

    is_staff = False
    memberships = ()
    id = None
    locale = None

    def membership_in(self, organization):
        return None

    def admin_organizations(self):
        return []

    def can_edit(self, user):
        return False
