"""Who may call which operation of lease applications and leases: anonymous, an admin of another
association, the owner (an admin of the applicant or tenant association) and facilities staff.

An object the caller may not see is 404 whoever asks without the right (anonymous included: the API
loads it before anything else, so its existence is never told); a list or a creation without a token
is 401; one the caller sees but may not act on is 403. Where acting would render a contract PDF, the
call that got past authorization is made to fail a rule instead (422): the status proves the gate.
"""

from datetime import date, timedelta

import pytest

from leasing.accounts.models import Role
from leasing.extensions import db
from leasing.leases.application_models import ApplicationStatus
from leasing.leases.models import Lease, LeaseSigner
from leasing.leases.vocabulary import LeaseStatus
from tests.api.kit import call
from tests.factories import make_building, make_lease, make_org, make_user
from tests.leases.kit import accepted_application

START = date.today() + timedelta(days=40)
WHO = ("anonymous", "other", "owner", "staff")

COVERED = [
    ("GET", "/api/v1/applications"),
    ("POST", "/api/v1/applications"),
    ("GET", "/api/v1/applications/{application_id}"),
    ("POST", "/api/v1/applications/{application_id}/messages"),
    ("POST", "/api/v1/applications/{application_id}/review"),
    ("POST", "/api/v1/applications/{application_id}/accept"),
    ("POST", "/api/v1/applications/{application_id}/reject"),
    ("POST", "/api/v1/applications/{application_id}/withdraw"),
    ("GET", "/api/v1/leases"),
    ("POST", "/api/v1/leases"),
    ("GET", "/api/v1/leases/{lease_id}"),
    ("GET", "/api/v1/leases/{lease_id}/contract.pdf"),
    ("PATCH", "/api/v1/leases/{lease_id}"),
    ("POST", "/api/v1/leases/{lease_id}/offer"),
    ("POST", "/api/v1/leases/{lease_id}/sign"),
    ("POST", "/api/v1/leases/{lease_id}/notice"),
    ("POST", "/api/v1/leases/{lease_id}/terminate"),
]


def _status(application_status):
    def make(people):
        return {"application_id": accepted_application(people["association"], status=application_status).id}

    return make


def _lease(status, *, signers=False, **overrides):
    def make(people):
        lease = make_lease(tenant=people["association"], status=status, **overrides)
        if signers:
            lease.signers = [
                LeaseSigner(user_id=people["owner"].id, organization_id=lease.tenant_id),
                LeaseSigner(user_id=people["staff"].id, organization_id=lease.landlord_id),
            ]
        return {"lease_id": lease.id}

    return make


def _offered(people):
    """A lease offered through the service: its contract PDF is stored."""
    from leasing.leases import signing

    ids = _lease(LeaseStatus.DRAFT, signers=True)(people)
    signing.offer(people["staff"], db.session.get(Lease, ids["lease_id"]))
    return ids


def _vacant(people):
    return {"building_id": make_building().id}


def _nothing(people):
    return {}


def _apply(ids, people):
    return {
        "building_id": ids["building_id"],
        "organization_id": people["association"].id,
        "proposed_use": "Nuorten kulttuuritalo",
        "requested_start": START.isoformat(),
    }


ACTIVE = {"status": LeaseStatus.ACTIVE, "start_date": date.today() - timedelta(days=400)}
LIST = {"anonymous": 401, "other": 200, "owner": 200, "staff": 200}
PARTIES = {"anonymous": 404, "other": 404, "owner": 200, "staff": 200}
STAFF = {"anonymous": 404, "other": 404, "owner": 403, "staff": 200}

#: (method, path, what to make, body, expected per caller)
CASES = [
    ("GET", "/api/v1/applications", _status(ApplicationStatus.SUBMITTED), None, LIST),
    (
        "POST",
        "/api/v1/applications",
        _vacant,
        _apply,
        {"anonymous": 401, "other": 404, "owner": 201, "staff": 403},
    ),
    ("GET", "/api/v1/applications/{application_id}", _status(ApplicationStatus.SUBMITTED), None, PARTIES),
    (
        "POST",
        "/api/v1/applications/{application_id}/messages",
        _status(ApplicationStatus.UNDER_REVIEW),
        lambda ids, people: {"body": "Milloin päätös tulee?"},
        {**PARTIES, "owner": 201, "staff": 201},
    ),
    ("POST", "/api/v1/applications/{application_id}/review", _status(ApplicationStatus.SUBMITTED), None, STAFF),
    (
        "POST",
        "/api/v1/applications/{application_id}/accept",
        _status(ApplicationStatus.UNDER_REVIEW),
        lambda ids, people: {},
        STAFF,
    ),
    (
        "POST",
        "/api/v1/applications/{application_id}/reject",
        _status(ApplicationStatus.UNDER_REVIEW),
        lambda ids, people: {"reason": "Rakennus myydään."},
        STAFF,
    ),
    (
        "POST",
        "/api/v1/applications/{application_id}/withdraw",
        _status(ApplicationStatus.SUBMITTED),
        lambda ids, people: {},
        {**PARTIES, "staff": 403},
    ),
    ("GET", "/api/v1/leases", _lease(LeaseStatus.DRAFT), None, LIST),
    (
        "POST",
        "/api/v1/leases",
        _status(ApplicationStatus.ACCEPTED),
        lambda ids, people: {"application_id": ids["application_id"], "start_date": START.isoformat()},
        {"anonymous": 401, "other": 403, "owner": 403, "staff": 201},
    ),
    ("GET", "/api/v1/leases/{lease_id}", _lease(LeaseStatus.DRAFT), None, PARTIES),
    ("GET", "/api/v1/leases/{lease_id}/contract.pdf", _offered, None, PARTIES),
    (
        "PATCH",
        "/api/v1/leases/{lease_id}",
        _lease(LeaseStatus.DRAFT),
        lambda ids, people: {"monthly_rent": "990.00"},
        STAFF,
    ),
    # No signers named: staff get past the gate and the offer's rule says no (nothing rendered).
    ("POST", "/api/v1/leases/{lease_id}/offer", _lease(LeaseStatus.DRAFT), None, {**STAFF, "staff": 422}),
    # Both are named signers; a wrong password shows they got past the gate.
    (
        "POST",
        "/api/v1/leases/{lease_id}/sign",
        _lease(LeaseStatus.OFFERED, signers=True),
        lambda ids, people: {"password": "väärä-salasana"},
        {**PARTIES, "owner": 422, "staff": 422},
    ),
    (
        "POST",
        "/api/v1/leases/{lease_id}/notice",
        _lease(**ACTIVE),
        lambda ids, people: {"given_on": date.today().isoformat()},
        PARTIES,
    ),
    (
        "POST",
        "/api/v1/leases/{lease_id}/terminate",
        _lease(**ACTIVE),
        lambda ids, people: {"ends_on": (date.today() + timedelta(days=30)).isoformat(), "reason": "Kosteusvaurio."},
        STAFF,
    ),
]


@pytest.fixture
def people(association, staff):
    other = make_user(make_org(), Role.ADMIN)
    return {
        "association": association,
        "anonymous": None,
        "other": other,
        "owner": make_user(association, Role.ADMIN),
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
        assert response.get_json()["items"] == []  # another association's rows never show in its lists
