"""API schemas of the caller's account and their organizations (read-only)."""

import marshmallow as ma

from leasing.accounts.models import OrgKind, Role
from leasing.api.fields import enum_field


class OrganizationRefSchema(ma.Schema):
    """An organization by id, name and kind."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = enum_field(OrgKind)


class MembershipSchema(ma.Schema):
    """The caller's role in one organization."""

    organization = ma.fields.Nested(OrganizationRefSchema)
    role = enum_field(Role)
    can_sign = ma.fields.Boolean(metadata={"description": "Signs documents on the organization's behalf"})


class MeSchema(ma.Schema):
    """The caller: the owner of the API token."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    email = ma.fields.String()
    locale = ma.fields.String(metadata={"description": "The language of their e-mail and pages (fi, sv, en)"})
    is_staff = ma.fields.Boolean(metadata={"description": "A member of the facilities centre"})
    memberships = ma.fields.List(ma.fields.Nested(MembershipSchema))


class MemberSchema(ma.Schema):
    """A member as the organization's members page shows them."""

    user_id = ma.fields.Integer()
    name = ma.fields.String(attribute="user.name")
    email = ma.fields.String(attribute="user.email")
    role = enum_field(Role)
    can_sign = ma.fields.Boolean(metadata={"description": "Signs documents on the organization's behalf"})


class OrganizationSchema(OrganizationRefSchema):
    """An organization with its members (admins first, then by name), for its members and facilities staff."""

    business_id = ma.fields.String(allow_none=True, metadata={"description": "Finnish business ID (Y-tunnus)"})
    members = ma.fields.List(ma.fields.Nested(MemberSchema))
