"""Languages, locale selection and Finnish-style formats for dates and money.

Messages are translated per language (fi, sv, en) but formatted with the Finnish regional
locales ``fi_FI``, ``sv_FI`` and ``en_FI``: a bare ``en`` would give ``€1,234.50`` and a 12-hour
clock. The selected locale is the user's choice (session, then profile), then the browser's
Accept-Language, then Finnish.
"""

from decimal import Decimal

from flask import current_app, has_request_context, request, session
from flask_babel import format_date as _format_date
from flask_babel import format_datetime as _format_datetime
from flask_babel import format_decimal as _format_decimal
from flask_babel import (
    get_locale,
    ngettext,  # noqa: F401
)
from flask_babel import gettext as _  # noqa: F401  (re-exported for modules)
from flask_babel import lazy_gettext as _l  # noqa: F401
from flask_login import current_user

REGIONAL = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def language_for(value):
    """The supported language code for a locale string, or None."""
    if not value:
        return None
    code = str(value).replace("-", "_").split("_")[0].lower()
    return code if code in REGIONAL else None


def select_language():
    """The language: session choice → user profile → Accept-Language → fi; CLI_LANGUAGE outside requests."""
    if not has_request_context():
        return language_for(current_app.config.get("CLI_LANGUAGE")) or current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = language_for(session.get("lang"))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated and language_for(getattr(current_user, "locale", None)):
        return language_for(current_user.locale)
    best = request.accept_languages.best_match(list(REGIONAL)) if request else None
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_locale():
    """Flask-Babel's locale selector: the language with its Finnish region (fi_FI, sv_FI, en_FI)."""
    return REGIONAL[select_language()]


def current_language():
    """The two-letter language of the request, for ``<html lang>``."""
    return get_locale().language


def format_money(amount):
    """Euros in the locale: ``1 234,50 €`` in fi_FI, sv_FI and en_FI alike (never ``€1,234.50``)."""
    if amount is None:
        return ""
    from flask_babel import format_currency

    return format_currency(Decimal(amount), "EUR")


def format_date(value, format="short"):
    """A date in the locale: 28.11.2026 in fi_FI and sv_FI, 28/11/2026 in en_FI."""
    if value is None:
        return ""
    return _format_date(value, format=format)


def format_datetime(value, format="short"):
    """An instant in Europe/Helsinki: 28.11.2026 18.00 in Finnish."""
    if value is None:
        return ""
    return _format_datetime(value, format=format)


def format_clock(value):
    """A wall-clock time in the locale: 8.00 and 18.00 in Finnish and Swedish, 08:00 and 18:00 in English
    (as booking dates are described everywhere)."""
    if value is None:
        return ""
    if current_language() == "en":
        return value.strftime("%H:%M")
    return f"{value.hour}.{value.minute:02d}"


def format_number(value, digits=None):
    """A number with the locale's separators (1 234,5)."""
    if value is None:
        return ""
    if digits is not None:
        return _format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
    return _format_decimal(value)


def init_app(app):
    """Jinja filters and globals for languages and formats."""
    app.jinja_env.filters.update(
        money=format_money, date=format_date, datetime=format_datetime, number=format_number, clock=format_clock
    )
    app.jinja_env.globals.update(current_language=current_language, LANGUAGE_NAMES=LANGUAGE_NAMES)
