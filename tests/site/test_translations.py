"""The Finnish and Swedish catalogues: complete, not fuzzy, placeholders intact, and really used.

The pages are translated from the compiled ``.mo`` files, which are build products: ``make test``
and ``make run`` compile them (``make compile-translations``), ``make translations`` extracts and
updates the catalogues.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import post_form

TRANSLATIONS = Path(__file__).resolve().parents[2] / "leasing" / "translations"
TRANSLATED = ("fi", "sv")
# %(name)s, %(count)d, %s, %% and {name}: what gettext, Jinja's _() and str.format fill in.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[diouxXeEfFgGcrsa%]|\{\w*\}")


def _catalog(lang):
    path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _messages(lang):
    return [m for m in _catalog(lang) if m.id]


def _forms(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text or ""))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_not_fuzzy(lang):
    catalog = _catalog(lang)
    assert not catalog.fuzzy, f"{lang}: the catalogue header is marked fuzzy"
    untranslated = [m.id for m in catalog if m.id and not all(s.strip() for s in _forms(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [], f"{lang}: untranslated messages"
    assert fuzzy == [], f"{lang}: fuzzy messages (gettext ignores them)"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_has_every_extracted_message(lang):
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fh) if m.id}
    have = {m.id if isinstance(m.id, str) else tuple(m.id) for m in _messages(lang)}
    assert template - have == set(), f"{lang}: run `make translations` and translate the new messages"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_match_the_english_message(lang):
    wrong = []
    for m in _messages(lang):
        ids = _forms(m.id)
        for i, text in enumerate(_forms(m.string)):
            # Plural forms after the first follow msgid_plural; the first follows msgid.
            source = ids[min(i, len(ids) - 1)]
            if _placeholders(text) != _placeholders(source):
                wrong.append((source, text))
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_babel_format_checks_pass(lang):
    catalog = _catalog(lang)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_markup_and_entities_are_kept(lang):
    tag_or_entity = re.compile(r"</?\w+[^>]*>|&\w+;|&#\d+;")
    wrong = []
    for m in _messages(lang):
        source = _forms(m.id)[-1]
        for text in _forms(m.string):
            if sorted(tag_or_entity.findall(text)) != sorted(tag_or_entity.findall(source)):
                wrong.append((source, text))
    assert wrong == []


def test_english_catalogue_leaves_the_msgids_as_they_are():
    """English is the source language: its msgstrs stay empty and gettext returns the msgid."""
    assert all(not any(_forms(m.string)) for m in _messages("en"))


# --- the catalogues in use ------------------------------------------------------------------------


@pytest.fixture
def compiled():
    """The pages need the compiled catalogues (``make compile-translations``) to be up to date."""
    for lang in TRANSLATED:
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(f"{mo} is missing or older than its .po: run `make compile-translations` first")


@pytest.mark.parametrize(
    "accept,expected,english",
    [
        ("fi-FI,fi;q=0.9", "Vapaat tilat", "Vacant premises"),
        ("sv-FI,sv;q=0.9", "Lediga lokaler", "Vacant premises"),
    ],
)
def test_front_page_is_in_the_browsers_language(client, compiled, accept, expected, english):
    html = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert expected in html
    assert english not in html


def test_front_page_in_english_shows_the_msgids(client, compiled):
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Vacant premises" in html


@pytest.mark.parametrize(
    "accept,expected,heading",
    [
        ("fi", "Väärä sähköpostiosoite tai salasana", "Kirjaudu sisään"),
        ("sv", "Fel e-postadress eller lösenord", "Logga in"),
    ],
)
def test_log_in_error_is_in_the_pages_language(client, compiled, accept, expected, heading):
    response = post_form(
        client,
        "/login",
        {"email": "ei-tilia@example.fi", "password": "vaara-salasana-2026"},
        headers={"Accept-Language": accept},
    )
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 401, 422)
    assert expected in html
    assert heading in html
    assert "Wrong e-mail address or password" not in html
