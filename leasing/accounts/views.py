"""Accounts: registration, log-in and out, password reset, invitations, members (being written)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/login")
def login():
    return ""


@bp.route("/register")
def register():
    return ""


@bp.post("/logout")
def logout():
    return ""


@bp.route("/account")
def account():
    return ""
