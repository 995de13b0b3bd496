"""Front page, health check, accessibility statement, language switch."""

import sqlalchemy as sa

from tests.conftest import post_form


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_front_page_is_finnish_by_default(client):
    html = client.get("/", headers={"Accept-Language": ""}).get_data(as_text=True)
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


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    from leasing import create_app

    broken = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite"}
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
