"""Helpers for the accounts tests: field errors read from the page, row counts, form data."""

import html
import re

import pytest
import sqlalchemy as sa

from leasing.extensions import db
from tests.factories import PASSWORD


def field_error(page, field_id):
    """The error message shown next to field ``field_id`` (unescaped), or None."""
    match = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    if match is None:
        return None
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    return html.unescape(" ".join(text.split())).removeprefix("Error: ")


def summary_links(page):
    """The error summary's ``(href, message)`` pairs."""
    box = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    if box is None:
        return []
    return [(href, html.unescape(text)) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', box.group(0))]


def count(model):
    """How many rows ``model``'s table has (in the test's transaction)."""
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


@pytest.fixture
def register_data():
    """A valid registration of an association; override keys per test."""
    return {
        "name": "Aino Virtanen",
        "email": "aino.virtanen@example.fi",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "org_kind": "association",
        "org_name": "Nuorisoseura Tuira ry",
        "business_id": "2077474-0",
        "contact_email": "",
        "contact_phone": "",
    }
