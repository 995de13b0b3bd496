"""The API tokens page in Chromium: no axe-core violations, and a new token's secret is shown only once."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from leasing.api.models import ApiToken
from leasing.api.tokens import hash_secret
from leasing.extensions import db
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PAGE = "/account/api-tokens"
#: A demo user whom no other browser test makes tokens for.
MEMBER = "jasen@demo.example"


def test_the_api_tokens_page_is_accessible_and_shows_a_new_secret_once(page, live_server):
    log_in(page, MEMBER)
    response = page.goto(PAGE)
    assert response.status == 200
    assert_accessible(page)

    form = page.locator(f"main form[action$='{PAGE}']")
    form.locator("input[name=name]").fill("Yhdistyksen raportit")
    form.locator("input[name=access][value=write]").check()
    form.locator("select[name=expires]").select_option("30")
    form.locator("button[type=submit]").click()

    secret_field = page.locator("#api-token")
    expect(secret_field).to_have_count(1)
    secret = secret_field.input_value()
    assert re.fullmatch(r"tls_[A-Za-z0-9_-]{43}", secret)
    assert secret in page.locator("#api-example").input_value()
    # copy.js added its button next to the field.
    expect(page.locator("#api-token + button")).to_have_count(1)
    assert_accessible(page)

    with live_server.app.app_context():
        token = db.session.execute(sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))).scalar_one()
        assert (token.name, token.access) == ("Yhdistyksen raportit", "write")
        db.session.remove()

    # Back on the list, the token is there, its secret is not.
    page.goto(PAGE)
    expect(page.locator("main table")).to_contain_text("Yhdistyksen raportit")
    expect(page.locator("#api-token")).to_have_count(0)
    assert secret not in page.content()
    assert_accessible(page)
