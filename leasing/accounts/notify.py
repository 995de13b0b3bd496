"""E-mails of the accounts domain, each rendered in its recipient's language."""

from flask import current_app, url_for

from leasing.accounts.services import user_by_email
from leasing.i18n import _l, current_language
from leasing.mail import send_mail


def send_password_reset(user, token):
    """Mail ``user`` a single-use link for setting a new password."""
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 60)
    send_mail(
        user.email,
        _l("Set a new password for Tilasilta"),
        "password_reset",
        language=user.locale,
        user=user,
        link=url_for("accounts.reset_password", token=token, _external=True),
        minutes=minutes,
    )


def send_invitation(invitation, token, inviter):
    """Mail the invited address a link for joining the organization.

    The message is in the language of the invited person's account if they have one, else in the
    language the inviter is using.
    """
    existing = user_by_email(invitation.email)
    days = current_app.config["INVITATION_MAX_AGE"].days
    send_mail(
        invitation.email,
        _l("You are invited to join %(organization)s in Tilasilta", organization=invitation.organization.name),
        "invitation",
        language=existing.locale if existing else current_language(),
        invitation=invitation,
        inviter=inviter,
        link=url_for("accounts.invitation", token=token, _external=True),
        days=days,
    )
