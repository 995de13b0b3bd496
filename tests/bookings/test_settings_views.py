"""Booking settings pages through HTTP: the house, a space's form (Finnish commas, hours per weekday), closed
dates, errors next to their fields, and the house page's query count."""

import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.accounts.models import Role
from leasing.audit import AuditEvent
from leasing.bookings import settings
from leasing.bookings.models import BookingRules, ClosedDate
from leasing.extensions import db
from tests.conftest import count_queries, login, post_form
from tests.factories import make_house, make_user


@pytest.fixture
def house(association):
    return make_house(tenant=association, spaces=2)


@pytest.fixture
def space(house):
    return house.building.spaces[0]


@pytest.fixture
def admin_client(client, association_admin):
    login(client, association_admin)
    return client


def form_data(**overrides):
    """The settings form as a browser sends it: Finnish decimal commas; open weekdays 8–22, Saturday 10–16,
    Sunday closed."""
    data = {
        "bookable": "y",
        "hourly_rate": "12,50",
        "member_rate": "1 234,5",
        "min_minutes": "30",
        "max_minutes": "180",
        "book_ahead_days": "90",
        "needs_approval": "no",
        "house_rules": "Siivoa jälkesi.\n\nEi tupakointia.",
        "hours-6-closed": "y",
    }
    for day in range(5):
        data[f"hours-{day}-opens"], data[f"hours-{day}-closes"] = "08:00", "22:00"
    data["hours-5-opens"], data["hours-5-closes"] = "10.00", "16:00"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def error_of(html, field):
    """The text of the message shown next to ``field``."""
    assert f'id="{field}-error"' in html, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", html.split(f'id="{field}-error"')[1].split("</p>")[0])


def test_admin_saves_settings_with_finnish_commas(admin_client, space):
    url = f"/spaces/{space.id}/booking-settings"
    response = post_form(admin_client, url, form_data(), form_url=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    db.session.expire_all()
    rules = db.session.get(BookingRules, space.id)
    assert space.hourly_rate == Decimal("12.50") and rules.member_rate == Decimal("1234.50")
    assert (rules.min_minutes, rules.max_minutes, rules.book_ahead_days, rules.needs_approval) == (30, 180, 90, False)
    hours = {h.weekday: (h.opens, h.closes) for h in space.opening_hours}
    assert hours == {**{d: (time(8), time(22)) for d in range(5)}, 5: (time(10), time(16))}
    page = admin_client.get(url).get_data(as_text=True)
    assert f"The booking settings of {space.name} were saved." in page
    assert 'value="12,50"' in page  # shown back with the decimal comma


def test_settings_form_shows_a_fieldset_per_weekday(admin_client, space):
    html = admin_client.get(f"/spaces/{space.id}/booking-settings").get_data(as_text=True)
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert f"<legend>{day}</legend>" in html
    for day in range(7):
        assert f'<label for="hours-{day}-closed">' in html and f'id="hours-{day}-opens"' in html
    assert 'value="08:00"' in html  # make_house opens every day at 8
    assert (
        'id="hourly_rate" inputmode="decimal"' in html and 'type="number"' not in html.split('id="hourly_rate"')[1][:80]
    )


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"min_minutes": "10"}, "min_minutes", "at least 15 minutes"),
        ({"max_minutes": "1500"}, "max_minutes", "at most 1440 minutes"),
        ({"min_minutes": "240", "max_minutes": "60"}, "max_minutes", "no shorter than the shortest"),
        ({"book_ahead_days": "400"}, "book_ahead_days", "between 1 and 366 days"),
        ({"hourly_rate": "-1,00"}, "hourly_rate", "0 euros or more"),
        ({"member_rate": "abc"}, "member_rate", "Enter a number"),
        ({"min_minutes": ""}, "min_minutes", "Enter the shortest booking"),
        ({"hours-2-opens": "22:00", "hours-2-closes": "08:00"}, "hours-2-closes", "Wednesday: enter a closing time"),
        ({"hours-3-opens": "08:10"}, "hours-3-opens", "Thursday: enter a time on the quarter hour"),
        ({"hours-4-closes": ""}, "hours-4-closes", "Friday: enter the closing time, or mark the day closed"),
    ],
)
def test_invalid_settings_are_refused_next_to_the_field(admin_client, space, overrides, field, message):
    url = f"/spaces/{space.id}/booking-settings"
    audited = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    response = post_form(admin_client, url, form_data(**overrides), form_url=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in error_of(html, field)
    assert f'href="#{field}"' in html  # the error summary links to the field
    db.session.expire_all()
    assert db.session.get(BookingRules, space.id) is None
    assert space.hourly_rate == Decimal("10.00")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == audited


def test_a_day_marked_closed_loses_its_hours(admin_client, space):
    url = f"/spaces/{space.id}/booking-settings"
    response = post_form(admin_client, url, form_data(**{"hours-0-closed": "y"}), form_url=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert 0 not in {h.weekday for h in space.opening_hours}


def test_member_sees_the_terms_but_no_form(client, association_member, space):
    login(client, association_member)
    url = f"/spaces/{space.id}/booking-settings"
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Booking terms of" in html and "Monday–Sunday 8.00–22.00" in html
    assert 'name="min_minutes"' not in html
    assert post_form(client, url, form_data(), form_url=url).status_code == 403


def test_house_lists_spaces_with_their_settings(admin_client, house, association_admin):
    space = house.building.spaces[0]
    settings.update_space_settings(
        association_admin,
        space,
        {
            "member_rate": Decimal("4"),
            "needs_approval": False,
            "opening_hours": {d: (time(9), time(17)) for d in range(5)},
        },
    )
    day = settings.today() + timedelta(days=10)
    settings.add_closed_dates(association_admin, [space], day, day, "Siivous")
    db.session.flush()
    html = admin_client.get(f"/leases/{house.id}/spaces").get_data(as_text=True)
    row = html.split(f'/spaces/{space.id}/booking-settings"')[1].split("</tr>")[0]
    assert "Monday–Friday 9.00–17.00" in row and "Saturday–Sunday closed" in row
    assert "10,00 € per hour" in row.replace("\xa0", " ") and "4,00 € per hour" in row.replace("\xa0", " ")
    assert "Confirmed at once" in row and "Siivous" in row
    other = html.split(f'/spaces/{house.building.spaces[1].id}/booking-settings"')[1].split("</tr>")[0]
    assert "We approve each request" in other and "Monday–Sunday 8.00–22.00" in other


def test_house_page_in_finnish_formats_money_with_a_comma(client, association, house):
    finn = make_user(association, Role.ADMIN, locale="fi")
    christmas = settings.today().replace(month=12, day=24)
    if christmas < settings.today():
        christmas = christmas.replace(year=christmas.year + 1)
    settings.add_closed_dates(finn, house.building.spaces[:1], christmas, christmas + timedelta(days=2), "Joulu")
    login(client, finn)
    html = client.get(f"/leases/{house.id}/spaces", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert "10,00\xa0€" in html
    assert "8.00–22.00" in html
    assert f"24.12.{christmas.year}–26.12.{christmas.year}: Joulu" in html


def test_house_of_a_lease_of_some_spaces_shows_only_those(client, association, association_admin):
    lease = make_house(tenant=association, spaces=3, whole_building=False)
    leased, other, also = lease.building.spaces
    lease.spaces = [leased, also]
    db.session.flush()
    login(client, association_admin)
    html = client.get(f"/leases/{lease.id}/spaces").get_data(as_text=True)
    assert f"/spaces/{leased.id}/booking-settings" in html and f"/spaces/{also.id}/booking-settings" in html
    assert f"/spaces/{other.id}/booking-settings" not in html
    assert f'<option value="{other.id}">' not in html
    assert client.get(f"/spaces/{other.id}/booking-settings").status_code == 404


def test_closed_dates_for_all_spaces_through_the_page(admin_client, house):
    url = f"/leases/{house.id}/closed-dates"
    first = settings.today() + timedelta(days=30)
    data = {"spaces": "all", "starts_on": first.isoformat(), "ends_on": (first + timedelta(days=2)).isoformat()}
    response = post_form(admin_client, url, {**data, "reason": "Joulu"}, form_url=f"/leases/{house.id}/spaces")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/leases/{house.id}/spaces")
    rows = db.session.scalars(sa.select(ClosedDate)).all()
    assert sorted(r.space_id for r in rows) == sorted(s.id for s in house.building.spaces)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 spaces were closed for" in page and page.count("Joulu") == 2


def test_closed_dates_for_one_space_through_the_page(admin_client, house, space):
    day = settings.today() + timedelta(days=5)
    data = {"spaces": str(space.id), "starts_on": day.isoformat(), "ends_on": day.isoformat(), "reason": "Remontti"}
    response = post_form(admin_client, f"/leases/{house.id}/closed-dates", data, form_url=f"/leases/{house.id}/spaces")
    assert response.status_code == 302
    assert [r.space_id for r in db.session.scalars(sa.select(ClosedDate))] == [space.id]


@pytest.mark.parametrize(
    "start,end,reason,field,message",
    [
        (-1, -1, "Joulu", "starts_on", "today or later"),
        (3, 2, "Joulu", "ends_on", "on or after the first closed day"),
        (3, 3, "", "reason", "Enter the reason"),
        (None, 3, "Joulu", "starts_on", "Enter the first closed day"),
    ],
)
def test_invalid_closed_dates_are_refused_next_to_the_field(admin_client, house, start, end, reason, field, message):
    today = settings.today()
    data = {
        "spaces": "all",
        "starts_on": (today + timedelta(days=start)).isoformat() if start is not None else "",
        "ends_on": (today + timedelta(days=end)).isoformat(),
        "reason": reason,
    }
    response = post_form(admin_client, f"/leases/{house.id}/closed-dates", data, form_url=f"/leases/{house.id}/spaces")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in error_of(html, field)
    assert f'href="#{field}"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClosedDate)) == 0


def test_remove_a_closed_date_through_the_page(admin_client, association_admin, space):
    day = settings.today() + timedelta(days=5)
    [closed] = settings.add_closed_dates(association_admin, [space], day, day, "Remontti")
    db.session.flush()
    url = f"/spaces/{space.id}/booking-settings"
    page = admin_client.get(url).get_data(as_text=True)
    assert f'action="/closed-dates/{closed.id}/remove"' in page
    closed_id = closed.id
    response = post_form(admin_client, f"/closed-dates/{closed_id}/remove", {}, form_url=url)
    assert response.status_code == 302 and f"/spaces/{space.id}/booking-settings" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(ClosedDate, closed_id) is None
    assert "was removed" in admin_client.get(response.headers["Location"]).get_data(as_text=True)


def test_remove_without_csrf_changes_nothing(admin_client, association_admin, space):
    day = settings.today() + timedelta(days=5)
    [closed] = settings.add_closed_dates(association_admin, [space], day, day, "Remontti")
    db.session.flush()
    response = admin_client.post(f"/closed-dates/{closed.id}/remove")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(ClosedDate, closed.id) is not None


def test_house_page_queries_do_not_grow_with_the_spaces(client, association_admin, association):
    login(client, association_admin)
    small, large = make_house(tenant=association, spaces=2), make_house(tenant=association, spaces=8)
    for lease in (small, large):
        for space in lease.building.spaces:
            day = settings.today() + timedelta(days=3)
            settings.add_closed_dates(association_admin, [space], day, day, "Joulu")
        settings.update_space_settings(association_admin, lease.building.spaces[0], {"member_rate": Decimal("3")})
    db.session.flush()
    db.session.expire_all()
    counts = []
    for lease in (small, large):
        with count_queries() as queries:
            assert client.get(f"/leases/{lease.id}/spaces").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1], counts
