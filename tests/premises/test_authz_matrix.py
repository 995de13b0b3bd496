"""Who may open which premises route: anonymous, group member, association admin, facilities staff.

Expected: 200 (or 302 back to a staff page after a POST), "login" (302 to the log-in page),
403, or 404 (drafts are secret to everyone but staff).
"""

import pytest

from leasing.premises.vocabulary import BuildingStatus
from tests.conftest import login, post_form
from tests.factories import make_building, make_space

WHO = ("anonymous", "group_member", "association_admin", "staff")
STAFF_ONLY = {"anonymous": "login", "group_member": 403, "association_admin": 403, "staff": 200}
EVERYONE = dict.fromkeys(WHO, 200)
DRAFT_SECRET = {"anonymous": 404, "group_member": 404, "association_admin": 404, "staff": 200}

#: (method, url template, building status, expected per user)
ROUTES = [
    ("GET", "/premises", "vacant", EVERYONE),
    ("GET", "/premises/{b}", "vacant", EVERYONE),
    ("GET", "/premises/{b}", "withdrawn", EVERYONE),
    ("GET", "/premises/{b}", "draft", DRAFT_SECRET),
    ("GET", "/staff/buildings", "vacant", STAFF_ONLY),
    ("GET", "/staff/buildings/new", "vacant", STAFF_ONLY),
    ("POST", "/staff/buildings/new", "vacant", STAFF_ONLY),
    ("GET", "/staff/buildings/{b}", "vacant", STAFF_ONLY),
    ("GET", "/staff/buildings/{b}", "draft", DRAFT_SECRET),
    ("GET", "/staff/buildings/{b}/edit", "vacant", STAFF_ONLY),
    ("POST", "/staff/buildings/{b}/edit", "vacant", STAFF_ONLY),
    ("GET", "/staff/buildings/{b}/edit", "draft", DRAFT_SECRET),
    ("POST", "/staff/buildings/{b}/publish", "draft", DRAFT_SECRET),
    ("POST", "/staff/buildings/{b}/withdraw", "vacant", STAFF_ONLY),
    ("GET", "/staff/buildings/{b}/spaces/new", "vacant", STAFF_ONLY),
    ("POST", "/staff/buildings/{b}/spaces/new", "vacant", STAFF_ONLY),
    ("GET", "/staff/spaces/{s}/edit", "vacant", STAFF_ONLY),
    ("GET", "/staff/spaces/{s}/edit", "draft", DRAFT_SECRET),
    ("POST", "/staff/spaces/{s}/delete", "vacant", STAFF_ONLY),
    ("GET", "/staff/buildings/{b}/photos/new", "vacant", STAFF_ONLY),
    ("POST", "/staff/buildings/{b}/photos/new", "vacant", STAFF_ONLY),
    ("GET", "/staff/buildings/{b}/documents/new", "vacant", STAFF_ONLY),
    ("POST", "/staff/buildings/{b}/documents/new", "vacant", STAFF_ONLY),
    ("GET", "/premises/999999", "vacant", dict.fromkeys(WHO, 404)),
    ("GET", "/staff/buildings/999999/edit", "vacant", {**dict.fromkeys(WHO, 404)}),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method,template,status,expected", ROUTES, ids=lambda v: v if isinstance(v, str) else "")
def test_route_access(request, app, client, who, method, template, status, expected):
    building = make_building(status=BuildingStatus(status))
    space = make_space(building)
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    url = template.format(b=building.id, s=space.id)
    if method == "GET":
        response = client.get(url)
    else:
        response = post_form(client, url, {}, form_url="/premises")
    want = expected[who]
    if want == "login":
        assert response.status_code == 302 and "/login" in response.headers["Location"], response.status_code
    elif want == 200 and method == "POST":
        assert response.status_code in (200, 302, 422), response.status_code  # staff got past authorization
    else:
        assert response.status_code == want, (response.status_code, response.headers.get("Location"))


@pytest.mark.parametrize("who", ["group_member", "association_admin"])
def test_nobody_but_staff_changes_a_building(request, client, who):
    building = make_building(name="Koskematon")
    login(client, request.getfixturevalue(who))
    url = f"/staff/buildings/{building.id}/edit"
    response = post_form(client, url, {"name": "Muutettu"}, form_url="/premises")
    assert response.status_code == 403
    assert client.get(f"/premises/{building.id}").get_data(as_text=True).count("Koskematon") >= 1
