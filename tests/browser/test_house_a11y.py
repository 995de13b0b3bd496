"""axe-core finds no WCAG 2.1 A/AA violation on the house's pages, each seen by the user who uses it:
the spaces and their booking settings, the sublets, the booking request, a booking, the inbox, and the
forms that move one date or change a whole series.

The pages are those of the demo's Tuira fire station (``leasing.demo_house``); ids come from the live
server's database.
"""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from leasing.accounts.models import Organization, User
from leasing.bookings import rules
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.extensions import db
from leasing.leases.models import Lease
from leasing.premises.models import Space
from leasing.sublets import services as sublet_services
from leasing.sublets import signing as sublet_signing
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import SubletKind
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import STAFF_EMAIL, log_in

pytestmark = pytest.mark.browser

TUIRA = "Tuiran vanha paloasema"
ASSOCIATION_ADMIN = "yhdistys@demo.example"
MEMBER = "jasen@demo.example"
BAND_ADMIN = "bandi@demo.example"
BAND_MEMBER = "soittaja@demo.example"
REHEARSAL_ROOM = "Harjoitushuone 1"
HALL = "Kalustohalli"


# --- ids from the live server's database ------------------------------------------------------------------


def _scalar(live_server, query):
    with live_server.app.app_context():
        value = db.session.execute(query).scalar_one()
        db.session.remove()
        return value


def tuira_lease_id(live_server):
    building_id = live_server.building_id(TUIRA)
    return _scalar(live_server, sa.select(Lease.id).where(Lease.building_id == building_id))


def space_id(live_server, name):
    building_id = live_server.building_id(TUIRA)
    return _scalar(live_server, sa.select(Space.id).where(Space.building_id == building_id, Space.name == name))


def booking_id(live_server, title):
    return _scalar(live_server, sa.select(Booking.id).where(Booking.title == title).order_by(Booking.id).limit(1))


def demo_sublet_id(live_server, space_name):
    """The demo's signed sublet of ``space_name`` in Tuira."""
    space = space_id(live_server, space_name)
    return _scalar(live_server, sa.select(Sublet.id).where(Sublet.space_id == space).order_by(Sublet.id).limit(1))


def occurrence_dates(live_server, title, status=OccurrenceStatus.CONFIRMED):
    """``(occurrence id, local date)`` of the booking's dates in ``status``, earliest first."""
    with live_server.app.app_context():
        rows = db.session.execute(
            sa.select(Occurrence)
            .join(Booking)
            .where(Booking.title == title, Occurrence.status == status)
            .order_by(Occurrence.starts_at)
        ).scalars()
        found = [(o.id, rules.local_times(o.starts_at, o.ends_at)[0]) for o in rows]
        db.session.remove()
        return found


@pytest.fixture(scope="module")
def offered_sublet_id(live_server):
    """A weekly slot in Harjoitushuone 2 offered to the band and signed by no one: its admin sees the sign form."""
    lease_id, room_id = tuira_lease_id(live_server), space_id(live_server, "Harjoitushuone 2")
    with live_server.app.test_request_context("/"):
        admin = db.session.execute(sa.select(User).where(User.email == ASSOCIATION_ADMIN)).scalar_one()
        band = db.session.execute(sa.select(Organization).where(Organization.name == "Bändi Pohjoistuuli")).scalar_one()
        lease = db.session.get(Lease, lease_id)
        start = date.today() + timedelta(days=7)
        sublet = sublet_services.create_draft(
            admin,
            lease,
            {
                "space_id": room_id,
                "group_id": band.id,
                "kind": SubletKind.SLOT,
                "starts_on": start,
                "ends_on": start + timedelta(days=90),
                "weekday": 2,
                "slot_starts": time(18),
                "slot_ends": time(20),
                "monthly_rent": Decimal("40.00"),
                "terms": "Saavutettavuustestin vuoro keskiviikkoisin.",
                "language": "fi",
            },
        )
        sublet_signing.offer(admin, sublet)
        db.session.commit()
        ident = sublet.id
        db.session.remove()
    return ident


DUPLICATE_IDS = """(() => {
  const seen = {};
  document.querySelectorAll("[id]").forEach((e) => { seen[e.id] = (seen[e.id] || 0) + 1; });
  return Object.keys(seen).filter((id) => seen[id] > 1);
})()"""


def check(page):
    """No axe-core violation, and no id used twice (a label's ``for`` would name the wrong field)."""
    assert_accessible(page)
    duplicates = page.evaluate(DUPLICATE_IDS)
    assert not duplicates, f"ids used more than once on {page.url}: {duplicates}"


def _open(page, path, status=200):
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    return response


# --- booking settings ---------------------------------------------------------------------------------------


def test_house_page_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/leases/{tuira_lease_id(live_server)}/spaces")
    expect(page.locator("main")).to_contain_text(HALL)
    check(page)


def test_space_settings_form_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/spaces/{space_id(live_server, HALL)}/booking-settings")
    expect(page.locator("main form input[name='min_minutes']")).to_have_count(1)
    check(page)


def test_space_settings_form_with_errors_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/spaces/{space_id(live_server, HALL)}/booking-settings")
    monday = page.locator("fieldset#hours-0")
    monday.locator("input[name='hours-0-closed']").uncheck()
    monday.locator("input[name='hours-0-opens']").fill("20:00")
    monday.locator("input[name='hours-0-closes']").fill("10:00")
    page.locator("main form").filter(has=page.locator("input[name=min_minutes]")).locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator("[aria-invalid=true]").count() >= 1, "the wrong time is marked invalid"
    check(page)


def test_closed_dates_form_with_errors_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/leases/{tuira_lease_id(live_server)}/spaces")
    form = page.locator("main form").filter(has=page.locator("input[name=reason]"))
    form.locator("input[name=starts_on]").fill((date.today() + timedelta(days=20)).isoformat())
    form.locator("input[name=ends_on]").fill((date.today() + timedelta(days=10)).isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)


def test_house_and_space_settings_as_association_member_have_no_axe_violations(page, live_server):
    """A member without admin rights reads the house and a space's settings (house rules, no form)."""
    log_in(page, MEMBER)
    _open(page, f"/leases/{tuira_lease_id(live_server)}/spaces")
    check(page)
    _open(page, f"/spaces/{space_id(live_server, HALL)}/booking-settings")
    expect(page.locator("main input[name=min_minutes]")).to_have_count(0)
    check(page)


# --- sublets ------------------------------------------------------------------------------------------------


def test_lease_sublet_list_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/leases/{tuira_lease_id(live_server)}/sublets")
    expect(page.locator("main")).to_contain_text("Letkutornin studio")
    check(page)


def test_new_sublet_form_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/leases/{tuira_lease_id(live_server)}/sublets/new")
    check(page)


def test_new_sublet_form_with_errors_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/leases/{tuira_lease_id(live_server)}/sublets/new")
    form = page.locator("main form").filter(has=page.locator("select[name=space_id]"))
    form.locator("input[name=starts_on]").fill((date.today() + timedelta(days=30)).isoformat())
    form.locator("input[name=ends_on]").fill((date.today() + timedelta(days=10)).isoformat())
    form.locator("input[name=monthly_rent]").fill("")
    form.locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)


def test_sublet_page_as_association_admin_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/sublets/{demo_sublet_id(live_server, REHEARSAL_ROOM)}")
    check(page)


def test_offered_sublet_page_as_group_admin_shows_the_sign_form_without_axe_violations(page, offered_sublet_id):
    log_in(page, BAND_ADMIN)
    _open(page, f"/sublets/{offered_sublet_id}")
    expect(page.locator("form.sign-form input[type=password]")).to_have_count(1)
    check(page)


def test_sign_form_with_a_wrong_password_has_no_axe_violations(page, offered_sublet_id):
    log_in(page, BAND_ADMIN)
    _open(page, f"/sublets/{offered_sublet_id}")
    form = page.locator("form.sign-form")
    form.locator("input[type=password]").fill("vaara-salasana-123456")
    form.locator("button[type=submit]").click()
    expect(page.locator("form.sign-form .field-error")).to_be_visible()
    check(page)


def test_offered_sublet_page_as_association_admin_has_no_axe_violations(page, offered_sublet_id):
    """The association sees the sign form too (its side has not signed), and the cancel form."""
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/sublets/{offered_sublet_id}")
    check(page)


def test_sublet_edit_form_has_no_axe_violations(page, offered_sublet_id):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/sublets/{offered_sublet_id}/edit")
    check(page)


def test_sublet_page_as_staff_has_no_axe_violations(page, live_server):
    log_in(page, STAFF_EMAIL)
    _open(page, f"/sublets/{demo_sublet_id(live_server, 'Letkutornin studio')}")
    check(page)


def test_my_sublets_as_group_admin_has_no_axe_violations(page, live_server):
    log_in(page, BAND_ADMIN)
    _open(page, "/sublets")
    expect(page.locator("main")).to_contain_text(REHEARSAL_ROOM)
    check(page)


def test_staff_sublet_register_has_no_axe_violations(page, live_server):
    log_in(page, STAFF_EMAIL)
    _open(page, "/staff/sublets")
    expect(page.locator("main")).to_contain_text(TUIRA)
    check(page)


def test_staff_sublet_register_of_one_building_has_no_axe_violations(page, live_server):
    log_in(page, STAFF_EMAIL)
    _open(page, f"/staff/sublets?building={live_server.building_id(TUIRA)}")
    check(page)


# --- bookings -----------------------------------------------------------------------------------------------


def test_booking_request_form_has_no_axe_violations(page, live_server):
    log_in(page, BAND_MEMBER)
    _open(page, f"/spaces/{space_id(live_server, REHEARSAL_ROOM)}/book")
    expect(page.locator("main form input[name=title]")).to_have_count(1)
    check(page)


def test_booking_request_with_errors_has_no_axe_violations(page, live_server):
    log_in(page, BAND_MEMBER)
    _open(page, f"/spaces/{space_id(live_server, REHEARSAL_ROOM)}/book")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)


def test_request_with_dates_that_cannot_be_booked_lists_them_without_axe_violations(page, live_server):
    """Three Tuesdays in the band's slot from the last date of its confirmed weekly "Treenit": the first is taken."""
    last_id, last_day = occurrence_dates(live_server, "Treenit")[-1]
    log_in(page, BAND_MEMBER)
    _open(page, f"/spaces/{space_id(live_server, REHEARSAL_ROOM)}/book")
    form = page.locator("main form").filter(has=page.locator("input[name=title]"))
    form.locator("input[name=title]").fill("Lisätreenit")
    form.locator("input[name=attendees]").fill("4")
    form.locator("select[name=repeat]").select_option("weekly")
    form.locator("input[name=first_date]").fill(last_day.isoformat())
    form.locator("input[name=starts_time]").fill("18:00")
    form.locator("input[name=ends_time]").fill("20:00")
    form.locator("input[name=times]").fill("3")
    form.locator("button[type=submit]").click()
    expect(page.locator("#problems-title")).to_be_visible()
    expect(page.locator("input[name=book_the_rest]")).to_have_count(1)
    assert page.locator(".error-summary li").count() >= 1
    check(page)


def test_checking_the_dates_and_price_has_no_axe_violations(page, live_server):
    """The same request checked first: each date with its price or its problem, nothing saved."""
    last_id, last_day = occurrence_dates(live_server, "Treenit")[-1]
    log_in(page, BAND_MEMBER)
    _open(page, f"/spaces/{space_id(live_server, REHEARSAL_ROOM)}/book")
    form = page.locator("main form").filter(has=page.locator("input[name=title]"))
    form.locator("input[name=title]").fill("Lisätreenit")
    form.locator("input[name=attendees]").fill("4")
    form.locator("select[name=repeat]").select_option("weekly")
    form.locator("input[name=first_date]").fill(last_day.isoformat())
    form.locator("input[name=starts_time]").fill("18:00")
    form.locator("input[name=ends_time]").fill("20:00")
    form.locator("input[name=times]").fill("3")
    form.locator("input[name=preview]").click()
    expect(page.locator("#plan-heading")).to_be_visible()
    check(page)


def test_waiting_booking_as_association_admin_has_no_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/bookings/{booking_id(live_server, 'Ensi-ilta: Rospuuton kevät')}")
    expect(page.locator("button[formaction$='/confirm']")).to_have_count(1)
    expect(page.locator("button[formaction$='/decline']")).to_have_count(1)
    check(page)


def test_booking_as_band_member_has_no_axe_violations(page, live_server):
    log_in(page, BAND_MEMBER)
    _open(page, f"/bookings/{booking_id(live_server, 'Keikkatreenit isossa salissa')}")
    check(page)


def test_series_booking_as_association_admin_has_no_axe_violations(page, live_server):
    """The decision form and the cancel-the-rest form on one page."""
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/bookings/{booking_id(live_server, 'Keikkatreenit isossa salissa')}")
    assert_accessible(page)


def test_series_booking_as_association_admin_has_unique_ids(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, f"/bookings/{booking_id(live_server, 'Keikkatreenit isossa salissa')}")
    check(page)


def test_inbox_as_association_admin_shows_the_waiting_count_without_axe_violations(page, live_server):
    log_in(page, ASSOCIATION_ADMIN)
    _open(page, "/bookings")
    expect(page.locator("header a[href$='/bookings'] .count")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ensi-ilta: Rospuuton kevät")
    check(page)


def test_inbox_as_band_member_has_no_axe_violations(page, live_server):
    log_in(page, BAND_MEMBER)
    _open(page, "/bookings")
    expect(page.locator("main")).to_contain_text("Treenit")
    check(page)


def test_move_a_date_form_has_no_axe_violations(page, live_server):
    occurrence_id, _day = occurrence_dates(live_server, "Keikkatreenit isossa salissa")[-1]
    log_in(page, BAND_MEMBER)
    _open(page, f"/occurrences/{occurrence_id}/move")
    expect(page.locator("main form input[name=new_date]")).to_have_count(1)
    check(page)


def test_move_a_date_form_with_errors_has_no_axe_violations(page, live_server):
    occurrence_id, _day = occurrence_dates(live_server, "Keikkatreenit isossa salissa")[-1]
    log_in(page, BAND_MEMBER)
    _open(page, f"/occurrences/{occurrence_id}/move")
    form = page.locator("main form").filter(has=page.locator("input[name=new_date]"))
    form.locator("input[name=new_date]").fill("")
    form.locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)


def test_change_the_series_form_has_no_axe_violations(page, live_server):
    log_in(page, BAND_MEMBER)
    _open(page, f"/bookings/{booking_id(live_server, 'Keikkatreenit isossa salissa')}/edit")
    expect(page.locator("main form input[name=title]")).to_have_count(1)
    check(page)


def test_change_the_series_form_with_errors_has_no_axe_violations(page, live_server):
    log_in(page, BAND_MEMBER)
    _open(page, f"/bookings/{booking_id(live_server, 'Keikkatreenit isossa salissa')}/edit")
    form = page.locator("main form").filter(has=page.locator("input[name=title]"))
    form.locator("input[name=title]").fill("")
    form.locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)
