"""E-mails of a sublet's steps, each rendered in its recipient's language, with a link to the sublet."""

from flask import url_for

from leasing.accounts.models import Role
from leasing.accounts.services import facilities_centre
from leasing.i18n import _l
from leasing.mail import send_mail


def _link(sublet):
    return url_for("sublets.sublet", sublet_id=sublet.id, _external=True)


def signers(org):
    """The organization's active members with signing authority."""
    return [m.user for m in org.memberships if m.can_sign and m.user.active]


def admins(org):
    """The organization's active admins."""
    return [m.user for m in org.memberships if m.role == Role.ADMIN and m.user.active]


def side(org):
    """Who hears of a sublet for one side: its admins and its signers."""
    return admins(org) + signers(org)


def staff():
    """The facilities centre's active members (they decide on sublets the lease asks them to approve)."""
    return [m.user for m in facilities_centre().memberships if m.user.active]


def both_sides(sublet):
    return side(sublet.association) + side(sublet.group)


def _send(users, subject, template, sublet, **context):
    """One message per person (each in their own language); nobody twice."""
    seen = set()
    for user in users:
        if user.email in seen:
            continue
        seen.add(user.email)
        send_mail(
            user.email,
            subject,
            f"sublet_{template}",
            language=user.locale,
            user=user,
            sublet=sublet,
            link=_link(sublet),
            **context,
        )


def offered(sublet):
    """The group's signers: an offer to read and sign."""
    subject = _l("Sublet offer %(number)s is ready for signing", number=sublet.number)
    _send(signers(sublet.group), subject, "offer", sublet)


def offer_changed(sublet):
    """Both sides' signers: the terms changed, earlier signatures are void."""
    subject = _l("Sublet offer %(number)s has changed: sign the new version", number=sublet.number)
    _send(signers(sublet.association) + signers(sublet.group), subject, "offer_changed", sublet)


def signed(sublet):
    """Both sides: every party has signed (and, when the lease asks it, staff: a sublet to approve)."""
    subject = _l("Sublet %(number)s has been signed", number=sublet.number)
    _send(both_sides(sublet), subject, "signed", sublet)
    if sublet.status.value == "awaiting_approval":
        subject = _l("Sublet %(number)s awaits your approval", number=sublet.number)
        _send(staff(), subject, "approval_requested", sublet)


def approved(sublet):
    """Both sides: the landlord approved the sublet."""
    subject = _l("Sublet %(number)s was approved by the landlord", number=sublet.number)
    _send(both_sides(sublet), subject, "approved", sublet)


def refused(sublet):
    """Both sides: the landlord refused the sublet, with the reason."""
    subject = _l("Sublet %(number)s was refused by the landlord", number=sublet.number)
    _send(both_sides(sublet), subject, "refused", sublet)


def cancelled(sublet, was_status, reason):
    """The group (once it had the offer) and, for a sublet awaiting approval, staff: it was withdrawn."""
    if was_status == "draft":
        return
    subject = _l("Sublet %(number)s was cancelled", number=sublet.number)
    people = side(sublet.group) + (staff() if was_status == "awaiting_approval" else [])
    _send(people, subject, "cancelled", sublet, reason=reason)


def terminated(sublet):
    """Both sides: the sublet was ended early."""
    subject = _l("Sublet %(number)s has been terminated", number=sublet.number)
    _send(both_sides(sublet), subject, "terminated", sublet)


def flagged(sublet, lease, last_day):
    """Both sides' admins: the lease carrying the sublet ends before it."""
    subject = _l("Sublet %(number)s: the lease ends before it", number=sublet.number)
    _send(admins(sublet.association) + admins(sublet.group), subject, "flagged", sublet, lease=lease, last_day=last_day)
