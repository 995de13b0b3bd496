"""Authorization matrix of the buildings and spaces operations: anonymous, a user of another
organization (an association's admin), the owner (staff own the register) and staff."""

import pytest

from leasing.premises.vocabulary import BuildingStatus
from tests.api.kit import call
from tests.factories import make_building, make_space

COVERED = [
    ("GET", "/api/v1/buildings"),
    ("POST", "/api/v1/buildings"),
    ("GET", "/api/v1/buildings/{building_id}"),
    ("PATCH", "/api/v1/buildings/{building_id}"),
    ("POST", "/api/v1/buildings/{building_id}/actions"),
    ("GET", "/api/v1/buildings/{building_id}/spaces"),
    ("POST", "/api/v1/buildings/{building_id}/spaces"),
    ("GET", "/api/v1/spaces/{space_id}"),
    ("PUT", "/api/v1/spaces/{space_id}"),
]

BUILDING = {
    "name": "Talo",
    "street_address": "Katu 1",
    "postal_code": "90100",
    "district": "Tuira",
    "building_type": "depot",
    "area_m2": "100",
}
SPACE = {"name": "Sali", "kind": "hall", "area_m2": "20"}

#: (method, path template, body, {caller: status}) — ``{b}`` a published building, ``{d}`` a draft,
#: ``{s}`` a space of the published one, ``{ds}`` a space of the draft.
CASES = [
    ("GET", "/api/v1/buildings", None, dict(anonymous=200, other=200, staff=200)),
    ("POST", "/api/v1/buildings", BUILDING, dict(anonymous=401, other=403, staff=201)),
    ("GET", "/api/v1/buildings/{b}", None, dict(anonymous=200, other=200, staff=200)),
    ("GET", "/api/v1/buildings/{d}", None, dict(anonymous=404, other=404, staff=200)),
    ("PATCH", "/api/v1/buildings/{b}", {"name": "Uusi"}, dict(anonymous=401, other=403, staff=200)),
    ("PATCH", "/api/v1/buildings/{d}", {"name": "Uusi"}, dict(anonymous=404, other=404, staff=200)),
    ("POST", "/api/v1/buildings/{d}/actions", {"action": "publish"}, dict(anonymous=404, other=404, staff=200)),
    ("POST", "/api/v1/buildings/{b}/actions", {"action": "withdraw"}, dict(anonymous=401, other=403, staff=200)),
    ("GET", "/api/v1/buildings/{d}/spaces", None, dict(anonymous=404, other=404, staff=200)),
    ("POST", "/api/v1/buildings/{b}/spaces", SPACE, dict(anonymous=401, other=403, staff=201)),
    ("POST", "/api/v1/buildings/{d}/spaces", SPACE, dict(anonymous=404, other=404, staff=201)),
    ("GET", "/api/v1/spaces/{ds}", None, dict(anonymous=404, other=404, staff=200)),
    ("PUT", "/api/v1/spaces/{s}", SPACE, dict(anonymous=401, other=403, staff=200)),
    ("PUT", "/api/v1/spaces/{ds}", SPACE, dict(anonymous=404, other=404, staff=200)),
]


@pytest.mark.parametrize("caller", ["anonymous", "other", "staff"])
@pytest.mark.parametrize("method,template,body,expected", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_access(client, app_ctx, staff, association_admin, caller, method, template, body, expected):
    building = make_building()
    draft = make_building(status=BuildingStatus.DRAFT)
    ids = dict(b=building.id, d=draft.id, s=make_space(building).id, ds=make_space(draft).id)
    user = {"anonymous": None, "other": association_admin, "staff": staff}[caller]
    response = call(client, method, template.format(**ids), user=user, json=body)
    assert response.status_code == expected[caller], response.get_json()
