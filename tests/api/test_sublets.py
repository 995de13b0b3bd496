"""API: sublets — the whole path through the API alone, the refusals, the list's cost."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.documents.models import Signature
from leasing.extensions import db
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import SubletStatus
from tests.api.kit import call, error_code
from tests.conftest import count_queries
from tests.factories import PASSWORD, make_house, make_org, make_user
from tests.sublets.kit import END, START, make_sublet, pdf_text, to


def _ok(response, status=200):
    assert response.status_code == status, response.get_json()
    db.session.expire_all()
    return response.get_json()


def _body(lease, group, **overrides):
    body = {
        "lease_id": lease.id,
        "space_id": lease.building.spaces[0].id,
        "group_id": group.id,
        "kind": "slot",
        "weekday": 1,
        "slot_starts": "18:00",
        "slot_ends": "21:00",
        "starts_on": START.isoformat(),
        "ends_on": END.isoformat(),
        "monthly_rent": "150.00",
        "terms": "Avaimet noudetaan toimistolta.",
        "language": "en",
    }
    body.update(overrides)
    return body


@pytest.fixture
def approval_house(app, staff, association):
    return make_house(tenant=association, sublet_needs_approval=True)


def test_the_whole_sublet_path_through_the_api(
    client, app_ctx, approval_house, association_admin, group, group_admin, staff, outbox
):
    lease = approval_house
    created = _ok(call(client, "POST", "/api/v1/sublets", user=association_admin, json=_body(lease, group)), 201)
    assert created["status"] == "draft" and created["kind"] == "slot" and created["slot_starts"] == "18:00"
    assert created["monthly_rent"] == "150.00" and created["needs_approval"] is True
    assert created["number"].startswith("AV-") and created["contract_url"] is None
    url = f"/api/v1/sublets/{created['id']}"

    # The group cannot set its own price; the association changes it while it is a draft.
    assert call(client, "PATCH", url, user=group_admin, json={"monthly_rent": "0.00"}).status_code == 403
    changed = _ok(call(client, "PATCH", url, user=association_admin, json={"monthly_rent": "120.00"}))
    assert changed["monthly_rent"] == "120.00" and changed["weekday"] == 1

    offered = _ok(call(client, "POST", f"{url}/offer", user=association_admin))
    assert offered["status"] == "offered" and offered["contract_version"] == 1
    assert offered["contract_url"].endswith(f"/sublets/{created['id']}/contract.pdf")
    assert any("ready for signing" in s for s in to(outbox, group_admin))

    wrong = call(client, "POST", f"{url}/sign", user=group_admin, json={"password": "väärä-salasana-123"})
    assert wrong.status_code == 422 and set(wrong.get_json()["error"]["fields"]) == {"password"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0

    half = _ok(call(client, "POST", f"{url}/sign", user=group_admin, json={"password": PASSWORD}))
    assert [(s["side"], s["signed_at"] is not None) for s in half["signatures"]] == [
        ("association", False),
        ("group", True),
    ]
    twice = call(client, "POST", f"{url}/sign", user=group_admin, json={"password": PASSWORD})
    assert twice.status_code == 409 and error_code(twice) == "conflict"
    signed = _ok(call(client, "POST", f"{url}/sign", user=association_admin, json={"password": PASSWORD}))
    assert signed["status"] == "awaiting_approval" and signed["signed_at"]
    assert any("awaits your approval" in s for s in to(outbox, staff))

    # The lease asks the landlord's approval: only staff give it.
    assert call(client, "POST", f"{url}/approve", user=association_admin, json={}).status_code == 403
    approved = _ok(call(client, "POST", f"{url}/approve", user=staff, json={"note": "Hyvä näin."}))
    assert approved["status"] == "signed" and approved["decision_note"] == "Hyvä näin."
    assert db.session.get(Sublet, created["id"]).status == SubletStatus.SIGNED
    assert any("approved" in s for s in to(outbox, group_admin))

    pdf = call(client, "GET", approved["contract_url"], user=group_admin)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert created["number"] in pdf_text(pdf.data)


def test_a_group_cannot_set_price_or_status(client, app_ctx, association, association_admin, group, group_admin):
    lease = make_house(tenant=association)
    sublet = make_sublet(lease, group, status=SubletStatus.OFFERED)
    url = f"/api/v1/sublets/{sublet.id}"
    status = call(client, "PATCH", url, user=association_admin, json={"status": "signed"})
    assert status.status_code == 422 and set(status.get_json()["error"]["fields"]) == {"status"}
    slipped = {"password": PASSWORD, "monthly_rent": "0.00", "number": "AV-1"}
    sign = call(client, "POST", f"{url}/sign", user=group_admin, json=slipped)
    assert sign.status_code == 422 and set(sign.get_json()["error"]["fields"]) == {"monthly_rent", "number"}
    created = call(client, "POST", "/api/v1/sublets", user=group_admin, json=_body(lease, group))
    assert created.status_code == 404  # a group does not see the association's lease
    db.session.expire_all()
    assert sublet.monthly_rent == 150 and sublet.status == SubletStatus.OFFERED


def test_the_rules_name_their_fields(client, app_ctx, association, association_admin, group):
    lease = make_house(tenant=association)
    other_association = make_org(OrgKind.ASSOCIATION)
    bad = _body(lease, other_association, weekday=None, ends_on=(START - timedelta(days=1)).isoformat())
    response = call(client, "POST", "/api/v1/sublets", user=association_admin, json=bad)
    assert response.status_code == 422
    assert {"group_id", "weekday", "ends_on"} <= set(response.get_json()["error"]["fields"])
    shape = _body(lease, group, weekday=7, slot_starts="18", monthly_rent=150, group_id=2**40)
    response = call(client, "POST", "/api/v1/sublets", user=association_admin, json=shape)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"weekday", "slot_starts", "monthly_rent", "group_id"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sublet)) == 0


def test_exclusive_use_overlapping_a_slot_is_refused(client, app_ctx, association, association_admin, group):
    lease = make_house(tenant=association)
    make_sublet(lease, group, status=SubletStatus.SIGNED)
    exclusive = _body(lease, group, kind="exclusive", weekday=None, slot_starts=None, slot_ends=None)
    response = call(client, "POST", "/api/v1/sublets", user=association_admin, json=exclusive)
    assert response.status_code == 422 and "space_id" in response.get_json()["error"]["fields"]


def test_a_member_without_admin_rights_cannot_draft(client, app_ctx, association, association_member, group):
    lease = make_house(tenant=association)
    response = call(client, "POST", "/api/v1/sublets", user=association_member, json=_body(lease, group))
    assert response.status_code == 403


def test_cancel_and_terminate(client, app_ctx, association, association_admin, group, group_admin, staff, outbox):
    lease = make_house(tenant=association, spaces=2)
    first, second = lease.building.spaces
    offered = make_sublet(lease, group, status=SubletStatus.OFFERED, space_id=first.id)
    body = _ok(call(client, "POST", f"/api/v1/sublets/{offered.id}/cancel", user=association_admin, json={}))
    assert body["status"] == "cancelled"
    assert any("cancelled" in s for s in to(outbox, group_admin))
    running = make_sublet(lease, group, status=SubletStatus.SIGNED, space_id=second.id, starts_on=date.today())
    url = f"/api/v1/sublets/{running.id}/terminate"
    assert (
        call(client, "POST", url, user=group_admin, json={"ends_on": END.isoformat(), "reason": "x"}).status_code == 403
    )
    late = call(client, "POST", url, user=staff, json={"ends_on": (END + timedelta(days=5)).isoformat(), "reason": "x"})
    assert late.status_code == 422 and set(late.get_json()["error"]["fields"]) == {"ends_on"}
    last = (date.today() + timedelta(days=20)).isoformat()
    ended = _ok(call(client, "POST", url, user=association_admin, json={"ends_on": last, "reason": "Ryhmä lopettaa."}))
    assert ended["last_day"] == last and ended["termination_reason"] == "Ryhmä lopettaa."


def test_staff_refuse_with_a_reason(client, app_ctx, association, group, group_admin, staff, outbox):
    lease = make_house(tenant=association, sublet_needs_approval=True)
    sublet = make_sublet(lease, group, status=SubletStatus.AWAITING_APPROVAL)
    url = f"/api/v1/sublets/{sublet.id}/refuse"
    assert call(client, "POST", url, user=staff, json={}).status_code == 422
    body = _ok(call(client, "POST", url, user=staff, json={"reason": "Tila tarvitaan muuhun."}))
    assert body["status"] == "refused" and body["decision_note"] == "Tila tarvitaan muuhun."


def test_the_sublet_list_pages_at_a_constant_cost(client, app_ctx, association, association_admin, group, staff):
    lease = make_house(tenant=association, spaces=12)
    made = [
        make_sublet(lease, group, space_id=space.id, starts_on=START + timedelta(days=n % 3))
        for n, space in enumerate(lease.building.spaces)
    ]
    make_sublet(make_house(), make_org(OrgKind.CULTURAL_GROUP))  # another association's
    group_member = make_user(group, Role.MEMBER)
    for user in (staff, association_admin, group_member):
        costs = []
        for size in (3, 9):
            with count_queries() as q:
                response = call(client, "GET", "/api/v1/sublets", user=user, query={"limit": size})
            assert response.status_code == 200 and len(response.get_json()["items"]) == size
            costs.append(q.count)
        assert costs[0] == costs[1], costs
    seen, cursor = [], None
    while True:
        query = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        body = call(client, "GET", "/api/v1/sublets", user=group_member, query=query).get_json()
        seen += [s["id"] for s in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [s.id for s in sorted(made, key=lambda s: (s.starts_on, s.id), reverse=True)]
    by_lease = call(client, "GET", "/api/v1/sublets", user=staff, query={"lease_id": lease.id, "limit": 200})
    assert len(by_lease.get_json()["items"]) == 12


def test_anonymous_and_strangers(client, app_ctx, association, group):
    lease = make_house(tenant=association)
    sublet = make_sublet(lease, group)
    stranger = make_user(make_org(), Role.ADMIN)
    assert call(client, "GET", "/api/v1/sublets").status_code == 401
    assert call(client, "GET", f"/api/v1/sublets/{sublet.id}", user=stranger).status_code == 404
    assert call(client, "GET", "/api/v1/sublets", user=stranger).get_json()["items"] == []
    assert call(client, "GET", f"/api/v1/sublets/{2**63}", user=stranger).status_code == 404
