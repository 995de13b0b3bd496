"""API: the caller (``/me``) and their organizations, as the accounts pages show them."""

from leasing.accounts.models import Membership, OrgKind, Role
from leasing.extensions import db
from tests.api.kit import bearer, call, error_code
from tests.conftest import count_queries
from tests.factories import make_org, make_user


def test_me_tells_who_the_token_belongs_to(client, app_ctx, group, group_admin, association):
    make_user(association, Role.ADMIN)
    db.session.add(Membership(user=group_admin, organization=association, role=Role.MEMBER, can_sign=False))
    db.session.flush()
    body = call(client, "GET", "/api/v1/me", user=group_admin).get_json()
    assert body == {
        "id": group_admin.id,
        "name": "Gia Ryhmä",
        "email": group_admin.email,
        "locale": "en",
        "is_staff": False,
        "memberships": [
            {
                "organization": {"id": group.id, "name": group.name, "kind": "cultural_group"},
                "role": "admin",
                "can_sign": True,
            },
            {
                "organization": {"id": association.id, "name": association.name, "kind": "association"},
                "role": "member",
                "can_sign": False,
            },
        ],
    }


def test_staff_are_staff(client, app_ctx, staff):
    assert call(client, "GET", "/api/v1/me", user=staff).get_json()["is_staff"] is True


def test_me_needs_a_token(client, app_ctx):
    response = call(client, "GET", "/api/v1/me")
    assert response.status_code == 401 and error_code(response) == "unauthenticated"


def test_an_organization_and_its_members_as_the_members_page_shows_them(client, app_ctx, association, staff):
    member = make_user(association, Role.MEMBER, name="Aapo Jäsen")
    admin = make_user(association, Role.ADMIN, name="Önni Hallitus")
    expected = {
        "id": association.id,
        "name": "Nuorten Kulttuuritalo ry",
        "kind": "association",
        "business_id": association.business_id,
        "members": [  # admins first, then by name
            {"user_id": admin.id, "name": "Önni Hallitus", "email": admin.email, "role": "admin", "can_sign": True},
            {"user_id": member.id, "name": "Aapo Jäsen", "email": member.email, "role": "member", "can_sign": False},
        ],
    }
    for user in (member, staff):
        response = call(client, "GET", f"/api/v1/organizations/{association.id}", user=user)
        assert response.status_code == 200 and response.get_json() == expected


def test_others_cannot_see_an_organization(client, app_ctx, association, group_member):
    make_user(association, Role.ADMIN)
    response = call(client, "GET", f"/api/v1/organizations/{association.id}", user=group_member)
    assert response.status_code == 404 and error_code(response) == "not_found"


def test_an_id_beyond_the_databases_range_is_a_404(client, app_ctx, group_member):
    for organization_id in (2**31, 2**62, 2**70):
        response = call(client, "GET", f"/api/v1/organizations/{organization_id}", user=group_member)
        assert response.status_code == 404 and error_code(response) == "not_found"


def test_the_members_cost_the_same_whatever_their_number(client, app_ctx):
    small, big = make_org(OrgKind.CULTURAL_GROUP), make_org(OrgKind.CULTURAL_GROUP)
    viewer = make_user(small, Role.ADMIN)
    make_user(big, Role.ADMIN)
    db.session.add(Membership(user=viewer, organization=big, role=Role.MEMBER))
    for _ in range(20):
        make_user(big)
    token = bearer(viewer)
    call(client, "GET", "/api/v1/me", headers=token)  # the token's first use is noted once (a write)
    costs = []
    for organization in (small, big):
        with count_queries() as q:
            body = call(client, "GET", f"/api/v1/organizations/{organization.id}", headers=token).get_json()
        costs.append(q.count)
        assert len(body["members"]) in (1, 22)
    assert costs[0] == costs[1], costs
