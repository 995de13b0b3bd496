"""Accounts: registration, log-in and out, password reset, the account page.

The members pages and invitations are in :mod:`leasing.accounts.views_members`, on this blueprint.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from leasing.accounts import notify, services, sessions
from leasing.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from leasing.authz import authorize, public
from leasing.errors import RuleViolation
from leasing.extensions import db, limiter
from leasing.forms import apply_rule_violation
from leasing.i18n import _, _l, current_language
from leasing.urls import safe_next

bp = Blueprint("accounts", __name__)

WRONG_LOGIN = _l("Wrong e-mail address or password")


def render_form(template, status=None, **context):
    """Render a form page: 422 after an invalid POST, 200 otherwise."""
    if status is None:
        status = 422 if request.method == "POST" else 200
    return render_template(template, **context), status


def _me():
    """The signed-in user, who may edit their own account (anonymous → the log-in page)."""
    return authorize(current_user, "edit", current_user)


def _failed(response):
    """Only failed attempts count towards the log-in limits: a success redirects."""
    return response.status_code != 302


def _address_limit():
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _account_limit():
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _account_key():
    """The per-account rate-limit key: the submitted e-mail, lower-cased (whether or not it exists)."""
    return "account:" + (request.form.get("email") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    """Log in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), "accounts.account"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            sessions.start(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), "accounts.account"))
        form.email.errors = [WRONG_LOGIN]
    return render_form("accounts/login.html", form=form)


@bp.post("/logout")
@public
def logout():
    """Log out this browser (POST with a CSRF token; safe for anyone, so open)."""
    sessions.end()
    db.session.commit()
    flash(_("You have logged out."), "success")
    return redirect(url_for("site.index"))


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    """Register a person together with their new association or cultural group."""
    if current_user.is_authenticated:
        return redirect(url_for(".account"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(**form.service_values(), locale=current_language())
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            sessions.start(user)
            db.session.commit()
            flash(_("Welcome to Tilasilta! Your account and organization are ready."), "success")
            return redirect(url_for(".account"))
    return render_form("accounts/register.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])
def forgot_password():
    """Ask for a password reset link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        found = services.request_password_reset(form.email.data)
        if found:
            notify.send_password_reset(*found)
        db.session.commit()
        flash(
            _("If an account uses that address, we have sent it a link for setting a new password. Check your e-mail."),
            "success",
        )
        return redirect(url_for(".login"))
    return render_form("accounts/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    """Set a new password with the link from the e-mail; every session of the account ends."""
    if services.find_password_reset(token) is None:
        return render_template("accounts/link_invalid.html", kind="reset"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            sessions.end()
            db.session.commit()
            flash(_("Your password has been changed. Log in with your new password."), "success")
            return redirect(url_for(".login"))
    return render_form("accounts/reset_password.html", form=form)


def _account_page(user, profile_form=None, password_form=None):
    return render_form(
        "accounts/account.html",
        user=user,
        profile_form=profile_form or ProfileForm(obj=user, formdata=None),
        password_form=password_form or ChangePasswordForm(formdata=None),
        memberships=user.memberships,
    )


@bp.get("/account")
def account():
    """The signed-in user's account: name, language, password and organizations."""
    return _account_page(_me())


@bp.post("/account")
def update_profile():
    """Save the user's name and language."""
    user = _me()
    form = ProfileForm()
    if not form.validate_on_submit():
        return _account_page(user, profile_form=form)
    services.update_profile(user, name=form.name.data, locale=form.locale.data)
    db.session.commit()
    session["lang"] = user.locale
    flash(_("Your details have been saved."), "success")
    return redirect(url_for(".account"))


@bp.post("/account/password")
def change_password():
    """Change the password (the current one is required); other browsers are logged out."""
    user = _me()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except RuleViolation as err:
            apply_rule_violation(form, err)
        else:
            db.session.commit()
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return redirect(url_for(".account"))
    return _account_page(user, password_form=form)


from leasing.accounts import views_members  # noqa: E402,F401  (its routes join this blueprint)
