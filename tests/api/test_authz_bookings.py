"""Who may call each booking operation: anonymous, someone of another group, the booking's group (the owner),
the association whose house it is, and facilities staff. Nobody reads or changes another group's booking by
guessing its id (404); who may see but not act gets 403; without a token, 401 (the window of dates is public)."""

from datetime import time

import pytest

from leasing.bookings import services
from leasing.bookings.models import BookingRules
from leasing.extensions import db
from tests.api.kit import call
from tests.bookings import kit
from tests.bookings.kit import TUESDAY

COVERED = [
    ("POST", "/api/v1/bookings"),
    ("GET", "/api/v1/bookings"),
    ("GET", "/api/v1/bookings/{booking_id}"),
    ("POST", "/api/v1/bookings/{booking_id}/confirm"),
    ("POST", "/api/v1/bookings/{booking_id}/decline"),
    ("POST", "/api/v1/bookings/{booking_id}/city-confirm"),
    ("POST", "/api/v1/bookings/{booking_id}/city-decline"),
    ("POST", "/api/v1/bookings/{booking_id}/cancel"),
    ("POST", "/api/v1/occurrences/{occurrence_id}/cancel"),
    ("GET", "/api/v1/occurrences"),
]

ROLES = ("anonymous", "stranger", "owner", "house", "staff")
WINDOW = {"from": f"{TUESDAY.isoformat()}T00:00:00+02:00", "to": f"{TUESDAY.isoformat()}T23:59:00+03:00"}


def _request(world):
    return {
        "space_id": world["space"].id,
        "group_id": world["group"].id,
        "title": "Bändiharjoitus",
        "attendees": 5,
        "first_date": TUESDAY.isoformat(),
        "starts_time": "12:00",
        "ends_time": "14:00",
    }


#: (method, path, body, query, {role: status}); paths and bodies are filled from the world.
CASES = [
    ("POST", "/api/v1/bookings", _request, None, (401, 422, 201, 422, 422)),
    ("GET", "/api/v1/bookings", None, None, (401, 200, 200, 200, 200)),
    ("GET", "/api/v1/bookings/{booking}", None, None, (401, 404, 200, 200, 200)),
    ("POST", "/api/v1/bookings/{booking}/confirm", {}, None, (401, 404, 403, 200, 403)),
    ("POST", "/api/v1/bookings/{booking}/decline", {"reason": "Remontti"}, None, (401, 404, 403, 200, 403)),
    ("POST", "/api/v1/bookings/{city_booking}/city-confirm", {}, None, (401, 404, 403, 403, 200)),
    ("POST", "/api/v1/bookings/{city_booking}/city-decline", {"reason": "Ei"}, None, (401, 404, 403, 403, 200)),
    ("POST", "/api/v1/bookings/{booking}/cancel", {"from_date": TUESDAY.isoformat()}, None, (401, 404, 200, 200, 403)),
    ("POST", "/api/v1/occurrences/{occurrence}/cancel", {}, None, (401, 404, 200, 200, 403)),
    ("GET", "/api/v1/occurrences", None, {"space_id": "{space}"}, (200, 200, 200, 200, 200)),
    ("GET", "/api/v1/occurrences", None, {"building_id": "{building}"}, (200, 200, 200, 200, 200)),
    ("GET", "/api/v1/occurrences", None, {"organization_id": "{group}"}, (404, 404, 200, 404, 200)),
    ("GET", "/api/v1/occurrences", None, {"organization_id": "{association}"}, (404, 404, 404, 200, 200)),
]


@pytest.fixture
def world(app_ctx, association, association_admin, group, group_member, staff, outbox):
    lease = kit.house(association, city_approval_people=10)
    space, other_space = lease.building.spaces
    booking = services.request(group_member, space, kit.weekly(group, times=2))
    db.session.add(BookingRules(space_id=other_space.id, needs_approval=False))
    city = kit.values(group, attendees=11, public_event=True, starts_time=time(9), ends_time=time(11))
    city_booking = services.request(group_member, other_space, city)
    assert city_booking.occurrences[0].status.value == "city_pending"
    kit.deliver()
    outbox.clear()
    return {
        "space": space,
        "building": lease.building,
        "group": group,
        "association": association,
        "booking": booking,
        "occurrence": booking.occurrences[0],
        "city_booking": city_booking,
        "users": {
            "anonymous": None,
            "stranger": kit.other_group(),
            "owner": group_member,
            "house": association_admin,
            "staff": staff,
        },
    }


def _fill(value, world):
    if isinstance(value, str):
        names = {key: getattr(obj, "id", obj) for key, obj in world.items() if key != "users"}
        return value.format(**names)
    if isinstance(value, dict):
        return {key: _fill(item, world) for key, item in value.items()}
    return value


def test_every_operation_is_covered():
    assert {
        (
            method,
            path.replace("{booking}", "{booking_id}")
            .replace("{city_booking}", "{booking_id}")
            .replace("{occurrence}", "{occurrence_id}"),
        )
        for method, path, *_ in CASES
    } == set(COVERED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[f"{m} {p} {sorted(q or {})}" for m, p, _b, q, _s in CASES])
def test_who_may_call(client, world, role, case):
    method, path, body, query, statuses = case
    body = body(world) if callable(body) else body
    expected = dict(zip(ROLES, statuses, strict=True))[role]
    query = {**_fill(query, world), **WINDOW} if query else None
    response = call(client, method, _fill(path, world), user=world["users"][role], json=body, query=query)
    assert response.status_code == expected, response.get_json()
