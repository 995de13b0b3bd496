"""Who may open which application route: anonymous, a group member, the applicant's member and admin,
another association's admin, facilities staff.

Expected: 200 (for a POST: got past authorization — 200, 302, 409 or 422), "login" (302 to the log-in page),
302 (a redirect elsewhere), 403, or 404 (another association's application is secret).
"""

import io

import pytest

from leasing.accounts.models import OrgKind, Role
from leasing.leases import application_services as services
from leasing.premises.vocabulary import BuildingStatus
from tests.conftest import login, post_form
from tests.factories import make_building, make_org, make_space, make_user
from tests.leases.applications.conftest import make_application
from tests.premises.conftest import pdf_bytes

WHO = ("anonymous", "group_member", "association_member", "association_admin", "other_admin", "staff")
OK = 200


def matrix(anonymous="login", group=404, member=OK, admin=OK, other=404, staff=OK):
    return dict(zip(WHO, (anonymous, group, member, admin, other, staff), strict=True))


APPLY = matrix(group=403, member=403, other=OK, staff=403)
STAFF_ONLY = matrix(group=403, member=403, admin=403, other=403)
STAFF_ACTION = matrix(member=403, admin=403)
APPLICANT_ADMIN = matrix(member=403, staff=403)

#: (method, url template, building status, expected per user)
ROUTES = [
    ("GET", "/premises/{b}/apply", "vacant", APPLY),
    ("POST", "/premises/{b}/apply", "vacant", APPLY),
    ("GET", "/premises/{b}/apply", "negotiating", matrix(group=403, member=403, admin=403, other=403, staff=403)),
    ("GET", "/premises/{b}/apply", "draft", matrix(anonymous=404, group=404, member=404, admin=404, staff=403)),
    ("GET", "/applications", "vacant", matrix(group=403, other=OK, staff=302)),
    ("GET", "/staff/applications", "vacant", STAFF_ONLY),
    ("GET", "/applications/{a}", "vacant", matrix()),
    ("POST", "/applications/{a}/messages", "vacant", matrix(member=403)),
    ("POST", "/applications/{a}/attachments", "vacant", APPLICANT_ADMIN),
    ("GET", "/applications/{a}/attachments/{t}", "vacant", matrix()),
    ("POST", "/applications/{a}/review", "vacant", STAFF_ACTION),
    ("POST", "/applications/{a}/accept", "vacant", STAFF_ACTION),
    ("POST", "/applications/{a}/reject", "vacant", STAFF_ACTION),
    ("POST", "/applications/{a}/withdraw", "vacant", APPLICANT_ADMIN),
    ("GET", "/applications/999999", "vacant", dict.fromkeys(WHO, 404)),
    ("GET", "/applications/{a}/attachments/999999", "vacant", matrix(member=404, admin=404, staff=404)),
]


@pytest.fixture
def other_admin(app):
    return make_user(make_org(OrgKind.ASSOCIATION), Role.ADMIN, name="Olli Muu")


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method,template,status,expected", ROUTES, ids=lambda v: v if isinstance(v, str) else "")
def test_route_access(request, app, app_ctx, client, outbox, who, method, template, status, expected):
    applicant = request.getfixturevalue("association_admin")
    request.getfixturevalue("association_member")
    building = make_building()
    make_space(building)
    application = make_application(applicant, building, applicant.memberships[0].organization)
    attachment = services.add_attachment(applicant, application, io.BytesIO(pdf_bytes()), "Liite")
    target = building if template.startswith("/premises") else None
    if target is not None:
        target = make_building(status=BuildingStatus(status))
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    url = template.format(b=(target or building).id, a=application.id, t=attachment.id)
    if method == "GET":
        response = client.get(url)
    else:
        response = post_form(client, url, {}, form_url="/premises")
    want = expected[who]
    if want == "login":
        assert response.status_code == 302 and "/login" in response.headers["Location"], response.status_code
    elif want == OK and method == "POST":
        assert response.status_code in (200, 302, 409, 422), response.status_code
    else:
        assert response.status_code == want, (response.status_code, response.headers.get("Location"))
