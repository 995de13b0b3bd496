"""API: lease applications and leases.

An association's admins apply for a vacant building and follow their application's thread; staff
review, accept or reject it, draft the lease with its terms, and offer it; the named signers sign
with their password, as on the lease page. Every step is the service the HTML pages call, and the
same e-mails go out. Attachments and amendments stay on the HTML pages.
"""

import sqlalchemy as sa
from flask import request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from leasing.accounts.models import Organization
from leasing.api.core import PDF_SCHEMA, blueprint, commits, errors
from leasing.api.loading import load, require
from leasing.api.pagination import PageArgsSchema, page, page_schema
from leasing.api.schemas_leases import (
    AcceptSchema,
    ApplicationDetailSchema,
    ApplicationFiltersSchema,
    ApplicationInSchema,
    ApplicationMessageSchema,
    ApplicationSchema,
    Extended,
    LeaseDetailSchema,
    LeaseFiltersSchema,
    LeaseInSchema,
    LeaseSchema,
    LeaseTermsSchema,
    MessageInSchema,
    NoticeSchema,
    RejectSchema,
    SignSchema,
    TerminateSchema,
    WithdrawSchema,
)
from leasing.authz import allowed
from leasing.documents.responses import pdf_response
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.i18n import _
from leasing.keyset import Key
from leasing.leases import application_services, lifecycle, signing
from leasing.leases import notify_applications as notify
from leasing.leases import services as lease_services
from leasing.leases.application_models import LeaseApplication
from leasing.leases.models import Lease
from leasing.premises.models import Building

bp = blueprint("leases", "Lease applications, and leases between the facilities centre and associations")

ApplicationPage = page_schema(ApplicationSchema, "ApplicationPage")
LeasePage = page_schema(LeaseSchema, "LeasePage")

APPLICATION_LOADING = (
    joinedload(LeaseApplication.building),
    joinedload(LeaseApplication.organization),
    selectinload(LeaseApplication.spaces),
)
NEWEST_APPLICATIONS = [Key(LeaseApplication.id, desc=True)]
NEWEST_LEASES = [Key(Lease.id, desc=True)]


# --- Lease applications ------------------------------------------------------------------------


class ApplicationListArgs(ApplicationFiltersSchema, PageArgsSchema):
    """Filter and page."""


@bp.get("/applications")
@bp.arguments(ApplicationListArgs, location="query", as_kwargs=True)
@bp.response(200, ApplicationPage)
@errors(403)
def list_applications(cursor=None, limit=50, status=None):
    """Lease applications, newest first: every one for staff, else those of the caller's associations."""
    if allowed(current_user, "manage", LeaseApplication):
        query = sa.select(LeaseApplication)
    else:
        require("list", LeaseApplication)
        query = application_services.of_user(current_user)
    if status is not None:
        query = query.where(LeaseApplication.status == status)
    args = {"cursor": cursor, "limit": limit}
    return page(query, NEWEST_APPLICATIONS, "applications:newest", args, options=APPLICATION_LOADING)


@bp.post("/applications")
@bp.arguments(ApplicationInSchema)
@bp.response(201, ApplicationSchema)
@errors(403, 404, 409)
@commits
def create_application(values):
    """Apply for a vacant building, whole or some of its spaces, on behalf of an association you administer
    (attachments are added on the application's HTML page)."""
    building = load(Building, values.pop("building_id"), "apply")
    load(Organization, values["organization_id"])
    try:
        application = application_services.submit(current_user, building, values)
    except RuleViolation as error:
        error.fields = {("space_ids" if key == "spaces" else key): value for key, value in error.fields.items()}
        raise
    notify.application_submitted(application)
    return application


@bp.get("/applications/<int:application_id>")
@bp.response(200, ApplicationDetailSchema)
@errors(404)
def get_application(application_id):
    """An application with its message thread (the applicant association's members and staff)."""
    return _application_detail(load(LeaseApplication, application_id))


def _application_detail(application):
    lease = lease_services.lease_by_application(application.id)
    return Extended(
        application,
        messages=application_services.load_thread(application),
        lease_id=lease.id if lease is not None else None,
    )


@bp.post("/applications/<int:application_id>/messages")
@bp.arguments(MessageInSchema)
@bp.response(201, ApplicationMessageSchema)
@errors(403, 404, 409)
@commits
def post_application_message(values, application_id):
    """Write in the thread (staff and the applicant's admins); staff may ask for more information, and the
    applicant's answer resumes the review."""
    application = load(LeaseApplication, application_id, "message")
    message = application_services.post_message(
        current_user, application, values["body"], ask_information=values["ask_information"]
    )
    notify.message_posted(application, message)
    return message


@bp.post("/applications/<int:application_id>/review")
@bp.response(200, ApplicationDetailSchema)
@errors(403, 404, 409)
@commits
def review_application(application_id):
    """Take a submitted application under review (staff)."""
    application = load(LeaseApplication, application_id, "review")
    application_services.start_review(current_user, application)
    return _application_detail(application)


@bp.post("/applications/<int:application_id>/accept")
@bp.arguments(AcceptSchema)
@bp.response(200, ApplicationDetailSchema)
@errors(403, 404, 409)
@commits
def accept_application(values, application_id):
    """Accept an application under review (staff), with an optional note; the building goes to negotiation."""
    application = load(LeaseApplication, application_id, "review")
    application_services.accept(current_user, application, values["note"])
    notify.accepted(application)
    return _application_detail(application)


@bp.post("/applications/<int:application_id>/reject")
@bp.arguments(RejectSchema)
@bp.response(200, ApplicationDetailSchema)
@errors(403, 404, 409)
@commits
def reject_application(values, application_id):
    """Reject an application (staff), with the reason the applicant reads."""
    application = load(LeaseApplication, application_id, "review")
    application_services.reject(current_user, application, values["reason"])
    notify.rejected(application)
    return _application_detail(application)


@bp.post("/applications/<int:application_id>/withdraw")
@bp.arguments(WithdrawSchema)
@bp.response(200, ApplicationDetailSchema)
@errors(403, 404)
@commits
def withdraw_application(values, application_id):
    """Withdraw the application (the applicant association's admins), with an optional reason."""
    application = load(LeaseApplication, application_id, "withdraw")
    application_services.withdraw(current_user, application, values["reason"])
    notify.withdrawn(application)
    return _application_detail(application)


# --- Leases ------------------------------------------------------------------------------------


class LeaseListArgs(LeaseFiltersSchema, PageArgsSchema):
    """Filter and page."""


@bp.get("/leases")
@bp.arguments(LeaseListArgs, location="query", as_kwargs=True)
@bp.response(200, LeasePage)
@errors(403)
def list_leases(cursor=None, limit=50, building_id=None):
    """Leases, newest first: every one for staff, else those of the caller's associations."""
    if allowed(current_user, "manage", Lease):
        query = sa.select(Lease)
    else:
        require("list", Lease)
        query = lifecycle.tenant_query([m.organization_id for m in current_user.memberships])
    if building_id is not None:
        query = query.where(Lease.building_id == building_id)
    args = {"cursor": cursor, "limit": limit}
    return page(query, NEWEST_LEASES, "leases:newest", args, options=(selectinload(Lease.spaces),))


@bp.post("/leases")
@bp.arguments(LeaseInSchema)
@bp.response(201, LeaseDetailSchema)
@errors(403, 404, 409)
@commits
def create_lease(values):
    """Draft a lease from an accepted application (staff); terms left out are drafted from the application
    (its premises, start and term, the building's asking rent, every member with signing authority named)."""
    require("manage", Lease)
    application = load(LeaseApplication, values.pop("application_id"))
    terms = _merged(lease_services.draft_defaults(application), values)
    lease = _with_api_fields(lambda: lease_services.create_draft(current_user, application, terms))
    return _lease_detail(lease)


@bp.get("/leases/<int:lease_id>")
@bp.response(200, LeaseDetailSchema)
@errors(404)
def get_lease(lease_id):
    """A lease: terms, status, parties, named signers and who has signed, and the contract PDF's address."""
    return _lease_detail(load(Lease, lease_id))


@bp.get("/leases/<int:lease_id>/contract.pdf")
@bp.response(200, PDF_SCHEMA, content_type="application/pdf", description="The contract PDF")
@errors(404)
def lease_contract_pdf(lease_id):
    """The contract PDF in force (the signed one once signed), as on the lease page; 404 before the offer."""
    lease = load(Lease, lease_id)
    document = signing.published_pdf(lease)
    if document is None:
        raise NotFound()
    return pdf_response(document, lease.number)


@bp.patch("/leases/<int:lease_id>")
@bp.arguments(LeaseTermsSchema)
@bp.response(200, LeaseDetailSchema)
@errors(403, 404, 409)
@commits
def update_lease(values, lease_id):
    """Change the terms of a draft or an offer (staff); a changed offer gets a new contract version and its
    signatures are void. Fields left out keep their value."""
    lease = _not_amending(load(Lease, lease_id, "edit"))
    terms = _merged(lease_services.negotiated_values(lease), values)
    _with_api_fields(lambda: lease_services.update_terms(current_user, lease, terms))
    return _lease_detail(lease)


@bp.post("/leases/<int:lease_id>/offer")
@bp.response(200, LeaseDetailSchema)
@errors(403, 404, 409)
@commits
def offer_lease(lease_id):
    """Send the draft to the tenant (staff): the contract is rendered and the tenant's signers are e-mailed."""
    lease = _not_amending(load(Lease, lease_id, "offer"))
    signing.offer(current_user, lease)
    return _lease_detail(lease)


@bp.post("/leases/<int:lease_id>/sign")
@bp.arguments(SignSchema)
@bp.response(200, LeaseDetailSchema)
@errors(403, 404, 409)
@commits
def sign_lease(values, lease_id):
    """Sign the current contract version as a named signer, confirmed with your password (the tenant's
    signers first); when every named signer has signed, the lease is signed and the building leased."""
    lease = _not_amending(load(Lease, lease_id, "sign"))
    signing.sign(current_user, lease, values["password"], request.remote_addr)
    return _lease_detail(lease)


@bp.post("/leases/<int:lease_id>/notice")
@bp.arguments(NoticeSchema)
@bp.response(200, LeaseDetailSchema)
@errors(403, 404, 409)
@commits
def give_notice(values, lease_id):
    """Give notice on an indefinite signed or active lease (the tenant's admins or staff); it ends at the end
    of the notice period counted from the end of the month."""
    lease = load(Lease, lease_id, "give_notice")
    lifecycle.give_notice(current_user, lease, values["given_on"], values["reason"].strip())
    return _lease_detail(lease)


@bp.post("/leases/<int:lease_id>/terminate")
@bp.arguments(TerminateSchema)
@bp.response(200, LeaseDetailSchema)
@errors(403, 404)
@commits
def terminate_lease(values, lease_id):
    """End a signed or active lease early (staff), with its last day and a reason."""
    lease = load(Lease, lease_id, "terminate")
    lifecycle.terminate(current_user, lease, values["ends_on"], values["reason"].strip())
    return _lease_detail(lease)


def _not_amending(lease):
    """Amendments (extension, renewal) are negotiated on the lease page only: the API's lease shows the terms
    in force and the sealed contract, so it may not change, offer or sign an amendment it cannot show."""
    if lease.amending:
        raise Conflict(_("This lease is being amended; amendments are handled on the lease's page."))
    return lease


def _merged(base, values):
    """The terms in ``base`` with those given; given responsibilities replace only their items."""
    terms = {**base, **values}
    if "responsibilities" in values:
        terms["responsibilities"] = {**base["responsibilities"], **values["responsibilities"]}
    return terms


def _with_api_fields(save):
    """Run ``save``; a rent step's field is named ``rent_steps.<row>.<field>`` as in the body."""
    try:
        return save()
    except RuleViolation as error:
        error.fields = {key.replace("-", "."): value for key, value in error.fields.items()}
        raise


def _lease_detail(lease):
    document = signing.current_contract(lease)
    signers = [
        {
            "user_id": signer.user_id,
            "name": signer.user.name,
            "organization_id": signer.organization_id,
            "organization_name": signer.organization.name,
            "side": "tenant" if signer.organization_id == lease.tenant_id else "landlord",
            "signed_at": signature.signed_at if signature is not None else None,
        }
        for signer, signature in signing.signature_rows(lease, document)
    ]
    published = signing.published_pdf(lease)
    url = url_for("api_leases.lease_contract_pdf", lease_id=lease.id, _external=True) if published else None
    return Extended(
        lease,
        signers=signers,
        contract_version=document.version if document is not None else None,
        contract_url=url,
    )
