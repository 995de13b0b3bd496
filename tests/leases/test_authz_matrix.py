"""Who may open which lease route: anonymous, group member, tenant admin, tenant member, another association's
admin, facilities staff.

Expected: 200 (for a POST: got past authorization, 200/302/409/422), "login", 403 or 404.
"""

from datetime import date, timedelta

import pytest

from leasing.accounts.models import Role
from leasing.extensions import db
from leasing.leases import signing
from leasing.leases.models import LeaseSigner
from leasing.leases.vocabulary import LeaseStatus
from tests.conftest import login, post_form
from tests.factories import make_lease, make_org, make_user
from tests.leases.kit import accepted_application

WHO = ("anonymous", "group_member", "tenant_admin", "tenant_member", "other_admin", "staff")
STAFF_ONLY = {
    "anonymous": "login",
    "group_member": 403,
    "tenant_admin": 403,
    "tenant_member": 403,
    "other_admin": 403,
    "staff": 200,
}
PARTIES = {
    "anonymous": "login",
    "group_member": 404,
    "tenant_admin": 200,
    "tenant_member": 200,
    "other_admin": 404,
    "staff": 200,
}
PARTY_STAFF = {**PARTIES, "tenant_admin": 403, "tenant_member": 403}
NOTICE = {**PARTIES, "tenant_member": 403}
SIGNERS = {**PARTIES, "tenant_member": 403, "staff": 200}
ASSOCIATIONS = {
    "anonymous": "login",
    "group_member": 403,
    "tenant_admin": 200,
    "tenant_member": 200,
    "other_admin": 200,
    "staff": 403,
}

#: (method, url template, lease status, expected per user)
ROUTES = [
    ("GET", "/applications/{a}/lease/new", "draft", STAFF_ONLY),
    ("POST", "/applications/{a}/lease/new", "draft", STAFF_ONLY),
    ("GET", "/leases/{l}", "draft", PARTIES),
    ("GET", "/leases/{l}/edit", "draft", PARTY_STAFF),
    ("POST", "/leases/{l}/edit", "draft", PARTY_STAFF),
    ("POST", "/leases/{l}/offer", "draft", PARTY_STAFF),
    ("GET", "/leases/{l}/contract.pdf", "offered", PARTIES),
    ("POST", "/leases/{l}/sign", "offered", SIGNERS),
    ("POST", "/leases/{l}/notice", "active", NOTICE),
    ("POST", "/leases/{l}/terminate", "active", PARTY_STAFF),
    ("POST", "/leases/{l}/amend", "active", PARTY_STAFF),
    ("GET", "/leases/{l}/contract.pdf?version=1", "offered", PARTIES),
    ("GET", "/staff/leases", "draft", STAFF_ONLY),
    ("GET", "/leases", "draft", ASSOCIATIONS),
    ("GET", "/staff/index-values", "draft", STAFF_ONLY),
    ("POST", "/staff/index-values", "draft", STAFF_ONLY),
    ("POST", "/staff/index-values/import", "draft", STAFF_ONLY),
    ("GET", "/leases/999999", "draft", {**dict.fromkeys(WHO, 404), "anonymous": 404}),
]


@pytest.fixture
def people(association, staff, group_member):
    """Everyone in the matrix, by name."""
    other = make_org()
    return {
        "group_member": group_member,
        "tenant_admin": make_user(association, Role.ADMIN),
        "tenant_member": make_user(association, Role.MEMBER),
        "other_admin": make_user(other, Role.ADMIN),
        "staff": staff,
    }


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method,template,status,expected", ROUTES, ids=lambda v: v if isinstance(v, str) else "")
def test_route_access(app, client, people, association, outbox, who, method, template, status, expected):
    application = accepted_application(association)
    lease = make_lease(
        application.building,
        tenant=association,
        status=LeaseStatus.DRAFT,
        start_date=date.today() + timedelta(days=30),
    )
    for name in ("tenant_admin", "staff"):
        org_id = association.id if name == "tenant_admin" else lease.landlord_id
        lease.signers.append(LeaseSigner(user_id=people[name].id, organization_id=org_id))
    if status == "offered":
        lease.status = LeaseStatus.OFFERED
        signing.issue_contract(lease)
    elif status == "active":
        lease.status = LeaseStatus.ACTIVE
        lease.start_date = date.today() - timedelta(days=30)
    db.session.flush()
    if who != "anonymous":
        login(client, people[who])
    url = template.format(a=application.id, l=lease.id)
    response = client.get(url) if method == "GET" else post_form(client, url, {}, form_url="/")
    want = expected[who]
    if want == "login":
        assert response.status_code == 302 and "/login" in response.headers["Location"], response.status_code
    elif want == 200 and method == "POST":
        assert response.status_code in (200, 302, 409, 422), response.status_code
    else:
        assert response.status_code == want, (response.status_code, response.headers.get("Location"))
