"""Front page, health check, accessibility statement, language switch."""

import sqlalchemy as sa

from tests.conftest import post_form


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_front_page_is_finnish_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fi">' in html


def test_accept_language_picks_swedish(client):
    html = client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"}).get_data(as_text=True)
    assert '<html lang="sv">' in html


def test_language_switch_remembers_choice_and_returns(client):
    response = post_form(client, "/language", {"lang": "en", "next": "/accessibility"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/accessibility")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_open_redirect(client):
    response = post_form(client, "/language", {"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_language_switch_needs_csrf(client):
    assert client.post("/language", data={"lang": "en"}).status_code == 400


def test_accessibility_statement_names_feedback_and_traficom(client):
    html = client.get("/accessibility").get_data(as_text=True)
    assert "Traficom" in html
    assert "14" in html


def test_security_headers_are_set(client):
    response = client.get("/")
    assert "object-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_each_test_starts_with_an_empty_database(app):
    from leasing.extensions import db

    assert db.session.execute(sa.text("SELECT count(*) FROM building")).scalar() == 0
