"""Accounts services: registration, log-in, passwords and resets, the profile, staff accounts.

Plain functions: they take the acting user and plain values (never a form), enforce the rules,
flush but never commit, and raise :class:`~leasing.errors.RuleViolation` with the field the
message belongs next to. Memberships and invitations are in :mod:`leasing.accounts.members`.
"""

import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from leasing import audit
from leasing.accounts import passwords, rules, sessions
from leasing.accounts.models import Membership, Organization, OrgKind, PasswordReset, Role, User
from leasing.accounts.rules import Problem
from leasing.db import utcnow
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.extensions import db
from leasing.i18n import _l

#: The only kinds of organization a person can register; staff accounts come from the CLI.
SELF_SERVICE_KINDS = (OrgKind.ASSOCIATION, OrgKind.CULTURAL_GROUP)
FACILITIES_CENTRE_NAME = "Oulun kaupungin Tilakeskus"
LANGUAGES = ("fi", "sv", "en")

MESSAGES = {
    Problem.BUSINESS_ID_REQUIRED: _l("Enter the association's business ID"),
    Problem.BUSINESS_ID_INVALID: _l("Enter a valid business ID, like 1234567-8"),
    Problem.PASSWORD_TOO_SHORT: _l("Enter a password of at least 12 characters"),
    Problem.PASSWORD_TOO_LONG: _l("Enter a password of at most 256 characters"),
    Problem.PASSWORD_COMMON: _l("This password is too common. Enter a password that is harder to guess"),
    Problem.PASSWORD_LIKE_EMAIL: _l("Enter a password that does not contain your e-mail address"),
    Problem.LAST_ADMIN: _l(
        "The organization must keep at least one administrator. Make someone else an administrator first"
    ),
    Problem.SIGNER_NOT_ADMIN: _l(
        "Only administrators can sign on the organization's behalf. Make the person an administrator or untick signing"
    ),
}
EMAIL_TAKEN = _l("An account with this e-mail address already exists")
BUSINESS_ID_TAKEN = _l("An organization with this business ID is already registered")


def token_hash(token):
    """What we store instead of a token sent by e-mail (SHA-256 hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    """A random, URL-safe token for links sent by e-mail."""
    return secrets.token_urlsafe(32)


def password_violation(password, email, field="password"):
    """The policy's message for ``password`` as ``{field: [message]}``, or an empty dict."""
    problem = passwords.policy_problem(password, email)
    return {field: [MESSAGES[problem]]} if problem else {}


def user_by_email(email):
    """The user with this e-mail address (any case), or None."""
    return db.session.execute(sa.select(User).where(User.email == rules.normalize_email(email))).scalar_one_or_none()


def _raise_if(errors):
    if errors:
        raise RuleViolation(fields=errors)


def _flush_unique(message):
    """Flush; a unique constraint that a concurrent request won becomes a Conflict, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as err:
        raise Conflict(message) from err


def register(
    *, name, email, password, org_kind, org_name, business_id=None, contact_email=None, contact_phone=None, locale="fi"
):
    """Create a person and their new association or cultural group; the person becomes its signing admin."""
    email = rules.normalize_email(email)
    errors = {}
    if org_kind not in SELF_SERVICE_KINDS:
        errors["org_kind"] = [_l("Choose whether you register an association or a cultural group")]
    required = org_kind == OrgKind.ASSOCIATION
    business_id, problem = rules.normalize_business_id(business_id, required=required)
    if problem:
        errors["business_id"] = [MESSAGES[problem]]
    elif business_id and _business_id_taken(business_id):
        errors["business_id"] = [BUSINESS_ID_TAKEN]
    if user_by_email(email):
        errors["email"] = [EMAIL_TAKEN]
    errors.update(password_violation(password, email))
    _raise_if(errors)
    user = User(email=email, name=name, password_hash=passwords.hash_password(password), locale=_language(locale))
    org = Organization(
        kind=OrgKind(org_kind),
        name=org_name,
        business_id=business_id,
        contact_email=rules.normalize_email(contact_email) or None,
        contact_phone=contact_phone or None,
    )
    db.session.add_all([user, org, Membership(user=user, organization=org, role=Role.ADMIN, can_sign=True)])
    _flush_unique(_l("This e-mail address or business ID was registered a moment ago. Check your details"))
    audit.record(user, "user.register", user, {"email": (None, email)})
    audit.record(user, "organization.create", org, {"name": (None, org.name), "kind": (None, org.kind)})
    return user


def _business_id_taken(business_id):
    query = sa.select(Organization.id).where(Organization.business_id == business_id)
    return db.session.execute(query).first() is not None


def _language(locale):
    return locale if locale in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


def authenticate(email, password):
    """The active user with this e-mail and password, or None (upgrading an outdated hash)."""
    user = user_by_email(email)
    if user is None:
        passwords.hash_password(password)  # as slow as a real check: no account enumeration by timing
        return None
    if not passwords.verify_password(user.password_hash, password) or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def _set_password(user, password):
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()


def change_password(user, current_password, new_password, *, keep_current_session=True):
    """Change ``user``'s password after checking the current one; every other session ends."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise RuleViolation(_l("Enter your current password correctly"), field="current_password")
    _raise_if(password_violation(new_password, user.email, field="new_password"))
    _set_password(user, new_password)
    sessions.revoke_all(user, keep_current=keep_current_session)
    audit.record(user, "user.password_change", user)
    db.session.flush()


def update_profile(user, *, name, locale):
    """Change ``user``'s name and language."""
    changes = audit.diff(user, {"name": name, "locale": _language(locale)})
    if changes:
        audit.record(user, "user.update", user, changes)
        db.session.flush()
    return changes


def request_password_reset(email):
    """``(user, token)`` for an active account with this address, else None (the caller answers alike)."""
    user = user_by_email(email)
    if user is None or not user.active:
        return None
    token = new_token()
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    db.session.add(PasswordReset(user=user, token_hash=token_hash(token), expires_at=utcnow() + max_age))
    audit.record(user, "user.password_reset_request", user)
    db.session.flush()
    return user, token


def find_password_reset(token):
    """The usable (unused, unexpired) reset for ``token``, or None."""
    query = sa.select(PasswordReset).where(PasswordReset.token_hash == token_hash(token or ""))
    reset = db.session.execute(query).scalar_one_or_none()
    if reset is None or not reset.is_usable(utcnow()) or not reset.user.active:
        return None
    return reset


def reset_password(token, new_password):
    """Set a new password with a reset token (single use); every session of the user ends.

    :raise NotFound: the token is unknown, used or expired.
    """
    reset = find_password_reset(token)
    if reset is None:
        raise NotFound(_l("This password reset link has expired or has already been used."))
    user = reset.user
    _raise_if(password_violation(new_password, user.email))
    # Conditional update: of two concurrent uses of one token, only one passes.
    used = db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise NotFound(_l("This password reset link has expired or has already been used."))
    _set_password(user, new_password)
    sessions.revoke_all(user)
    audit.record(user, "user.password_reset", user)
    db.session.flush()
    return user


def facilities_centre():
    """The facilities centre's organization, created on first use."""
    query = sa.select(Organization).where(Organization.kind == OrgKind.FACILITIES_CENTRE).order_by(Organization.id)
    centre = db.session.execute(query).scalars().first()
    if centre is None:
        centre = Organization(kind=OrgKind.FACILITIES_CENTRE, name=FACILITIES_CENTRE_NAME)
        db.session.add(centre)
        db.session.flush()
        audit.record(None, "organization.create", centre, {"name": (None, centre.name)})
    return centre


def create_user(*, email, name, password, staff=False, locale="fi"):
    """Create an account (the CLI's way); ``staff`` makes it a member of the facilities centre.

    The centre's first member becomes its signing admin; later ones are members whose role an
    admin changes on the members page.
    """
    email = rules.normalize_email(email)
    errors = {"email": [EMAIL_TAKEN]} if user_by_email(email) else {}
    errors.update(password_violation(password, email))
    _raise_if(errors)
    user = User(email=email, name=name, password_hash=passwords.hash_password(password), locale=_language(locale))
    db.session.add(user)
    if staff:
        centre = facilities_centre()
        first = not centre.memberships
        role = Role.ADMIN if first else Role.MEMBER
        db.session.add(Membership(user=user, organization=centre, role=role, can_sign=first))
    _flush_unique(EMAIL_TAKEN)
    audit.record(None, "user.create", user, {"email": (None, email), "staff": (None, staff)})
    return user


def deactivate_user(actor, user):
    """Stop ``user`` from logging in and end all their sessions (their records stay)."""
    if user.active:
        user.active = False
        sessions.revoke_all(user)
        audit.record(actor, "user.deactivate", user, {"active": (True, False)})
        db.session.flush()
    return user


def list_users():
    """Every account, by e-mail address."""
    return db.session.execute(sa.select(User).order_by(User.email)).scalars().all()
