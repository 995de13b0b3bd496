"""The JSON API's frame: the OpenAPI document, its blueprints, token authentication, errors.

flask-smorest builds the OpenAPI 3.1 document from the views' marshmallow schemas and parses
requests with webargs. Its own error handler is not used: ``leasing.errors`` answers every API
error in the contract's shape, so the API has one error format whether a rule, the schema or
Werkzeug said no.

Authentication is by personal API token only (``Authorization: Bearer …``). Before anything reads
the signed-in user, :func:`authenticate` sets Flask-Login's per-request user to the token's owner
(or to the anonymous user), so a browser's session cookie never reaches the API: no session can be
ridden into it, and no CSRF token is needed (the API blueprints are exempt). A read-only token is
refused every method but GET, HEAD and OPTIONS.
"""

import hashlib
from functools import wraps

import marshmallow as ma
from flask import g, request
from flask_limiter.util import get_remote_address
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint

from leasing.accounts.models import Anonymous
from leasing.api import tokens
from leasing.errors import LoginRequired, PermissionDenied
from leasing.extensions import csrf, db, limiter
from leasing.i18n import _l

PREFIX = "/api/v1"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Every operation may answer these; views add the rest with :func:`errors`.
COMMON_ERRORS = (400, 401, 422, 429)
ERROR_DESCRIPTIONS = {
    400: "Bad request: malformed JSON, or a parameter that cannot be read",
    401: "No valid API token (missing, unknown, revoked or expired)",
    403: "The token's user may not do this (or the token is read-only)",
    404: "No such object, or not one the caller may know of",
    409: "The action conflicts with the current state (taken, already done, overlapping)",
    422: "The input breaks a rule or the schema; `fields` says which field and why",
    429: "Too many requests for this token or address",
}


#: A binary answer (a contract PDF) in the document.
PDF_SCHEMA = {"type": "string", "format": "binary"}


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Stable machine-readable code"})
    message = ma.fields.String(
        required=True, metadata={"description": "A sentence for people, in the caller's language"}
    )
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        required=True,
        metadata={"description": "Messages per input field (empty when the error is not about a field)"},
    )


class ErrorSchema(ma.Schema):
    """The contract's error body: ``{"error": {"code", "message", "fields"}}``."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class Api(SmorestApi):
    """flask-smorest's Api with the project's error format and no documentation blueprint of its own."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        """``leasing.errors`` already answers API errors in the contract's shape."""

    def _register_doc_blueprint(self):
        """The document and its page are served by ``views_docs`` (public, from local assets)."""


api = Api(
    spec_kwargs={
        "info": {
            "description": (
                "The JSON API of Tilasilta: buildings and spaces of the city's facilities centre, lease "
                "applications, leases, sublets and bookings. Authenticate with a personal API token "
                "(`Authorization: Bearer tls_…`), created in your account settings. Times are ISO 8601 "
                "with an offset (Europe/Helsinki in answers). Lists are paged with an opaque `cursor`: "
                "pass the answer's `next_cursor` to get the next page."
            )
        },
    }
)


def errors(*statuses):
    """Document the error answers an operation may give besides :data:`COMMON_ERRORS`."""

    def decorator(view):
        for status in sorted(set(COMMON_ERRORS) | set(statuses)):
            view = _alt_response(status)(view)
        return view

    return decorator


def _alt_response(status):
    # A reference to the shared response in components (registered by init_app); the method does
    # not use the blueprint instance when given a reference.
    return Blueprint.alt_response(Blueprint, status, response=f"Error{status}")


def blueprint(name, description):
    """A flask-smorest blueprint under ``/api/v1``: token-authenticated, CSRF-exempt, rate-limited."""
    bp = Blueprint(f"api_{name}", __name__, url_prefix=PREFIX, description=description)
    bp.before_request(authenticate)
    csrf.exempt(bp)
    return bp


def rate_limit_key():
    """Per token (its hash, no lookup needed) when one is sent, otherwise per address."""
    secret = _bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode()).hexdigest()
    return "api-address:" + (get_remote_address() or "")


def _bearer_secret():
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def authenticate():
    """The caller is the owner of the request's API token, or anonymous; never the session's user."""
    g._login_user = Anonymous()
    header = request.headers.get("Authorization")
    if header is None:
        return
    secret = _bearer_secret()
    token = tokens.authenticate(secret) if secret else None
    if token is None:
        raise LoginRequired(_l("The API token is missing, unknown, revoked or expired."), code="invalid_token")
    g._login_user = token.user
    g.api_token = token
    if token.access != "write" and request.method not in SAFE_METHODS:
        raise PermissionDenied(_l("This API token may only read."), code="read_only_token")
    if tokens.touch(token) and request.method in SAFE_METHODS:
        db.session.commit()


def init_app(app, blueprints):
    """Bind the API and its ``blueprints`` to ``app`` (the factory imports the view modules)."""
    app.config.setdefault("API_TITLE", "Tilasilta API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal API token (tls_…)"}
    )
    api.spec.options["security"] = [{"bearerAuth": []}, {}]
    for status, description in ERROR_DESCRIPTIONS.items():
        api.spec.components.response(
            f"Error{status}", {"description": description, "content": {"application/json": {"schema": ErrorSchema}}}
        )
    for bp in blueprints:
        limiter.limit(lambda: app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(bp)
        # Also per address, so that made-up tokens (each its own count above) cannot flood the API.
        limiter.limit(lambda: app.config["API_RATE_LIMIT_PER_ADDRESS"], key_func=get_remote_address)(bp)
        api.register_blueprint(bp)


def commits(view):
    """Commit after a successful write (the services flush; the request commits)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        result = view(*args, **kwargs)
        db.session.commit()
        return result

    return wrapper
