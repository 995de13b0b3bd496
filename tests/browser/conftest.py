"""Browser tests: a live server on its own database, Debian's Chromium driven by Playwright.

The live server is a separate app (``create_app``) with a separate database, loaded once with the
Oulu demo data: a temporary SQLite file, or the database ``tilasilta_browser`` next to the main
test database when ``TEST_DATABASE_URL`` names a PostgreSQL server. It must never share the main
test database, whose tests each run inside a transaction that is rolled back.

No test tool downloads a browser: Chromium comes from Debian (``apt-get install chromium``).
"""

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import got_request_exception
from flask_migrate import upgrade
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from leasing import create_app
from leasing.demo import DEMO_PASSWORD
from leasing.extensions import db
from leasing.premises.models import Building

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Without the background-networking and component-update switches Chromium keeps trying to reach hosts this
#: machine cannot reach. One renderer process for every page (all are on one site): V8 then compiles axe-core's
#: 570 kB once instead of in each test's fresh process (the browser tests took 143 s instead of 164 s).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--renderer-process-limit=1",
]
BROWSER_DATABASE = "tilasilta_browser"
STAFF_EMAIL = "tilakeskus@demo.example"
STAFF_PASSWORD = DEMO_PASSWORD


def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test (``-m "not browser"`` skips them all)."""
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    """The running server: its base URL, its app, and the errors its requests raised."""

    url: str
    app: object
    errors: list = field(default_factory=list)

    def building_id(self, name):
        """The id of the demo building called ``name``."""
        with self.app.app_context():
            return db.session.execute(sa.select(Building.id).where(Building.name == name)).scalar_one()


def _postgres_database(main_url):
    """Create (afresh) the browser database on the main test database's server; return its URL."""
    url = sa.engine.make_url(main_url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {BROWSER_DATABASE} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {BROWSER_DATABASE}"))
    admin.dispose()
    return url.set(database=BROWSER_DATABASE).render_as_string(hide_password=False)


def _drop_postgres_database(main_url):
    url = sa.engine.make_url(main_url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {BROWSER_DATABASE} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over HTTP on a free loopback port, with the demo data, for the whole run.

    Depends on the main ``app`` so that the main app is built first: both share the unbound
    extensions (the rate limiter keeps its settings from the last ``init_app``).
    """
    tmp = tempfile.mkdtemp(prefix="tilasilta-browser-")
    main_url = os.environ.get("TEST_DATABASE_URL", "")
    on_postgres = main_url.startswith("postgresql")
    url = _postgres_database(main_url) if on_postgres else f"sqlite:///{tmp}/browser.sqlite"
    live_app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": os.path.join(tmp, "uploads"),
            # Nothing goes to the main suite's SMTP server, which fails tests on unexpected mail.
            "MAIL_BACKEND": "log",
        }
    )
    with live_app.app_context():
        upgrade()
        result = live_app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, f"flask demo failed:\n{result.output}\n{result.exception!r}"
        db.session.remove()

    server = LiveServer(url="", app=live_app)

    def remember(sender, exception, **extra):
        server.errors.append(exception)

    got_request_exception.connect(remember, live_app)
    httpd = make_server("127.0.0.1", 0, live_app, threaded=True)
    server.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()
        got_request_exception.disconnect(remember, live_app)
        with live_app.app_context():
            db.engine.dispose()
        if on_postgres:
            _drop_postgres_database(main_url)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_server_errors(request):
    """A request that raised inside the live server fails the test that made it."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server")
    server.errors.clear()
    yield
    if server.errors:
        pytest.fail(f"the live server raised: {server.errors!r}")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, for the whole run."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (make test does this as root)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server):
    """Make browser contexts (Finnish, against the live server); all are closed after the test."""
    contexts = []

    def make(**options):
        options = {"locale": "fi-FI", "base_url": live_server.url, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A fresh page in a fresh Finnish browser context (no cookies from other tests)."""
    return new_context().new_page()


#: The session cookies of each person signed in through the form once: a later test signs the same person
#: in by giving its browser context those cookies (the server-side session row stays valid). Saves a form
#: round trip per test; the log-in form itself is still exercised once per person and by its own tests.
_signed_in = {}


def log_in(page, email=STAFF_EMAIL, password=STAFF_PASSWORD, reuse=True):
    """Sign in through the real log-in form, as a person would (or reuse that person's earlier session;
    ``reuse=False`` for a test that ends the session, e.g. by logging out)."""
    key = (email, password)
    if reuse and key in _signed_in:
        page.context.add_cookies(_signed_in[key])
        return
    _form_log_in(page, email, password)
    if reuse:
        _signed_in[key] = page.context.cookies()


def _form_log_in(page, email, password):
    page.goto("/login")
    form = page.locator("main form").filter(has=page.locator("input[type=password]"))
    form.locator("input[name=email]").fill(email)
    form.locator("input[type=password]").fill(password)
    form.locator("button[type=submit], input[type=submit]").first.click()
    # Assertions through expect() retry until the page that the form led to has loaded.
    expect(page.locator("form[action$='/logout'] button"), "not signed in after the log-in form").to_have_count(1)
