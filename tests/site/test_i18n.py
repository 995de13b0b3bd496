"""Finnish-first languages and Finland's formats for dates, times and money."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from leasing.i18n import REGIONAL, format_date, format_datetime, format_money, language_for

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "lang,money,day",
    [
        ("fi", f"1{NBSP}234,50{NBSP}€", "28.11.2026"),
        ("sv", f"1{NBSP}234,50{NBSP}€", "28.11.2026"),
        ("en", f"1{NBSP}234,50{NBSP}€", "28/11/2026"),
    ],
)
def test_money_and_dates_use_finnish_regional_formats(app_ctx, lang, money, day):
    with force_locale(REGIONAL[lang]):
        assert format_money(Decimal("1234.50")) == money
        assert format_date(date(2026, 11, 28)) == day


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_times_are_helsinki_wall_clock_on_a_24_hour_clock(app_ctx, lang):
    with force_locale(REGIONAL[lang]):
        winter = format_datetime(datetime(2026, 11, 28, 16, 0, tzinfo=UTC))
        summer = format_datetime(datetime(2026, 6, 1, 15, 0, tzinfo=UTC))
    assert "18.00" in winter and "18.00" in summer
    assert "PM" not in winter


def test_empty_values_format_as_nothing(app_ctx):
    assert format_money(None) == "" and format_date(None) == "" and format_datetime(None) == ""


@pytest.mark.parametrize("value,expected", [("fi", "fi"), ("sv-FI", "sv"), ("en_GB", "en"), ("de", None), ("", None)])
def test_language_for_maps_locales_to_supported_languages(value, expected):
    assert language_for(value) == expected
