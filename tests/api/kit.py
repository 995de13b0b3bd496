"""The API test kit: personal tokens for the usual people and a JSON caller.

``bearer(user)`` makes a real token through the service (as the settings page does) and returns
the ``Authorization`` header; ``call(client, "GET", "/api/v1/…", user=…)`` sends JSON with it.
"""

from leasing.api import tokens
from leasing.extensions import db


def bearer(user, access="write"):
    """``{"Authorization": "Bearer tls_…"}`` for a new token of ``user``."""
    _token, secret = tokens.create(user, "test", access, None)
    db.session.flush()
    return {"Authorization": f"Bearer {secret}"}


def call(client, method, path, *, user=None, access="write", json=None, query=None, headers=None):
    """One API request, as ``user`` (a token of theirs) or anonymous; returns the response."""
    sent = dict(headers or {})
    if user is not None:
        sent.update(bearer(user, access))
    return client.open(path, method=method, json=json, query_string=query, headers=sent)


def error_code(response):
    """The contract's error code of a JSON error response."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]["code"]
