"""axe-core finds no WCAG 2.1 A/AA violation on the application pages: apply form, application page, staff inbox."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

ASSOCIATION_ADMIN = "yhdistys@demo.example"
#: A vacant demo building that no other browser test applies for.
HINTA = "Hintan päiväkoti"


@pytest.fixture
def applicant_page(page):
    log_in(page, email=ASSOCIATION_ADMIN)
    return page


def test_apply_form_has_no_axe_violations(applicant_page, live_server):
    response = applicant_page.goto(f"/premises/{live_server.building_id(HINTA)}/apply")
    assert response.status == 200
    assert_accessible(applicant_page)


def test_apply_form_with_errors_has_no_axe_violations(applicant_page, live_server):
    page = applicant_page
    page.goto(f"/premises/{live_server.building_id(HINTA)}/apply")
    page.locator("input[name=scope][value=spaces]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary"), "no error summary after posting an incomplete form").to_have_count(1)
    assert page.locator("[aria-invalid=true]").count() > 0
    assert_accessible(page)


def test_application_page_and_inbox_have_no_axe_violations(applicant_page, new_context, live_server):
    page = applicant_page
    page.goto(f"/premises/{live_server.building_id(HINTA)}/apply")
    page.locator("textarea[name=proposed_use]").fill("Nuorten bänditilat ja työpajat")
    page.locator("input[name=requested_start]").fill("2030-01-15")
    page.locator("input[name=expected_groups]").fill("8")
    page.locator("input[name=expected_young_people]").fill("120")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(HINTA)
    assert_accessible(page)
    application_url = page.url

    staff = new_context().new_page()
    log_in(staff)
    response = staff.goto("/staff/applications")
    assert response.status == 200
    expect(staff.locator("table caption")).to_have_count(1)
    assert_accessible(staff)
    staff.goto(application_url)
    expect(staff.locator("#decision-title")).to_have_count(1)
    assert_accessible(staff)
