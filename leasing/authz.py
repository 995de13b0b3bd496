"""Authorization per object, in one place.

Models carry ``can_<action>(user)`` methods next to the state they depend on; views and templates
ask through :func:`authorize` and the ``can`` template global. A view that is open to everyone says
so with :func:`public`; ``tests/test_architecture.py`` fails for a view that does neither.
"""

from flask_login import current_user

from leasing.errors import LoginRequired, NotFound, PermissionDenied


def allowed(user, action, obj):
    """True when ``user`` may do ``action`` to ``obj`` (an instance or a model class)."""
    check = getattr(obj, f"can_{action}", None)
    if check is None:
        raise AttributeError(f"{obj!r} has no can_{action}")
    return bool(check(user))


def authorize(user, action, obj, *, hide=False):
    """Return ``obj`` if ``user`` may do ``action`` to it.

    :raise LoginRequired: anonymous user (sent to the log-in page).
    :raise NotFound: ``hide`` is set, or the object's existence is itself secret.
    :raise PermissionDenied: a signed-in user who may not.
    """
    if allowed(user, action, obj):
        return obj
    if hide:
        raise NotFound()
    if not user.is_authenticated:
        raise LoginRequired()
    raise PermissionDenied()


def can(action, obj):
    """Template helper: ``{% if can("edit", building) %}``."""
    return allowed(current_user, action, obj)


def public(view):
    """Mark a view as open to everyone, on purpose."""
    view.is_public = True
    return view
