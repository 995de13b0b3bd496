"""Premises pages through HTTP: staff forms with CSRF on, errors next to fields, nothing half-written."""

import re
from datetime import time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.audit import AuditEvent
from leasing.extensions import db
from leasing.premises.models import Building, Space
from leasing.premises.vocabulary import BuildingStatus
from tests.conftest import login, post_form
from tests.factories import make_building, make_space
from tests.premises.conftest import building_form_data, space_form_data


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def staff_client(client, staff):
    login(client, staff)
    return client


def test_staff_adds_a_building_with_finnish_numbers(staff_client):
    url = "/staff/buildings/new"
    response = post_form(staff_client, url, building_form_data(safety_limit="120"), form_url=url)
    assert response.status_code == 302
    building = db.session.execute(sa.select(Building)).scalar_one()
    assert building.safety_limit == 120
    assert response.headers["Location"].endswith(f"/staff/buildings/{building.id}")
    assert building.area_m2 == Decimal("1200.5")
    assert building.asking_rent == Decimal("1234.50")
    assert building.latitude == Decimal("65.031200")
    assert building.status == BuildingStatus.DRAFT
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Building added" in page and "Tiina Tilakeskus" in page


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("area_m2", "-5", "Enter an area greater than 0 square metres"),
        ("area_m2", "", "area in square metres"),
        ("postal_code", "9010", "Enter a postal code of 5 digits"),
        ("name", "x" * 201, "Enter at most 200 characters"),
        ("asking_rent", "-1", "Enter a rent of 0 euros or more"),
        ("latitude", "91", "Enter a latitude between -90 and 90"),
        ("district", "Atlantis", "Choose a district from the list"),
        ("safety_limit", "0", "Enter a number of people of 1 or more"),
    ],
)
def test_invalid_building_is_refused_next_to_the_field(staff_client, field, value, message):
    url = "/staff/buildings/new"
    response = post_form(staff_client, url, building_form_data(**{field: value}), form_url=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html.split(f'id="{field}-error"')[1].split("</p>")[0]
    assert f'href="#{field}"' in html  # the error summary links to the field
    assert count(Building) == 0


def test_edit_building_cannot_drop_below_its_spaces(staff_client):
    building = make_building(area_m2=Decimal("100.0"))
    make_space(building, area_m2=Decimal("80.0"))
    url = f"/staff/buildings/{building.id}/edit"
    response = post_form(staff_client, url, building_form_data(area_m2="50"), form_url=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "80,0 m²" in html.split('id="area_m2-error"')[1].split("</p>")[0]
    db.session.expire_all()
    assert db.session.get(Building, building.id).area_m2 == Decimal("100.0")
    assert count(AuditEvent) == 0


def test_edit_form_shows_current_values(staff_client):
    building = make_building(name="Hintan koulu")
    html = staff_client.get(f"/staff/buildings/{building.id}/edit").get_data(as_text=True)
    assert 'value="Hintan koulu"' in html
    assert '<option selected value="fire_station">' in html


def test_publish_and_withdraw_are_post_actions(staff_client):
    building = make_building(status=BuildingStatus.DRAFT)
    page = f"/staff/buildings/{building.id}"
    assert staff_client.get(f"{page}/publish").status_code == 405
    response = post_form(staff_client, f"{page}/publish", {}, form_url=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Building, building.id).status == BuildingStatus.VACANT
    post_form(staff_client, f"{page}/withdraw", {}, form_url=page)
    db.session.expire_all()
    assert db.session.get(Building, building.id).status == BuildingStatus.WITHDRAWN


def test_publish_without_csrf_changes_nothing(staff_client):
    building = make_building(status=BuildingStatus.DRAFT)
    response = staff_client.post(f"/staff/buildings/{building.id}/publish")
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(Building, building.id).status == BuildingStatus.DRAFT


def test_publishing_a_leased_building_is_a_conflict(staff_client):
    building = make_building(status=BuildingStatus.LEASED)
    page = f"/staff/buildings/{building.id}"
    response = post_form(staff_client, f"{page}/publish", {}, form_url=page)
    assert response.status_code == 409


def test_add_space_with_hours_and_features(staff_client):
    building = make_building()
    url = f"/staff/buildings/{building.id}/spaces/new"
    response = post_form(staff_client, url, space_form_data(), form_url=url)
    assert response.status_code == 302
    space = db.session.execute(sa.select(Space)).scalar_one()
    assert {f.feature.value for f in space.features} == {"sound_insulated", "wifi"}
    assert [(h.weekday, h.opens, h.closes) for h in space.opening_hours] == [(0, time(9), time(21))]
    assert space.hourly_rate == Decimal("12.50") and space.bookable


def test_space_larger_than_building_is_refused(staff_client):
    building = make_building(area_m2=Decimal("850.0"))
    url = f"/staff/buildings/{building.id}/spaces/new"
    response = post_form(staff_client, url, space_form_data(area_m2="900"), form_url=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "no larger than the building" in html.split('id="area_m2-error"')[1].split("</p>")[0]
    assert count(Space) == 0


def test_spaces_together_cannot_exceed_the_building(staff_client):
    building = make_building(area_m2=Decimal("100.0"))
    make_space(building, area_m2=Decimal("70.0"))
    url = f"/staff/buildings/{building.id}/spaces/new"
    response = post_form(staff_client, url, space_form_data(area_m2="40"), form_url=url)
    assert response.status_code == 422
    assert "Enter at most 30,0 m²" in response.get_data(as_text=True)
    assert count(Space) == 1


def test_closing_before_opening_is_shown_next_to_the_day(staff_client):
    building = make_building()
    url = f"/staff/buildings/{building.id}/spaces/new"
    data = space_form_data(**{"hours-4-opens": "22:00", "hours-4-closes": "08:00"})
    response = post_form(staff_client, url, data, form_url=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="hours-4-opens-error"' in html and "opening time before the closing time" in html
    assert count(Space) == 0


def test_space_form_labels_each_time_input(staff_client):
    building = make_building()
    html = staff_client.get(f"/staff/buildings/{building.id}/spaces/new").get_data(as_text=True)
    assert '<label for="hours-0-opens">Monday opens</label>' in html
    assert '<label for="hours-6-closes">Sunday closes</label>' in html


def test_edit_space_shows_and_saves_values(staff_client):
    building = make_building()
    space = make_space(building, features=["stage"], hours={2: (time(10), time(12))})
    url = f"/staff/spaces/{space.id}/edit"
    html = staff_client.get(url).get_data(as_text=True)
    assert 'value="10:00"' in html
    assert re.search(r'<input checked id="features-\d+" name="features" type="checkbox" value="stage">', html)
    response = post_form(staff_client, url, space_form_data(name="Uusi nimi"), form_url=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Space, space.id).name == "Uusi nimi"


def test_delete_space(staff_client):
    building = make_building()
    space = make_space(building)
    page = f"/staff/buildings/{building.id}"
    response = post_form(staff_client, f"/staff/spaces/{space.id}/delete", {}, form_url=page)
    assert response.status_code == 302
    assert count(Space) == 0


def test_register_lists_every_building_with_status(staff_client):
    make_building(name="Luonnos", status=BuildingStatus.DRAFT)
    make_building(name="Vetäytynyt", status=BuildingStatus.WITHDRAWN)
    make_building(name="Vapaa")
    html = staff_client.get("/staff/buildings").get_data(as_text=True)
    for name in ("Luonnos", "Vetäytynyt", "Vapaa"):
        assert name in html
    assert "Draft" in html or "Luonnos" in html


def test_public_building_page(client):
    building = make_building(name="Tuiran paloasema", asking_rent=Decimal("1234.50"))
    make_space(building, name="Sali", features=["stage"], hours={0: (time(9), time(21))})
    html = client.get(f"/premises/{building.id}", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "<h1>Tuiran paloasema</h1>" in html
    assert "1\xa0234,50\xa0€" in html
    assert "1.1.2027" in html
    assert "https://www.openstreetmap.org/?mlat=65.026000&amp;mlon=25.466000#map=17/65.026000/25.466000" in html
    assert "<caption>" in html and "Sali" in html and "09.00–21.00" in html
    assert f"/login?next=/premises/{building.id}" in html


def test_apply_box_for_each_kind_of_user(app, client, association_admin, group_member):
    building = make_building()
    login(client, group_member)
    assert "Ask your association" in client.get(f"/premises/{building.id}").get_data(as_text=True)
    client = app.test_client()
    login(client, association_admin)
    assert f'href="/premises/{building.id}/apply"' in client.get(f"/premises/{building.id}").get_data(as_text=True)


def test_history_names_lease_driven_status_changes(client, staff):
    from leasing.premises import services

    building = make_building()
    services.follow_lease(staff, building, BuildingStatus.NEGOTIATING, "application.accept")
    db.session.flush()  # the request reads through its own session
    login(client, staff)
    page = client.get(f"/staff/buildings/{building.id}").get_data(as_text=True)
    assert "In negotiation: an application was accepted" in page
    assert "building.application.accept" not in page
