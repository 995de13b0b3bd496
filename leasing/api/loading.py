"""Loading an object for an API call: the one place where the API asks whether the caller may.

An object the caller may not see is 404 — the same answer as one that does not exist — so an id
cannot be guessed into telling anything. One the caller may see but not change is 403 (401 without
a token). The questions are the models' own ``can_<action>`` methods, as on the HTML pages.
"""

from flask_login import current_user

from leasing.authz import authorize
from leasing.errors import NotFound
from leasing.extensions import db

#: Ids are 32-bit integers on PostgreSQL: a larger one cannot name a row (and would be an error there).
MAX_ID = 2**31


def load(model, object_id, action="view", *, options=()):
    """The ``model`` row ``object_id`` if the caller may see it and, beyond viewing, ``action`` it."""
    obj = db.session.get(model, object_id, options=options) if 0 < object_id < MAX_ID else None
    if obj is None:
        raise NotFound()
    authorize(current_user, "view", obj, hide=True)
    if action != "view":
        authorize(current_user, action, obj)
    return obj


def require(action, obj):
    """``obj`` (an instance or a model class) if the caller may ``action`` it (401/403 otherwise)."""
    return authorize(current_user, action, obj)
