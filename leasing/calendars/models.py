"""Private-feed tokens: a user's secret address for an organization's calendar."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.accounts.models import Organization, User
from leasing.db import UTCDateTime, utcnow
from leasing.extensions import db


class CalendarToken(db.Model):
    """A named secret that opens ``organization``'s private feed for ``user`` (stored only as its SHA-256).

    Revoked tokens stay (for the user's list) but answer 404 at once.
    """

    __tablename__ = "calendar_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    #: SHA-256 (hex) of the secret; the secret itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    organization: Mapped[Organization] = relationship()

    @property
    def active(self):
        return self.revoked_at is None

    def can_manage(self, user):
        """Only its owner names, revokes or regenerates a token."""
        return user.is_authenticated and user.id == self.user_id
