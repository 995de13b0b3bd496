"""Journeys through the real pages in Chromium: keyboard, languages, phone width, log-in, no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
WIDTHS = "({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"


def test_skip_link_is_the_first_tab_stop_and_focuses_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.locator(".skip-link").is_visible(), "the skip link must be visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switcher_changes_html_lang(page):
    page.goto("/premises")
    assert page.locator("html").get_attribute("lang") == "fi"
    for name, code in [("Svenska", "sv"), ("English", "en"), ("Suomi", "fi")]:
        page.locator(".language-switch button", has_text=name).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        assert page.url.endswith("/premises"), "the switch returns to the same page"


@pytest.mark.parametrize("path", ["/", "/premises", "/login", "/register"])
def test_page_fits_a_phone_without_horizontal_scroll(new_context, path):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(path)
    widths = page.evaluate(WIDTHS)
    assert widths["scroll"] <= widths["client"], f"{path} scrolls sideways on a phone: {widths}"


def test_building_page_fits_a_phone(new_context, live_server):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"/premises/{live_server.building_id('Tuiran vanha paloasema')}")
    widths = page.evaluate(WIDTHS)
    assert widths["scroll"] <= widths["client"], f"the building page scrolls sideways on a phone: {widths}"


def test_log_in_through_the_form_then_log_out(page):
    log_in(page, reuse=False)
    page.goto("/account")
    assert "/login" not in page.url
    page.locator("form[action$='/logout'] button").click()
    expect(page.locator("form[action$='/logout']")).to_have_count(0)
    expect(page.locator("header a[href$='/login']")).to_have_count(1)
    page.goto("/account")
    assert "/login" in page.url, "after logging out, the account page asks to log in again"


def test_wrong_password_keeps_the_person_on_the_log_in_form(page):
    page.goto("/login")
    form = page.locator("main form").filter(has=page.locator("input[type=password]"))
    form.locator("input[name=email]").fill("tilakeskus@demo.example")
    form.locator("input[type=password]").fill("vaara-salasana-123456")
    form.locator("button[type=submit], input[type=submit]").first.click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()
    assert page.locator("form[action$='/logout']").count() == 0
    assert page.locator("input[type=password]").count() == 1


def test_list_can_be_filtered_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/premises")
    names = page.locator("main").inner_text()
    assert "Kaukovainion entinen koulu" in names and "Välivainion varikko" in names
    page.locator("input[name=district][value='Välivainio']").check()
    filters = page.locator("main form").filter(has=page.locator("input[name=district]"))
    filters.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"district=V(%C3%A4|ä)livainio"))
    text = page.locator("main").inner_text()
    assert "Välivainion varikko" in text
    assert "Kaukovainion entinen koulu" not in text
