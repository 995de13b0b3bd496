"""Personal API tokens in the account settings: the list, a form for a new token, revoking one.

A new token's secret is shown once, in the POST's own response (never in the session, never cached).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from leasing.api import tokens
from leasing.api.forms import NewApiTokenForm, RevokeApiTokenForm
from leasing.authz import authorize
from leasing.errors import RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _

bp = Blueprint("api_tokens", __name__)

#: The API's address that tells who a token belongs to (the stable contract's ``/api/v1``).
ME_PATH = "/api/v1/me"


def _me():
    """The signed-in user, who manages their own tokens (anonymous → the log-in page)."""
    return authorize(current_user, "edit", current_user)


def _page(user, form=None, created=None, status=200):
    """The list of ``user``'s tokens and the form; ``created`` is ``(token, secret)`` shown this once."""
    return render_template(
        "api/tokens.html",
        rows=tokens.user_tokens(user),
        form=form or NewApiTokenForm(formdata=None),
        revoke_form=RevokeApiTokenForm(formdata=None),
        created=created,
        me_url=request.url_root.rstrip("/") + ME_PATH,
    ), status


@bp.get("/account/api-tokens", endpoint="tokens")
def tokens_page():
    """The signed-in user's API tokens and a form for a new one."""
    return _page(_me())


@bp.post("/account/api-tokens", endpoint="create")
def create_token():
    """Create a token; its secret is shown once, in this response."""
    user = _me()
    form = NewApiTokenForm()
    if form.validate_on_submit():
        try:
            token, secret = tokens.create(
                user, form.name.data, form.access.data, form.expires_on(tokens.helsinki_today())
            )
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            db.session.commit()
            body, status = _page(user, created=(token, secret))
            return body, status, {"Cache-Control": "no-store", "Pragma": "no-cache"}
    return _page(user, form=form, status=422)


@bp.post("/account/api-tokens/<int:token_id>/revoke", endpoint="revoke")
def revoke_token(token_id):
    """Revoke a token: it stops working at once."""
    user = _me()
    token = tokens.get_token(user, token_id)
    if RevokeApiTokenForm().validate_on_submit():
        tokens.revoke(user, token.id)
        db.session.commit()
        flash(_("The token “%(name)s” has been revoked. It no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.tokens"))
