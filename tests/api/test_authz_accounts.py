"""Who may read the caller's account and an organization: anonymous, someone of another organization, a
member (the owner) and facilities staff."""

import pytest

from tests.api.kit import call
from tests.factories import make_org, make_user

COVERED = [
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/organizations/{organization_id}"),
]

ROLES = ("anonymous", "stranger", "owner", "staff")
CASES = [
    ("GET", "/api/v1/me", (401, 200, 200, 200)),
    ("GET", "/api/v1/organizations/{organization}", (401, 404, 200, 200)),
]


@pytest.fixture
def world(app_ctx, group, group_member, staff):
    return {
        "organization": group.id,
        "users": {"anonymous": None, "stranger": make_user(make_org()), "owner": group_member, "staff": staff},
    }


def test_every_operation_is_covered():
    assert {(m, p.replace("{organization}", "{organization_id}")) for m, p, _ in CASES} == set(COVERED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[f"{m} {p}" for m, p, _ in CASES])
def test_who_may_call(client, world, role, case):
    method, path, statuses = case
    expected = dict(zip(ROLES, statuses, strict=True))[role]
    response = call(client, method, path.format(organization=world["organization"]), user=world["users"][role])
    assert response.status_code == expected, response.get_json()
