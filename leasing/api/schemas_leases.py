"""API schemas of lease applications and leases.

The input schemas list only what a caller may set. An application's status moves through its own
actions (review, accept, reject, withdraw); a lease's status, number, reference number, signatures
and contract versions are the system's, and its terms are set by staff only (the views authorize).
Unknown fields are refused (422). The limits mirror the HTML forms'; the rules are the services'.
Attachments of an application are added and read on its HTML page only.
"""

import re
from datetime import date

import marshmallow as ma
from marshmallow import validate

from leasing.api.fields import (
    FIRST_DATE,
    LAST_DATE,
    DecimalString,
    Instant,
    Money,
    StrictBoolean,
    StrictInteger,
    enum_field,
    sane_date,
    text,
)
from leasing.i18n import _
from leasing.leases.application_models import ApplicationStatus
from leasing.leases.application_rules import MAX_COUNT, MAX_TERM_MONTHS, MAX_TEXT
from leasing.leases.vocabulary import CONTRACT_LANGUAGES, Item, LeaseStatus, Party, VatStatus

#: The largest id a row can have (the columns are 32-bit integers on PostgreSQL).
MAX_ID = 2**31 - 1
#: How many ids a list in a body may hold (a building has a few dozen spaces at most).
MAX_IDS = 500


def object_id(**kwargs):
    """An id in a body: a JSON integer of a possible row."""
    return StrictInteger(validate=validate.Range(1, MAX_ID), **kwargs)


def id_list(**kwargs):
    """A list of ids in a body, each once."""
    return ma.fields.List(object_id(), validate=[validate.Length(max=MAX_IDS), _unique], **kwargs)


def _unique(values):
    if len(values) != len(set(values)):
        raise ma.ValidationError(_("Give each id only once."))


def _one_per_item(responsibilities):
    """Runs only on a list whose entries were read (a field's own validators do)."""
    items = [entry["item"] for entry in responsibilities]
    if len(items) != len(set(items)):
        raise ma.ValidationError(_("Give each item at most once."))


def _not_blank(value):
    if not value.strip():
        raise ma.ValidationError(_("Enter a value that is not only spaces."))


def filled(max_length, **kwargs):
    """An optional string that, when given, is not blank (at most ``max_length`` characters)."""
    return ma.fields.String(validate=[validate.Length(min=1, max=max_length), _not_blank], **kwargs)


class Month(ma.fields.Field):
    """A month as ``2026-03`` (read as its first day, written the same way)."""

    PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
    default_error_messages = {"invalid": "Enter a month like 2026-03, from 2000-01 to 2100-12."}

    def __init__(self, **kwargs):
        metadata = {
            "type": "string",
            "pattern": self.PATTERN.pattern,
            "example": "2026-03",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value.year:04d}-{value.month:02d}"

    def _deserialize(self, value, attr, data, **kwargs):
        match = self.PATTERN.match(value) if isinstance(value, str) else None
        if not match:
            raise self.make_error("invalid")
        month = date(int(match.group(1)), int(match.group(2)), 1)
        if not FIRST_DATE <= month <= LAST_DATE:
            raise self.make_error("invalid")
        return month


def _clock(**kwargs):
    return ma.fields.Time(format="%H:%M", **kwargs)


class Extended:
    """An object seen with some more attributes: what a detail answer adds to the row for its schema."""

    def __init__(self, obj, **extra):
        self._obj, self._extra = obj, extra

    def __getattr__(self, name):
        if name in self._extra:
            return self._extra[name]
        return getattr(self._obj, name)


# --- Lease applications ------------------------------------------------------------------------


class ApplicationMessageSchema(ma.Schema):
    """A message in an application's thread."""

    id = ma.fields.Integer()
    author_id = ma.fields.Integer(allow_none=True)
    author_name = ma.fields.String(attribute="author.name", allow_none=True)
    organization_id = ma.fields.Integer(metadata={"description": "The author's side"})
    organization_name = ma.fields.String(attribute="organization.name")
    from_facilities_centre = ma.fields.Boolean(attribute="organization.is_facilities_centre")
    body = ma.fields.String()
    asks_information = ma.fields.Boolean(
        metadata={"description": "Staff asked for more information (the application waits for the answer)"}
    )
    created_at = Instant()


class AttachmentSchema(ma.Schema):
    """An attached PDF (added and downloaded on the application's HTML page)."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    size_bytes = ma.fields.Integer()
    created_at = Instant()


class _IdSchema(ma.Schema):
    id = ma.fields.Integer()


class ApplicationSchema(ma.Schema):
    """A lease application as its association and facilities staff see it."""

    id = ma.fields.Integer()
    building_id = ma.fields.Integer()
    building_name = ma.fields.String(attribute="building.name")
    organization_id = ma.fields.Integer(metadata={"description": "The applicant association"})
    organization_name = ma.fields.String(attribute="organization.name")
    submitted_by_id = ma.fields.Integer(allow_none=True)
    whole_building = ma.fields.Boolean()
    space_ids = ma.fields.Pluck(_IdSchema, "id", many=True, attribute="spaces")
    proposed_use = ma.fields.String()
    operating_model = ma.fields.String()
    requested_start = ma.fields.Date()
    requested_term_months = ma.fields.Integer(allow_none=True, metadata={"description": "null: indefinite"})
    expected_groups = ma.fields.Integer()
    expected_young_people = ma.fields.Integer()
    status = enum_field(ApplicationStatus)
    decision_note = ma.fields.String(allow_none=True)
    decided_at = Instant(allow_none=True)
    withdrawn_at = Instant(allow_none=True)
    withdrawal_reason = ma.fields.String(allow_none=True)
    created_at = Instant()
    updated_at = Instant()


class ApplicationDetailSchema(ApplicationSchema):
    """An application with its thread, its attachments' titles and the lease drafted from it."""

    messages = ma.fields.List(ma.fields.Nested(ApplicationMessageSchema))
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema))
    lease_id = ma.fields.Integer(allow_none=True, metadata={"description": "The lease drafted from it, if any"})


class ApplicationFiltersSchema(ma.Schema):
    """The list's filter."""

    status = enum_field(ApplicationStatus)


class ApplicationInSchema(ma.Schema):
    """An association's application for a vacant building (attachments: on the HTML page)."""

    building_id = object_id(required=True)
    organization_id = object_id(
        required=True, metadata={"description": "The applying association (one you are an administrator of)"}
    )
    whole_building = StrictBoolean(load_default=True)
    space_ids = id_list(
        load_default=list, metadata={"description": "The spaces applied for when `whole_building` is false"}
    )
    proposed_use = text(MAX_TEXT, required=True)
    operating_model = text(MAX_TEXT, load_default="")
    requested_start = sane_date(required=True)
    requested_term_months = StrictInteger(
        allow_none=True,
        load_default=None,
        validate=validate.Range(1, MAX_TERM_MONTHS),
        metadata={"description": "null or left out: indefinite"},
    )
    expected_groups = StrictInteger(load_default=0, validate=validate.Range(0, MAX_COUNT))
    expected_young_people = StrictInteger(load_default=0, validate=validate.Range(0, MAX_COUNT))

    @ma.validates_schema
    def spaces_only_for_part(self, data, **kwargs):
        if data.get("whole_building", True) and data.get("space_ids"):
            raise ma.ValidationError(_("Choose spaces only when not applying for the whole building."), "space_ids")

    @ma.post_load
    def to_service_values(self, data, **kwargs):
        data["proposed_use"] = data["proposed_use"].strip()
        data["operating_model"] = data["operating_model"].strip()
        return data


class MessageInSchema(ma.Schema):
    """A message in the thread; staff may ask the applicant for more information with it."""

    body = text(MAX_TEXT, required=True)
    ask_information = StrictBoolean(
        load_default=False, metadata={"description": "Staff only: the application waits for the applicant's answer"}
    )


class AcceptSchema(ma.Schema):
    """Accepting, with an optional note to the applicant."""

    note = text(MAX_TEXT, load_default="")


class RejectSchema(ma.Schema):
    """Rejecting, with the reason the applicant will read."""

    reason = text(MAX_TEXT, required=True)


class WithdrawSchema(ma.Schema):
    """Withdrawing, with an optional reason."""

    reason = text(MAX_TEXT, load_default="")


# --- Leases ------------------------------------------------------------------------------------


class RentStepSchema(ma.Schema):
    """A period with its own monthly rent (a start-up rent, or rent-free months at 0)."""

    starts_on = sane_date(required=True)
    ends_on = sane_date(required=True)
    monthly_rent = Money(required=True)
    note = text(200, load_default="")


class ResponsibilitySchema(ma.Schema):
    """Who answers for one maintenance item."""

    item = enum_field(Item, required=True)
    party = enum_field(Party, required=True)
    note = text(300, load_default="")


class SignerSchema(ma.Schema):
    """A person named to sign, and whether they have signed the current contract version."""

    user_id = ma.fields.Integer()
    name = ma.fields.String()
    organization_id = ma.fields.Integer()
    organization_name = ma.fields.String()
    side = ma.fields.String(validate=validate.OneOf(["tenant", "landlord"]))
    signed_at = Instant(allow_none=True, metadata={"description": "null: not signed yet"})


class LeaseSchema(ma.Schema):
    """A lease: its parties, premises, terms in force and where it is in its life."""

    id = ma.fields.Integer()
    number = ma.fields.String()
    reference_number = ma.fields.String()
    application_id = ma.fields.Integer(allow_none=True)
    building_id = ma.fields.Integer()
    building_name = ma.fields.String(attribute="building.name")
    landlord_id = ma.fields.Integer()
    tenant_id = ma.fields.Integer()
    tenant_name = ma.fields.String(attribute="tenant.name")
    status = enum_field(
        LeaseStatus,
        attribute="current_status",
        metadata={"description": "As of today: a signed lease is active from its start, expired after its last day"},
    )
    whole_building = ma.fields.Boolean()
    space_ids = ma.fields.Pluck(_IdSchema, "id", many=True, attribute="spaces")
    start_date = ma.fields.Date()
    end_date = ma.fields.Date(allow_none=True, metadata={"description": "null: indefinite"})
    notice_period_months = ma.fields.Integer(allow_none=True)
    last_day = ma.fields.Date(allow_none=True, metadata={"description": "The end, or the end after notice"})
    purpose = ma.fields.String()
    monthly_rent = Money()
    vat = enum_field(VatStatus)
    deposit = Money()
    due_day = ma.fields.Integer()
    iban = ma.fields.String()
    insurance = ma.fields.String()
    subletting_allowed = ma.fields.Boolean()
    sublet_needs_approval = ma.fields.Boolean()
    special_terms = ma.fields.String()
    language = ma.fields.String()
    index_base_month = Month(allow_none=True)
    index_base_value = DecimalString(places=2, minimum="0.01", maximum="999999.99", allow_none=True)
    city_approval_people = ma.fields.Integer(allow_none=True)
    city_approval_after = _clock(allow_none=True)
    amending = ma.fields.Boolean(metadata={"description": "An amendment is being negotiated (on the HTML pages)"})
    offered_at = Instant(allow_none=True)
    signed_at = Instant(allow_none=True)
    notice_given_on = ma.fields.Date(allow_none=True)
    notice_reason = ma.fields.String(allow_none=True)
    terminated_at = Instant(allow_none=True)
    termination_reason = ma.fields.String(allow_none=True)
    created_at = Instant()
    updated_at = Instant()


class LeaseDetailSchema(LeaseSchema):
    """A lease with its rent steps, responsibilities, named signers and contract."""

    rent_steps = ma.fields.List(ma.fields.Nested(RentStepSchema))
    responsibilities = ma.fields.List(ma.fields.Nested(ResponsibilitySchema))
    signers = ma.fields.List(ma.fields.Nested(SignerSchema), metadata={"description": "The tenant's first"})
    contract_version = ma.fields.Integer(allow_none=True, metadata={"description": "null before the offer"})
    contract_url = ma.fields.String(
        allow_none=True,
        metadata={"description": "The contract PDF (the signed one once signed) in this API; null before the offer"},
    )


class LeaseTermsSchema(ma.Schema):
    """A lease's terms as staff set them; a field left out keeps its value (for a new draft: the value
    drafted from the application). ``rent_steps``, ``space_ids`` and ``signer_ids`` replace the lists;
    ``responsibilities`` changes the items given."""

    whole_building = StrictBoolean()
    space_ids = id_list(metadata={"description": "The spaces leased when `whole_building` is false"})
    purpose = filled(5000)
    start_date = sane_date()
    end_date = sane_date(allow_none=True, metadata={"description": "A fixed term's last day; null: indefinite"})
    notice_period_months = StrictInteger(allow_none=True, validate=validate.Range(1, 24))
    monthly_rent = Money()
    vat = enum_field(VatStatus)
    deposit = Money()
    due_day = StrictInteger(validate=validate.Range(1, 28))
    iban = filled(42)
    insurance = text(5000)
    subletting_allowed = StrictBoolean()
    sublet_needs_approval = StrictBoolean()
    special_terms = text(10_000)
    city_approval_people = StrictInteger(
        allow_none=True,
        validate=validate.Range(1, 1_000_000),
        metadata={"description": "Public events of more people need the facilities centre's approval"},
    )
    city_approval_after = _clock(
        allow_none=True, metadata={"description": "Bookings ending later need the facilities centre's approval"}
    )
    index_base_month = Month(allow_none=True)
    index_base_value = DecimalString(places=2, minimum="0.01", maximum="999999.99", allow_none=True)
    language = ma.fields.String(validate=validate.OneOf(list(CONTRACT_LANGUAGES)))
    rent_steps = ma.fields.List(ma.fields.Nested(RentStepSchema), validate=validate.Length(max=12))
    responsibilities = ma.fields.List(
        ma.fields.Nested(ResponsibilitySchema), validate=[validate.Length(max=len(Item)), _one_per_item]
    )
    signer_ids = id_list(
        metadata={"description": "Users to sign: members with signing authority of the tenant or the facilities centre"}
    )

    @ma.post_load
    def to_service_values(self, data, **kwargs):
        for key in ("purpose", "insurance", "special_terms", "iban"):
            if key in data:
                data[key] = data[key].strip()
        if "rent_steps" in data:
            data["rent_steps"] = [{**step, "note": step["note"].strip()} for step in data["rent_steps"]]
        if "responsibilities" in data:
            data["responsibilities"] = {r["item"]: (r["party"], r["note"].strip()) for r in data["responsibilities"]}
        return data


class LeaseInSchema(LeaseTermsSchema):
    """A new draft from an accepted application; terms left out are drafted from the application."""

    application_id = object_id(required=True)


class LeaseFiltersSchema(ma.Schema):
    """The list's filter (staff see every lease, others their associations')."""

    building_id = ma.fields.Integer(validate=validate.Range(1, MAX_ID))


class SignSchema(ma.Schema):
    """A signature, confirmed with the signer's password (asked again on purpose)."""

    password = ma.fields.String(required=True, validate=validate.Length(min=1, max=1000), load_only=True)


class NoticeSchema(ma.Schema):
    """Notice on an indefinite lease."""

    given_on = sane_date(required=True)
    reason = text(2000, load_default="")


class TerminateSchema(ma.Schema):
    """Early termination by the facilities centre."""

    ends_on = sane_date(required=True, metadata={"description": "The lease's last day"})
    reason = text(2000, required=True)
