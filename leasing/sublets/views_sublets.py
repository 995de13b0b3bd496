"""Sublet pages: a lease's sublets and the new-sublet form, the sublet page, editing, the contract PDF, the
user's own sublets and the staff's register of every building.

Each view: load → authorize → validate → service → commit → flash → redirect, or re-render with 422.
"""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from leasing.accounts.models import Organization, OrgKind
from leasing.authz import authorize
from leasing.documents.responses import pdf_response
from leasing.errors import NotFound, RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _
from leasing.leases.models import Lease
from leasing.sublets import checks, queries, services, signing
from leasing.sublets.blueprint import bp
from leasing.sublets.forms import (
    WEEKDAYS,
    ActionForm,
    ApproveForm,
    CancelForm,
    RefuseForm,
    SignForm,
    SubletForm,
    TerminateForm,
    sublet_form_data,
)
from leasing.sublets.models import Sublet


def load_sublet(sublet_id, action="view"):
    """The sublet if the current user may ``action`` it.

    :raise NotFound: no such sublet, or one the signed-in user may not know about.
    :raise LoginRequired: anonymous user.
    :raise PermissionDenied: a party's member who may not do ``action``.
    """
    sublet = db.session.get(Sublet, sublet_id)
    if sublet is None:
        raise NotFound()
    authorize(current_user, "view", sublet, hide=current_user.is_authenticated)
    if action != "view":
        authorize(current_user, action, sublet)
    return sublet


def load_lease(lease_id):
    """The lease if the current user may see it (its association's members and staff).

    :raise NotFound: no such lease, or one the signed-in user may not know about.
    :raise LoginRequired: anonymous user.
    """
    lease = db.session.get(Lease, lease_id)
    if lease is None:
        raise NotFound()
    return authorize(current_user, "view", lease, hide=current_user.is_authenticated)


@bp.get("/leases/<int:lease_id>/sublets")
def lease_sublets(lease_id):
    """The sublets of a lease: who uses which space, since when and on what terms."""
    lease = load_lease(lease_id)
    can_create = current_user.is_authenticated and lease.tenant.can_manage(current_user)
    return render_template(
        "sublets/lease_sublets.html",
        lease=lease,
        sublets=queries.of_lease(lease.id),
        can_create=can_create,
        weekdays=WEEKDAYS,
    )


@bp.route("/leases/<int:lease_id>/sublets/new", methods=["GET", "POST"])
def new_sublet(lease_id):
    """Draft a sublet of a space of the lease to a cultural group (the association's admins)."""
    lease = load_lease(lease_id)
    authorize(current_user, "manage", lease.tenant)
    form = SubletForm(data={"language": "fi", "kind": "exclusive"})
    _choices(form, lease)
    if form.validate_on_submit():
        try:
            sublet = services.create_draft(current_user, lease, form.values())
        except RuleViolation as err:
            return _invalid(form, err, lease=lease, sublet=None)
        db.session.commit()
        flash(_("Sublet %(number)s was drafted.", number=sublet.number), "success")
        return redirect(url_for(".sublet", sublet_id=sublet.id))
    return _form_page(form, lease=lease, sublet=None)


@bp.route("/sublets/<int:sublet_id>/edit", methods=["GET", "POST"])
def edit_sublet(sublet_id):
    """Change a draft's or an offer's terms (a changed offer gets a new contract version)."""
    sublet = load_sublet(sublet_id, "edit")
    form = SubletForm(data=sublet_form_data(services.term_values(sublet)))
    _choices(form, sublet.lease)
    if form.validate_on_submit():
        try:
            services.update(current_user, sublet, form.values())
        except RuleViolation as err:
            return _invalid(form, err, lease=sublet.lease, sublet=sublet)
        db.session.commit()
        flash(_("The terms were saved."), "success")
        return redirect(url_for(".sublet", sublet_id=sublet.id))
    return _form_page(form, lease=sublet.lease, sublet=sublet)


def _choices(form, lease):
    spaces = lease.building.spaces if lease.whole_building else lease.spaces
    form.space_id.choices = [(s.id, f"{s.name} ({s.area_m2} m²)") for s in spaces]
    groups = db.session.execute(
        sa.select(Organization).where(Organization.kind == OrgKind.CULTURAL_GROUP).order_by(Organization.name)
    ).scalars()
    form.group_id.choices = [(g.id, g.name) for g in groups]


def _form_page(form, status=None, **context):
    status = status or (422 if form.is_submitted() and form.errors else 200)
    return render_template("sublets/sublet_form.html", form=form, **context), status


def _invalid(form, err, **context):
    """Nothing was written; each message sits next to its field (a lease-wide one at the top)."""
    db.session.rollback()
    apply_rule_violation(form, err)
    return _form_page(form, 422, **context)


@bp.get("/sublets/<int:sublet_id>")
def sublet(sublet_id):
    """A sublet's page: terms, contract versions, signatures, and the actions the user may take."""
    return sublet_page(load_sublet(sublet_id))


def sublet_page(sublet, status=200, **forms):
    """Render the sublet page with any submitted form (and its errors) in place of a fresh one."""
    document = signing.current_contract(sublet)
    context = {
        "sublet": sublet,
        "document": document,
        "published": signing.published_pdf(sublet),
        "versions": signing.contract_versions(sublet),
        "signature_rows": signing.signature_rows(sublet, document),
        "weekdays": WEEKDAYS,
        "today": checks.today(),
        "sign_form": forms.get("sign_form") or SignForm(),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "terminate_form": forms.get("terminate_form") or TerminateForm(),
        "action_form": ActionForm(),
    }
    return render_template("sublets/sublet.html", **context), status


@bp.get("/sublets/<int:sublet_id>/contract.pdf")
def contract_pdf(sublet_id):
    """The signed PDF once signed, else the current version; ``?version=N`` serves contract version N, all
    from storage. Only the parties and facilities staff (others: 404; anonymous: log in)."""
    sublet = load_sublet(sublet_id)
    version = request.args.get("version", type=int)
    document = signing.published_pdf(sublet) if version is None else signing.contract_version(sublet, version)
    if document is None:
        raise NotFound()
    return pdf_response(document, sublet.number)


@bp.get("/sublets")
def my_sublets():
    """The sublets of the user's organizations, as the association or as the group."""
    authorize(current_user, "list", Sublet)
    ids = [m.organization_id for m in current_user.memberships]
    return render_template("sublets/mine.html", sublets=queries.of_organizations(ids), weekdays=WEEKDAYS)


@bp.get("/staff/sublets")
def register():
    """The sublet register of every building (staff): who uses which space, since when, on what terms."""
    authorize(current_user, "manage", Sublet)
    building_id = request.args.get("building", type=int)
    return render_template(
        "sublets/register.html",
        groups=queries.register(building_id),
        buildings=queries.buildings_with_sublets(),
        building_id=building_id,
        weekdays=WEEKDAYS,
        today=checks.today(),
    )
