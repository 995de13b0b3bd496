"""API schemas of sublets: a space of a leased building given by the tenant association to a group.

The input schemas list only what the association's admins may set: the space, the group, the kind of
use, the period, the weekly slot, the rent, other terms and the contract's language. The number,
status, signatures and the landlord's decision are the system's (and the actions'). Unknown fields
are refused (422). The limits mirror the HTML form's; the rules are the services'.
"""

import marshmallow as ma
from marshmallow import validate

from leasing.api.fields import Instant, Money, StrictInteger, enum_field, sane_date, text
from leasing.api.schemas_leases import MAX_ID, object_id
from leasing.leases.vocabulary import CONTRACT_LANGUAGES
from leasing.sublets.vocabulary import SubletKind, SubletStatus


def _clock(**kwargs):
    return ma.fields.Time(format="%H:%M", **kwargs)


class SubletSignatureSchema(ma.Schema):
    """One side of the sublet and its signature on the current contract version."""

    organization_id = ma.fields.Integer()
    organization_name = ma.fields.String()
    side = ma.fields.String(validate=validate.OneOf(["association", "group"]))
    signer_name = ma.fields.String(allow_none=True)
    signed_at = Instant(allow_none=True, metadata={"description": "null: this side has not signed yet"})


class SubletSchema(ma.Schema):
    """A sublet as its parties and facilities staff see it."""

    id = ma.fields.Integer()
    number = ma.fields.String()
    lease_id = ma.fields.Integer()
    lease_number = ma.fields.String(attribute="lease.number")
    building_id = ma.fields.Integer(attribute="lease.building_id")
    building_name = ma.fields.String(attribute="lease.building.name")
    space_id = ma.fields.Integer()
    space_name = ma.fields.String(attribute="space.name")
    association_id = ma.fields.Integer(metadata={"description": "The sublessor (the lease's tenant)"})
    association_name = ma.fields.String(attribute="association.name")
    group_id = ma.fields.Integer(metadata={"description": "The subtenant group"})
    group_name = ma.fields.String(attribute="group.name")
    kind = enum_field(SubletKind)
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    last_day = ma.fields.Date(metadata={"description": "The end, or the earlier day it was ended on"})
    weekday = ma.fields.Integer(allow_none=True, metadata={"description": "A slot's weekday, 0 = Monday"})
    slot_starts = _clock(allow_none=True)
    slot_ends = _clock(allow_none=True)
    monthly_rent = Money()
    terms = ma.fields.String()
    language = ma.fields.String()
    status = enum_field(
        SubletStatus,
        attribute="current_status",
        metadata={"description": "As of today: a signed sublet is active from its start, expired after its end"},
    )
    needs_approval = ma.fields.Boolean(
        attribute="lease.sublet_needs_approval", metadata={"description": "The lease asks the landlord's approval"}
    )
    offered_at = Instant(allow_none=True)
    signed_at = Instant(allow_none=True)
    decided_at = Instant(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)
    ended_on = ma.fields.Date(allow_none=True)
    terminated_at = Instant(allow_none=True)
    termination_reason = ma.fields.String(allow_none=True)
    flagged_at = Instant(allow_none=True, metadata={"description": "Set when the lease ends before the sublet"})
    flag_reason = ma.fields.String(allow_none=True)
    created_at = Instant()
    updated_at = Instant()


class SubletDetailSchema(SubletSchema):
    """A sublet with both sides' signatures and the contract."""

    signatures = ma.fields.List(ma.fields.Nested(SubletSignatureSchema), metadata={"description": "Association first"})
    contract_version = ma.fields.Integer(allow_none=True, metadata={"description": "null before the offer"})
    contract_url = ma.fields.String(
        allow_none=True,
        metadata={"description": "The contract PDF (the signed one once signed) in this API; null before the offer"},
    )


class SubletTermsSchema(ma.Schema):
    """A sublet's terms; to change a draft or an offer, fields left out keep their value."""

    space_id = object_id(metadata={"description": "A space of the leased premises"})
    group_id = object_id(metadata={"description": "A cultural group"})
    kind = enum_field(SubletKind)
    starts_on = sane_date()
    ends_on = sane_date(metadata={"description": "The last day"})
    weekday = StrictInteger(
        allow_none=True, validate=validate.Range(0, 6), metadata={"description": "A slot's weekday, 0 = Monday"}
    )
    slot_starts = _clock(allow_none=True, metadata={"description": "A slot's start, Helsinki time"})
    slot_ends = _clock(allow_none=True, metadata={"description": "A slot's end, Helsinki time"})
    monthly_rent = Money()
    terms = text(10_000)
    language = ma.fields.String(validate=validate.OneOf(list(CONTRACT_LANGUAGES)))

    @ma.post_load
    def strip(self, data, **kwargs):
        if "terms" in data:
            data["terms"] = data["terms"].strip()
        return data


class SubletInSchema(SubletTermsSchema):
    """A new sublet draft of a space of the association's lease (its admins)."""

    lease_id = object_id(required=True)
    space_id = object_id(required=True, metadata={"description": "A space of the leased premises"})
    group_id = object_id(required=True, metadata={"description": "A cultural group"})
    kind = enum_field(SubletKind, required=True)
    starts_on = sane_date(required=True)
    ends_on = sane_date(required=True, metadata={"description": "The last day"})
    weekday = StrictInteger(
        allow_none=True,
        load_default=None,
        validate=validate.Range(0, 6),
        metadata={"description": "A slot's weekday, 0 = Monday"},
    )
    slot_starts = _clock(allow_none=True, load_default=None, metadata={"description": "A slot's start, Helsinki time"})
    slot_ends = _clock(allow_none=True, load_default=None, metadata={"description": "A slot's end, Helsinki time"})
    monthly_rent = Money(required=True)
    terms = text(10_000, load_default="")
    language = ma.fields.String(load_default="fi", validate=validate.OneOf(list(CONTRACT_LANGUAGES)))


class SubletFiltersSchema(ma.Schema):
    """The list's filter (staff see every sublet, others their organizations')."""

    lease_id = ma.fields.Integer(validate=validate.Range(1, MAX_ID))


class SubletSignSchema(ma.Schema):
    """A signature for the caller's side, confirmed with their password (asked again on purpose)."""

    password = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000), load_only=True)


class ApproveSchema(ma.Schema):
    """The landlord's approval, with an optional note to both sides."""

    note = text(2000, load_default="")


class RefuseSchema(ma.Schema):
    """The landlord's refusal, with the reason both sides read."""

    reason = text(2000, required=True)


class CancelSchema(ma.Schema):
    """Withdrawing a sublet not yet in force, with an optional reason sent to the group."""

    reason = text(2000, load_default="")


class SubletTerminateSchema(ma.Schema):
    """Ending a sublet in force early."""

    ends_on = sane_date(required=True, metadata={"description": "The sublet's last day"})
    reason = text(2000, required=True)
