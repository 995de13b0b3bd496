"""Personal API tokens: a user's secrets for the JSON API, one per system or script.

The secret (``tls_`` + ``secrets.token_urlsafe(32)``; the prefix lets secret scanners recognise a leaked
one) is shown once, when the token is created; only its SHA-256 is stored. A token is ``read`` or
``write`` and may expire at the end of a chosen day (Helsinki). Every change is authorized (the owner
only), audited and flushed; the request commits.

``authenticate(secret)`` is the API's lookup: the active token the secret opens, with its owner (an
active user) and the owner's memberships loaded in the same single query, or None. ``touch(token)``
notes its use, writing ``last_used_at`` at most once an hour.
"""

import hashlib
import hmac
import re
import secrets
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from leasing import audit
from leasing.accounts.models import User
from leasing.api.models import ACCESS_LEVELS, ApiToken
from leasing.authz import authorize
from leasing.db import HELSINKI, touch_last_used, utcnow
from leasing.errors import NotFound, RuleViolation
from leasing.extensions import db
from leasing.i18n import _

#: The column's length.
NAME_MAX = 100
#: Every secret starts with this, so that secret scanners (and people) recognise it.
PREFIX = "tls_"
#: ``secrets.token_urlsafe(32)`` is 43 characters; anything much longer is not ours.
SECRET_MAX = 128
#: What a secret looks like; anything else is refused before the database is asked.
SECRET_RE = re.compile(rf"{PREFIX}[A-Za-z0-9_-]{{32,{SECRET_MAX - len(PREFIX)}}}")
#: A token's ``last_used_at`` is written at most this often.
TOUCH_EVERY = timedelta(hours=1)
#: The last year a token may be set to expire in (the forms' dates stop there too).
LATEST_YEAR = 2100


def hash_secret(secret):
    """The stored form of a secret: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_secret():
    return PREFIX + secrets.token_urlsafe(32)


def helsinki_today(now=None):
    """Today's date in Helsinki (``now``: an instant, default the clock)."""
    return (now or utcnow()).astimezone(HELSINKI).date()


def end_of_day(day):
    """The instant (UTC) that ends ``day`` in Helsinki: the next midnight there."""
    return datetime.combine(day + timedelta(days=1), time(), HELSINKI).astimezone(UTC)


def clean_name(name):
    """The name stripped, or a RuleViolation on ``name`` (empty or too long)."""
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise RuleViolation(_("Enter a name for the token, like Booking system or Reports"), field="name")
    if len(name) > NAME_MAX:
        raise RuleViolation(_("Enter at most %(max)d characters", max=NAME_MAX), field="name")
    return name


def _clean_access(access):
    if access not in ACCESS_LEVELS:
        raise RuleViolation(_("Choose read only or read and write"), field="access")
    return access


def _clean_expiry(expires_on, now):
    """The instant a token set to last through ``expires_on`` stops working (None: never)."""
    if expires_on is None:
        return None
    if not isinstance(expires_on, date) or isinstance(expires_on, datetime):
        raise RuleViolation(_("Choose when the token expires"), field="expires_on")
    if expires_on <= helsinki_today(now):
        raise RuleViolation(_("Choose a day after today for the token to expire"), field="expires_on")
    if expires_on.year > LATEST_YEAR:
        raise RuleViolation(_("Choose a day before the year %(year)d", year=LATEST_YEAR + 1), field="expires_on")
    return end_of_day(expires_on)


def user_tokens(user):
    """``user``'s tokens: active ones first (neither revoked nor expired), newest first within each."""
    now = utcnow()
    inactive = sa.or_(
        ApiToken.revoked_at.is_not(None), sa.and_(ApiToken.expires_at.is_not(None), ApiToken.expires_at <= now)
    )
    return db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(sa.case((inactive, 1), else_=0), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def get_token(actor, token_id):
    """The token ``token_id`` if ``actor`` owns it.

    :raise NotFound: no such token, or another user's (its existence is not told).
    """
    token = db.session.get(ApiToken, token_id) if isinstance(token_id, int) else None
    if token is None:
        raise NotFound()
    return authorize(actor, "manage", token, hide=True)


def create(actor, name, access, expires_on):
    """A new token of ``actor``: ``(token, secret)``; the secret is not kept anywhere, show it now.

    ``access`` is ``"read"`` or ``"write"``; ``expires_on`` a day after today (the token works through
    that day, Helsinki time) or None for a token that does not expire.

    :raise RuleViolation: on ``name``, ``access`` or ``expires_on``.
    """
    now = utcnow()
    name = clean_name(name)
    access = _clean_access(access)
    expires_at = _clean_expiry(expires_on, now)
    secret = _new_secret()
    token = ApiToken(
        user_id=actor.id,
        name=name,
        access=access,
        expires_at=expires_at,
        token_hash=hash_secret(secret),
        created_at=now,
    )
    authorize(actor, "manage", token)
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor,
        "api_token.create",
        token,
        {"name": (None, name), "access": (None, access), "expires_at": (None, expires_at)},
    )
    db.session.flush()
    return token, secret


def revoke(actor, token_id):
    """Stop the token ``token_id`` of ``actor`` at once; revoking a revoked token changes nothing.

    :raise NotFound: no such token, or another user's.
    """
    token = get_token(actor, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "api_token.revoke", token, {"revoked_at": (None, token.revoked_at)})
        db.session.flush()
    return token


def authenticate(secret):
    """The active token ``secret`` opens, its owner an active user, or None.

    None for anything that is not a well-formed secret, an unknown one, or a revoked or expired token.
    One query: the token, its owner and the owner's memberships (with their organizations) come together,
    so the API can authorize without asking again. Looked up by hash, compared in constant time.
    """
    if not isinstance(secret, str) or len(secret) > SECRET_MAX or not SECRET_RE.fullmatch(secret):
        return None
    digest = hash_secret(secret)
    token = (
        db.session.execute(
            sa.select(ApiToken)
            .options(joinedload(ApiToken.user).joinedload(User.memberships))
            .where(ApiToken.token_hash == digest)
        )
        .unique()
        .scalar_one_or_none()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest) or not token.active:
        return None
    if not token.user.active:
        return None
    return token


def touch(token, now=None):
    """Note that ``token`` was used, at most once an hour (flushed; the caller commits). True when it wrote."""
    return touch_last_used(token, TOUCH_EVERY, now)
