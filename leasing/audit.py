"""The audit log: who changed what, when, with a short before/after."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.db import UTCDateTime, utcnow
from leasing.extensions import db


class AuditEvent(db.Model):
    """One change to a record, written in the same transaction as the change."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    #: A dotted verb such as ``building.publish``.
    action: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    object_type: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    object_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: Changed fields as ``{"field": [before, after]}``, values as strings.
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict, nullable=False)

    actor = relationship("User", lazy="joined")

    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)


def record(actor, action, obj, changes=None):
    """Add an audit event for ``obj`` (flushed with the change; the request commits both)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.id,
        changes={key: [_plain(a), _plain(b)] for key, (a, b) in (changes or {}).items()},
    )
    db.session.add(event)
    return event


def diff(obj, values):
    """Apply ``values`` to ``obj`` and return ``{field: (before, after)}`` for those that changed."""
    changes = {}
    for key, value in values.items():
        before = getattr(obj, key)
        if before != value:
            changes[key] = (before, value)
            setattr(obj, key, value)
    return changes


def _plain(value):
    if value is None:
        return None
    if hasattr(value, "value") and not isinstance(value, (int, float, str)):
        return str(value.value)
    return str(value)
