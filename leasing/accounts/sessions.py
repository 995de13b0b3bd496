"""Server-side sessions on top of Flask-Login.

The signed cookie holds the user id and a random session id; the database holds the session's
hash. Logging out, changing the password or deactivating the user revokes rows, so a cookie copied
before then no longer signs anyone in (Flask's signed-cookie session alone cannot do that).
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_login import login_user, logout_user

from leasing.accounts.models import Anonymous, User, UserSession
from leasing.db import utcnow
from leasing.extensions import db, login_manager
from leasing.i18n import _l

#: How often ``last_seen_at`` is written (not on every request).
TOUCH_INTERVAL = timedelta(minutes=5)


def token_hash(token):
    """SHA-256 hex of a random token: what we store instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(user):
    """Sign ``user`` in on this browser with a fresh session (the old cookie's contents are dropped)."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=token_hash(token), user_agent=_user_agent()))
    user.last_login_at = utcnow()
    session["sid"] = token
    session.permanent = True
    login_user(user)


def end():
    """Sign out this browser: revoke its session row and clear the cookie."""
    token = session.get("sid")
    if token:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    logout_user()
    session.clear()


def revoke_all(user, keep_current=False):
    """End every session of ``user`` (password change, deactivation); optionally keep this browser's."""
    query = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    token = session.get("sid") if keep_current else None
    if token:
        query = query.where(UserSession.token_hash != token_hash(token))
    db.session.execute(query.values(revoked_at=utcnow()))


def load_user(user_id):
    """Flask-Login's loader: the user only if this browser's session row is alive."""
    token = session.get("sid")
    if not token or not str(user_id).isdigit():
        return None
    row = db.session.execute(
        sa.select(UserSession).where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None or row.user_id != int(user_id):
        return None
    now = utcnow()
    if now - row.last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"]:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
        g.session_touched = True
    return user


def _user_agent():
    return (request.user_agent.string or "")[:200] if request else None


def init_app(app):
    """Wire the loader and the anonymous user into Flask-Login."""
    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None

    @app.after_request
    def _save_touch(response):
        # A read-only request has nothing else to commit; a write commits the touch with its change.
        if g.get("session_touched") and request.method in ("GET", "HEAD"):
            db.session.commit()
        return response
