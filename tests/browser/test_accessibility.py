"""axe-core finds no WCAG 2.1 A/AA violation on the pages people use first, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible, violations
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

TUIRA = "Tuiran vanha paloasema"


@pytest.mark.parametrize(
    "path", ["/", "/accessibility", "/premises", "/login", "/register", "/api/v1/docs", "/api/v1/docs/premises"]
)
def test_public_page_has_no_axe_violations(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_building_page_has_no_axe_violations(page, live_server):
    response = page.goto(f"/premises/{live_server.building_id(TUIRA)}")
    assert response.status == 200
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["Svenska", "English"])
def test_front_page_in_other_languages_has_no_axe_violations(page, lang):
    page.goto("/")
    page.locator(".language-switch button", has_text=lang).click()
    expect(page.locator("html")).not_to_have_attribute("lang", "fi")
    assert_accessible(page)


def test_filtered_list_has_no_axe_violations(page):
    page.goto("/premises?district=Tuira&sort=area_desc")
    assert_accessible(page)


def test_staff_building_form_has_no_axe_violations(page):
    log_in(page)
    response = page.goto("/staff/buildings/new")
    assert response.status == 200
    assert_accessible(page)


def test_staff_space_form_has_no_axe_violations(page, live_server):
    log_in(page)
    response = page.goto(f"/staff/buildings/{live_server.building_id(TUIRA)}/spaces/new")
    assert response.status == 200
    assert_accessible(page)


def test_staff_register_list_has_no_axe_violations(page):
    log_in(page)
    response = page.goto("/staff/buildings")
    assert response.status == 200
    assert_accessible(page)


def test_registration_form_with_errors_has_no_axe_violations(page):
    page.goto("/register")
    form = page.locator("main form").filter(has=page.locator("input[type=password]"))
    # Empty required fields: the browser's own validation would stop the post, so turn it off.
    form.evaluate("f => f.setAttribute('novalidate', '')")
    form.locator("button[type=submit], input[type=submit]").first.click()
    expect(page.locator(".error-summary"), "no error summary after posting an empty form").to_have_count(1)
    assert page.locator("[aria-invalid=true]").count() > 0
    assert_accessible(page)


def test_building_form_with_errors_has_no_axe_violations(page):
    log_in(page)
    page.goto("/staff/buildings/new")
    form = page.locator("main form").filter(has=page.locator("input[name=name]"))
    form.evaluate("f => f.setAttribute('novalidate', '')")
    form.locator("button[type=submit], input[type=submit]").first.click()
    expect(page.locator(".error-summary"), "no error summary after posting an empty form").to_have_count(1)
    assert_accessible(page)


def test_axe_harness_reports_violations_on_a_broken_page(page):
    """The checks above mean something only if the harness does find violations."""
    page.set_content("<html><head><title>x</title></head><body><img src='x.png'><input type='text'></body></html>")
    found = {v["id"] for v in violations(page)}
    assert {"html-has-lang", "image-alt", "label"} <= found, found
