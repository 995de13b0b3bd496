"""Who may open which booking settings route: anonymous, a group's member, the tenant association's admin and
member, another association's admin, facilities staff.

Expected: 200 (for a POST: got past authorization, 200/302/422), "login", 403 or 404.
"""

from datetime import date, timedelta

import pytest

from leasing.accounts.models import Role
from leasing.bookings.models import ClosedDate
from leasing.extensions import db
from leasing.leases.vocabulary import LeaseStatus
from tests.conftest import login, post_form
from tests.factories import make_building, make_house, make_lease, make_org, make_space, make_user

WHO = ("anonymous", "group_member", "tenant_admin", "tenant_member", "other_admin", "staff")
VIEW = {
    "anonymous": "login",
    "group_member": 404,
    "tenant_admin": 200,
    "tenant_member": 200,
    "other_admin": 404,
    "staff": 200,
}
EDIT = {**VIEW, "tenant_member": 403}
#: A lease that is not in force (a draft): its house page does not exist for anyone.
GONE = {**dict.fromkeys(WHO, 404), "anonymous": 404}
#: A space under no binding lease: only the facilities centre has a say.
CITY_ONLY_VIEW = {**VIEW, "tenant_admin": 404, "tenant_member": 404}

#: (method, url template, which house, expected per user)
ROUTES = [
    ("GET", "/leases/{l}/spaces", "active", VIEW),
    ("POST", "/leases/{l}/closed-dates", "active", EDIT),
    ("GET", "/spaces/{s}/booking-settings", "active", VIEW),
    ("POST", "/spaces/{s}/booking-settings", "active", EDIT),
    ("POST", "/closed-dates/{c}/remove", "active", EDIT),
    ("GET", "/leases/{l}/spaces", "draft", GONE),
    ("POST", "/leases/{l}/closed-dates", "draft", GONE),
    ("GET", "/spaces/{s}/booking-settings", "draft", CITY_ONLY_VIEW),
    ("POST", "/spaces/{s}/booking-settings", "draft", CITY_ONLY_VIEW),
    ("POST", "/closed-dates/{c}/remove", "draft", CITY_ONLY_VIEW),
    ("GET", "/spaces/999999/booking-settings", "active", {**dict.fromkeys(WHO, 404)}),
    ("GET", "/leases/999999/spaces", "active", {**dict.fromkeys(WHO, 404)}),
    ("POST", "/closed-dates/999999/remove", "active", {**dict.fromkeys(WHO, 404)}),
]


@pytest.fixture
def people(association, staff, group_member):
    """Everyone in the matrix, by name."""
    return {
        "group_member": group_member,
        "tenant_admin": make_user(association, Role.ADMIN),
        "tenant_member": make_user(association, Role.MEMBER),
        "other_admin": make_user(make_org(), Role.ADMIN),
        "staff": staff,
    }


def the_house(kind, association):
    """An active lease of a building with two spaces, or a draft lease of one (not in force)."""
    if kind == "active":
        return make_house(tenant=association, spaces=2)
    building = make_building()
    make_space(building)
    return make_lease(building, tenant=association, status=LeaseStatus.DRAFT, start_date=date.today())


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method,template,kind,expected", ROUTES, ids=lambda v: v if isinstance(v, str) else "")
def test_route_access(client, people, association, who, method, template, kind, expected):
    lease = the_house(kind, association)
    space = lease.building.spaces[0]
    closed = ClosedDate(
        space_id=space.id, starts_on=date.today() + timedelta(days=9), ends_on=date.today() + timedelta(days=9)
    )
    closed.reason = "Joulu"
    db.session.add(closed)
    db.session.flush()
    if who != "anonymous":
        login(client, people[who])
    url = template.format(l=lease.id, s=space.id, c=closed.id)
    response = client.get(url) if method == "GET" else post_form(client, url, {}, form_url="/")
    want = expected[who]
    if want == "login":
        assert response.status_code == 302 and "/login" in response.headers["Location"], response.status_code
    elif want == 200 and method == "POST":
        assert response.status_code in (200, 302, 422), response.status_code
    else:
        assert response.status_code == want, (response.status_code, response.headers.get("Location"))
