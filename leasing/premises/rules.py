"""Pure rules of the premises register: no Flask, no database."""

from datetime import date
from decimal import Decimal

from leasing.premises.vocabulary import BuildingStatus

#: Status changes staff may make by hand; leases move a building to negotiating and leased.
TRANSITIONS = {
    "publish": ({BuildingStatus.DRAFT, BuildingStatus.WITHDRAWN}, BuildingStatus.VACANT),
    "withdraw": ({BuildingStatus.DRAFT, BuildingStatus.VACANT}, BuildingStatus.WITHDRAWN),
}


def next_status(current, action):
    """The status after ``action`` from ``current``, or None when the move is not allowed."""
    allowed_from, target = TRANSITIONS[action]
    return target if current in allowed_from else None


def space_area_problem(building_area, other_spaces_area, space_area):
    """Why a space of ``space_area`` cannot fit the building, or None.

    A single space cannot be larger than its building, and the spaces together cannot exceed it.
    """
    building_area, other, area = Decimal(building_area), Decimal(other_spaces_area), Decimal(space_area)
    if area > building_area:
        return "larger_than_building"
    if other + area > building_area:
        return "total_exceeds_building"
    return None


def is_available_by(available_from, by_date):
    """True when a building available from ``available_from`` (None = now) is free by ``by_date``."""
    return available_from is None or available_from <= by_date


def validate_opening_hours(rows):
    """Return {weekday: message_key} for rows whose opening time is not before closing time.

    ``rows`` maps weekday (0 = Monday) to ``(opens, closes)``; None pairs mean closed that day.
    """
    problems = {}
    for weekday, (opens, closes) in rows.items():
        if (opens is None) != (closes is None):
            problems[weekday] = "both_or_neither"
        elif opens is not None and opens >= closes:
            problems[weekday] = "opens_before_closes"
    return problems


def today():
    """Today's date (a seam for tests that pin the date)."""
    return date.today()


def building_area_problem(building_area, spaces_area):
    """Why a building cannot shrink to ``building_area`` when its spaces cover ``spaces_area``, or None."""
    if Decimal(spaces_area) > Decimal(building_area):
        return "smaller_than_spaces"
    return None


def map_url(latitude, longitude, zoom=17):
    """A link to the place on OpenStreetMap (no tiles are embedded), or None without coordinates."""
    if latitude is None or longitude is None:
        return None
    lat, lon = f"{Decimal(latitude):f}", f"{Decimal(longitude):f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={zoom}/{lat}/{lon}"
