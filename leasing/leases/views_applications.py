"""Lease applications: apply for a building, the staff inbox, an application's page, thread and decisions.

Each view: load → authorize → validate → service → e-mail (queued) → commit → flash → redirect,
or re-render with the errors next to their fields.
"""

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from leasing.authz import authorize
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _
from leasing.leases import application_rules as rules
from leasing.leases import application_services as services
from leasing.leases import notify_applications as notify
from leasing.leases import services as lease_services
from leasing.leases.application_forms import (
    AcceptForm,
    ActionForm,
    ApplyForm,
    AttachmentForm,
    InboxFilterForm,
    MessageForm,
    RejectForm,
    WithdrawForm,
)
from leasing.leases.application_models import STATUS_TITLES, ApplicationAttachment, ApplicationStatus, LeaseApplication
from leasing.leases.blueprint import bp
from leasing.leases.models import Lease
from leasing.premises import media
from leasing.premises.models import Building


@bp.app_context_processor
def application_navigation():
    """``application_nav()`` for the main menu: the applications link for staff (with the pending count) or members."""

    def application_nav():
        if current_user.is_staff:
            count = services.pending_count()
            return {"endpoint": "leases.application_inbox", "label": _("Applications"), "count": count}
        if LeaseApplication.can_list(current_user):
            return {"endpoint": "leases.applications", "label": _("Our applications"), "count": 0}
        return None

    return {"application_nav": application_nav}


def load_building_to_apply(building_id):
    """The building, if the current user may apply for it.

    :raise NotFound: no such building, or a draft the user may not know about.
    :raise LoginRequired: anonymous user.
    :raise PermissionDenied: not an association admin, or the building is not vacant.
    """
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound()
    authorize(current_user, "view", building, hide=True)
    return authorize(current_user, "apply", building)


def load_application(application_id, action="view"):
    """The application, if the current user may ``action`` it.

    :raise NotFound: no such application, or another association's.
    :raise LoginRequired: anonymous user.
    :raise PermissionDenied: a viewer who may not do ``action``.
    """
    application = db.session.get(LeaseApplication, application_id)
    if application is None:
        raise NotFound()
    authorize(current_user, "view", application, hide=current_user.is_authenticated)
    if action != "view":
        authorize(current_user, action, application)
    return application


def _associations(user):
    return [o for o in user.admin_organizations() if o.kind.value == "association"]


@bp.route("/premises/<int:building_id>/apply", methods=["GET", "POST"])
def apply(building_id):
    """Apply for a vacant building, whole or some of its spaces, on behalf of an association."""
    building = load_building_to_apply(building_id)
    organizations = _associations(current_user)
    form = ApplyForm(data={"organization_id": organizations[0].id} if organizations else None)
    form.set_choices(building, organizations)
    if form.validate_on_submit():
        try:
            application = services.submit(current_user, building, form.values(), form.attachment_upload())
        except (RuleViolation, Conflict) as err:
            db.session.rollback()
            apply_rule_violation(form, err)
            return _apply_page(form, building, organizations, err.status)
        notify.application_submitted(application)
        db.session.commit()
        flash(_("Your application was sent. The facilities centre will be in touch."), "success")
        return redirect(url_for(".application", application_id=application.id))
    return _apply_page(form, building, organizations, 422 if form.is_submitted() and form.errors else 200)


def _apply_page(form, building, organizations, status):
    existing = [a for a in (services.open_application(building, o) for o in organizations) if a is not None]
    return render_template("leases/applications/apply.html", form=form, building=building, existing=existing), status


@bp.get("/applications")
def applications():
    """The applications of the user's associations."""
    authorize(current_user, "list", LeaseApplication)
    if current_user.is_staff:
        return redirect(url_for(".application_inbox"))
    return render_template("leases/applications/mine.html", applications=services.for_user(current_user))


@bp.get("/staff/applications")
def application_inbox():
    """Staff's inbox: open applications first with counts by status, then decided ones; filter by status."""
    authorize(current_user, "manage", LeaseApplication)
    status = request.args.get("status")
    status = ApplicationStatus(status) if status in set(ApplicationStatus) else None
    form = InboxFilterForm(formdata=None, data={"status": status.value if status else ""})
    form.status.choices = [SelectChoice("", _("All"))] + [SelectChoice(s.value, t) for s, t in STATUS_TITLES.items()]
    rows, counts = services.inbox(status)
    return render_template("leases/applications/inbox.html", rows=rows, counts=counts, form=form, status=status)


@bp.get("/applications/<int:application_id>")
def application(application_id):
    """An application with its spaces, attachments, message thread and the actions the user may take."""
    return _application_page(load_application(application_id))


def _application_page(application, status=200, **forms):
    """The application page; ``forms`` replaces a form that came back with errors."""
    context = {
        "message_form": MessageForm(formdata=None),
        "attachment_form": AttachmentForm(formdata=None),
        "accept_form": AcceptForm(formdata=None),
        "reject_form": RejectForm(formdata=None),
        "withdraw_form": WithdrawForm(formdata=None),
        "action_form": ActionForm(formdata=None),
        **forms,
    }
    return render_template(
        "leases/applications/application.html",
        application=application,
        thread=services.load_thread(application),
        allowed=lambda action: rules.allowed(action, application.status),
        lease=lease_services.lease_by_application(application.id),
        lease_model=Lease,
        **context,
    ), status


def _rerender(application, name, form, err=None):
    """Back to the page with ``form``'s errors (and a service's message next to its field)."""
    if err is not None:
        db.session.rollback()
        apply_rule_violation(form, err)
    return _application_page(application, err.status if err is not None else 422, **{name: form})


def _to_application(application, anchor=None):
    return redirect(url_for(".application", application_id=application.id, _anchor=anchor))


@bp.post("/applications/<int:application_id>/messages")
def application_message(application_id):
    """Write in the thread; staff may ask for information, and the applicant's answer resumes the review."""
    application = load_application(application_id, "message")
    form = MessageForm()
    if not form.validate_on_submit():
        return _rerender(application, "message_form", form)
    try:
        message = services.post_message(
            current_user, application, form.body.data, ask_information=form.ask_information.data
        )
    except RuleViolation as err:
        return _rerender(application, "message_form", form, err)
    notify.message_posted(application, message)
    db.session.commit()
    flash(_("Your message was sent."), "success")
    return _to_application(application, "messages")


@bp.post("/applications/<int:application_id>/attachments")
def application_attachment_add(application_id):
    """Add another PDF to an application."""
    application = load_application(application_id, "edit")
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _rerender(application, "attachment_form", form)
    try:
        services.add_attachment(current_user, application, form.attachment.data.stream, form.title.data)
    except RuleViolation as err:
        return _rerender(application, "attachment_form", form, err)
    db.session.commit()
    flash(_("The attachment was added."), "success")
    return _to_application(application, "attachments")


@bp.get("/applications/<int:application_id>/attachments/<int:attachment_id>")
def application_attachment(application_id, attachment_id):
    """Download an attachment: only the applicant association's members and staff."""
    application = load_application(application_id)
    attachment = db.session.get(ApplicationAttachment, attachment_id)
    if attachment is None or attachment.application_id != application.id:
        raise NotFound()
    path = media.document_path(attachment.filename)
    if not path.is_file():
        raise NotFound()
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=_pdf_name(attachment))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _pdf_name(attachment):
    safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in attachment.title).strip("-").lower()[:80]
    return f"{safe or 'attachment'}.pdf"


@bp.post("/applications/<int:application_id>/review")
def application_review(application_id):
    """Staff take a submitted application under review."""
    application = load_application(application_id, "review")
    if ActionForm().validate_on_submit():
        services.start_review(current_user, application)
        db.session.commit()
        flash(_("The application is now under review."), "success")
    else:
        flash(_("The form expired. Try again."), "error")
    return _to_application(application)


@bp.post("/applications/<int:application_id>/accept")
def application_accept(application_id):
    """Staff accept an application (with an optional note); the building goes to negotiation."""
    application = load_application(application_id, "review")
    form = AcceptForm()
    if not form.validate_on_submit():
        return _rerender(application, "accept_form", form)
    services.accept(current_user, application, form.note.data)
    notify.accepted(application)
    db.session.commit()
    flash(_("The application was accepted. The building is now in negotiation."), "success")
    return _to_application(application)


@bp.post("/applications/<int:application_id>/reject")
def application_reject(application_id):
    """Staff reject an application; the reason is required and is sent to the applicant."""
    application = load_application(application_id, "review")
    form = RejectForm()
    if not form.validate_on_submit():
        return _rerender(application, "reject_form", form)
    try:
        services.reject(current_user, application, form.reason.data)
    except RuleViolation as err:
        return _rerender(application, "reject_form", form, err)
    notify.rejected(application)
    db.session.commit()
    flash(_("The application was rejected and the applicant told why."), "success")
    return _to_application(application)


@bp.post("/applications/<int:application_id>/withdraw")
def application_withdraw(application_id):
    """The applicant withdraws its application (a reason is optional)."""
    application = load_application(application_id, "withdraw")
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _rerender(application, "withdraw_form", form)
    services.withdraw(current_user, application, form.withdraw_reason.data)
    notify.withdrawn(application)
    db.session.commit()
    flash(_("The application was withdrawn."), "success")
    return _to_application(application)
