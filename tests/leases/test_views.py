"""Lease pages over HTTP with CSRF: drafting, offer, signing, the contract PDF, notice, e-mails."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.documents import render
from leasing.extensions import db
from leasing.leases import signing
from leasing.leases.models import Lease
from leasing.leases.vocabulary import LeaseStatus
from leasing.premises.vocabulary import BuildingStatus
from tests.conftest import count_queries, login, post_form
from tests.factories import PASSWORD, make_lease, make_org, make_user
from tests.leases.kit import START, accepted_application, form_data, pdf_text


@pytest.fixture
def application(association):
    return accepted_application(association)


def draft(client, staff, application, signers, **overrides):
    login(client, staff)
    url = f"/applications/{application.id}/lease/new"
    response = post_form(client, url, form_data(signer_ids=[u.id for u in signers], **overrides), form_url=url)
    return response


def test_new_lease_form_is_prefilled_from_the_application(client, staff, application):
    login(client, staff)
    html = client.get(f"/applications/{application.id}/lease/new").get_data(as_text=True)
    assert START.isoformat() in html and "Nuorten kulttuuritalo" in html and "FI49 5000 9420 0287 30" in html


def test_staff_drafts_a_lease(client, staff, application, association_admin):
    response = draft(client, staff, application, [association_admin, staff])
    assert response.status_code == 302
    lease = db.session.execute(sa.select(Lease).where(Lease.application_id == application.id)).scalar_one()
    assert lease.monthly_rent == 1234.50 and len(lease.signers) == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert lease.number in page and "1 234,50" in page.replace("\xa0", " ")


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"end_date": (START - timedelta(days=1)).isoformat()}, "Enter an end date after the start date."),
        ({"start_date": (date.today() - timedelta(days=1)).isoformat()}, "cannot start in the past"),
        ({"monthly_rent": "-5"}, "Enter a rent of 0 euros or more."),
        ({"iban": "FI49 5000 9420 0287 31"}, "Enter a valid IBAN"),
        (
            {
                "rent_steps-0-starts_on": (START - timedelta(days=3)).isoformat(),
                "rent_steps-0-ends_on": START.isoformat(),
                "rent_steps-0-monthly_rent": "0",
            },
            "falls within the lease term",
        ),
        ({"city_approval_people": "0"}, "Enter a number of people of 1 or more"),
    ],
)
def test_bad_input_shows_a_field_message_and_saves_nothing(client, staff, application, overrides, message):
    response = draft(client, staff, application, [], **overrides)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lease)) == 0


def test_the_city_names_the_bookings_it_approves_in_the_lease_and_its_contract(
    client, staff, application, association_admin, outbox
):
    response = draft(
        client,
        staff,
        application,
        [association_admin, staff],
        city_approval_people="100",
        city_approval_after="22:00",
    )
    assert response.status_code == 302
    lease = db.session.execute(sa.select(Lease).where(Lease.application_id == application.id)).scalar_one()
    assert lease.city_approval_people == 100 and lease.city_approval_after.strftime("%H:%M") == "22:00"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "public events of more than 100 people" in page and "bookings ending after 22:00" in page
    assert post_form(client, f"/leases/{lease.id}/offer", {}, form_url=f"/leases/{lease.id}").status_code == 302
    text = pdf_text(signing.current_contract(lease).pdf).replace("\n", " ")
    assert "yli 100 henkeä" in text and "kello 22.00 jälkeen" in text


def offered_lease(client, staff, application, admin):
    draft(client, staff, application, [admin, staff])
    lease = db.session.execute(sa.select(Lease).where(Lease.application_id == application.id)).scalar_one()
    response = post_form(client, f"/leases/{lease.id}/offer", {}, form_url=f"/leases/{lease.id}")
    assert response.status_code == 302
    db.session.expire_all()
    return lease


def test_offer_sign_and_seal_through_the_pages(app, client, staff, application, association_admin, outbox):
    lease = offered_lease(client, staff, application, association_admin)
    assert lease.status == LeaseStatus.OFFERED
    [offer] = [m for m in outbox if "ready for signing" in m["Subject"]]
    assert offer["To"] == association_admin.email and f"/leases/{lease.id}" in offer.get_payload()

    tenant = app.test_client()
    login(tenant, association_admin)
    page = tenant.get(f"/leases/{lease.id}").get_data(as_text=True)
    assert "Sign the lease" in page and "version 1" in page
    wrong = post_form(tenant, f"/leases/{lease.id}/sign", {"password": "väärin"}, form_url=f"/leases/{lease.id}")
    assert wrong.status_code == 422 and "Enter your password to confirm your signature." in wrong.get_data(as_text=True)
    assert post_form(tenant, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/").status_code == 302
    again = post_form(tenant, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/")
    assert again.status_code == 409 and "already signed" in again.get_data(as_text=True)

    assert post_form(client, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/").status_code == 302
    db.session.expire_all()
    assert lease.status == LeaseStatus.SIGNED and lease.building.status == BuildingStatus.LEASED
    signed_mail = [m for m in outbox if "has been signed" in m["Subject"]]
    assert {m["To"] for m in signed_mail} == {association_admin.email, staff.email}

    pdf = tenant.get(f"/leases/{lease.id}/contract.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert f'filename="{lease.number}-v1-signed.pdf"' in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    contract = signing.current_contract(lease)
    assert contract.sha256 in text.replace("\n", "")
    assert association_admin.name in text


def test_contract_pdf_holds_every_term_and_is_not_rendered_on_download(
    client, staff, application, association_admin, outbox, monkeypatch
):
    lease = offered_lease(client, staff, application, association_admin)
    calls = []
    original = render.render_pdf
    monkeypatch.setattr(render, "render_pdf", lambda *a, **k: calls.append(1) or original(*a, **k))
    first = client.get(f"/leases/{lease.id}/contract.pdf")
    second = client.get(f"/leases/{lease.id}/contract.pdf")
    assert calls == [] and first.data == second.data
    assert f'filename="{lease.number}-v1.pdf"' in first.headers["Content-Disposition"]
    text = pdf_text(first.data).replace("\xa0", " ").replace("\u202f", " ")
    for value in (
        lease.number,
        lease.tenant.name,
        lease.building.name,
        "1 234,50 €",
        "2 469,00 €",
        "FI49 5000 9420 0287 30",
        lease.reference_number[:-5],
        "Nuorisotalo",
        "Avaimet luovutetaan",
        "vakuuttaa irtaimistonsa",
        "3 kuukautta",
        START.strftime("%-d.%-m.%Y"),
        "Lämmitys",
        "hyväksyntä",
        association_admin.name,
        staff.name,
    ):
        assert value in text, value


def test_changing_an_offer_makes_a_new_version_and_mails_the_change(
    client, staff, application, association_admin, outbox
):
    lease = offered_lease(client, staff, application, association_admin)
    url = f"/leases/{lease.id}/edit"
    data = form_data(signer_ids=[association_admin.id, staff.id], monthly_rent="1 300,00")
    assert post_form(client, url, data, form_url=url).status_code == 302
    db.session.expire_all()
    assert signing.current_contract(lease).version == 2 and lease.status == LeaseStatus.OFFERED
    assert any("has changed" in m["Subject"] for m in outbox)


def test_a_member_who_is_not_a_named_signer_gets_403(app, client, staff, application, association_admin, outbox):
    lease = offered_lease(client, staff, application, association_admin)
    member = make_user(application.organization)
    other = app.test_client()
    login(other, member)
    assert other.get(f"/leases/{lease.id}").status_code == 200
    assert post_form(other, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/").status_code == 403


def test_another_association_cannot_see_the_lease_or_its_pdf(
    app, client, staff, application, association_admin, outbox
):
    lease = offered_lease(client, staff, application, association_admin)
    stranger = make_user(make_org(), role=Role.ADMIN)
    other = app.test_client()
    login(other, stranger)
    assert other.get(f"/leases/{lease.id}").status_code == 404
    assert other.get(f"/leases/{lease.id}/contract.pdf").status_code == 404


def test_notice_on_an_active_lease_ends_it_and_mails_the_other_party(client, association, association_admin, outbox):
    staff_user = make_user(make_org(OrgKind.FACILITIES_CENTRE), role=Role.ADMIN)
    lease = make_lease(tenant=association, status=LeaseStatus.ACTIVE, start_date=date.today() - timedelta(days=100))
    from leasing.leases.models import LeaseSigner

    db.session.add(LeaseSigner(lease=lease, user_id=staff_user.id, organization_id=lease.landlord_id))
    db.session.flush()
    login(client, association_admin)
    today = date.today()
    response = post_form(
        client, f"/leases/{lease.id}/notice", {"given_on": today.isoformat(), "reason": "Muutto"}, form_url="/"
    )
    assert response.status_code == 302
    db.session.expire_all()
    from leasing.leases import rules

    assert lease.ends_on == rules.notice_end_date(today, 3)
    [mail] = outbox
    assert mail["To"] == staff_user.email and "Notice given" in mail["Subject"]


def test_notice_on_a_fixed_term_lease_is_refused(client, association, association_admin):
    lease = make_lease(
        tenant=association,
        status=LeaseStatus.ACTIVE,
        start_date=date.today() - timedelta(days=10),
        end_date=date.today() + timedelta(days=300),
        notice_period_months=None,
    )
    login(client, association_admin)
    response = post_form(client, f"/leases/{lease.id}/notice", {"given_on": date.today().isoformat()}, form_url="/")
    assert response.status_code == 409 and "fixed-term lease cannot be given notice" in response.get_data(as_text=True)
    db.session.expire_all()
    assert lease.ends_on is None


def test_staff_lease_list_has_constant_query_count(client, staff, association):
    login(client, staff)
    for _ in range(2):
        make_lease(tenant=association, status=LeaseStatus.ACTIVE, start_date=date.today() - timedelta(days=5))
    with count_queries() as two:
        assert client.get("/staff/leases").status_code == 200
    for _ in range(18):
        make_lease(
            tenant=association,
            status=LeaseStatus.ACTIVE,
            start_date=date.today() - timedelta(days=5),
            end_date=date.today() + timedelta(days=30),
            notice_period_months=None,
        )
    with count_queries() as twenty:
        html = client.get("/staff/leases").get_data(as_text=True)
    assert twenty.count == two.count, (two.count, twenty.count)
    assert "within six months" in html


def test_association_sees_only_its_leases(client, association, association_admin):
    mine = make_lease(tenant=association)
    theirs = make_lease()
    login(client, association_admin)
    html = client.get("/leases").get_data(as_text=True)
    assert mine.number in html and theirs.number not in html


def test_index_values_import_reports_bad_lines_and_saves_nothing(client, staff):
    from leasing.leases.models import IndexValue

    login(client, staff)
    bad = post_form(
        client,
        "/staff/index-values/import",
        {"csv": "kuukausi;arvo\n2026-09;2034,5\n2026-10;x\n"},
        form_url="/staff/index-values",
    )
    assert bad.status_code == 422 and "Line 3" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndexValue)) == 0
    good = post_form(
        client,
        "/staff/index-values/import",
        {"csv": "2026-09;2034,5\n2026-10;2040.1\n"},
        form_url="/staff/index-values",
    )
    assert good.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndexValue)) == 2


def test_lease_page_shows_the_revised_rent(client, staff):
    from decimal import Decimal

    from leasing.leases.models import IndexValue

    start = date(date.today().year - 1, 1, 1)
    lease = make_lease(
        status=LeaseStatus.ACTIVE,
        start_date=start,
        monthly_rent=Decimal("1000.00"),
        index_base_month=date(start.year - 1, 9, 1),
        index_base_value=Decimal("2000.00"),
    )
    db.session.add(IndexValue(month=date(start.year, 9, 1), value=Decimal("2100.00"), source="test"))
    db.session.flush()
    login(client, staff)
    html = client.get(f"/leases/{lease.id}").get_data(as_text=True).replace("\xa0", " ")
    assert "1 050,00" in html and "Revised rent" in html
