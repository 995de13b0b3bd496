"""Who may reach which accounts route: (anonymous, group member, association admin, staff) × every route."""

import pytest

from leasing.accounts import members
from leasing.accounts.models import Role
from tests.conftest import login, post_form

WHO = ("anonymous", "group_member", "association_admin", "staff")
LOGIN = "login"  # 302 to the log-in page

# name, method, url template, form data, expected for each of WHO.
ROUTES = [
    ("login", "GET", "/login", None, (200, 302, 302, 302)),
    ("register", "GET", "/register", None, (200, 302, 302, 302)),
    ("forgot_password", "GET", "/forgot-password", None, (200, 200, 200, 200)),
    ("reset_password", "GET", "/reset-password/ei-ole", None, (404, 404, 404, 404)),
    ("account", "GET", "/account", None, (LOGIN, 200, 200, 200)),
    ("update_profile", "POST", "/account", {"name": "Uusi Nimi", "locale": "fi"}, (LOGIN, 302, 302, 302)),
    ("change_password", "POST", "/account/password", {}, (LOGIN, 422, 422, 422)),
    ("members", "GET", "/organizations/{org}/members", None, (LOGIN, 403, 200, 200)),
    ("members_missing", "GET", "/organizations/999999/members", None, (404, 404, 404, 404)),
    ("invite", "POST", "/organizations/{org}/invitations", {}, (LOGIN, 403, 422, 403)),
    (
        "update_member",
        "POST",
        "/organizations/{org}/members/{membership}",
        {"m{membership}-role": "member"},
        (LOGIN, 403, 302, 403),
    ),
    ("remove_member", "POST", "/organizations/{org}/members/{membership}/remove", {}, (LOGIN, 403, 302, 403)),
    ("revoke_invitation", "POST", "/organizations/{org}/invitations/{invitation}/revoke", {}, (LOGIN, 403, 302, 403)),
    ("invitation", "GET", "/invitations/{token}", None, (200, 403, 403, 403)),
    ("invitation_missing", "GET", "/invitations/ei-ole", None, (404, 404, 404, 404)),
    ("logout", "POST", "/logout", {}, (302, 302, 302, 302)),
]


@pytest.fixture
def objects(association, association_admin, association_member):
    """The association, a member's membership and a pending invitation, as URL parts."""
    invitation, token = members.invite(association_admin, association, "kutsuttu@example.fi", Role.MEMBER)
    membership = association_member.membership_in(association)
    return {"org": association.id, "membership": membership.id, "invitation": invitation.id, "token": token}


CASES = [
    pytest.param(who, method, url, data, status, id=f"{name}-{who}")
    for name, method, url, data, expected in ROUTES
    for who, status in zip(WHO, expected, strict=True)
]


@pytest.mark.parametrize(("who", "method", "url", "data", "expected"), CASES)
def test_access(request, client, objects, who, method, url, data, expected):
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    url = url.format(**objects)
    if method == "GET":
        response = client.get(url)
    else:
        response = post_form(client, url, {k.format(**objects): v for k, v in data.items()})
    if expected == LOGIN:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), response.status
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response.headers["Location"].startswith("/login")


def test_every_accounts_route_is_in_the_matrix(app):
    covered = {name.removesuffix("_missing") for name, *_ in ROUTES}
    accounts = {
        r.endpoint.removeprefix("accounts.") for r in app.url_map.iter_rules() if r.endpoint.startswith("accounts.")
    }
    assert accounts == covered, accounts ^ covered
