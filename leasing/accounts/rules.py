"""Pure rules of the accounts domain: e-mail form, business IDs, the password policy, admins and signers.

No Flask and no database here: each rule takes plain values and answers with a :class:`Problem`
(or None). The services turn a problem into a translated message next to the right field.
"""

import enum

from stdnum.exceptions import ValidationError
from stdnum.fi import ytunnus

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
#: A shorter e-mail local part ("ai", "tom") is too common a substring to forbid inside passwords.
MIN_LOCAL_PART_IN_PASSWORD = 4

ADMIN = "admin"


class Problem(enum.StrEnum):
    """Why a value breaks a rule; the services map each to a message."""

    BUSINESS_ID_REQUIRED = "business_id_required"
    BUSINESS_ID_INVALID = "business_id_invalid"
    PASSWORD_TOO_SHORT = "password_too_short"  # noqa: S105  (a problem code, not a password)
    PASSWORD_TOO_LONG = "password_too_long"  # noqa: S105  (a problem code, not a password)
    PASSWORD_COMMON = "password_common"  # noqa: S105  (a problem code, not a password)
    PASSWORD_LIKE_EMAIL = "password_like_email"  # noqa: S105  (a problem code, not a password)
    LAST_ADMIN = "last_admin"
    SIGNER_NOT_ADMIN = "signer_not_admin"


def normalize_email(value):
    """The stored form of an e-mail address: trimmed and lower-cased."""
    return (value or "").strip().lower()


def normalize_business_id(value, *, required):
    """``(business_id, None)`` in the form ``1234567-8``, or ``(None, problem)``.

    Accepts ``2077474-0``, ``20774740`` and ``FI20774740``; an empty value is ``(None, None)``
    unless ``required``.
    """
    raw = (value or "").strip()
    if not raw:
        return None, Problem.BUSINESS_ID_REQUIRED if required else None
    try:
        return ytunnus.format(ytunnus.validate(raw)), None
    except ValidationError:
        return None, Problem.BUSINESS_ID_INVALID


def password_problem(password, email, is_common):
    """The first way ``password`` breaks the policy, or None.

    Length 12–256 characters, not on the common-passwords list (``is_common`` is the lookup), not
    the e-mail address and not containing its local part. No composition rules (OWASP ASVS 5.0).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return Problem.PASSWORD_TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return Problem.PASSWORD_TOO_LONG
    if is_common(password):
        return Problem.PASSWORD_COMMON
    if _resembles_email(password, email):
        return Problem.PASSWORD_LIKE_EMAIL
    return None


def _resembles_email(password, email):
    email = normalize_email(email)
    if not email:
        return False
    lowered = password.strip().lower()
    local = email.split("@", 1)[0]
    return lowered == email or (len(local) >= MIN_LOCAL_PART_IN_PASSWORD and local in lowered)


def admins_after(roles, membership_id, new_role):
    """How many admins an organization keeps when ``membership_id`` gets ``new_role`` (None = removed).

    ``roles`` maps each membership id of the organization to its current role.
    """
    after = dict(roles)
    if new_role is None:
        after.pop(membership_id, None)
    else:
        after[membership_id] = new_role
    return sum(1 for role in after.values() if role == ADMIN)


def membership_problem(roles, membership_id, new_role, can_sign):
    """Why giving ``membership_id`` ``new_role`` and ``can_sign`` is refused, or None.

    An organization always keeps at least one admin; only admins sign on its behalf.
    """
    if admins_after(roles, membership_id, new_role) < 1:
        return Problem.LAST_ADMIN
    if can_sign and new_role != ADMIN:
        return Problem.SIGNER_NOT_ADMIN
    return None
