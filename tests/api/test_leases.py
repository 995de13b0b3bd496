"""API: lease applications and leases — the whole path through the API alone, the refusals, the lists' cost."""

from datetime import date, timedelta

import sqlalchemy as sa

from leasing.accounts.models import Role
from leasing.documents.models import Signature
from leasing.extensions import db
from leasing.leases.application_models import ApplicationStatus, LeaseApplication
from leasing.leases.models import Lease
from leasing.leases.vocabulary import LeaseStatus
from leasing.premises.vocabulary import BuildingStatus
from tests.api.kit import call, error_code
from tests.conftest import count_queries
from tests.factories import PASSWORD, make_building, make_lease, make_org, make_space, make_user
from tests.leases.kit import accepted_application, pdf_text

START = date.today() + timedelta(days=40)


def _subjects_to(outbox, user):
    return [m["Subject"] for m in outbox if m["To"] == user.email]


def _ok(response, status=200):
    assert response.status_code == status, response.get_json()
    db.session.expire_all()
    return response.get_json()


def _apply_body(building, association, **overrides):
    body = {
        "building_id": building.id,
        "organization_id": association.id,
        "proposed_use": "Nuorten kulttuuritalo: treenikämpät, teatteri ja taidepajat",
        "operating_model": "Yhdistys vuokraa huoneet edelleen ryhmille.",
        "requested_start": START.isoformat(),
        "expected_groups": 8,
        "expected_young_people": 150,
    }
    body.update(overrides)
    return body


def test_the_whole_lease_path_through_the_api(app, client, staff, association, association_admin, outbox):
    building = make_building(name="Tuiran vanha paloasema")
    make_space(building, name="Kalustohalli")

    # The association's admin applies; staff and the applicant hear of it.
    application = _ok(
        call(client, "POST", "/api/v1/applications", user=association_admin, json=_apply_body(building, association)),
        201,
    )
    assert application["status"] == "submitted" and application["whole_building"] is True
    assert _subjects_to(outbox, staff) and _subjects_to(outbox, association_admin)
    base = f"/api/v1/applications/{application['id']}"

    # Staff ask, the applicant answers in the thread, staff review and accept.
    asked = {"body": "Lähettäkää vielä toimintasuunnitelma.", "ask_information": True}
    _ok(call(client, "POST", f"{base}/messages", user=staff, json=asked), 201)
    _ok(call(client, "POST", f"{base}/messages", user=association_admin, json={"body": "Suunnitelma tulossa."}), 201)
    detail = _ok(call(client, "GET", base, user=association_admin))
    assert [m["from_facilities_centre"] for m in detail["messages"]] == [True, False]
    assert detail["status"] == "under_review"
    accepted = _ok(call(client, "POST", f"{base}/accept", user=staff, json={"note": "Tervetuloa neuvottelemaan."}))
    assert accepted["status"] == "accepted" and accepted["decision_note"] == "Tervetuloa neuvottelemaan."
    assert building.status == BuildingStatus.NEGOTIATING
    assert any("accepted" in s for s in _subjects_to(outbox, association_admin))

    # Staff draft the lease with its terms, change one, and offer it.
    terms = {
        "application_id": application["id"],
        "start_date": START.isoformat(),
        "monthly_rent": "1234.50",
        "deposit": "2469.00",
        "rent_steps": [
            {
                "starts_on": START.isoformat(),
                "ends_on": (START + timedelta(days=89)).isoformat(),
                "monthly_rent": "0.00",
            }
        ],
        "responsibilities": [{"item": "cleaning", "party": "landlord", "note": "Kerran viikossa"}],
        "signer_ids": [association_admin.id, staff.id],
    }
    lease = _ok(call(client, "POST", "/api/v1/leases", user=staff, json=terms), 201)
    assert lease["status"] == "draft" and lease["monthly_rent"] == "1234.50"
    assert lease["notice_period_months"] == 3 and lease["end_date"] is None  # drafted from the application
    assert lease["purpose"] == "Nuorten kulttuuritalo: treenikämpät, teatteri ja taidepajat"
    assert {"item": "cleaning", "party": "landlord", "note": "Kerran viikossa"} in lease["responsibilities"]
    assert lease["contract_url"] is None and lease["contract_version"] is None
    url = f"/api/v1/leases/{lease['id']}"
    changed = _ok(call(client, "PATCH", url, user=staff, json={"special_terms": "Avaimet luovutetaan alkamispäivänä."}))
    assert changed["special_terms"] == "Avaimet luovutetaan alkamispäivänä." and changed["monthly_rent"] == "1234.50"
    offered = _ok(call(client, "POST", f"{url}/offer", user=staff))
    assert offered["status"] == "offered" and offered["contract_version"] == 1
    assert offered["contract_url"].endswith(f"/api/v1/leases/{lease['id']}/contract.pdf")
    assert any("ready for signing" in s for s in _subjects_to(outbox, association_admin))

    # A wrong password saves nothing; the facilities centre signs after the tenant.
    wrong = call(client, "POST", f"{url}/sign", user=association_admin, json={"password": "väärä-salasana"})
    assert wrong.status_code == 422 and "password" in wrong.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0
    early = call(client, "POST", f"{url}/sign", user=staff, json={"password": PASSWORD})
    assert early.status_code == 409 and error_code(early) == "conflict"

    # Both named signers sign with their passwords; the lease is signed and the building leased.
    half = _ok(call(client, "POST", f"{url}/sign", user=association_admin, json={"password": PASSWORD}))
    assert half["status"] == "offered"
    assert [(s["side"], s["signed_at"] is not None) for s in half["signers"]] == [("tenant", True), ("landlord", False)]
    done = _ok(call(client, "POST", f"{url}/sign", user=staff, json={"password": PASSWORD}))
    assert done["status"] in ("signed", "active") and all(s["signed_at"] for s in done["signers"])
    stored = db.session.get(Lease, lease["id"])
    assert stored.status == LeaseStatus.SIGNED and building.status == BuildingStatus.LEASED
    assert {s.ip_address for s in db.session.scalars(sa.select(Signature))} == {"127.0.0.1"}
    assert any("has been signed" in s for s in _subjects_to(outbox, association_admin))
    assert any("has been signed" in s for s in _subjects_to(outbox, staff))

    # The signed contract PDF is where contract_url says, for the tenant's token.
    pdf = call(client, "GET", done["contract_url"], user=association_admin)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert stored.number in pdf_text(pdf.data)


def test_a_tenant_cannot_set_rent_or_status(client, app_ctx, association, association_admin, staff):
    lease = make_lease(tenant=association, status=LeaseStatus.OFFERED)
    url = f"/api/v1/leases/{lease.id}"
    rent = call(client, "PATCH", url, user=association_admin, json={"monthly_rent": "1.00"})
    assert rent.status_code == 403 and error_code(rent) == "forbidden"
    status = call(client, "PATCH", url, user=association_admin, json={"status": "signed"})
    assert status.status_code == 422 and set(status.get_json()["error"]["fields"]) == {"status"}
    slipped = {"password": PASSWORD, "monthly_rent": "1.00", "status": "signed", "reference_number": "1232"}
    sign = call(client, "POST", f"{url}/sign", user=association_admin, json=slipped)
    assert sign.status_code == 422
    assert set(sign.get_json()["error"]["fields"]) == {"monthly_rent", "status", "reference_number"}
    body = _apply_body(make_building(), association, monthly_rent="1.00", status="accepted")
    applied = call(client, "POST", "/api/v1/applications", user=association_admin, json=body)
    assert applied.status_code == 422 and set(applied.get_json()["error"]["fields"]) == {"monthly_rent", "status"}
    staff_status = call(client, "PATCH", url, user=staff, json={"status": "active", "number": "TK-1"})
    assert staff_status.status_code == 422
    db.session.expire_all()
    assert lease.monthly_rent == 1200 and lease.status == LeaseStatus.OFFERED


def test_another_association_guessing_ids_gets_404(client, app_ctx, association, association_admin, outbox):
    lease = make_lease(tenant=association, status=LeaseStatus.ACTIVE)
    application = accepted_application(association, status=ApplicationStatus.SUBMITTED)
    stranger = make_user(make_org(), Role.ADMIN)
    for method, path, body in [
        ("GET", f"/api/v1/leases/{lease.id}", None),
        ("PATCH", f"/api/v1/leases/{lease.id}", {"purpose": "Meidän"}),
        ("POST", f"/api/v1/leases/{lease.id}/sign", {"password": PASSWORD}),
        ("POST", f"/api/v1/leases/{lease.id}/notice", {"given_on": date.today().isoformat()}),
        ("GET", f"/api/v1/applications/{application.id}", None),
        ("POST", f"/api/v1/applications/{application.id}/messages", {"body": "Hei"}),
        ("POST", f"/api/v1/applications/{application.id}/withdraw", {}),
        ("GET", "/api/v1/leases/999999999", None),
        ("GET", f"/api/v1/leases/{2**63}", None),
    ]:
        response = call(client, method, path, user=stranger, json=body)
        assert response.status_code == 404 and error_code(response) == "not_found", (method, path)
    listed = call(client, "GET", "/api/v1/leases", user=stranger).get_json()
    assert listed == {"items": [], "next_cursor": None}
    assert call(client, "GET", "/api/v1/applications", user=stranger).get_json()["items"] == []
    # The owner does see them.
    assert call(client, "GET", f"/api/v1/leases/{lease.id}", user=association_admin).status_code == 200


def test_applying_checks_the_association_and_the_spaces(client, app_ctx, association, association_admin):
    building = make_building()
    elsewhere = make_space(make_building())
    part = _apply_body(building, association, whole_building=False, space_ids=[elsewhere.id])
    response = call(client, "POST", "/api/v1/applications", user=association_admin, json=part)
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"space_ids"}
    both = _apply_body(building, association, space_ids=[elsewhere.id])
    assert call(client, "POST", "/api/v1/applications", user=association_admin, json=both).status_code == 422
    other = make_org()
    make_user(other, Role.MEMBER, email="jasen@example.fi")
    foreign = call(client, "POST", "/api/v1/applications", user=association_admin, json=_apply_body(building, other))
    assert foreign.status_code == 404
    member = make_user(association, Role.MEMBER)
    as_member = call(client, "POST", "/api/v1/applications", user=member, json=_apply_body(building, association))
    assert as_member.status_code == 403
    past = _apply_body(building, association, requested_start=(date.today() - timedelta(days=1)).isoformat())
    late = call(client, "POST", "/api/v1/applications", user=association_admin, json=past)
    assert late.status_code == 422 and set(late.get_json()["error"]["fields"]) == {"requested_start"}
    huge = _apply_body(building, association, organization_id=2**40)
    assert call(client, "POST", "/api/v1/applications", user=association_admin, json=huge).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeaseApplication)) == 0


def test_a_second_open_application_is_a_conflict(client, app_ctx, association, association_admin, outbox):
    building = make_building()
    body = _apply_body(building, association)
    assert call(client, "POST", "/api/v1/applications", user=association_admin, json=body).status_code == 201
    again = call(client, "POST", "/api/v1/applications", user=association_admin, json=body)
    assert again.status_code == 409 and error_code(again) == "conflict"


def test_rejecting_needs_a_reason_and_tells_the_applicant(
    client, app_ctx, association, association_admin, staff, outbox
):
    application = accepted_application(association, status=ApplicationStatus.UNDER_REVIEW)
    url = f"/api/v1/applications/{application.id}/reject"
    blank = call(client, "POST", url, user=staff, json={"reason": "  "})
    assert blank.status_code == 422 and set(blank.get_json()["error"]["fields"]) == {"reason"}
    rejected = _ok(call(client, "POST", url, user=staff, json={"reason": "Rakennus myydään."}))
    assert rejected["status"] == "rejected" and rejected["decision_note"] == "Rakennus myydään."
    assert any("not accepted" in s for s in _subjects_to(outbox, association_admin))
    again = call(client, "POST", url, user=staff, json={"reason": "Uudestaan"})
    assert again.status_code == 409


def test_accepting_needs_a_review_first(client, app_ctx, association, staff):
    application = accepted_application(association, status=ApplicationStatus.SUBMITTED)
    response = call(client, "POST", f"/api/v1/applications/{application.id}/accept", user=staff, json={})
    assert response.status_code == 409 and error_code(response) == "conflict"


def test_the_applicant_withdraws(client, app_ctx, association, association_admin, staff, outbox):
    application = accepted_application(association, status=ApplicationStatus.SUBMITTED)
    url = f"/api/v1/applications/{application.id}/withdraw"
    body = _ok(call(client, "POST", url, user=association_admin, json={"reason": "Löysimme toisen tilan."}))
    assert body["status"] == "withdrawn" and body["withdrawal_reason"] == "Löysimme toisen tilan."
    assert any("withdrew" in s for s in _subjects_to(outbox, staff))
    assert call(client, "POST", url, user=association_admin, json={}).status_code == 403


def test_staff_filter_applications_by_status(client, app_ctx, association, staff):
    waiting = accepted_application(association, status=ApplicationStatus.SUBMITTED)
    accepted_application(association)
    body = call(client, "GET", "/api/v1/applications", user=staff, query={"status": "submitted"}).get_json()
    assert [a["id"] for a in body["items"]] == [waiting.id]
    bad = call(client, "GET", "/api/v1/applications", user=staff, query={"status": "nope"})
    assert bad.status_code == 422


def test_a_lease_is_drafted_only_from_an_accepted_application(client, app_ctx, association, staff):
    application = accepted_application(association, status=ApplicationStatus.UNDER_REVIEW)
    response = call(client, "POST", "/api/v1/leases", user=staff, json={"application_id": application.id})
    assert response.status_code == 409
    missing = call(client, "POST", "/api/v1/leases", user=staff, json={"application_id": 2_000_000_000})
    assert missing.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lease)) == 0


def test_the_terms_rules_name_the_api_fields(client, app_ctx, association, staff):
    application = accepted_application(association)
    step = {"starts_on": (START - timedelta(days=30)).isoformat(), "ends_on": START.isoformat(), "monthly_rent": "0"}
    body = {
        "application_id": application.id,
        "start_date": START.isoformat(),
        "rent_steps": [step],
        "iban": "FI00 1234",
        "index_base_month": "2025-01",
        "signer_ids": [987654],
    }
    response = call(client, "POST", "/api/v1/leases", user=staff, json=body)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"iban", "index_base_value", "rent_steps.0.starts_on", "signer_ids"} <= set(fields), fields
    shape = call(
        client,
        "POST",
        "/api/v1/leases",
        user=staff,
        json={"application_id": application.id, "monthly_rent": 12.5, "due_day": 29, "index_base_month": "2025-13"},
    )
    assert shape.status_code == 422
    assert set(shape.get_json()["error"]["fields"]) == {"monthly_rent", "due_day", "index_base_month"}
    twice = [{"item": "cleaning", "party": "tenant"}, {"item": "cleaning", "party": "landlord"}]
    for responsibilities in (twice, [[None, None]], [{"item": "cleaning"}]):
        body = {"application_id": application.id, "responsibilities": responsibilities}
        response = call(client, "POST", "/api/v1/leases", user=staff, json=body)
        assert response.status_code == 422 and error_code(response) == "invalid_input", response.get_json()


def test_staff_change_a_draft_to_part_of_the_building_with_a_fixed_term(client, app_ctx, association, staff):
    building = make_building()
    hall, studio = make_space(building), make_space(building)
    lease = make_lease(building, tenant=association, start_date=START)
    url = f"/api/v1/leases/{lease.id}"
    change = {"whole_building": False, "space_ids": [studio.id], "end_date": (START + timedelta(days=365)).isoformat()}
    change |= {"notice_period_months": None, "index_base_month": "2026-01", "index_base_value": "105.30"}
    body = _ok(call(client, "PATCH", url, user=staff, json=change))
    assert body["space_ids"] == [studio.id] and body["whole_building"] is False
    assert body["end_date"] == change["end_date"] and body["notice_period_months"] is None
    assert body["index_base_month"] == "2026-01" and body["index_base_value"] == "105.30"
    none = call(client, "PATCH", url, user=staff, json={"space_ids": []})
    assert none.status_code == 422 and set(none.get_json()["error"]["fields"]) == {"space_ids"}
    assert hall.id not in body["space_ids"]


def test_notice_on_an_active_lease(client, app_ctx, association, association_admin, staff, outbox):
    lease = make_lease(tenant=association, status=LeaseStatus.ACTIVE, start_date=date.today() - timedelta(days=400))
    url = f"/api/v1/leases/{lease.id}/notice"
    past = call(client, "POST", url, user=association_admin, json={"given_on": "2020-01-01"})
    assert past.status_code == 422 and set(past.get_json()["error"]["fields"]) == {"given_on"}
    body = _ok(call(client, "POST", url, user=association_admin, json={"given_on": date.today().isoformat()}))
    assert body["notice_given_on"] == date.today().isoformat() and body["last_day"] is not None
    again = call(client, "POST", url, user=association_admin, json={"given_on": date.today().isoformat()})
    assert again.status_code == 409


def test_staff_terminate_an_active_lease(client, app_ctx, association, staff, outbox):
    lease = make_lease(tenant=association, status=LeaseStatus.ACTIVE, start_date=date.today() - timedelta(days=400))
    url = f"/api/v1/leases/{lease.id}/terminate"
    last = (date.today() + timedelta(days=30)).isoformat()
    assert call(client, "POST", url, user=staff, json={"ends_on": last, "reason": " "}).status_code == 422
    body = _ok(call(client, "POST", url, user=staff, json={"ends_on": last, "reason": "Kosteusvaurio."}))
    assert body["last_day"] == last and body["termination_reason"] == "Kosteusvaurio."


def _pages(client, user, path, sizes):
    """The query count of the first page of each size."""
    costs = []
    for size in sizes:
        with count_queries() as q:
            response = call(client, "GET", path, user=user, query={"limit": size})
        assert response.status_code == 200 and len(response.get_json()["items"]) == size
        costs.append(q.count)
    return costs


def test_the_application_list_costs_the_same_whatever_the_page(client, app_ctx, association, association_admin, staff):
    for _ in range(12):
        building = make_building()
        make_space(building)
        application = accepted_application(association, building, status=ApplicationStatus.SUBMITTED)
        application.spaces = list(building.spaces)
    db.session.flush()
    for user in (staff, association_admin):
        costs = _pages(client, user, "/api/v1/applications", (2, 10))
        assert costs[0] == costs[1], costs


def test_the_lease_list_pages_at_a_constant_cost(client, app_ctx, association, association_admin, staff):
    made = []
    for _ in range(12):
        building = make_building()
        space = make_space(building)
        made.append(make_lease(building, tenant=association, whole_building=False, spaces=[space]))
    make_lease()  # another association's
    for user in (staff, association_admin):
        costs = _pages(client, user, "/api/v1/leases", (3, 9))
        assert costs[0] == costs[1], costs
    seen, cursor = [], None
    while True:
        query = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        body = call(client, "GET", "/api/v1/leases", user=association_admin, query=query).get_json()
        seen += [lease["id"] for lease in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted((lease.id for lease in made), reverse=True)


def test_anonymous_and_groups(client, app_ctx, group_member):
    assert call(client, "GET", "/api/v1/leases").status_code == 401
    assert call(client, "GET", "/api/v1/applications").status_code == 401
    assert call(client, "GET", "/api/v1/leases", user=group_member).status_code == 403
    assert call(client, "GET", "/api/v1/applications", user=group_member).status_code == 403


def test_an_amendment_is_not_changed_or_offered_through_the_api(client, app_ctx, association, staff):
    lease = make_lease(tenant=association, status=LeaseStatus.ACTIVE, start_date=date.today() - timedelta(days=30))
    lease.amendment_terms = {"monthly_rent": "900.00"}
    db.session.flush()
    url = f"/api/v1/leases/{lease.id}"
    for method, path, body in [("PATCH", url, {"monthly_rent": "1.00"}), ("POST", f"{url}/offer", None)]:
        response = call(client, method, path, user=staff, json=body)
        assert response.status_code == 409, (path, response.get_json())
        assert "amended" in response.get_json()["error"]["message"]
    assert lease.amendment_terms == {"monthly_rent": "900.00"}
