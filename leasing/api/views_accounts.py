"""API: the caller (the owner of the API token) and the organizations they belong to."""

from flask_login import current_user

from leasing.accounts import members
from leasing.accounts.models import Organization
from leasing.api.core import blueprint, errors
from leasing.api.loading import load, require
from leasing.api.schemas_accounts import MeSchema, OrganizationSchema

bp = blueprint("accounts", "The caller's account and organizations")


@bp.get("/me")
@bp.response(200, MeSchema)
@errors()
def me():
    """The caller: who the token belongs to, staff or not, and their memberships with roles."""
    return require("edit", current_user)  # one's own account: any signed-in caller (401 without a token)


@bp.get("/organizations/<int:organization_id>")
@bp.response(200, OrganizationSchema)
@errors(404)
def get_organization(organization_id):
    """An organization and its members, as its members page shows them (its members and facilities staff)."""
    require("edit", current_user)  # a signed-in caller (401 without a token), as /me
    organization = load(Organization, organization_id)
    return {
        "id": organization.id,
        "name": organization.name,
        "kind": organization.kind,
        "business_id": organization.business_id,
        "members": members.organization_memberships(organization),
    }
