"""E-mails of a lease's steps, each rendered in its recipient's language, with a link to the lease."""

from flask import url_for

from leasing.accounts.models import Role
from leasing.i18n import _l
from leasing.mail import send_mail


def _link(lease):
    return url_for("leases.lease", lease_id=lease.id, _external=True)


def _signers(lease, organization_id):
    return [s.user for s in lease.signers if s.organization_id == organization_id]


def _admins(org):
    return [m.user for m in org.memberships if m.role == Role.ADMIN and m.user.active]


def _send(users, subject, template, lease, **context):
    """One message per person (each in their own language); nobody twice."""
    seen = set()
    for user in users:
        if user.email in seen:
            continue
        seen.add(user.email)
        send_mail(
            user.email, subject, template, language=user.locale, user=user, lease=lease, link=_link(lease), **context
        )


def tenant_people(lease):
    """The tenant's named signers and admins."""
    return _signers(lease, lease.tenant_id) + _admins(lease.tenant)


def landlord_people(lease):
    """The facilities centre's named signers."""
    return _signers(lease, lease.landlord_id)


def offer_sent(lease):
    """The tenant's named signers: an offer to read and sign."""
    subject = _l("Lease offer %(number)s is ready for signing", number=lease.number)
    _send(_signers(lease, lease.tenant_id), subject, "lease_offer", lease)


def amendment_offered(lease):
    """The tenant's and the facilities centre's named signers: an amended lease to read and sign."""
    subject = _l("The amended lease %(number)s is ready for signing", number=lease.number)
    _send(_signers(lease, lease.tenant_id) + landlord_people(lease), subject, "lease_amendment_offer", lease)


def amendment_withdrawn(lease, reason):
    """Both sides' named signers: the offered amendment was withdrawn; the lease goes on as signed."""
    subject = _l("The amendment of lease %(number)s was withdrawn", number=lease.number)
    _send(
        _signers(lease, lease.tenant_id) + landlord_people(lease),
        subject,
        "lease_amendment_withdrawn",
        lease,
        reason=reason,
    )


def offer_changed(lease):
    """Both sides' signers: the terms changed, earlier signatures are void."""
    subject = _l("Lease offer %(number)s has changed: sign the new version", number=lease.number)
    _send(_signers(lease, lease.tenant_id) + landlord_people(lease), subject, "lease_offer_changed", lease)


def signed(lease):
    """Both sides: every party has signed."""
    subject = _l("Lease %(number)s has been signed", number=lease.number)
    _send(tenant_people(lease) + landlord_people(lease), subject, "lease_signed", lease)


def notice_given(lease, by):
    """The other party: notice was given, and the lease's last day."""
    subject = _l("Notice given on lease %(number)s", number=lease.number)
    people = landlord_people(lease) if by.id == lease.tenant_id else tenant_people(lease)
    _send(people, subject, "lease_notice", lease, by=by)


def terminated(lease):
    """Both sides: the lease was ended early."""
    subject = _l("Lease %(number)s has been terminated", number=lease.number)
    _send(tenant_people(lease) + landlord_people(lease), subject, "lease_terminated", lease)


def expired(lease):
    """Both sides: the lease has ended."""
    subject = _l("Lease %(number)s has ended", number=lease.number)
    _send(tenant_people(lease) + landlord_people(lease), subject, "lease_expired", lease)
