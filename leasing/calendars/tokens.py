"""Private-feed tokens: a user's secret calendar addresses, one per device or app.

The secret (``secrets.token_urlsafe(32)``) is shown once, when a token is created or regenerated;
only its SHA-256 is stored. Every change is authorized (the owner only; creating one needs a
membership of the organization), audited and flushed; the request commits.

``find(secret)`` returns the active token the secret opens, or None (unknown, revoked, replaced by a
regenerated secret, or its owner no longer a member): it guards the input and asks
``queries.active_token`` (the feed view's lookup, compared with ``hmac.compare_digest``), so the two
never disagree. ``touch(token)`` is ``queries.touch`` (``last_used_at``, written at most once an hour).
"""

import secrets

import sqlalchemy as sa

from leasing import audit
from leasing.accounts.models import Organization
from leasing.authz import authorize
from leasing.calendars import queries
from leasing.calendars.models import CalendarToken
from leasing.db import utcnow
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.extensions import db
from leasing.i18n import _

#: The column's length.
NAME_MAX = 100
#: ``secrets.token_urlsafe(32)`` is 43 characters; anything much longer is not ours.
SECRET_MAX = 128


#: The SHA-256 (hex) stored for a secret.
hash_secret = queries.token_hash
#: Note that a token was used (flushed; the caller commits); True when it wrote.
touch = queries.touch


def _new_secret():
    return secrets.token_urlsafe(32)


def clean_name(name):
    """The name stripped, or a RuleViolation on ``name`` (empty or too long)."""
    name = (name or "").strip()
    if not name:
        raise RuleViolation(_("Enter a name for the link, like Phone or Work computer"), field="name")
    if len(name) > NAME_MAX:
        raise RuleViolation(_("Enter at most %(max)d characters", max=NAME_MAX), field="name")
    return name


def _member_organization(actor, organization_id):
    organization = db.session.get(Organization, organization_id) if isinstance(organization_id, int) else None
    if organization is None or not actor.is_authenticated or actor.membership_in(organization) is None:
        raise RuleViolation(_("Choose one of your organizations"), field="organization_id")
    return organization


def user_tokens(user):
    """``user``'s tokens: active ones first, newest first within each."""
    return db.session.scalars(
        sa.select(CalendarToken)
        .where(CalendarToken.user_id == user.id)
        .order_by(CalendarToken.revoked_at.is_not(None), CalendarToken.created_at.desc(), CalendarToken.id.desc())
    ).all()


def get_token(actor, token_id):
    """The token ``token_id`` if ``actor`` owns it.

    :raise NotFound: no such token, or another user's (its existence is not told).
    """
    token = db.session.get(CalendarToken, token_id)
    if token is None:
        raise NotFound()
    return authorize(actor, "manage", token, hide=True)


def create(actor, organization_id, name):
    """A new token of ``actor`` for ``organization_id`` (one of their memberships): ``(token, secret)``."""
    name = clean_name(name)
    organization = _member_organization(actor, organization_id)
    secret = _new_secret()
    token = CalendarToken(user_id=actor.id, organization_id=organization.id, name=name, token_hash=hash_secret(secret))
    authorize(actor, "manage", token)
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor, "calendar_token.create", token, {"name": (None, name), "organization": (None, organization.name)}
    )
    db.session.flush()
    return token, secret


def rename(actor, token, name):
    """Give ``token`` a new name."""
    authorize(actor, "manage", token, hide=True)
    changes = audit.diff(token, {"name": clean_name(name)})
    if changes:
        audit.record(actor, "calendar_token.rename", token, changes)
    db.session.flush()
    return token


def revoke(actor, token):
    """Stop ``token`` at once (its feed answers 404); revoking a revoked token changes nothing."""
    authorize(actor, "manage", token, hide=True)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "calendar_token.revoke", token, {"revoked_at": (None, token.revoked_at)})
        db.session.flush()
    return token


def regenerate(actor, token):
    """Give ``token`` a new secret, returned once; the old one stops working at once.

    :raise Conflict: the token is revoked (create a new one instead).
    """
    authorize(actor, "manage", token, hide=True)
    if token.revoked_at is not None:
        raise Conflict(_("This link has been revoked. Create a new one instead."))
    secret = _new_secret()
    token.token_hash = hash_secret(secret)
    token.last_used_at = None
    audit.record(actor, "calendar_token.regenerate", token)
    db.session.flush()
    return secret


def find(secret):
    """The active token ``secret`` opens, or None (unknown, revoked, regenerated away, owner gone)."""
    if not isinstance(secret, str) or not secret or len(secret) > SECRET_MAX:
        return None
    return queries.active_token(secret)
