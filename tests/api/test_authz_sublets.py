"""Who may call which sublet operation: anonymous, an admin of another association, the owner (an admin of
the tenant association, the sublessor), the group (an admin of the subtenant group) and facilities staff.

An object the caller may not see is 404 (anonymous included); a list without a token is 401; one the
caller sees but may not act on is 403. Where acting would render a contract PDF, the call that got past
authorization is made to fail a rule instead (422): the status proves the gate.
"""

from datetime import date, timedelta

import pytest

from leasing.accounts.models import Role
from leasing.sublets.vocabulary import SubletStatus
from tests.api.kit import call
from tests.factories import make_house, make_org, make_user
from tests.sublets.kit import END, START, make_sublet

WHO = ("anonymous", "other", "owner", "group", "staff")

COVERED = [
    ("GET", "/api/v1/sublets"),
    ("POST", "/api/v1/sublets"),
    ("GET", "/api/v1/sublets/{sublet_id}"),
    ("GET", "/api/v1/sublets/{sublet_id}/contract.pdf"),
    ("PATCH", "/api/v1/sublets/{sublet_id}"),
    ("POST", "/api/v1/sublets/{sublet_id}/offer"),
    ("POST", "/api/v1/sublets/{sublet_id}/sign"),
    ("POST", "/api/v1/sublets/{sublet_id}/approve"),
    ("POST", "/api/v1/sublets/{sublet_id}/refuse"),
    ("POST", "/api/v1/sublets/{sublet_id}/cancel"),
    ("POST", "/api/v1/sublets/{sublet_id}/terminate"),
]


def _sublet(status, *, lease=None, **overrides):
    def make(people):
        house = make_house(tenant=people["association"], **(lease or {}))
        sublet = make_sublet(house, people["group_org"], status=status, **overrides)
        return {"sublet_id": sublet.id, "lease_id": house.id, "space_id": sublet.space_id}

    return make


def _offered(people):
    """A draft offered through the service: its contract PDF is stored."""
    from leasing.extensions import db
    from leasing.sublets import signing
    from leasing.sublets.models import Sublet

    ids = _sublet(SubletStatus.DRAFT)(people)
    signing.offer(people["owner"], db.session.get(Sublet, ids["sublet_id"]))
    return ids


def _house(people):
    house = make_house(tenant=people["association"])
    return {"lease_id": house.id, "space_id": house.building.spaces[0].id}


def _new(ids, people):
    return {
        "lease_id": ids["lease_id"],
        "space_id": ids["space_id"],
        "group_id": people["group_org"].id,
        "kind": "exclusive",
        "starts_on": START.isoformat(),
        "ends_on": END.isoformat(),
        "monthly_rent": "150.00",
    }


LIST = {"anonymous": 401, "other": 200, "owner": 200, "group": 200, "staff": 200}
PARTIES = {"anonymous": 404, "other": 404, "owner": 200, "group": 200, "staff": 200}
ASSOCIATION = {"anonymous": 404, "other": 404, "owner": 200, "group": 403, "staff": 403}
STAFF = {"anonymous": 404, "other": 404, "owner": 403, "group": 403, "staff": 200}
#: The lease no longer allows subletting: the offer's rule says no once past the gate (nothing rendered).
NO_SUBLETTING = {"subletting_allowed": False}

#: (method, path, what to make, body, expected per caller)
CASES = [
    ("GET", "/api/v1/sublets", _sublet(SubletStatus.SIGNED), None, LIST),
    (
        "POST",
        "/api/v1/sublets",
        _house,
        _new,
        {"anonymous": 404, "other": 404, "owner": 201, "group": 404, "staff": 403},
    ),
    ("GET", "/api/v1/sublets/{sublet_id}", _sublet(SubletStatus.DRAFT), None, PARTIES),
    ("GET", "/api/v1/sublets/{sublet_id}/contract.pdf", _offered, None, PARTIES),
    (
        "PATCH",
        "/api/v1/sublets/{sublet_id}",
        _sublet(SubletStatus.DRAFT),
        lambda ids, people: {"monthly_rent": "120.00"},
        ASSOCIATION,
    ),
    (
        "POST",
        "/api/v1/sublets/{sublet_id}/offer",
        _sublet(SubletStatus.DRAFT, lease=NO_SUBLETTING),
        None,
        {**ASSOCIATION, "owner": 422},
    ),
    # A wrong password shows the signers of both sides got past the gate.
    (
        "POST",
        "/api/v1/sublets/{sublet_id}/sign",
        _sublet(SubletStatus.OFFERED),
        lambda ids, people: {"password": "väärä-salasana"},
        {**PARTIES, "owner": 422, "group": 422, "staff": 403},
    ),
    (
        "POST",
        "/api/v1/sublets/{sublet_id}/approve",
        _sublet(SubletStatus.AWAITING_APPROVAL, lease={"sublet_needs_approval": True}),
        lambda ids, people: {},
        STAFF,
    ),
    (
        "POST",
        "/api/v1/sublets/{sublet_id}/refuse",
        _sublet(SubletStatus.AWAITING_APPROVAL, lease={"sublet_needs_approval": True}),
        lambda ids, people: {"reason": "Tila tarvitaan muuhun."},
        STAFF,
    ),
    (
        "POST",
        "/api/v1/sublets/{sublet_id}/cancel",
        _sublet(SubletStatus.OFFERED),
        lambda ids, people: {"reason": "Ryhmä ei tarvitse tilaa."},
        ASSOCIATION,
    ),
    (
        "POST",
        "/api/v1/sublets/{sublet_id}/terminate",
        _sublet(SubletStatus.SIGNED, starts_on=date.today()),
        lambda ids, people: {"ends_on": (date.today() + timedelta(days=20)).isoformat(), "reason": "Loppuu."},
        {**ASSOCIATION, "staff": 200},
    ),
]


@pytest.fixture
def people(association, group, staff):
    return {
        "association": association,
        "group_org": group,
        "anonymous": None,
        "other": make_user(make_org(), Role.ADMIN),
        "owner": make_user(association, Role.ADMIN),
        "group": make_user(group, Role.ADMIN),
        "staff": staff,
    }


def test_every_operation_is_in_the_matrix():
    assert sorted({(m, p) for m, p, *_ in CASES}) == sorted(COVERED)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method,path,make,body,expected", CASES, ids=[f"{m} {p}" for m, p, *_ in CASES])
def test_who_may_call_what(client, app_ctx, outbox, people, who, method, path, make, body, expected):
    ids = make(people)
    url = path.format(**ids)
    response = call(client, method, url, user=people[who], json=body(ids, people) if body else None)
    assert response.status_code == expected[who], response.get_json()
    if method == "GET" and path.endswith("s") and who == "other":
        assert response.get_json()["items"] == []  # another association's sublets never show in its lists
