"""Tilasilta: the application factory."""

import secrets

from flask import Flask, g, request
from jinja2 import StrictUndefined
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module
from leasing import errors, i18n, mail
from leasing.extensions import babel, csrf, db, limiter, login_manager, migrate
from leasing.i18n import _l


def create_app(config=None):
    """Build the app. ``config`` is a config class name, a class, or a dict of overrides (tests)."""
    app = Flask(
        __name__,
        instance_path=str(config_module.INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    _configure(app, config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_api(app)
    errors.init_app(app)
    i18n.init_app(app)
    mail.init_app(app)
    _init_templating(app)
    _init_security_headers(app)
    _refuse_nul_characters(app)
    _register_cli(app)
    return app


def _configure(app, config):
    if isinstance(config, dict):
        base = config_module.load(config.get("ENV_NAME"))
        app.config.from_object(base)
        app.config.update(config)
    else:
        app.config.from_object(config if isinstance(config, type) else config_module.load(config))
    if app.config["ENV_NAME"] == "production":
        _refuse_unsafe_production(app)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)


def _refuse_unsafe_production(app):
    """Production never runs with the development secret or on a throwaway database."""
    key = app.config.get("SECRET_KEY") or ""
    if key == config_module.DEV_SECRET_KEY or len(key) < 32:
        raise RuntimeError("Set SECRET_KEY (at least 32 random characters) before running in production.")
    if app.config["SQLALCHEMY_DATABASE_URI"] in ("sqlite://", "sqlite:///:memory:"):
        raise RuntimeError("Set DATABASE_URL before running in production.")


def _init_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.BASE_DIR / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=lambda: "Europe/Helsinki")
    limiter.init_app(app)
    from leasing import models  # noqa: F401  (every table on the metadata)
    from leasing.accounts import sessions

    sessions.init_app(app)


def _register_blueprints(app):
    from leasing.accounts.views import bp as accounts_bp
    from leasing.api.views_tokens import bp as api_tokens_bp
    from leasing.bookings.views import bp as bookings_bp
    from leasing.calendars.views import bp as calendars_bp
    from leasing.documents.views import bp as documents_bp
    from leasing.leases.views import bp as leases_bp
    from leasing.premises.views import bp as premises_bp
    from leasing.site.views import bp as site_bp
    from leasing.sublets.views import bp as sublets_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(premises_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(leases_bp)
    app.register_blueprint(sublets_bp)
    app.register_blueprint(bookings_bp)
    app.register_blueprint(calendars_bp)
    app.register_blueprint(api_tokens_bp)


def _register_api(app):
    """The JSON API under /api/v1 (flask-smorest builds its OpenAPI document from these views)."""
    from leasing.api import core
    from leasing.api.views_accounts import bp as api_accounts_bp
    from leasing.api.views_bookings import bp as api_bookings_bp
    from leasing.api.views_docs import bp as api_docs_bp
    from leasing.api.views_leases import bp as api_leases_bp
    from leasing.api.views_premises import bp as api_premises_bp
    from leasing.api.views_sublets import bp as api_sublets_bp

    core.init_app(app, [api_premises_bp, api_leases_bp, api_sublets_bp, api_bookings_bp, api_accounts_bp])
    app.register_blueprint(api_docs_bp)


def _init_templating(app):
    from leasing.audit import action_title, field_title
    from leasing.authz import can
    from leasing.forms import form_errors

    app.jinja_env.filters.update(audit_action=action_title, audit_field=field_title)
    if app.config.get("STRICT_TEMPLATES"):
        app.jinja_env.undefined = StrictUndefined
    app.jinja_env.globals.update(can=can, form_errors=form_errors, csp_nonce=lambda: g.get("csp_nonce", ""))


def _init_security_headers(app):
    @app.before_request
    def make_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def security_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _contains_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _refuse_nul_characters(app):
    """No text we keep may hold a NUL character (PostgreSQL refuses it, and no person types one):
    a query string, form or JSON body with one is a 400 before any view sees it."""

    @app.before_request
    def refuse_nul():
        form = request.form if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") else {}
        body = request.get_json(silent=True) if request.is_json else None
        texts = [*request.args.lists(), *(form.lists() if form else ())]
        if any(_contains_nul(key) or _contains_nul(values) for key, values in texts) or _contains_nul(body):
            raise BadRequest(_l("The request holds a NUL character, which no field accepts."))


def _register_cli(app):
    from leasing import cli

    cli.init_app(app)
