"""Domain errors, and the one place that turns them into a page for people or JSON for the API."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule said no. ``message`` is shown to the user; ``code`` is stable for the API."""

    status = 400
    code = "invalid"
    default_message = _l("The request could not be completed.")

    def __init__(self, message=None, *, field=None, code=None, fields=None):
        super().__init__(str(message or self.default_message))
        self.message = message or self.default_message
        self.field = field
        self.fields = fields or ({field: [self.message]} if field else {})
        if code:
            self.code = code


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it does."""

    status = 404
    code = "not_found"
    default_message = _l("The page or object was not found.")


class LoginRequired(DomainError):
    """The action needs a signed-in user."""

    status = 401
    code = "unauthenticated"
    default_message = _l("Log in to continue.")


class PermissionDenied(DomainError):
    """The user is known but may not do this."""

    status = 403
    code = "forbidden"
    default_message = _l("You do not have permission to do this.")


class Conflict(DomainError):
    """The action clashes with the current state (taken, already done, overlapping)."""

    status = 409
    code = "conflict"
    default_message = _l("This conflicts with the current state.")


class RuleViolation(DomainError):
    """Input breaks a rule; ``field`` names the form field the message belongs next to."""

    status = 422
    code = "rule_violation"
    default_message = _l("Check the information you entered.")


INVALID_INPUT = _l("Check the information you entered.")


def wants_json():
    """True for API requests: they get JSON errors, never HTML."""
    return request.path.startswith("/api/")


def json_error(status, code, message, fields=None):
    """The contract's JSON error body (a 401 says which scheme to use)."""
    body = {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {str(k): [str(m) for m in v] for k, v in (fields or {}).items()},
        }
    }
    headers = {"WWW-Authenticate": 'Bearer realm="api"'} if status == 401 else {}
    return jsonify(body), status, headers


def flatten_messages(messages, prefix=""):
    """webargs/marshmallow's nested messages (``{"json": {"items": {0: {"name": [...]}}}}``) as
    ``{"items.0.name": [...]}``; the location (json, query, path) is left out."""
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if not prefix and key in ("json", "query", "querystring", "view_args", "path", "form", "headers"):
                flat.update(flatten_messages(value, ""))
            else:
                flat.update(flatten_messages(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = list(messages)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def handle_domain_error(error):
    """People get a page (or the log-in form); the API gets the contract's JSON."""
    if wants_json():
        return json_error(error.status, error.code, error.message, error.fields)
    if isinstance(error, LoginRequired):
        flash(str(error.message), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    return render_template(f"errors/{error.status}.html", error=error), error.status


def handle_http_error(error):
    """Werkzeug's HTTP errors, rendered in the site's layout or as JSON, with their own headers
    (``Allow`` on a 405, ``Retry-After`` on a 429)."""
    headers = [(k, v) for k, v in error.get_headers() if k.lower() not in ("content-type", "content-length")]
    if wants_json():
        messages = (getattr(error, "data", None) or {}).get("messages")
        if messages is not None:  # the schema refused the input (webargs)
            body, status, extra = json_error(error.code, "invalid_input", INVALID_INPUT, flatten_messages(messages))
        else:
            body, status, extra = json_error(error.code, error.name.lower().replace(" ", "_"), error.description)
        return body, status, {**dict(headers), **extra}
    template = error.code if error.code in (400, 403, 404, 405, 413, 429) else "generic"
    return render_template(f"errors/{template}.html", error=error), error.code, headers


def handle_unexpected(error):
    """A bug: a plain 500 page (re-raised under TESTING so tests see the traceback)."""
    from flask import current_app

    if current_app.testing and not current_app.config.get("RENDER_500_IN_TESTS"):
        raise error
    current_app.logger.exception("Unhandled error")
    if wants_json():
        return json_error(500, "server_error", "Internal server error")
    return render_template("errors/500.html"), 500


def init_app(app):
    """Register the handlers."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
