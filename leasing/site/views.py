"""Site-wide pages: front page, health check, accessibility statement, language switch."""

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, request, session
from flask_login import current_user

from leasing.authz import public
from leasing.extensions import db
from leasing.i18n import REGIONAL
from leasing.urls import safe_next

bp = Blueprint("site", __name__)


@bp.get("/")
@public
def index():
    """The front page: what Tilasilta is, and the way to the vacant premises."""
    return render_template("site/index.html")


@bp.get("/healthz")
@public
def healthz():
    """Liveness and database check for load balancers (stable contract)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/accessibility")
@public
def accessibility():
    """The accessibility statement required by the Act on the Provision of Digital Services."""
    return render_template("site/accessibility.html")


@bp.post("/language")
@public
def set_language():
    """Remember the chosen language (and save it to the profile of a signed-in user)."""
    lang = request.form.get("lang", "")
    if lang in REGIONAL:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
