"""The standard test kit: app, client, runner, a rolled-back database per test, mail, query counts.

The schema is built by the real migrations (``flask db upgrade``) once per run, on SQLite by
default or on PostgreSQL when ``TEST_DATABASE_URL`` names one (``make test`` does both).
"""

import contextvars
import os
import re
import shutil
import tempfile
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from leasing import create_app
from leasing.extensions import db, limiter
from tests.mailserver import MailServer

pytest_plugins = ["tests.factories"]


@pytest.fixture(scope="session")
def mail_server():
    """A real SMTP server (aiosmtpd) on a free loopback port, for the whole run."""
    server = MailServer()
    server.start()
    yield server
    server.stop()


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, so it gets its own app context, ``g`` and session.

    Without this, requests would reuse the test's app context and leak ``g`` (the cached user,
    the cached locale) from one request into the next.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tests read like the code: English (the msgids) unless a test asks for a language.
        # Finnish as the default is tested with an explicitly empty Accept-Language header.
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(mail_server):
    """The application on a fresh database built by the migrations."""
    tmp = tempfile.mkdtemp(prefix="tilasilta-test-")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp}/test.sqlite"
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": os.path.join(tmp, "uploads"),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": mail_server.port,
            "MAIL_BACKEND": "smtp",
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        _reset_schema()
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


def _reset_schema():
    """Start from an empty database (a PostgreSQL database may hold a previous run's tables)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def _database(app):
    """Each test runs inside a transaction that is rolled back afterwards.

    Code under test may commit: with ``create_savepoint`` its commits end savepoints only. The
    test's own session and each request's session share the one connection, so each sees what
    the other flushed; call ``db.session.expire_all()`` to re-read objects a request changed.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        engines = db._app_engines[app]
        saved_engine = engines[None]
        engines[None] = connection
        saved_session = db.session
        db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
        try:
            yield
        finally:
            db.session.remove()
            db.session = saved_session
            engines[None] = saved_engine
            outer.rollback()
            connection.close()


@pytest.fixture(scope="session", autouse=True)
def _pdf_memo():
    """Remember rendered PDFs by their exact input for the run (see ``render.memo``): many tests
    render the very same contract, and WeasyPrint is the slowest thing in the suite. The rendering
    tests (tests/documents/test_render.py, test_fetcher.py) turn it off to render every time."""
    from leasing.documents import render

    render.memo = {}
    yield
    render.memo = None


@pytest.fixture
def no_pdf_memo(monkeypatch):
    """Render every PDF for real in this test."""
    from leasing.documents import render

    monkeypatch.setattr(render, "memo", None)


@pytest.fixture(autouse=True)
def _reset_rate_limits(app):
    """Rate-limit counters do not leak from one test into the next."""
    limiter.reset()


@pytest.fixture(autouse=True)
def _no_unexpected_mail(request, mail_server):
    """A test that does not ask for ``outbox`` fails if anything was mailed."""
    mail_server.messages.clear()
    yield
    if "outbox" not in request.fixturenames and mail_server.messages:
        subjects = [m["Subject"] for m in mail_server.messages]
        pytest.fail(f"unexpected e-mail sent: {subjects}")


@pytest.fixture
def outbox(mail_server):
    """The messages the SMTP server received during this test (``email.message.Message`` objects)."""
    return mail_server.messages


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    """An application context for calling services directly."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


class QueryCounter:
    """Counts the SQL statements executed while active."""

    def __init__(self):
        self.statements = []

    @property
    def count(self):
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)


@contextmanager
def count_queries():
    """``with count_queries() as q: …; assert q.count == 3``"""
    counter = QueryCounter()
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", counter)


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url="/"):
    """The CSRF token of the client's session, read from a real page.

    A token stays good while the session's secret does, so it is remembered per client and
    session cookie: a new cookie (log-in clears the session) reads a page again.
    """
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    key = (url, cookie.value if cookie else None)
    remembered = getattr(client, "_csrf_tokens", None)
    if remembered is None:
        remembered = client._csrf_tokens = {}
    if key not in remembered:
        html = client.get(url).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {url}"
        remembered.clear()
        cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
        remembered[(url, cookie.value if cookie else None)] = match.group(1) or match.group(2)
        key = (url, cookie.value if cookie else None)
    return remembered[key]


def post_form(client, url, data, *, form_url=None, follow_redirects=False, **kwargs):
    """POST ``data`` to ``url`` with a real CSRF token taken from ``form_url`` (default: the same URL)."""
    token = csrf_token(client, form_url or "/")
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=follow_redirects, **kwargs)


def login(client, user, password="oikein-hyva-salasana-2026"):
    """Sign ``user`` in through the real log-in form."""
    response = post_form(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response
