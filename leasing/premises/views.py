"""Premises: the public list and building pages, and the staff register (being written)."""

from flask import Blueprint

bp = Blueprint("premises", __name__)


@bp.route("/premises")
def index():
    return ""


@bp.route("/staff/buildings")
def manage():
    return ""
