"""The public list: each filter, sorting, pages, unknown values ignored, drafts hidden, Finnish formats."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from leasing.premises.vocabulary import BuildingStatus, BuildingType
from tests.factories import make_building, make_space


def names(client, query=""):
    response = client.get(f"/premises{query}")
    assert response.status_code == 200
    return re.findall(r'<h2><a href="/premises/\d+">([^<]+)</a></h2>', response.get_data(as_text=True))


def test_only_vacant_by_default_never_drafts_or_withdrawn(client):
    for status in BuildingStatus:
        make_building(name=f"Talo {status.value}", status=status)
    assert names(client) == ["Talo vacant"]
    assert sorted(names(client, "?status=any")) == ["Talo negotiating", "Talo vacant"]
    assert names(client, "?status=negotiating") == ["Talo negotiating"]
    assert names(client, "?status=draft") == ["Talo vacant"]  # unknown status → the default


def test_free_text_search_matches_name_address_and_description(client):
    make_building(name="Tuiran paloasema", street_address="Koskitie 1", description="Punatiilinen")
    make_building(name="Varikko", street_address="Paloasemantie 9", description="")
    make_building(name="Koulu", street_address="Koulutie 1", description="Vanha PALOASEMA ennen")
    make_building(name="Muu", street_address="Muutie 1", description="")
    assert sorted(names(client, "?q=paloasema")) == ["Koulu", "Tuiran paloasema", "Varikko"]
    assert names(client, "?q=100%25") == []  # a LIKE wildcard is searched for, not used


def test_district_filter_takes_several(client):
    make_building(name="A", district="Tuira")
    make_building(name="B", district="Välivainio")
    make_building(name="C", district="Hintta")
    assert sorted(names(client, "?district=Tuira&district=V%C3%A4livainio")) == ["A", "B"]
    assert sorted(names(client, "?district=Atlantis")) == ["A", "B", "C"]


def test_type_filter_takes_several_and_ignores_unknown(client):
    make_building(name="A", building_type=BuildingType.SCHOOL)
    make_building(name="B", building_type=BuildingType.DEPOT)
    make_building(name="C", building_type=BuildingType.VILLA)
    assert sorted(names(client, "?type=school&type=depot&type=castle")) == ["A", "B"]


def test_area_range(client):
    make_building(name="Pieni", area_m2=Decimal("100.0"))
    make_building(name="Keski", area_m2=Decimal("500.0"))
    make_building(name="Iso", area_m2=Decimal("2000.0"))
    assert names(client, "?min_area=200&max_area=1000") == ["Keski"]
    assert sorted(names(client, "?min_area=499,5")) == ["Iso", "Keski"]
    assert len(names(client, "?min_area=lots&max_area=-")) == 3


def test_available_by(client):
    make_building(name="Nyt", available_from=None)
    make_building(name="Pian", available_from=date(2027, 1, 1))
    make_building(name="Myöhemmin", available_from=date(2028, 1, 1))
    assert sorted(names(client, "?available_by=2027-06-01")) == ["Nyt", "Pian"]
    assert len(names(client, "?available_by=31.2.2027")) == 3


def test_features_must_all_be_in_one_space(client):
    both = make_building(name="Samassa")
    make_space(both, features=["stage", "sound_insulated"])
    apart = make_building(name="Erikseen")
    make_space(apart, features=["stage"])
    make_space(apart, features=["sound_insulated"])
    make_building(name="Ei mitään")
    assert names(client, "?feature=stage&feature=sound_insulated") == ["Samassa"]
    assert sorted(names(client, "?feature=stage")) == ["Erikseen", "Samassa"]
    assert len(names(client, "?feature=jacuzzi")) == 3


@pytest.mark.parametrize(
    "sort,expected",
    [
        ("area_asc", ["B", "C", "A"]),
        ("area_desc", ["A", "C", "B"]),
        ("rent_asc", ["C", "A", "B"]),
        ("rent_desc", ["B", "A", "C"]),
        ("name", ["A", "B", "C"]),
        ("available", ["C", "B", "A"]),
        ("newest", ["B", "A", "C"]),
        ("nonsense", ["B", "A", "C"]),
    ],
)
def test_sorting(client, sort, expected):
    now = datetime.now(UTC)
    make_building(
        name="A",
        area_m2=Decimal("900"),
        asking_rent=Decimal("2000"),
        available_from=date(2028, 1, 1),
        published_at=now - timedelta(days=2),
    )
    make_building(
        name="B",
        area_m2=Decimal("100"),
        asking_rent=Decimal("3000"),
        available_from=date(2027, 1, 1),
        published_at=now - timedelta(days=1),
    )
    make_building(name="C", area_m2=Decimal("500"), asking_rent=Decimal("1000"),
                  available_from=None, published_at=now - timedelta(days=3))  # fmt: skip
    assert names(client, f"?sort={sort}") == expected


def test_pagination_links_and_aria_current(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(5):
        make_building(name=f"Talo {n}", area_m2=Decimal(100 + n), district="Tuira")
    html = client.get("/premises?sort=area_asc&district=Tuira&page=2").get_data(as_text=True)
    assert re.findall(r'<h2><a href="/premises/\d+">([^<]+)</a></h2>', html) == ["Talo 2", "Talo 3"]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in html
    assert "page=3" in html and "sort=area_asc" in html and "district=Tuira" in html
    assert names(client, "?sort=area_asc&page=99") == ["Talo 4"]  # past the end → the last page


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?page=-1", "?page=0", "?page=99999999999999999999", "?min_area=NaN", "?max_area=1e999",
     "?available_by=yesterday", "?sort=%27;DROP", "?district=", "?feature=&type=", "?q=" + "x" * 5000],
)  # fmt: skip
def test_garbage_in_the_query_string_is_ignored(client, query):
    make_building(name="Ainoa")
    assert client.get(f"/premises{query}").status_code == 200


def test_card_shows_finnish_money_date_and_facts(client):
    make_building(name="Tuiran paloasema", asking_rent=Decimal("1234.50"), available_from=date(2026, 11, 28),
                  area_m2=Decimal("1850.5"), district="Tuira")  # fmt: skip
    html = client.get("/premises", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert "1\xa0234,50\xa0€" in html
    assert "28.11.2026" in html
    assert "1\xa0850,5 m²" in html
    assert "Tuira" in html and "Paloasema" in html and "Vapaana" in html


def test_filters_form_keeps_understood_values(client):
    html = client.get("/premises?district=Tuira&district=Atlantis&sort=rent_asc").get_data(as_text=True)
    assert re.search(r'<input checked id="district-\d+" name="district" type="checkbox" value="Tuira">', html)
    assert 'value="Atlantis"' not in html
    assert '<option selected value="rent_asc">' in html


def test_search_ignores_case_of_finnish_letters(client):
    make_building(name="Hintan päiväkoti")
    make_building(name="Ämmänkosken ÄÄNITTÄMÖ")
    assert names(client, "?q=PÄIVÄKOTI") == ["Hintan päiväkoti"]
    assert names(client, "?q=äänittämö") == ["Ämmänkosken ÄÄNITTÄMÖ"]


def test_district_filter_offers_only_districts_with_public_buildings(client):
    make_building(district="Tuira")
    make_building(district="Hiukkavaara", status=BuildingStatus.DRAFT)
    html = client.get("/premises?district=Kastelli").get_data(as_text=True)
    assert 'value="Tuira"' in html
    assert 'value="Hiukkavaara"' not in html  # only a draft there
    assert 'value="Kastelli"' in html  # chosen, so it stays visible and can be unticked
