"""Private calendar links in the account settings, and the subscribe pages of the public feeds.

A new or regenerated secret is shown once, in the POST's own response (never in the session).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from leasing.authz import authorize
from leasing.calendars import tokens
from leasing.calendars.blueprint import bp
from leasing.calendars.forms import NewTokenForm, RenameTokenForm, TokenActionForm
from leasing.errors import NotFound, RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _
from leasing.premises.models import Building, Space


def feed_url(endpoint, path, **values):
    """The feed's absolute https (or the site's own scheme) address.

    ``path`` stands in while ``endpoint`` is not registered (the feeds are built separately).
    """
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return request.url_root.rstrip("/") + path


def private_feed_url(secret):
    """The private feed's address for ``secret``."""
    return feed_url("calendars.private_feed", f"/calendar/feed/{secret}.ics", token=secret)


def _me():
    """The signed-in user, who manages their own links (anonymous → the log-in page)."""
    return authorize(current_user, "edit", current_user)


def _rename_form(token):
    return RenameTokenForm(prefix=f"t{token.id}", formdata=None, data={"name": token.name})


def _tokens_page(user, new_form=None, failed=None):
    """The list of ``user``'s links; ``failed`` is ``(token_id, form)`` of a rename that came back."""
    rows = tokens.user_tokens(user)
    rename_forms = {token.id: _rename_form(token) for token in rows if token.active}
    if failed is not None:
        rename_forms[failed[0]] = failed[1]
    status = 422 if request.method == "POST" else 200
    return render_template(
        "calendars/tokens.html",
        rows=rows,
        new_form=new_form or NewTokenForm(user, formdata=None),
        rename_forms=rename_forms,
        action_form=TokenActionForm(formdata=None),
    ), status


def _secret_page(token, secret, regenerated):
    """The one time the secret is shown: never cached, never kept."""
    response = render_template(
        "calendars/token_secret.html", token=token, url=private_feed_url(secret), regenerated=regenerated
    )
    return response, 200, {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _to_list():
    return redirect(url_for("calendars.tokens"))


@bp.get("/account/calendars", endpoint="tokens")
def tokens_page():
    """The signed-in user's private calendar links, a form for a new one, and how to subscribe."""
    return _tokens_page(_me())


@bp.post("/account/calendars")
def create_token():
    """Create a link; its secret address is shown once, in this response."""
    user = _me()
    form = NewTokenForm(user)
    if form.validate_on_submit():
        try:
            token, secret = tokens.create(user, form.organization_id.data, form.name.data)
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            db.session.commit()
            return _secret_page(token, secret, regenerated=False)
    return _tokens_page(user, new_form=form)


@bp.post("/account/calendars/<int:token_id>/rename")
def rename_token(token_id):
    """Rename one of the user's links."""
    user = _me()
    token = tokens.get_token(user, token_id)
    if not token.active:
        raise NotFound()
    form = RenameTokenForm(prefix=f"t{token.id}")
    if form.validate_on_submit():
        try:
            tokens.rename(user, token, form.name.data)
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            db.session.commit()
            flash(_("The link has been renamed."), "success")
            return _to_list()
    return _tokens_page(user, failed=(token.id, form))


@bp.post("/account/calendars/<int:token_id>/revoke")
def revoke_token(token_id):
    """Revoke a link: its address stops working at once."""
    user = _me()
    token = tokens.get_token(user, token_id)
    if TokenActionForm().validate_on_submit():
        tokens.revoke(user, token)
        db.session.commit()
        flash(
            _("The link “%(name)s” has been revoked. Calendars that used it no longer update.", name=token.name),
            "success",
        )
    return _to_list()


@bp.post("/account/calendars/<int:token_id>/regenerate")
def regenerate_token(token_id):
    """Give a link a new secret address, shown once; the old address stops working at once."""
    user = _me()
    token = tokens.get_token(user, token_id)
    if not TokenActionForm().validate_on_submit():
        return _to_list()
    secret = tokens.regenerate(user, token)
    db.session.commit()
    return _secret_page(token, secret, regenerated=True)


@bp.get("/calendar/spaces/<int:space_id>", endpoint="space_subscribe")
def space_subscribe(space_id):
    """How to subscribe to a space's public calendar (wherever the space itself is visible)."""
    space = db.session.get(Space, space_id)
    if space is None:
        raise NotFound()
    authorize(current_user, "view", space, hide=True)
    url = feed_url("calendars.space_feed", f"/calendar/spaces/{space.id}.ics", space_id=space.id)
    return render_template("calendars/subscribe.html", title=space.name, building=space.building, url=url)


@bp.get("/calendar/buildings/<int:building_id>", endpoint="building_subscribe")
def building_subscribe(building_id):
    """How to subscribe to a building's public calendar (wherever the building itself is visible)."""
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound()
    authorize(current_user, "view", building, hide=True)
    url = feed_url("calendars.building_feed", f"/calendar/buildings/{building.id}.ics", building_id=building.id)
    return render_template("calendars/subscribe.html", title=building.name, building=building, url=url)
