"""Pure rules of the premises register, as tables of cases."""

from datetime import date, time
from decimal import Decimal

import pytest

from leasing.premises import rules
from leasing.premises.vocabulary import BuildingStatus as S


@pytest.mark.parametrize(
    "current,action,expected",
    [
        (S.DRAFT, "publish", S.VACANT),
        (S.WITHDRAWN, "publish", S.VACANT),
        (S.VACANT, "publish", None),
        (S.NEGOTIATING, "publish", None),
        (S.LEASED, "publish", None),
        (S.DRAFT, "withdraw", S.WITHDRAWN),
        (S.VACANT, "withdraw", S.WITHDRAWN),
        (S.WITHDRAWN, "withdraw", None),
        (S.NEGOTIATING, "withdraw", None),
        (S.LEASED, "withdraw", None),
    ],
)
def test_next_status(current, action, expected):
    assert rules.next_status(current, action) == expected


@pytest.mark.parametrize(
    "building,others,space,expected",
    [
        ("100", "0", "100", None),
        ("100", "0", "100.1", "larger_than_building"),
        ("100", "60", "40", None),
        ("100", "60", "40.1", "total_exceeds_building"),
        ("100", "99.9", "0.1", None),
        ("850", "0", "900", "larger_than_building"),
    ],
)
def test_space_area_problem(building, others, space, expected):
    assert rules.space_area_problem(Decimal(building), Decimal(others), Decimal(space)) == expected


@pytest.mark.parametrize(
    "building_area,spaces_area,expected",
    [("100", "100", None), ("99.9", "100", "smaller_than_spaces"), ("500", "0", None)],
)
def test_building_area_problem(building_area, spaces_area, expected):
    assert rules.building_area_problem(Decimal(building_area), Decimal(spaces_area)) == expected


@pytest.mark.parametrize(
    "rows,expected",
    [
        ({0: (time(9), time(21))}, {}),
        ({0: (None, None)}, {}),
        ({0: (time(9), None)}, {0: "both_or_neither"}),
        ({1: (None, time(9))}, {1: "both_or_neither"}),
        ({2: (time(21), time(9))}, {2: "opens_before_closes"}),
        ({3: (time(9), time(9))}, {3: "opens_before_closes"}),
        ({0: (time(8), time(16)), 6: (time(18), time(17))}, {6: "opens_before_closes"}),
    ],
)
def test_validate_opening_hours(rows, expected):
    assert rules.validate_opening_hours(rows) == expected


@pytest.mark.parametrize(
    "available_from,by,expected",
    [
        (None, date(2027, 1, 1), True),
        (date(2027, 1, 1), date(2027, 1, 1), True),
        (date(2027, 1, 2), date(2027, 1, 1), False),
    ],
)
def test_is_available_by(available_from, by, expected):
    assert rules.is_available_by(available_from, by) is expected


@pytest.mark.parametrize(
    "lat,lon,expected",
    [
        (Decimal("65.026000"), Decimal("25.466000"),
         "https://www.openstreetmap.org/?mlat=65.026000&mlon=25.466000#map=17/65.026000/25.466000"),
        (None, Decimal("25.4"), None),
        (Decimal("65.0"), None, None),
    ],
)  # fmt: skip
def test_map_url(lat, lon, expected):
    assert rules.map_url(lat, lon) == expected
