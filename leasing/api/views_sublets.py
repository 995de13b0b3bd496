"""API: sublets — the tenant association gives a space of its lease to a cultural group.

The association's admins draft, change, offer and cancel; a member with signing authority of each
side signs with their password, as on the sublet page; staff approve or refuse where the lease asks
for it; the association's admins or staff end a sublet in force early. Every step is the service the
HTML pages call, and the same e-mails go out.
"""

import sqlalchemy as sa
from flask import request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from leasing.api.core import PDF_SCHEMA, blueprint, commits, errors
from leasing.api.loading import load, require
from leasing.api.pagination import PageArgsSchema, page, page_schema
from leasing.api.schemas_leases import Extended
from leasing.api.schemas_sublets import (
    ApproveSchema,
    CancelSchema,
    RefuseSchema,
    SubletDetailSchema,
    SubletFiltersSchema,
    SubletInSchema,
    SubletSchema,
    SubletSignSchema,
    SubletTerminateSchema,
    SubletTermsSchema,
)
from leasing.authz import allowed
from leasing.documents.responses import pdf_response
from leasing.errors import NotFound
from leasing.keyset import Key
from leasing.leases.models import Lease
from leasing.sublets import queries, services, signing
from leasing.sublets.models import Sublet

bp = blueprint("sublets", "Sublets of spaces of a leased building to cultural groups")

SubletPage = page_schema(SubletSchema, "SubletPage")
LATEST_START = [Key(Sublet.starts_on, desc=True), Key(Sublet.id, desc=True)]


class SubletListArgs(SubletFiltersSchema, PageArgsSchema):
    """Filter and page."""


@bp.get("/sublets")
@bp.arguments(SubletListArgs, location="query", as_kwargs=True)
@bp.response(200, SubletPage)
@errors(403)
def list_sublets(cursor=None, limit=50, lease_id=None):
    """Sublets, latest start first: every one for staff, else those of the caller's organizations (as the
    association or as the group)."""
    if allowed(current_user, "manage", Sublet):
        query = sa.select(Sublet)
    else:
        require("list", Sublet)
        query = queries.of_organizations_query([m.organization_id for m in current_user.memberships])
    if lease_id is not None:
        query = query.where(Sublet.lease_id == lease_id)
    args = {"cursor": cursor, "limit": limit}
    return page(query, LATEST_START, "sublets:latest", args, options=(joinedload(Sublet.association),))


@bp.post("/sublets")
@bp.arguments(SubletInSchema)
@bp.response(201, SubletDetailSchema)
@errors(403, 404)
@commits
def create_sublet(values):
    """Draft a sublet of a space of the association's lease to a cultural group (the association's admins)."""
    lease = load(Lease, values.pop("lease_id"))
    return _detail(services.create_draft(current_user, lease, values))


@bp.get("/sublets/<int:sublet_id>/contract.pdf")
@bp.response(200, PDF_SCHEMA, content_type="application/pdf", description="The contract PDF")
@errors(404)
def sublet_contract_pdf(sublet_id):
    """The sublet's contract PDF (the signed one once signed), for both parties and staff; 404 before the offer."""
    sublet = load(Sublet, sublet_id)
    document = signing.published_pdf(sublet)
    if document is None:
        raise NotFound()
    return pdf_response(document, sublet.number)


@bp.get("/sublets/<int:sublet_id>")
@bp.response(200, SubletDetailSchema)
@errors(404)
def get_sublet(sublet_id):
    """A sublet: terms, status, both sides' signatures and the contract PDF's address (its parties and staff)."""
    return _detail(load(Sublet, sublet_id))


@bp.patch("/sublets/<int:sublet_id>")
@bp.arguments(SubletTermsSchema)
@bp.response(200, SubletDetailSchema)
@errors(403, 404)
@commits
def update_sublet(values, sublet_id):
    """Change a draft's or an offer's terms (the association's admins); a changed offer gets a new contract
    version and its signatures are void. Fields left out keep their value."""
    sublet = load(Sublet, sublet_id, "edit")
    return _detail(services.update(current_user, sublet, {**services.term_values(sublet), **values}))


@bp.post("/sublets/<int:sublet_id>/offer")
@bp.response(200, SubletDetailSchema)
@errors(403, 404)
@commits
def offer_sublet(sublet_id):
    """Send the draft to the group (the association's admins): the rules are checked again, the contract is
    rendered and the group's signers are e-mailed."""
    sublet = load(Sublet, sublet_id, "offer")
    return _detail(signing.offer(current_user, sublet))


@bp.post("/sublets/<int:sublet_id>/sign")
@bp.arguments(SubletSignSchema)
@bp.response(200, SubletDetailSchema)
@errors(403, 404, 409)
@commits
def sign_sublet(values, sublet_id):
    """Sign the current contract version for your side, confirmed with your password; when both sides have
    signed, the sublet is signed (or awaits the landlord's approval where the lease asks for it)."""
    sublet = load(Sublet, sublet_id, "sign")
    signing.sign(current_user, sublet, values["password"], request.remote_addr)
    return _detail(sublet)


@bp.post("/sublets/<int:sublet_id>/approve")
@bp.arguments(ApproveSchema)
@bp.response(200, SubletDetailSchema)
@errors(403, 404, 409)
@commits
def approve_sublet(values, sublet_id):
    """Approve a signed sublet awaiting the landlord's approval (staff): it takes effect."""
    sublet = load(Sublet, sublet_id, "decide")
    return _detail(signing.approve(current_user, sublet, values["note"]))


@bp.post("/sublets/<int:sublet_id>/refuse")
@bp.arguments(RefuseSchema)
@bp.response(200, SubletDetailSchema)
@errors(403, 404)
@commits
def refuse_sublet(values, sublet_id):
    """Refuse a signed sublet awaiting the landlord's approval (staff), with the reason both sides read."""
    sublet = load(Sublet, sublet_id, "decide")
    return _detail(signing.refuse(current_user, sublet, values["reason"]))


@bp.post("/sublets/<int:sublet_id>/cancel")
@bp.arguments(CancelSchema)
@bp.response(200, SubletDetailSchema)
@errors(403, 404, 409)
@commits
def cancel_sublet(values, sublet_id):
    """Withdraw a sublet not yet in force (the association's admins); the group is told."""
    sublet = load(Sublet, sublet_id, "cancel")
    return _detail(services.cancel(current_user, sublet, values["reason"].strip()))


@bp.post("/sublets/<int:sublet_id>/terminate")
@bp.arguments(SubletTerminateSchema)
@bp.response(200, SubletDetailSchema)
@errors(403, 404)
@commits
def terminate_sublet(values, sublet_id):
    """End a signed or active sublet early (the association's admins or staff), with its last day and a reason."""
    sublet = load(Sublet, sublet_id, "terminate")
    return _detail(services.terminate(current_user, sublet, values["ends_on"], values["reason"]))


def _detail(sublet):
    document = signing.current_contract(sublet)
    signatures = [
        {
            "organization_id": organization.id,
            "organization_name": organization.name,
            "side": "association" if organization.id == sublet.association_id else "group",
            "signer_name": signature.signer.name if signature is not None else None,
            "signed_at": signature.signed_at if signature is not None else None,
        }
        for organization, signature in signing.signature_rows(sublet, document)
    ]
    published = signing.published_pdf(sublet)
    url = url_for("api_sublets.sublet_contract_pdf", sublet_id=sublet.id, _external=True) if published else None
    return Extended(
        sublet,
        signatures=signatures,
        contract_version=document.version if document is not None else None,
        contract_url=url,
    )
