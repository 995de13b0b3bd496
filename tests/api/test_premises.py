"""API: buildings and spaces — public reads, staff writes, the list's filters and cursor pages."""

import pytest

from leasing.premises.vocabulary import BuildingStatus
from tests.api.kit import call, error_code
from tests.conftest import count_queries
from tests.factories import make_building, make_space

NEW = {
    "name": "Vanha paloasema",
    "street_address": "Kirkkokatu 1",
    "postal_code": "90100",
    "district": "Tuira",
    "building_type": "fire_station",
    "area_m2": "420.5",
    "asking_rent": "1200.00",
}


def test_anyone_reads_a_published_building_but_not_a_draft(client, app_ctx):
    public = make_building()
    draft = make_building(status=BuildingStatus.DRAFT)
    body = call(client, "GET", f"/api/v1/buildings/{public.id}").get_json()
    assert body["id"] == public.id and body["status"] == "vacant"
    assert call(client, "GET", f"/api/v1/buildings/{draft.id}").status_code == 404


def test_staff_read_a_draft(client, app_ctx, staff):
    draft = make_building(status=BuildingStatus.DRAFT)
    assert call(client, "GET", f"/api/v1/buildings/{draft.id}", user=staff).status_code == 200


def test_staff_add_a_building_as_a_draft_and_publish_it(client, app_ctx, staff):
    response = call(client, "POST", "/api/v1/buildings", user=staff, json=NEW)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft" and body["area_m2"] == "420.5" and body["asking_rent"] == "1200.00"
    published = call(client, "POST", f"/api/v1/buildings/{body['id']}/actions", user=staff, json={"action": "publish"})
    assert published.get_json()["status"] == "vacant"
    assert published.get_json()["published_at"].endswith(("+02:00", "+03:00"))


def test_a_caller_cannot_set_the_status(client, app_ctx, staff):
    response = call(client, "POST", "/api/v1/buildings", user=staff, json={**NEW, "status": "leased"})
    assert response.status_code == 422
    assert error_code(response) == "invalid_input"
    assert "status" in response.get_json()["error"]["fields"]


def test_others_cannot_write(client, app_ctx, association_admin):
    assert call(client, "POST", "/api/v1/buildings", json=NEW).status_code == 401
    response = call(client, "POST", "/api/v1/buildings", user=association_admin, json=NEW)
    assert response.status_code == 403 and error_code(response) == "forbidden"


@pytest.mark.parametrize(
    "change",
    [{"area_m2": 420.5}, {"area_m2": "0"}, {"year_built": "1950"}, {"postal_code": "9010"}, {"name": "   "}],
)
def test_bad_input_is_a_422_naming_the_field(client, app_ctx, staff, change):
    response = call(client, "POST", "/api/v1/buildings", user=staff, json={**NEW, **change})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == set(change)


def test_a_session_cookie_does_not_reach_the_api(client, app_ctx, staff):
    from tests.conftest import login

    login(client, staff)
    assert client.post("/api/v1/buildings", json=NEW).status_code == 401


def test_a_read_only_token_only_reads(client, app_ctx, staff):
    response = call(client, "POST", "/api/v1/buildings", user=staff, access="read", json=NEW)
    assert response.status_code == 403 and error_code(response) == "read_only_token"


def test_a_bad_token_is_401_with_the_scheme(client, app_ctx):
    response = call(client, "GET", "/api/v1/buildings", headers={"Authorization": "Bearer tls_nope"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_spaces_with_features_and_hours(client, app_ctx, staff):
    building = make_building()
    body = {
        "name": "Treenikämppä",
        "kind": "rehearsal_room",
        "area_m2": "30",
        "bookable": True,
        "hourly_rate": "12.50",
        "features": ["sound_insulated"],
        "opening_hours": [{"weekday": 1, "opens": "16:00", "closes": "22:00"}],
    }
    created = call(client, "POST", f"/api/v1/buildings/{building.id}/spaces", user=staff, json=body)
    assert created.status_code == 201, created.get_json()
    space = created.get_json()
    assert space["features"] == ["sound_insulated"]
    assert space["opening_hours"] == [{"weekday": 1, "opens": "16:00", "closes": "22:00"}]
    wrong = {**body, "opening_hours": [{"weekday": 1, "opens": "22:00", "closes": "16:00"}]}
    response = call(client, "PUT", f"/api/v1/spaces/{space['id']}", user=staff, json=wrong)
    assert response.status_code == 422 and "opening_hours.1" in response.get_json()["error"]["fields"]
    listed = call(client, "GET", f"/api/v1/buildings/{building.id}/spaces").get_json()
    assert [s["id"] for s in listed] == [space["id"]]


def test_the_list_pages_with_a_cursor_at_a_constant_cost(client, app_ctx):
    made = [make_building(name=f"Talo {n:04d}") for n in range(1000)]
    seen, cursor, costs = [], None, []
    while True:
        query = {"limit": 100, "sort": "name", **({"cursor": cursor} if cursor else {})}
        with count_queries() as q:
            body = call(client, "GET", "/api/v1/buildings", query=query).get_json()
        costs.append(q.count)
        seen += [b["id"] for b in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [b.id for b in sorted(made, key=lambda b: b.name)]
    assert len(costs) == 10 and len(set(costs)) == 1, costs


def test_filters_as_on_the_html_list(client, app_ctx):
    big = make_building(area_m2=900, district="Tuira")
    make_building(area_m2=100, district="Tuira")
    make_building(area_m2=900, district="Toppila")
    body = call(client, "GET", "/api/v1/buildings", query={"min_area": "500", "district": "Tuira"}).get_json()
    assert [b["id"] for b in body["items"]] == [big.id]


def test_a_tampered_cursor_is_a_400(client, app_ctx):
    response = call(client, "GET", "/api/v1/buildings", query={"cursor": "bm9wZQ"})
    assert response.status_code == 400 and error_code(response) == "invalid_cursor"


def test_spaces_of_a_draft_are_hidden(client, app_ctx):
    draft = make_building(status=BuildingStatus.DRAFT)
    space = make_space(draft)
    assert call(client, "GET", f"/api/v1/spaces/{space.id}").status_code == 404


def test_requests_are_rate_limited_per_token(client, app, app_ctx, staff, monkeypatch):
    from tests.api.kit import bearer

    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    first, second = bearer(staff), bearer(staff)
    statuses = [client.get("/api/v1/buildings", headers=first).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/buildings", headers=first)
    assert limited.status_code == 429 and error_code(limited) == "too_many_requests"
    assert "Retry-After" in limited.headers
    assert client.get("/api/v1/buildings", headers=second).status_code == 200  # another token, its own count


def test_a_token_post_needs_no_csrf_token_and_sets_no_cookie(client, app_ctx, staff):
    response = call(client, "POST", "/api/v1/buildings", user=staff, json=NEW)
    assert response.status_code == 201 and "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "method,path,kwargs",
    [
        ("GET", "/api/v1/buildings", {"query": {"q": "a\x00b"}}),
        ("POST", "/api/v1/buildings", {"json": {**NEW, "name": "Talo\x00"}}),
    ],
)
def test_a_nul_character_is_a_400_not_a_database_error(client, app_ctx, staff, method, path, kwargs):
    response = call(client, method, path, user=staff, **kwargs)
    assert response.status_code == 400 and error_code(response) == "bad_request"


def test_a_nul_character_in_a_form_is_a_400(client, app_ctx):
    assert client.get("/premises?q=a%00b").status_code == 400


def test_a_forged_cursor_is_a_400(client, app_ctx):
    import base64

    forged = base64.urlsafe_b64encode(b'["buildings:newest",[0,"x",1]]').decode().rstrip("=")
    response = call(client, "GET", "/api/v1/buildings", query={"cursor": forged})
    assert response.status_code == 400 and error_code(response) == "invalid_cursor"


def test_made_up_tokens_are_limited_per_address(client, app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_PER_ADDRESS", "3 per minute")
    statuses = [
        client.get("/api/v1/buildings", headers={"Authorization": f"Bearer tls_made-up-{n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
