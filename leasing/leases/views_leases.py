"""Lease pages: drafting from an application, the terms, offer, signing, the contract PDF, notice and
termination, the staff's and the association's lists, and the index values.

Each view: load → authorize → validate → service → commit → flash → redirect, or re-render with 422.
"""

from datetime import date, time

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from leasing.authz import authorize
from leasing.documents.responses import pdf_response
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.extensions import db
from leasing.i18n import _, format_clock, format_date, format_money, ngettext
from leasing.leases import indexes, lifecycle, rules, services, signing
from leasing.leases.blueprint import bp
from leasing.leases.forms import (
    ActionForm,
    CancelAmendmentForm,
    IndexImportForm,
    IndexValueForm,
    LeaseForm,
    NoticeForm,
    SignForm,
    TerminateForm,
    lease_form_data,
)
from leasing.leases.models import IndexValue, Lease
from leasing.leases.vocabulary import Item, Party


def load_lease(lease_id, action="view"):
    """The lease if the current user may ``action`` it.

    :raise NotFound: no such lease, or one the signed-in user may not know about.
    :raise LoginRequired: anonymous user.
    :raise PermissionDenied: a party's member who may not do ``action``.
    """
    lease = db.session.get(Lease, lease_id)
    if lease is None:
        raise NotFound()
    authorize(current_user, "view", lease, hide=current_user.is_authenticated)
    if action != "view":
        authorize(current_user, action, lease)
    return lease


@bp.route("/applications/<int:application_id>/lease/new", methods=["GET", "POST"])
def new_lease(application_id):
    """Draft a lease from an accepted application, its terms prefilled."""
    authorize(current_user, "manage", Lease)
    application = services.load_application(application_id)
    if application is None:
        raise NotFound()
    form = LeaseForm(data=lease_form_data(services.draft_defaults(application)))
    _choices(form, application.building, application.organization_id)
    if form.validate_on_submit():
        try:
            lease = services.create_draft(current_user, application, form.values())
        except RuleViolation as err:
            return _invalid(form, err, application=application, lease=None)
        db.session.commit()
        flash(_("Lease %(number)s was drafted.", number=lease.number), "success")
        return redirect(url_for(".lease", lease_id=lease.id))
    return _form_page(form, application=application, lease=None)


@bp.route("/leases/<int:lease_id>/edit", methods=["GET", "POST"])
def edit_lease(lease_id):
    """Change a draft's, an offer's or an amendment's terms (a changed offer gets a new contract version)."""
    lease = load_lease(lease_id, "edit")
    values = services.negotiated_values(lease)
    form = LeaseForm(data=lease_form_data({**values, "iban": rules.format_iban(values["iban"])}))
    _choices(form, lease.building, lease.tenant_id)
    if form.validate_on_submit():
        try:
            services.update_terms(current_user, lease, form.values())
        except RuleViolation as err:
            return _invalid(form, err, application=lease.application, lease=lease)
        db.session.commit()
        flash(_("The terms were saved."), "success")
        return redirect(url_for(".lease", lease_id=lease.id))
    return _form_page(form, application=lease.application, lease=lease)


def _choices(form, building, tenant_id):
    form.space_ids.choices = [(s.id, f"{s.name} ({s.area_m2} m²)") for s in building.spaces]
    form.signer_ids.choices = [(u.id, _signer_label(u, tenant_id)) for u in services.signer_choices(tenant_id)]


def _signer_label(user, tenant_id):
    membership = user.membership_in(tenant_id) or user.memberships[0]
    return f"{user.name} – {membership.organization.name}"


def _form_page(form, **context):
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("leases/lease_form.html", form=form, **context), status


def _invalid(form, err, **context):
    """Nothing was written; each message sits next to its field (rent-step rows included)."""
    db.session.rollback()
    for name, messages in err.fields.items():
        field = form.field_for(name)
        if field is None:
            form.form_errors.extend(str(m) for m in messages)
        else:
            field.errors = list(field.errors if isinstance(field.errors, list) else []) + [str(m) for m in messages]
    if not err.fields:
        form.form_errors.append(str(err.message))
    return render_template("leases/lease_form.html", form=form, **context), 422


@bp.get("/leases/<int:lease_id>")
def lease(lease_id):
    """A lease's page: terms, contract version and signers, and the actions the user may take."""
    lease = load_lease(lease_id)
    return _lease_page(lease)


def _lease_page(lease, status=200, **forms):
    document = signing.current_contract(lease)
    context = {
        "lease": lease,
        "document": document,
        "published": signing.published_pdf(lease),
        "amendment": signing.pending_amendment(lease),
        "signature_rows": signing.signature_rows(lease, document),
        "revisions": signing.index_revisions(lease),
        "today": rules.today(),
        "sign_form": forms.get("sign_form") or SignForm(),
        "notice_form": forms.get("notice_form") or NoticeForm(),
        "terminate_form": forms.get("terminate_form") or TerminateForm(),
        "action_form": ActionForm(),
        "cancel_form": forms.get("cancel_form") or CancelAmendmentForm(),
        "amended": amendment_changes(lease) if lease.amending else [],
    }
    return render_template("leases/lease.html", **context), status


@bp.post("/leases/<int:lease_id>/offer")
def offer_lease(lease_id):
    """Send the draft to the tenant: the contract is rendered once and the signers are e-mailed."""
    lease = load_lease(lease_id, "offer")
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(url_for(".lease", lease_id=lease.id))
    try:
        signing.offer(current_user, lease)
    except RuleViolation as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(url_for(".lease", lease_id=lease.id))
    db.session.commit()
    if lease.amending:
        flash(_("The amended lease was sent to the named signers."), "success")
    else:
        flash(_("The offer was sent to the tenant's signers."), "success")
    return redirect(url_for(".lease", lease_id=lease.id))


@bp.post("/leases/<int:lease_id>/amend")
def amend_lease(lease_id):
    """Start an amendment (an extension, a changed rent, …) of a signed or active lease: staff edit, then offer."""
    lease = load_lease(lease_id, "amend")
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(url_for(".lease", lease_id=lease.id))
    try:
        signing.amend(current_user, lease)
    except Conflict as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return _lease_page(lease, 409)
    db.session.commit()
    flash(_("The amendment was started. Change the terms, then offer the amended lease for signing."), "success")
    return redirect(url_for(".edit_lease", lease_id=lease.id))


@bp.post("/leases/<int:lease_id>/amend/cancel")
def cancel_amendment(lease_id):
    """Give up an amendment: its terms are dropped, an offered amended version withdrawn; the lease goes on."""
    lease = load_lease(lease_id, "amend")
    form = CancelAmendmentForm()
    if not form.validate_on_submit():
        return _lease_page(lease, 422, cancel_form=form)
    try:
        signing.cancel_amendment(current_user, lease, (form.reason.data or "").strip())
    except Conflict as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return _lease_page(lease, 409)
    db.session.commit()
    flash(_("The amendment was cancelled. The lease stays in force as signed."), "success")
    return redirect(url_for(".lease", lease_id=lease.id))


def amendment_changes(lease):
    """``(term, in force, amended)`` as text for each term an amendment changes, in the form's order."""
    before = services.term_values(lease)
    after = services.negotiated_values(lease)
    rows = []
    for name, label in LeaseForm.terms_in_order():
        if name in ("signer_ids", "whole_building"):
            continue
        shown = (_shown(name, before, lease), _shown(name, after, lease))
        if shown[0] != shown[1]:
            rows.append((label, *shown))
    return rows


def _shown(name, values, lease):
    """One term's value as the lease page shows it."""
    value = values.get(name)
    if name in _SHOWN:
        return _SHOWN[name](value, values, lease)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return format_clock(value)
    if hasattr(value, "title"):
        return value.title
    return "–" if value in (None, "") else str(value)


def _shown_spaces(value, values, lease):
    if values["whole_building"]:
        return _("the whole building")
    return ", ".join(s.name for s in lease.building.spaces if s.id in set(value or ()))


def _shown_steps(value, values, lease):
    return "; ".join(
        f"{format_date(s['starts_on'])}–{format_date(s['ends_on'])}: {format_money(s['monthly_rent'])}" for s in value
    )


def _shown_responsibilities(value, values, lease):
    return "; ".join(f"{Item(i).title}: {Party(p).title}{f' ({n})' if n else ''}" for i, (p, n) in value.items())


#: Terms shown by their own function: ``(value, all values, lease) -> text``.
_SHOWN = {
    "space_ids": _shown_spaces,
    "rent_steps": _shown_steps,
    "responsibilities": _shown_responsibilities,
    "monthly_rent": lambda value, values, lease: format_money(value),
    "deposit": lambda value, values, lease: format_money(value),
    "iban": lambda value, values, lease: rules.format_iban(value),
}


@bp.post("/leases/<int:lease_id>/sign")
def sign_lease(lease_id):
    """Sign the current contract version, confirmed with the password."""
    lease = load_lease(lease_id, "sign")
    form = SignForm()
    if not form.validate_on_submit():
        return _lease_page(lease, 422, sign_form=form)
    try:
        signing.sign(current_user, lease, form.password.data, request.remote_addr)
    except RuleViolation as err:
        db.session.rollback()
        form.password.errors = [str(err.message)]
        return _lease_page(lease, 422, sign_form=form)
    except Conflict as err:
        db.session.rollback()
        form.password.errors = [str(err.message)]
        return _lease_page(lease, 409, sign_form=form)
    db.session.commit()
    flash(_("Your signature was recorded."), "success")
    return redirect(url_for(".lease", lease_id=lease.id))


@bp.get("/leases/<int:lease_id>/contract.pdf")
def contract_pdf(lease_id):
    """The signed PDF in force once signed (also while an amendment is negotiated), else the current version;
    ``?version=N`` serves contract version N (an offered amendment, or an earlier one), all from storage."""
    lease = load_lease(lease_id)
    version = request.args.get("version", type=int)
    document = signing.published_pdf(lease) if version is None else signing.contract_version(lease, version)
    if document is None:
        raise NotFound()
    return pdf_response(document, lease.number)


@bp.post("/leases/<int:lease_id>/notice")
def give_notice(lease_id):
    """Give notice on an indefinite lease; its last day follows from the notice period."""
    lease = load_lease(lease_id, "give_notice")
    form = NoticeForm()
    if not form.validate_on_submit():
        return _lease_page(lease, 422, notice_form=form)
    try:
        lifecycle.give_notice(current_user, lease, form.given_on.data, (form.reason.data or "").strip())
    except RuleViolation as err:
        db.session.rollback()
        form.given_on.errors = [str(err.message)]
        return _lease_page(lease, 422, notice_form=form)
    except Conflict as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return _lease_page(lease, 409, notice_form=form)
    db.session.commit()
    flash(_("Notice was given. The lease ends on %(date)s.", date=lease.ends_on.strftime("%d.%m.%Y")), "success")
    return redirect(url_for(".lease", lease_id=lease.id))


@bp.post("/leases/<int:lease_id>/terminate")
def terminate_lease(lease_id):
    """End a signed or active lease early (staff), with a date and a reason."""
    lease = load_lease(lease_id, "terminate")
    form = TerminateForm()
    if not form.validate_on_submit():
        return _lease_page(lease, 422, terminate_form=form)
    try:
        lifecycle.terminate(current_user, lease, form.ends_on.data, (form.reason.data or "").strip())
    except RuleViolation as err:
        db.session.rollback()
        getattr(form, err.field or "ends_on").errors = [str(err.message)]
        return _lease_page(lease, 422, terminate_form=form)
    db.session.commit()
    flash(_("The lease was terminated."), "success")
    return redirect(url_for(".lease", lease_id=lease.id))


@bp.get("/staff/leases")
def manage_leases():
    """Every lease with its status, and those ending or reaching a notice deadline within six months."""
    authorize(current_user, "manage", Lease)
    leases = lifecycle.all_leases()
    return render_template("leases/manage.html", leases=leases, watch=lifecycle.watch_list(leases))


@bp.get("/leases")
def my_leases():
    """The leases of the associations the user belongs to."""
    authorize(current_user, "list", Lease)
    ids = [m.organization_id for m in current_user.memberships if m.organization.kind.value == "association"]
    return render_template("leases/mine.html", leases=lifecycle.tenant_leases(ids))


@bp.route("/staff/index-values", methods=["GET", "POST"])
def index_values():
    """Enter one month's cost-of-living index value, and see the stored ones."""
    authorize(current_user, "manage", IndexValue)
    form = IndexValueForm()
    if form.validate_on_submit():
        month = form.month.data.replace(day=1)
        indexes.save_values(current_user, {month: round(form.value.data, 2)}, form.source.data.strip())
        db.session.commit()
        flash(_("The index value was saved."), "success")
        return redirect(url_for(".index_values"))
    return _index_page(form, IndexImportForm(), 422 if form.errors else 200)


@bp.post("/staff/index-values/import")
def import_index_values():
    """Import index values as CSV (month;value lines); nothing is saved when a line is wrong."""
    authorize(current_user, "manage", IndexValue)
    form = IndexImportForm()
    if not form.validate_on_submit():
        return _index_page(IndexValueForm(formdata=None), form, 422)
    text = form.csv.data or ""
    if form.file.data:
        text = form.file.data.read(200_000).decode("utf-8-sig", errors="replace")
    try:
        count = indexes.import_csv(current_user, text)
    except RuleViolation as err:
        db.session.rollback()
        form.csv.errors = [str(m) for m in err.fields.get("csv", [err.message])]
        return _index_page(IndexValueForm(formdata=None), form, 422)
    db.session.commit()
    flash(ngettext("%(num)d index value was saved.", "%(num)d index values were saved.", count), "success")
    return redirect(url_for(".index_values"))


def _index_page(form, import_form, status):
    values = indexes.all_values()
    return render_template("leases/index_values.html", form=form, import_form=import_form, values=values), status


@bp.app_template_filter("iban")
def iban_filter(value):
    """An IBAN in groups of four."""
    return rules.format_iban(value)


@bp.app_template_filter("reference")
def reference_filter(value):
    """A reference number in groups of five from the right."""
    return rules.format_reference(value)
