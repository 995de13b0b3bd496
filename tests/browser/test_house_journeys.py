"""Journeys through the house's booking pages in Chromium: a band member asks for the hall once, the
association's admin finds the request in the inbox and confirms it.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from leasing.bookings import rules
from leasing.bookings.models import ClosedDate, Occurrence
from leasing.extensions import db
from leasing.premises.models import Space
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

TUIRA = "Tuiran vanha paloasema"
HALL = "Kalustohalli"
ASSOCIATION_ADMIN = "yhdistys@demo.example"
BAND_MEMBER = "soittaja@demo.example"
WEDNESDAY = 2


def hall_id(live_server):
    building_id = live_server.building_id(TUIRA)
    with live_server.app.app_context():
        ident = db.session.execute(
            sa.select(Space.id).where(Space.building_id == building_id, Space.name == HALL)
        ).scalar_one()
        db.session.remove()
    return ident


def free_wednesday(live_server, space_id):
    """A Wednesday two weeks or more ahead on which the space is neither closed nor booked at all."""
    with live_server.app.app_context():
        closed = db.session.execute(sa.select(ClosedDate).where(ClosedDate.space_id == space_id)).scalars().all()
        taken = {
            rules.local_times(o.starts_at, o.ends_at)[0]
            for o in db.session.execute(sa.select(Occurrence).where(Occurrence.space_id == space_id)).scalars()
        }
        db.session.remove()
    today = date.today()
    day = today + timedelta(days=(WEDNESDAY - today.weekday()) % 7 + 14)
    while day in taken or any(c.covers(day) for c in closed):
        day += timedelta(days=7)
    return day


def test_band_member_requests_the_hall_once_and_the_association_confirms_it(new_context, live_server):
    space = hall_id(live_server)
    day = free_wednesday(live_server, space)
    title = f"Akustinen keikka {day.isoformat()}"

    # The band member asks for the hall on a free Wednesday morning, inside the opening hours (9–23).
    member = new_context().new_page()
    log_in(member, BAND_MEMBER)
    member.goto(f"/spaces/{space}/book")
    form = member.locator("main form").filter(has=member.locator("input[name=title]"))
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=attendees]").fill("30")
    form.locator("select[name=repeat]").select_option("once")
    form.locator("input[name=first_date]").fill(day.isoformat())
    form.locator("input[name=starts_time]").fill("10:00")
    form.locator("input[name=ends_time]").fill("12:00")
    form.locator("button[type=submit]").click()
    member.wait_for_url("**/bookings/*")
    expect(member.locator("h1")).to_have_text(title)
    expect(member.locator("main .badge-requested")).to_have_count(1)
    booking_path = member.url.removeprefix(live_server.url)

    # The association's admin sees it waiting, counted in the navigation, and confirms it.
    admin = new_context().new_page()
    log_in(admin, ASSOCIATION_ADMIN)
    admin.goto("/")
    expect(admin.locator("header a[href$='/bookings'] .count")).to_be_visible()
    admin.locator("header a[href$='/bookings']").click()
    waiting = admin.locator("section[aria-labelledby=waiting-heading]")
    waiting.get_by_role("link", name=title).click()
    admin.wait_for_url(f"**{booking_path}")
    expect(admin.locator("main .badge-requested")).to_have_count(1)
    admin.locator("button[formaction$='/confirm']").click()
    admin.wait_for_load_state()
    expect(admin.locator("main .badge-confirmed")).to_have_count(1)
    expect(admin.locator("main .badge-requested")).to_have_count(0)
    expect(admin.locator("main tbody")).to_contain_text("Vahvistettu")
    assert_accessible(admin)  # with the flash message after the decision

    # The inbox no longer lists it; the band member's page shows it confirmed too.
    admin.goto("/bookings")
    expect(admin.locator("section[aria-labelledby=waiting-heading]").get_by_role("link", name=title)).to_have_count(0)
    member.goto(booking_path)
    expect(member.locator("main .badge-confirmed")).to_have_count(1)
