"""Personal API tokens: a user's secret for the JSON API under ``/api/v1`` (``Authorization: Bearer …``)."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.accounts.models import User
from leasing.db import HELSINKI, UTCDateTime, utcnow
from leasing.extensions import db

#: A token that only reads: every API call that changes something refuses it.
READ = "read"
#: A token that may also change what its owner may change.
WRITE = "write"
#: The values of ``ApiToken.access``.
ACCESS_LEVELS = (READ, WRITE)


class ApiToken(db.Model):
    """A named secret that acts for ``user`` in the API (stored only as its SHA-256).

    It can do what its owner can do in their organizations, no more; a ``read`` token changes nothing.
    Revoked and expired tokens stay (for the user's list) but open nothing.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    #: SHA-256 (hex) of the secret; the secret itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    #: ``read`` or ``write`` (:data:`ACCESS_LEVELS`).
    access: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: The first instant the token no longer works (midnight after its last day, Helsinki); None: never.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("access IN ('read', 'write')", name="access_known"),)

    def __repr__(self):
        return f"<ApiToken {self.id} {self.name!r} user={self.user_id}>"

    @property
    def revoked(self):
        return self.revoked_at is not None

    @property
    def expired(self):
        """True once its last day (Helsinki) is over."""
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def active(self):
        """Neither revoked nor expired (the owner's own state is checked when the token is used)."""
        return not self.revoked and not self.expired

    @property
    def read_only(self):
        return self.access != WRITE

    @property
    def expires_on(self):
        """The last day (Helsinki) the token works, or None for a token that never expires."""
        if self.expires_at is None:
            return None
        return (self.expires_at.astimezone(HELSINKI) - timedelta(microseconds=1)).date()

    def can_manage(self, user):
        """Only its owner sees or revokes a token."""
        return user.is_authenticated and user.id == self.user_id
