"""The audit log: who changed what, when, with a short before/after."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.db import UTCDateTime, utcnow
from leasing.extensions import db
from leasing.i18n import _l


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


#: What each recorded action is called on the pages; an unknown action shows its code.
ACTION_TITLES = {
    "building.create": _l("Building added"),
    "building.update": _l("Details changed"),
    "building.publish": _l("Published"),
    "building.withdraw": _l("Withdrawn"),
    "building.demo_negotiating": _l("In negotiation (demo data)"),
    "building.application.accept": _l("In negotiation: an application was accepted"),
    "building.application.reject": _l("Vacant again: the accepted application was rejected"),
    "building.application.withdraw": _l("Vacant again: the accepted application was withdrawn"),
    "building.lease.signed": _l("Leased: the lease was signed"),
    "building.lease.active": _l("Leased: the lease began"),
    "building.lease.ended": _l("Vacant again: the lease ended"),
    "space.create": _l("Space added"),
    "space.update": _l("Space changed"),
    "space.delete": _l("Space removed"),
    "space.booking_settings": _l("Booking settings changed"),
    "space.closed_date.add": _l("Closed dates added"),
    "space.closed_date.remove": _l("Closed dates removed"),
    "photo.create": _l("Photo added"),
    "photo.delete": _l("Photo removed"),
    "document.create": _l("Document added"),
    "document.delete": _l("Document removed"),
    "sublet.create": _l("Sublet drafted"),
    "sublet.update": _l("Sublet terms changed"),
    "sublet.reissue": _l("New contract version"),
    "sublet.offer": _l("Sublet offered to the group"),
    "sublet.sign": _l("Sublet signed by one side"),
    "sublet.signed": _l("Sublet signed by both sides"),
    "sublet.approve": _l("Sublet approved by the facilities centre"),
    "sublet.refuse": _l("Sublet refused by the facilities centre"),
    "sublet.cancel": _l("Sublet cancelled"),
    "sublet.terminate": _l("Sublet ended early"),
    "sublet.flag": _l("Sublet flagged: the lease ends first"),
    "calendar_token.create": _l("Calendar address created"),
    "calendar_token.rename": _l("Calendar address renamed"),
    "calendar_token.revoke": _l("Calendar address revoked"),
    "calendar_token.regenerate": _l("Calendar address regenerated"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
}
#: Field names as the forms call them.
FIELD_TITLES = {
    "name": _l("Name"),
    "street_address": _l("Street address"),
    "postal_code": _l("Postal code"),
    "city": _l("City"),
    "district": _l("District"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "building_type": _l("Type"),
    "year_built": _l("Year built"),
    "area_m2": _l("Area (m²)"),
    "description": _l("Description"),
    "accessibility": _l("Accessibility"),
    "asking_rent": _l("Asking rent (€ per month)"),
    "available_from": _l("Available from"),
    "safety_limit": _l("Safety limit"),
    "min_minutes": _l("Shortest booking (minutes)"),
    "max_minutes": _l("Longest booking (minutes)"),
    "book_ahead_days": _l("Days ahead one may book"),
    "member_rate": _l("Member price (€ per hour)"),
    "needs_approval": _l("Requests need approval"),
    "house_rules": _l("House rules"),
    "starts_on": _l("Starts"),
    "ends_on": _l("Ends"),
    "reason": _l("Reason"),
    "closed_date": _l("Closed dates"),
    "status": _l("Status"),
    "kind": _l("Kind"),
    "capacity": _l("Capacity"),
    "bookable": _l("Bookable"),
    "hourly_rate": _l("Hourly rate (€)"),
    "features": _l("Features"),
    "opening_hours": _l("Opening hours"),
    "alt_text": _l("Text alternative"),
    "title": _l("Title"),
    "space": _l("Space"),
    "photo": _l("Photo"),
    "document": _l("Document"),
}


def action_title(action):
    """The translated name of an audited action (the code itself when it has none)."""
    return ACTION_TITLES.get(action, action)


def field_title(field):
    """The translated name of an audited field (the field name itself when it has none)."""
    return FIELD_TITLES.get(field, field)
