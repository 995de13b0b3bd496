"""axe-core finds no WCAG 2.1 A/AA violation on the public verification page, in each of its states."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from leasing.accounts.models import User
from leasing.documents import services
from leasing.extensions import db
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import STAFF_EMAIL
from tests.documents.conftest import TEMPLATES, issue_args

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sealed_hash(live_server):
    """A signed, sealed test contract in the live server's register (owner type "a11y", apart from demo data)."""
    app = live_server.app
    app.config["CONTRACTS_EXTRA_PATH"] = str(TEMPLATES)
    try:
        with app.test_request_context():
            staff = db.session.execute(sa.select(User).where(User.email == STAFF_EMAIL)).scalar_one()
            centre = staff.memberships[0].organization
            contract = services.issue_version("a11y", 1, **issue_args())
            services.sign(contract, signer=staff, organization=centre, ip_address="192.0.2.1")
            digest = services.seal(contract, **issue_args()).sha256
            db.session.commit()
            db.session.remove()
    finally:
        app.config.pop("CONTRACTS_EXTRA_PATH", None)
    return digest


def check_hash(page, value):
    page.goto("/verify")
    page.fill("input[name=sha256]", value)
    page.locator("main form button[type=submit]").click()


def test_verify_form_has_no_axe_violations(page):
    response = page.goto("/verify")
    assert response.status == 200
    assert_accessible(page)


def test_verify_result_for_a_signed_contract_has_no_axe_violations(page, sealed_hash):
    check_hash(page, sealed_hash)
    expect(page.locator(".verify-result h2")).to_have_count(1)
    expect(page.locator(".verify-result table tbody tr")).to_have_count(1)
    assert_accessible(page)


def test_verify_result_for_an_unknown_hash_has_no_axe_violations(page):
    check_hash(page, "c" * 64)
    expect(page.locator(".verify-result .flash-error")).to_have_count(1)
    assert_accessible(page)


def test_verify_with_a_malformed_hash_has_no_axe_violations(page):
    check_hash(page, "not-a-hash")
    expect(page.locator(".error-summary"), "no error summary after a malformed hash").to_have_count(1)
    assert page.locator("[aria-invalid=true]").count() == 1
    assert_accessible(page)
