"""A sublet's steps as POST-only actions: offer, sign, the landlord's approval or refusal, cancel, terminate.

Each view: load → authorize → validate → service → commit → flash → redirect; on a problem the sublet page
is shown again with the message next to its field (422), or with the conflict (409).
"""

from flask import flash, redirect, request, url_for
from flask_login import current_user

from leasing.authz import authorize
from leasing.errors import Conflict, RuleViolation
from leasing.extensions import db
from leasing.i18n import _
from leasing.sublets import services, signing
from leasing.sublets.blueprint import bp
from leasing.sublets.forms import ActionForm, ApproveForm, CancelForm, RefuseForm, SignForm, TerminateForm
from leasing.sublets.views_sublets import load_sublet, sublet_page


def _load(sublet_id, action):
    """The sublet if the current user may see it (else 404, or log in) and may ``action`` it (else 403)."""
    return authorize(current_user, action, load_sublet(sublet_id))


def _back(sublet):
    return redirect(url_for(".sublet", sublet_id=sublet.id))


def _failed(sublet, err, form, field, form_key):
    """Nothing was written: the message next to ``field`` (422), or a conflict at the top (409)."""
    db.session.rollback()
    if isinstance(err, Conflict):
        flash(str(err.message), "error")
        return sublet_page(sublet, 409, **{form_key: form})
    for name, messages in (err.fields or {field: [err.message]}).items():
        getattr(form, name, getattr(form, field)).errors = [str(m) for m in messages]
    return sublet_page(sublet, 422, **{form_key: form})


@bp.post("/sublets/<int:sublet_id>/offer")
def offer_sublet(sublet_id):
    """Send the draft to the group: the contract is rendered once and the group's signers are e-mailed."""
    sublet = _load(sublet_id, "offer")
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return _back(sublet)
    try:
        signing.offer(current_user, sublet)
    except RuleViolation as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return sublet_page(sublet, 422)
    db.session.commit()
    flash(_("The offer was sent to the group's signers."), "success")
    return _back(sublet)


@bp.post("/sublets/<int:sublet_id>/sign")
def sign_sublet(sublet_id):
    """Sign the current contract version for the user's side, confirmed with the password."""
    sublet = _load(sublet_id, "sign")
    form = SignForm()
    if not form.validate_on_submit():
        return sublet_page(sublet, 422, sign_form=form)
    try:
        signing.sign(current_user, sublet, form.password.data, request.remote_addr)
    except (RuleViolation, Conflict) as err:
        db.session.rollback()
        form.password.errors = [str(err.message)]
        return sublet_page(sublet, 409 if isinstance(err, Conflict) else 422, sign_form=form)
    db.session.commit()
    flash(_("Your signature was recorded."), "success")
    return _back(sublet)


@bp.post("/sublets/<int:sublet_id>/approve")
def approve_sublet(sublet_id):
    """The landlord approves a signed sublet (staff): it takes effect."""
    sublet = _load(sublet_id, "decide")
    form = ApproveForm()
    if not form.validate_on_submit():
        return sublet_page(sublet, 422, approve_form=form)
    try:
        signing.approve(current_user, sublet, form.note.data or "")
    except (RuleViolation, Conflict) as err:
        return _failed(sublet, err, form, "note", "approve_form")
    db.session.commit()
    flash(_("The sublet was approved. Both sides were told."), "success")
    return _back(sublet)


@bp.post("/sublets/<int:sublet_id>/refuse")
def refuse_sublet(sublet_id):
    """The landlord refuses a signed sublet (staff), with a reason."""
    sublet = _load(sublet_id, "decide")
    form = RefuseForm()
    if not form.validate_on_submit():
        return sublet_page(sublet, 422, refuse_form=form)
    try:
        signing.refuse(current_user, sublet, form.reason.data)
    except (RuleViolation, Conflict) as err:
        return _failed(sublet, err, form, "reason", "refuse_form")
    db.session.commit()
    flash(_("The sublet was refused. Both sides were told."), "success")
    return _back(sublet)


@bp.post("/sublets/<int:sublet_id>/cancel")
def cancel_sublet(sublet_id):
    """Withdraw a sublet not yet in force (the association's admins)."""
    sublet = _load(sublet_id, "cancel")
    form = CancelForm()
    if not form.validate_on_submit():
        return sublet_page(sublet, 422, cancel_form=form)
    try:
        services.cancel(current_user, sublet, (form.reason.data or "").strip())
    except (RuleViolation, Conflict) as err:
        return _failed(sublet, err, form, "reason", "cancel_form")
    db.session.commit()
    flash(_("The sublet was cancelled."), "success")
    return _back(sublet)


@bp.post("/sublets/<int:sublet_id>/terminate")
def terminate_sublet(sublet_id):
    """End a sublet in force early (the association's admins or staff), with a last day and a reason."""
    sublet = _load(sublet_id, "terminate")
    form = TerminateForm()
    if not form.validate_on_submit():
        return sublet_page(sublet, 422, terminate_form=form)
    try:
        services.terminate(current_user, sublet, form.ends_on.data, form.reason.data)
    except (RuleViolation, Conflict) as err:
        return _failed(sublet, err, form, "ends_on", "terminate_form")
    db.session.commit()
    flash(_("The sublet was ended early."), "success")
    return _back(sublet)
