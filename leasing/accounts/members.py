"""Membership services: invitations, roles, signing authority, removal.

Plain functions like :mod:`leasing.accounts.services`: the acting user and plain values in, rules
enforced (an organization always keeps an admin; only admins sign), flush, never commit.
"""

import sqlalchemy as sa
from flask import current_app

from leasing import audit
from leasing.accounts import passwords, rules
from leasing.accounts.models import Invitation, Membership, Organization, Role, User
from leasing.accounts.services import (
    EMAIL_TAKEN,
    MESSAGES,
    new_token,
    password_violation,
    token_hash,
    user_by_email,
)
from leasing.db import utcnow
from leasing.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from leasing.extensions import db
from leasing.i18n import _l

INVITATION_GONE = _l("This invitation has expired, has been withdrawn or has already been used.")


def _require_manager(actor, organization):
    if not organization.can_manage(actor):
        raise PermissionDenied()


def pending_invitations(organization):
    """The organization's invitations that can still be accepted, newest first."""
    now = utcnow()
    query = (
        sa.select(Invitation)
        .where(Invitation.organization_id == organization.id, Invitation.accepted_at.is_(None))
        .where(Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return db.session.execute(query).scalars().all()


def invite(actor, organization, email, role):
    """Invite ``email`` to join ``organization`` with ``role``; returns ``(invitation, token)``.

    An earlier pending invitation of the same address is withdrawn (the new one replaces it).
    """
    _require_manager(actor, organization)
    email = rules.normalize_email(email)
    if organization.is_facilities_centre:
        raise RuleViolation(_l("Facilities staff accounts are created by the system administrator"), field="email")
    if any(m.user.email == email for m in organization.memberships):
        raise RuleViolation(_l("This person is already a member of the organization"), field="email")
    now = utcnow()
    for earlier in pending_invitations(organization):
        if earlier.email == email:
            earlier.revoked_at = now
    token = new_token()
    invitation = Invitation(
        organization=organization,
        email=email,
        role=Role(role),
        token_hash=token_hash(token),
        invited_by_id=actor.id,
        expires_at=now + current_app.config["INVITATION_MAX_AGE"],
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "invitation.create", invitation, {"email": (None, email), "role": (None, invitation.role)})
    return invitation, token


def revoke_invitation(actor, invitation):
    """Withdraw a pending invitation."""
    _require_manager(actor, invitation.organization)
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
        audit.record(actor, "invitation.revoke", invitation, {"email": (invitation.email, None)})
        db.session.flush()


def find_invitation(token):
    """The invitation for ``token`` if it can still be accepted, else None."""
    query = sa.select(Invitation).where(Invitation.token_hash == token_hash(token or ""))
    invitation = db.session.execute(query).scalar_one_or_none()
    if invitation is None or not invitation.is_usable(utcnow()):
        return None
    return invitation


def _claim(token):
    """Mark the invitation accepted, once: of two concurrent acceptances only one passes."""
    invitation = find_invitation(token)
    if invitation is None:
        raise NotFound(INVITATION_GONE)
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise NotFound(INVITATION_GONE)
    return invitation


def _join(user, invitation):
    membership = user.membership_in(invitation.organization)
    if membership is None:
        membership = Membership(
            user=user,
            organization=invitation.organization,
            role=invitation.role,
            can_sign=invitation.role == Role.ADMIN,
        )
        db.session.add(membership)
        db.session.flush()
        audit.record(user, "membership.create", membership, {"role": (None, membership.role)})
    audit.record(user, "invitation.accept", invitation)
    return membership


def accept_invitation(user, token):
    """``user`` (signed in with the invited address) joins the organization.

    :raise NotFound: the invitation is unknown, expired, withdrawn or used.
    :raise PermissionDenied: it was sent to another address.
    """
    invitation = find_invitation(token)
    if invitation is not None and not invitation.can_accept(user):
        raise PermissionDenied(_l("This invitation was sent to another e-mail address."))
    return _join(user, _claim(token))


def accept_invitation_as_new_user(token, *, name, password, locale="fi"):
    """Create an account for the invited address and join; returns the new user."""
    invitation = find_invitation(token)
    if invitation is None:
        raise NotFound(INVITATION_GONE)
    if user_by_email(invitation.email):
        raise Conflict(EMAIL_TAKEN)
    errors = password_violation(password, invitation.email)
    if errors:
        raise RuleViolation(fields=errors)
    user = User(email=invitation.email, name=name, password_hash=passwords.hash_password(password), locale=locale)
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.register", user, {"email": (None, user.email)})
    _join(user, _claim(token))
    return user


def _roles(organization):
    """Membership id → role for ``organization``, its admin rows locked against a concurrent change."""
    query = sa.select(Membership.id, Membership.role).where(Membership.organization_id == organization.id)
    rows = db.session.execute(query.with_for_update()).all()
    return {row.id: row.role for row in rows}


def change_membership(actor, membership, *, role, can_sign):
    """Set a member's role and signing authority (only admins sign; an admin must remain)."""
    _require_manager(actor, membership.organization)
    role = Role(role)
    problem = rules.membership_problem(_roles(membership.organization), membership.id, role, can_sign)
    if problem:
        field = "can_sign" if problem == rules.Problem.SIGNER_NOT_ADMIN else "role"
        raise RuleViolation(MESSAGES[problem], field=field)
    changes = audit.diff(membership, {"role": role, "can_sign": bool(can_sign)})
    if changes:
        audit.record(actor, "membership.role_change", membership, changes)
        db.session.flush()
    return changes


def remove_membership(actor, membership):
    """Remove a member from the organization (never its last admin)."""
    _require_manager(actor, membership.organization)
    if rules.admins_after(_roles(membership.organization), membership.id, None) < 1:
        raise RuleViolation(MESSAGES[rules.Problem.LAST_ADMIN])
    audit.record(actor, "membership.remove", membership, {"user": (membership.user.email, None)})
    db.session.delete(membership)
    db.session.flush()


def organization_memberships(organization):
    """The organization's memberships with their users, admins first, then by name."""
    query = (
        sa.select(Membership)
        .join(Membership.user)
        .where(Membership.organization_id == organization.id)
        .options(sa.orm.contains_eager(Membership.user))
        .order_by(Membership.role, User.name, Membership.id)
    )
    return db.session.execute(query).scalars().all()


def get_organization(org_id):
    """The organization, or :class:`NotFound`."""
    organization = db.session.get(Organization, org_id)
    if organization is None:
        raise NotFound()
    return organization
