"""E-mails about lease applications, each in its recipient's language, queued before the request commits."""

import sqlalchemy as sa
from flask import url_for

from leasing.accounts.models import Membership, Organization, OrgKind, Role, User
from leasing.extensions import db
from leasing.i18n import _l
from leasing.mail import send_mail


def staff_recipients():
    """Every active member of the facilities centre."""
    query = (
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Organization.kind == OrgKind.FACILITIES_CENTRE, User.active.is_(True))
        .order_by(User.id)
    )
    return db.session.execute(query).scalars().unique().all()


def applicant_recipients(application):
    """The active administrators of the applicant association."""
    query = (
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == application.organization_id,
            Membership.role == Role.ADMIN,
            User.active.is_(True),
        )
        .order_by(User.id)
    )
    return db.session.execute(query).scalars().all()


def _send(recipients, subject, template, application, **context):
    link = url_for("leases.application", application_id=application.id, _external=True)
    for user in recipients:
        send_mail(
            user.email,
            subject,
            f"application_{template}",
            language=user.locale,
            user=user,
            application=application,
            link=link,
            **context,
        )


def _names(application):
    return {"building": application.building.name, "organization": application.organization.name}


def application_submitted(application):
    """Tell the facilities centre about a new application, and give the applicant's admins a receipt."""
    subject = _l("New lease application for %(building)s from %(organization)s", **_names(application))
    _send(staff_recipients(), subject, "received", application)
    receipt = _l("We received your application for %(building)s", **_names(application))
    _send(applicant_recipients(application), receipt, "receipt", application)


def information_requested(application, message):
    """Ask the applicant's admins for more information."""
    subject = _l("More information is needed for your application for %(building)s", **_names(application))
    _send(applicant_recipients(application), subject, "information_requested", application, message=message)


def staff_message(application, message):
    """Tell the applicant's admins about a message from the facilities centre."""
    subject = _l("A new message about your application for %(building)s", **_names(application))
    _send(applicant_recipients(application), subject, "message", application, message=message)


def reply_received(application, message):
    """Tell the facilities centre that the applicant wrote in the thread."""
    subject = _l("%(organization)s replied about its application for %(building)s", **_names(application))
    _send(staff_recipients(), subject, "reply_received", application, message=message)


def message_posted(application, message):
    """Tell the other side about a message in the thread: staff asking for information, staff's message,
    or the applicant's reply."""
    if message.asks_information:
        information_requested(application, message)
    elif message.organization.is_facilities_centre:
        staff_message(application, message)
    else:
        reply_received(application, message)


def accepted(application):
    """Tell the applicant's admins that the application was accepted."""
    subject = _l("Your application for %(building)s was accepted", **_names(application))
    _send(applicant_recipients(application), subject, "accepted", application)


def rejected(application):
    """Tell the applicant's admins that the application was rejected, and why."""
    subject = _l("Your application for %(building)s was not accepted", **_names(application))
    _send(applicant_recipients(application), subject, "rejected", application)


def withdrawn(application):
    """Tell the facilities centre that the applicant withdrew its application."""
    subject = _l("%(organization)s withdrew its application for %(building)s", **_names(application))
    _send(staff_recipients(), subject, "withdrawn", application)
