"""API: bookings through the API alone — a weekly request across the daylight-saving change, the 409 that names
the dates that cannot be had, booking the rest, the association's decision, cancelling one date and the rest;
refusals; the window of dates each caller sees; constant queries per page."""

from datetime import date, datetime, time, timedelta

import pytest

from leasing.accounts.models import OrgKind, Role
from leasing.bookings import rules, services
from leasing.bookings.models import BookingRules, Occurrence
from leasing.db import HELSINKI
from leasing.extensions import db
from tests.api.kit import bearer, call, error_code
from tests.bookings import kit
from tests.bookings.kit import TUESDAY
from tests.conftest import count_queries
from tests.factories import make_org, make_user


@pytest.fixture
def house(association, association_admin):
    lease = kit.house(association)
    kit.set_rules(lease.building.spaces[0], book_ahead_days=366)
    return lease


@pytest.fixture
def space(house):
    return house.building.spaces[0]


def request_body(space, group, **overrides):
    body = {
        "space_id": space.id,
        "group_id": group.id,
        "title": "Bändiharjoitus",
        "attendees": 5,
        "repeat": "once",
        "first_date": TUESDAY.isoformat(),
        "starts_time": "18:00",
        "ends_time": "21:00",
    }
    body.update(overrides)
    return body


def _last_sunday(year, month):
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def next_clock_change():
    """The next daylight-saving change (last Sunday of March or October) at least two weeks away."""
    today = date.today()
    changes = sorted(_last_sunday(year, month) for year in (today.year, today.year + 1) for month in (3, 10))
    return next(day for day in changes if day > today + timedelta(days=14))


def offset(day):
    """The Helsinki offset of 18:00 on ``day`` as ISO 8601 writes it."""
    return datetime.combine(day, time(18), HELSINKI).isoformat()[-6:]


def at_six(day):
    return f"{day.isoformat()}T18:00:00{offset(day)}"


def subjects(outbox):
    return sorted((m["To"], m["Subject"].split(":")[0]) for m in outbox)


# --- The whole path --------------------------------------------------------------------------------------------


def test_the_whole_booking_path_through_the_api(client, space, group, group_member, association_admin, outbox):
    change = next_clock_change()
    tuesdays = [change - timedelta(days=12), change - timedelta(days=5), change + timedelta(days=2)]
    tuesdays.append(change + timedelta(days=9))
    assert {offset(d) for d in tuesdays} == {"+02:00", "+03:00"}
    assert offset(tuesdays[1]) != offset(tuesdays[2])

    # Another group holds the two Tuesdays around the change.
    rival = kit.other_group()
    rival_group = rival.memberships[0].organization
    held = call(
        client,
        "POST",
        "/api/v1/bookings",
        user=rival,
        json=request_body(space, rival_group, repeat="weekly", first_date=tuesdays[1].isoformat(), times=2),
    )
    assert held.status_code == 201, held.get_json()
    assert [o["starts_at"] for o in held.get_json()["occurrences"]] == [at_six(tuesdays[1]), at_six(tuesdays[2])]

    # The group asks for four Tuesdays: two cannot be had, and the answer names them.
    body = request_body(space, group, repeat="weekly", first_date=tuesdays[0].isoformat(), times=4)
    refused = call(client, "POST", "/api/v1/bookings", user=group_member, json=body)
    assert refused.status_code == 409
    answer = refused.get_json()
    assert set(answer) == {"error", "conflicts"} and answer["error"]["code"] == "conflict"
    assert [(c["starts_at"], c["codes"]) for c in answer["conflicts"]] == [
        (at_six(tuesdays[1]), ["overlap"]),
        (at_six(tuesdays[2]), ["overlap"]),
    ]
    assert answer["conflicts"][1]["ends_at"] == f"{tuesdays[2].isoformat()}T21:00:00{offset(tuesdays[2])}"
    assert "overlaps an existing booking" in answer["conflicts"][0]["reason"]
    assert kit.when(tuesdays[1]) in answer["error"]["message"]

    # Book the rest: the two free dates wait for the association, the others are kept as skipped.
    created = call(client, "POST", "/api/v1/bookings", user=group_member, json={**body, "book_the_rest": True})
    assert created.status_code == 201, created.get_json()
    booking = created.get_json()
    dates = booking["occurrences"]
    assert [o["starts_at"] for o in dates] == [at_six(d) for d in tuesdays]
    assert [o["status"] for o in dates] == ["requested", "skipped", "skipped", "requested"]
    assert "overlaps an existing booking" in dates[1]["reason"] and dates[0]["reason"] == ""
    assert (booking["price"], booking["hourly_rate"], dates[0]["price"]) == ("60.00", "10.00", "30.00")
    assert booking["starts_time"] == "18:00" and booking["status_counts"] == {"requested": 2, "skipped": 2}

    # The association confirms every date waiting.
    path = f"/api/v1/bookings/{booking['id']}"
    confirmed = call(client, "POST", f"{path}/confirm", user=association_admin, json={})
    assert confirmed.status_code == 200, confirmed.get_json()
    assert [o["status"] for o in confirmed.get_json()["occurrences"]] == [
        "confirmed",
        "skipped",
        "skipped",
        "confirmed",
    ]

    # The group cancels one date, then the rest.
    first, last = dates[0]["id"], dates[3]["id"]
    one = call(client, "POST", f"/api/v1/occurrences/{first}/cancel", user=group_member, json={"reason": "Flunssa"})
    assert one.status_code == 200, one.get_json()
    assert {o["id"]: (o["status"], o["reason"]) for o in one.get_json()["occurrences"]}[first] == (
        "cancelled",
        "Flunssa",
    )
    rest = call(client, "POST", f"{path}/cancel", user=group_member, json={"from_date": tuesdays[0].isoformat()})
    assert rest.status_code == 200, rest.get_json()
    after = rest.get_json()
    assert {o["id"]: o["status"] for o in after["occurrences"]}[last] == "cancelled"
    assert after["price"] == "0.00"
    assert call(client, "GET", path, user=group_member).get_json() == after

    admin, member = association_admin.email, group_member.email
    assert subjects(outbox) == sorted(
        [
            (admin, "Booking request"),  # the other group's
            (admin, "Booking request"),
            (member, "Booking confirmed"),
            (admin, "Booking cancelled"),
            (admin, "Booking cancelled"),
        ]
    )


# --- Requests --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [{"status": "confirmed"}, {"price": "0.00"}, {"hourly_rate": "0.00"}])
def test_status_and_prices_are_never_taken_from_the_caller(client, space, group, group_member, extra):
    response = call(client, "POST", "/api/v1/bookings", user=group_member, json={**request_body(space, group), **extra})
    assert response.status_code == 422 and error_code(response) == "invalid_input"
    assert set(response.get_json()["error"]["fields"]) == set(extra)


@pytest.mark.parametrize(
    "change",
    [
        {"attendees": "5"},
        {"starts_time": "18:00:00"},
        {"first_date": "1999-12-31"},
        {"times": 54, "repeat": "weekly"},
        {"public_event": 1},
        {"title": " "},
        {"space_id": 2**31},
    ],
)
def test_input_the_schema_forbids_is_a_422(client, space, group, group_member, change):
    response = call(
        client, "POST", "/api/v1/bookings", user=group_member, json={**request_body(space, group), **change}
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) <= set(change)


def test_the_services_rules_name_the_api_fields(client, space, group, group_member):
    body = request_body(space, group, ends_time="17:00", attendees=500, repeat="weekly")
    response = call(client, "POST", "/api/v1/bookings", user=group_member, json=body)
    assert response.status_code == 422 and error_code(response) == "rule_violation"
    assert set(response.get_json()["error"]["fields"]) == {"ends_time", "attendees", "until_date"}


def test_a_caller_books_only_for_their_own_group(client, space, group, group_member):
    stranger = kit.other_group()
    response = call(client, "POST", "/api/v1/bookings", user=stranger, json=request_body(space, group))
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"group_id"}
    huge = call(client, "POST", "/api/v1/bookings", user=group_member, json=request_body(space, group, group_id=2**40))
    assert huge.status_code == 422 and set(huge.get_json()["error"]["fields"]) == {"group_id"}


def test_a_request_for_a_hidden_space_is_a_404_and_none_left_is_a_409(client, space, group, group_member):
    from leasing.premises.vocabulary import BuildingStatus
    from tests.factories import make_building, make_space

    draft = make_space(make_building(status=BuildingStatus.DRAFT), bookable=True)
    response = call(client, "POST", "/api/v1/bookings", user=group_member, json=request_body(draft, group))
    assert response.status_code == 404
    kit.close(space, TUESDAY)
    closed = call(
        client, "POST", "/api/v1/bookings", user=group_member, json=request_body(space, group, book_the_rest=True)
    )
    assert closed.status_code == 409
    assert [c["codes"] for c in closed.get_json()["conflicts"]] == [["closed"]]


def test_the_association_books_for_itself_confirmed_at_once(client, space, association, association_member):
    response = call(client, "POST", "/api/v1/bookings", user=association_member, json=request_body(space, association))
    assert response.status_code == 201
    assert [o["status"] for o in response.get_json()["occurrences"]] == ["confirmed"]


# --- Decisions and refusals --------------------------------------------------------------------------------------


@pytest.fixture
def booking(app_ctx, space, group, group_member, outbox):
    return services.request(group_member, space, kit.weekly(group, times=3))


def test_someone_of_another_group_guessing_ids_gets_404(client, booking):
    stranger = kit.other_group()
    occurrence = booking.occurrences[0]
    for method, path, body in [
        ("GET", f"/api/v1/bookings/{booking.id}", None),
        ("POST", f"/api/v1/bookings/{booking.id}/confirm", {}),
        ("POST", f"/api/v1/bookings/{booking.id}/decline", {"reason": "Ei"}),
        ("POST", f"/api/v1/bookings/{booking.id}/cancel", {"from_date": TUESDAY.isoformat()}),
        ("POST", f"/api/v1/occurrences/{occurrence.id}/cancel", {}),
    ]:
        response = call(client, method, path, user=stranger, json=body)
        assert response.status_code == 404, (path, response.get_json())
    assert call(client, "GET", "/api/v1/bookings", user=stranger).get_json()["items"] == []


def test_the_group_does_not_decide_on_its_own_request(client, booking, group_member):
    response = call(client, "POST", f"/api/v1/bookings/{booking.id}/confirm", user=group_member, json={})
    assert response.status_code == 403 and error_code(response) == "forbidden"


def test_the_association_declines_some_dates_with_a_reason(client, booking, association_admin, group_member, outbox):
    path = f"/api/v1/bookings/{booking.id}/decline"
    blank = call(client, "POST", path, user=association_admin, json={"reason": "  "})
    assert blank.status_code == 422 and set(blank.get_json()["error"]["fields"]) == {"reason"}
    second = booking.occurrences[1].id
    empty = call(client, "POST", path, user=association_admin, json={"reason": "Remontti", "occurrence_ids": []})
    assert empty.status_code == 422
    response = call(
        client, "POST", path, user=association_admin, json={"reason": "Remontti", "occurrence_ids": [second, second]}
    )
    assert response.status_code == 200, response.get_json()
    assert [(o["status"], o["reason"]) for o in response.get_json()["occurrences"]] == [
        ("requested", ""),
        ("declined", "Remontti"),
        ("requested", ""),
    ]
    again = call(client, "POST", path, user=association_admin, json={"reason": "Remontti", "occurrence_ids": [second]})
    assert again.status_code == 409 and error_code(again) == "conflict"
    foreign = call(client, "POST", path, user=association_admin, json={"reason": "x", "occurrence_ids": [2**31 - 1]})
    assert foreign.status_code == 404


def test_the_facilities_centre_decides_where_the_lease_asks(client, space, house, group, group_member, staff, outbox):
    house.city_approval_people = 10
    db.session.flush()
    kit.set_rules(house.building.spaces[1], needs_approval=False)
    body = request_body(house.building.spaces[1], group, attendees=11, public_event=True, title="Keikka")
    created = call(client, "POST", "/api/v1/bookings", user=group_member, json=body).get_json()
    assert [o["status"] for o in created["occurrences"]] == ["city_pending"]
    listed = call(client, "GET", "/api/v1/bookings", user=staff).get_json()["items"]
    assert [b["id"] for b in listed] == [created["id"]]
    path = f"/api/v1/bookings/{created['id']}"
    assert call(client, "POST", f"{path}/confirm", user=staff, json={}).status_code == 403
    response = call(client, "POST", f"{path}/city-confirm", user=staff, json={})
    assert response.status_code == 200 and response.get_json()["occurrences"][0]["status"] == "confirmed"
    assert call(client, "GET", "/api/v1/bookings", user=staff).get_json()["items"] == []
    assert call(client, "POST", f"{path}/city-decline", user=staff, json={"reason": "Ei"}).status_code == 409


# --- Lists -------------------------------------------------------------------------------------------------------


def test_each_caller_lists_their_own_and_their_houses(
    client, app_ctx, booking, house, space, group_member, association_member
):
    rival = kit.other_group()
    rival_group = rival.memberships[0].organization
    theirs = services.request(rival, space, kit.values(rival_group, starts_time=time(9), ends_time=time(10)))
    elsewhere = make_org(OrgKind.ASSOCIATION)
    outsider = make_user(elsewhere, Role.ADMIN)

    def ids(user, **query):
        return [b["id"] for b in call(client, "GET", "/api/v1/bookings", user=user, query=query).get_json()["items"]]

    assert ids(group_member) == [booking.id]
    assert ids(rival) == [theirs.id]
    assert ids(association_member) == [booking.id, theirs.id]  # same first date: by id
    assert ids(outsider) == []
    assert ids(association_member, space_id=space.id + 1) == []
    services.confirm(make_user(house.tenant, Role.ADMIN), theirs)
    assert ids(association_member, status="confirmed") == [theirs.id]
    assert ids(association_member, status="requested") == [booking.id]
    assert call(client, "GET", "/api/v1/bookings").status_code == 401


def test_the_booking_list_pages_at_a_constant_cost(client, app_ctx, space, association, association_member):
    for n in range(12):
        values = kit.weekly(association, times=2, first_date=TUESDAY + timedelta(days=n % 7), title=f"Treeni {n}")
        values.update(starts_time=time(8 + n // 7 * 3), ends_time=time(10 + n // 7 * 3))
        services.request(association_member, space, values)
    seen, costs, token = [], [], bearer(association_member)
    call(client, "GET", "/api/v1/me", headers=token)  # the token's first use is noted once (a write)
    for limit in (3, 7):
        cursor, pages = None, 0
        while True:
            query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            with count_queries() as q:
                body = call(client, "GET", "/api/v1/bookings", headers=token, query=query).get_json()
            costs.append(q.count)
            seen.append([b["id"] for b in body["items"]])
            cursor, pages = body["next_cursor"], pages + 1
            if cursor is None:
                break
        assert pages == (4 if limit == 3 else 2)
    assert len(set(costs)) == 1, costs
    flat = [i for items in seen[:4] for i in items]
    assert flat == [i for items in seen[4:] for i in items] and len(flat) == 12


# --- The window of dates -----------------------------------------------------------------------------------------


def window(day=TUESDAY, days=7):
    starts = datetime.combine(day, time(0), HELSINKI)
    return {"from": starts.isoformat(), "to": (starts + timedelta(days=days)).isoformat()}


def test_the_public_sees_busy_blocks_and_confirmed_public_events(
    client, app_ctx, space, house, group, group_member, outbox
):
    private = services.request(group_member, space, kit.values(group))
    event = kit.values(group, title="Avoin keikka", public_event=True, starts_time=time(12), ends_time=time(14))
    public_event = services.request(group_member, space, event)
    query = {"space_id": space.id, **window()}
    items = call(client, "GET", "/api/v1/occurrences", query=query).get_json()["items"]
    assert [(i["title"], i["pending"], i["booking"]) for i in items] == [(None, True, None), (None, True, None)]
    assert items[0]["starts_at"] == f"{TUESDAY.isoformat()}T12:00:00{offset(TUESDAY)}"
    services.confirm(house.tenant.memberships[0].user, public_event)
    services.confirm(house.tenant.memberships[0].user, private)
    items = call(client, "GET", "/api/v1/occurrences", query=query).get_json()["items"]
    assert [(i["title"], i["pending"], i["booking"]) for i in items] == [
        ("Avoin keikka", False, None),
        (None, False, None),
    ]
    building = call(client, "GET", "/api/v1/occurrences", query={"building_id": house.building_id, **window()})
    assert [i["id"] for i in building.get_json()["items"]] == [i["id"] for i in items]


def test_the_people_concerned_see_details(
    client, app_ctx, space, house, group, group_member, association_member, staff
):
    own = services.request(group_member, space, kit.values(group))
    rival = kit.other_group()
    rival_group = rival.memberships[0].organization
    services.request(rival, space, kit.values(rival_group, starts_time=time(9), ends_time=time(10)))
    query = {"space_id": space.id, **window()}

    def seen(user):
        items = call(client, "GET", "/api/v1/occurrences", user=user, query=query).get_json()["items"]
        return [(i["title"], i["booking"] and i["booking"]["group"]["name"]) for i in items]

    assert seen(group_member) == [(None, None), ("Bändiharjoitus", group.name)]
    assert seen(association_member) == [("Bändiharjoitus", rival_group.name), ("Bändiharjoitus", group.name)]
    assert seen(staff) == seen(association_member)
    detail = call(client, "GET", "/api/v1/occurrences", user=group_member, query=query).get_json()["items"][1]
    assert detail["booking"] == {
        "id": own.id,
        "group": {"id": group.id, "name": group.name, "kind": "cultural_group"},
        "status": "requested",
        "attendees": 5,
        "public_event": False,
        "price": "30.00",
    }
    by_group = {"organization_id": group.id, **window()}
    assert [
        i["booking"]["id"]
        for i in call(client, "GET", "/api/v1/occurrences", user=group_member, query=by_group).get_json()["items"]
    ] == [own.id]
    by_house = {"organization_id": house.tenant_id, **window()}
    assert (
        len(call(client, "GET", "/api/v1/occurrences", user=association_member, query=by_house).get_json()["items"])
        == 2
    )
    for user in (None, rival):
        assert call(client, "GET", "/api/v1/occurrences", user=user, query=by_group).status_code == 404
    assert call(client, "GET", "/api/v1/occurrences", user=staff, query=by_group).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2027-01-01T00:00:00+02:00", "to": "2027-01-02T00:00:00+02:00"},  # no scope
        {"space_id": 1, "building_id": 1, "from": "2027-01-01T00:00:00+02:00", "to": "2027-01-02T00:00:00+02:00"},
        {"space_id": 1, "from": "2027-01-02T00:00:00+02:00", "to": "2027-01-02T00:00:00+02:00"},
        {"space_id": 1, "from": "2027-01-01T00:00:00+02:00", "to": "2028-01-03T00:00:00+02:00"},
        {"space_id": 1, "from": "2027-01-01T00:00:00", "to": "2027-01-02T00:00:00+02:00"},
        {"space_id": 1, "from": "9999-12-31T23:00:00-05:00", "to": "9999-12-31T23:30:00-05:00"},
        {"space_id": 1, "from": "0001-01-01T00:00:00+05:00", "to": "0001-01-02T00:00:00+05:00"},
        {"space_id": 0, "from": "2027-01-01T00:00:00+02:00", "to": "2027-01-02T00:00:00+02:00"},
    ],
)
def test_a_window_must_be_one_scope_and_at_most_a_year(client, query):
    response = call(client, "GET", "/api/v1/occurrences", query=query)
    assert response.status_code == 422 and error_code(response) == "invalid_input"


def test_a_window_of_a_hidden_building_is_a_404(client):
    from leasing.premises.vocabulary import BuildingStatus
    from tests.factories import make_building

    draft = make_building(status=BuildingStatus.DRAFT)
    response = call(client, "GET", "/api/v1/occurrences", query={"building_id": draft.id, **window()})
    assert response.status_code == 404


def test_the_window_pages_at_a_constant_cost(client, app_ctx, space, house, association, association_member):
    db.session.get(BookingRules, space.id).needs_approval = False
    first = TUESDAY
    for n in range(10):
        values = kit.weekly(association, times=2, first_date=first + timedelta(days=n % 5), title=f"Treeni {n}")
        values.update(starts_time=time(8 + n // 5 * 3), ends_time=time(10 + n // 5 * 3))
        services.request(association_member, space, values)
    base = {"building_id": house.building_id, **window(first, days=14)}
    runs, costs, token = {}, [], bearer(association_member)
    call(client, "GET", "/api/v1/me", headers=token)  # the token's first use is noted once (a write)
    for limit in (3, 8):
        cursor, ids = None, []
        while True:
            query = {**base, "limit": limit, **({"cursor": cursor} if cursor else {})}
            with count_queries() as q:
                body = call(client, "GET", "/api/v1/occurrences", headers=token, query=query).get_json()
            costs.append(q.count)
            ids += [i["id"] for i in body["items"]]
            assert all(i["booking"] is not None for i in body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
        runs[limit] = ids
    assert len(set(costs)) == 1, costs
    assert runs[3] == runs[8] and len(runs[3]) == 20
    rows = db.session.scalars(db.select(Occurrence).order_by(Occurrence.starts_at, Occurrence.id)).all()
    assert runs[3] == [o.id for o in rows]
    assert rules.local_date(rows[0].starts_at) == first


def test_a_window_in_the_wrong_order_names_its_end(client):
    query = {"space_id": 1, "from": "2027-01-02T00:00:00+02:00", "to": "2027-01-01T00:00:00+02:00"}
    response = call(client, "GET", "/api/v1/occurrences", query=query)
    assert response.get_json()["error"]["fields"] == {"to": ["Give a “to” time after the “from” time."]}


def test_ids_beyond_the_databases_range_are_404s(client, app_ctx, group_member):
    for path in ("/api/v1/bookings/2147483648", "/api/v1/bookings/4611686018427387904"):
        assert call(client, "GET", path, user=group_member).status_code == 404
    response = call(client, "POST", "/api/v1/occurrences/2147483648/cancel", user=group_member, json={})
    assert response.status_code == 404
