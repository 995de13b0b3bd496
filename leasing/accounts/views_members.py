"""Organization members and invitations (routes on the accounts blueprint)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from leasing.accounts import members, notify, services, sessions
from leasing.accounts.forms import ConfirmForm, InviteForm, MembershipForm, NewMemberForm
from leasing.accounts.models import Invitation, Membership
from leasing.accounts.views import bp, render_form
from leasing.authz import authorize, public
from leasing.errors import NotFound, RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _, current_language


def _membership_form(membership):
    return MembershipForm(
        prefix=f"m{membership.id}", formdata=None, obj=membership, data={"role": membership.role.value}
    )


def _members_page(organization, invite_form=None, failed=None):
    """The members page; ``failed`` is a membership form that came back with errors."""
    rows = members.organization_memberships(organization)
    forms = {m.id: _membership_form(m) for m in rows}
    if failed is not None:
        forms[failed[0]] = failed[1]
    manage = organization.can_manage(current_user)
    return render_form(
        "accounts/members.html",
        organization=organization,
        rows=rows,
        forms=forms,
        manage=manage,
        invite_form=invite_form or InviteForm(formdata=None),
        invitations=members.pending_invitations(organization) if manage else [],
        confirm_form=ConfirmForm(formdata=None),
    )


def _membership(organization, membership_id):
    """The membership ``membership_id`` of ``organization``.

    :raise NotFound: no such membership in this organization.
    """
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organization_id != organization.id:
        raise NotFound()
    return membership


def _to_members(organization):
    return redirect(url_for(".members", org_id=organization.id))


@bp.get("/organizations/<int:org_id>/members", endpoint="members")
def members_page(org_id):
    """The organization's members (its members and facilities staff see it; its admins manage it)."""
    organization = authorize(current_user, "view", members.get_organization(org_id))
    return _members_page(organization)


@bp.post("/organizations/<int:org_id>/invitations")
def invite(org_id):
    """Invite a person by e-mail with a role."""
    organization = authorize(current_user, "manage", members.get_organization(org_id))
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation, token = members.invite(current_user, organization, form.email.data, form.role.data)
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            notify.send_invitation(invitation, token, current_user)
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return _to_members(organization)
    return _members_page(organization, invite_form=form)


@bp.post("/organizations/<int:org_id>/members/<int:membership_id>")
def update_member(org_id, membership_id):
    """Change a member's role and signing authority."""
    organization = authorize(current_user, "manage", members.get_organization(org_id))
    membership = _membership(organization, membership_id)
    form = MembershipForm(prefix=f"m{membership.id}")
    if form.validate_on_submit():
        try:
            members.change_membership(current_user, membership, role=form.role.data, can_sign=form.can_sign.data)
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            db.session.commit()
            flash(_("The member's role has been saved."), "success")
            return _to_members(organization)
    return _members_page(organization, failed=(membership.id, form))


@bp.post("/organizations/<int:org_id>/members/<int:membership_id>/remove")
def remove_member(org_id, membership_id):
    """Remove a member from the organization (never the last admin)."""
    organization = authorize(current_user, "manage", members.get_organization(org_id))
    membership = _membership(organization, membership_id)
    if ConfirmForm().validate_on_submit():
        try:
            members.remove_membership(current_user, membership)
        except RuleViolation as err:
            flash(str(err.message), "error")
            return _members_page(organization)
        db.session.commit()
        flash(_("The member has been removed."), "success")
    if current_user.membership_in(organization) is None:
        return redirect(url_for(".account"))
    return _to_members(organization)


@bp.post("/organizations/<int:org_id>/invitations/<int:invitation_id>/revoke")
def revoke_invitation(org_id, invitation_id):
    """Withdraw a pending invitation."""
    organization = authorize(current_user, "manage", members.get_organization(org_id))
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organization_id != organization.id:
        raise NotFound()
    if ConfirmForm().validate_on_submit():
        members.revoke_invitation(current_user, invitation)
        db.session.commit()
        flash(_("The invitation has been withdrawn."), "success")
    return _to_members(organization)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def invitation(token):
    """Accept an invitation: the token is the permission (a signed-in invitee joins, a new person signs up)."""
    invitation = members.find_invitation(token)
    if invitation is None:
        return render_template("accounts/link_invalid.html", kind="invitation"), 404
    if current_user.is_authenticated:
        return _accept_as_member(invitation, token)
    if services.user_by_email(invitation.email) is not None:
        return render_template("accounts/invitation.html", mode="login", invitation=invitation)
    return _accept_as_new(invitation, token)


def _accept_as_member(invitation, token):
    if not invitation.can_accept(current_user):
        return render_template("accounts/invitation.html", mode="other", invitation=invitation), 403
    form = ConfirmForm()
    if form.validate_on_submit():
        members.accept_invitation(current_user, token)
        db.session.commit()
        flash(_("You have joined %(organization)s.", organization=invitation.organization.name), "success")
        return _to_members(invitation.organization)
    return render_template("accounts/invitation.html", mode="join", invitation=invitation, form=form)


def _accept_as_new(invitation, token):
    form = NewMemberForm()
    if form.validate_on_submit():
        try:
            user = members.accept_invitation_as_new_user(
                token, name=form.name.data, password=form.password.data, locale=current_language()
            )
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            sessions.start(user)
            db.session.commit()
            flash(
                _("Welcome to Tilasilta! You have joined %(organization)s.", organization=invitation.organization.name),
                "success",
            )
            return _to_members(invitation.organization)
    return render_form("accounts/invitation.html", mode="create", invitation=invitation, form=form)
