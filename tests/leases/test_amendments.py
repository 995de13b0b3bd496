"""An extension or renewal is a new signed version: amending an active lease through the pages, with CSRF."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from babel import dates as babel_dates

from leasing.accounts.models import Role
from leasing.audit import AuditEvent
from leasing.documents import services as documents
from leasing.extensions import db
from leasing.leases import signing
from leasing.leases.models import LeaseSigner
from leasing.leases.vocabulary import LeaseStatus
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_lease, make_org, make_user
from tests.leases.kit import accepted_application, form_data, pdf_text

TODAY = date.today()


def signed_active_lease(association, admin, staff, **overrides):
    """An active lease whose version 1 both named signers have signed and which is sealed into a signed PDF."""
    application = accepted_application(association)
    values = {
        "tenant": association,
        "status": LeaseStatus.ACTIVE,
        "start_date": TODAY - timedelta(days=30),
        "end_date": TODAY + timedelta(days=335),
        "notice_period_months": None,
        "application_id": application.id,
    }
    values.update(overrides)
    lease = make_lease(application.building, **values)
    lease.signers.append(LeaseSigner(user_id=admin.id, organization_id=association.id))
    lease.signers.append(LeaseSigner(user_id=staff.id, organization_id=lease.landlord_id))
    db.session.flush()
    contract = signing.issue_contract(lease)
    documents.sign(contract, signer=admin, organization=association, ip_address="127.0.0.1")
    documents.sign(contract, signer=staff, organization=lease.landlord, ip_address="127.0.0.1")
    documents.seal(
        contract,
        template=signing.template_for(lease),
        context=signing.contract_context(lease),
        language=lease.language,
        title=f"Vuokrasopimus {lease.number}",
        subject=lease.building.name,
    )
    db.session.flush()
    return lease


def amend_form(lease, signers, **overrides):
    """The edit form of ``lease`` as it stands, with ``overrides``."""
    values = {
        "start_date": lease.start_date.isoformat(),
        "end_date": lease.end_date.isoformat() if lease.end_date else "",
        "notice_period_months": "" if lease.end_date else str(lease.notice_period_months),
        "monthly_rent": "1200,00",
        "deposit": "2400,00",
    }
    values.update(overrides)
    return form_data(signer_ids=[u.id for u in signers], **values)


def start_amendment(client, lease, signers, **overrides):
    """Start an amendment as the signed-in staff member and save changed terms."""
    assert post_form(client, f"/leases/{lease.id}/amend", {}, form_url=f"/leases/{lease.id}").status_code == 302
    url = f"/leases/{lease.id}/edit"
    assert post_form(client, url, amend_form(lease, signers, **overrides), form_url=url).status_code == 302


def fi_date(day):
    return babel_dates.format_date(day, format="short", locale="fi")


def events(lease, action):
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == action, AuditEvent.object_id == lease.id)
    ).all()


def test_an_active_lease_is_extended_by_a_new_signed_version(
    app, client, staff, association, association_admin, outbox
):
    lease = signed_active_lease(association, association_admin, staff)
    v1 = signing.current_contract(lease)
    v1_signed = signing.sealed_pdf(lease)
    old_end, new_end = lease.end_date, lease.end_date + timedelta(days=365)
    page_url = f"/leases/{lease.id}"
    login(client, staff)
    assert "Amend the lease" in client.get(page_url).get_data(as_text=True)

    response = post_form(client, f"{page_url}/amend", {}, form_url=page_url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{page_url}/edit")
    db.session.expire_all()
    assert lease.amending and lease.status == LeaseStatus.ACTIVE and lease.effective_status() == LeaseStatus.ACTIVE
    assert len(events(lease, "lease.amend")) == 1
    assert "You are amending a signed lease." in client.get(f"{page_url}/edit").get_data(as_text=True)

    edit = post_form(
        client,
        f"{page_url}/edit",
        amend_form(lease, [association_admin, staff], end_date=new_end.isoformat()),
        form_url=f"{page_url}/edit",
    )
    assert edit.status_code == 302, edit.get_data(as_text=True)[:3000]
    db.session.expire_all()
    # The amended terms wait for the signatures: the lease in force keeps its end date meanwhile.
    assert lease.end_date == old_end and lease.status == LeaseStatus.ACTIVE and lease.amending
    assert lease.amendment_terms["end_date"] == new_end.isoformat()
    assert signing.current_contract(lease).id == v1.id and outbox == []
    page = client.get(page_url).get_data(as_text=True)
    assert "In force: version 1 (signed)" in page and "not offered yet" in page
    changed = page.split("Terms the amendment changes", 1)[1].split("</table>", 1)[0]
    assert "End date (fixed term)" in changed and "Monthly rent" not in changed
    assert f'value="{new_end.isoformat()}"' in client.get(f"{page_url}/edit").get_data(as_text=True)
    assert client.get(f"{page_url}/contract.pdf").data == v1_signed.pdf

    assert post_form(client, f"{page_url}/offer", {}, form_url=page_url).status_code == 302
    db.session.expire_all()
    v2 = signing.current_contract(lease)
    assert v2.version == 2 and lease.status == LeaseStatus.ACTIVE and lease.amendment_offered
    mails = [m for m in outbox if "amended lease" in m["Subject"] and "ready for signing" in m["Subject"]]
    assert {m["To"] for m in mails} == {association_admin.email, staff.email}
    assert fi_date(new_end) in pdf_text(client.get(f"{page_url}/contract.pdf?version=2").data)

    tenant = app.test_client()
    login(tenant, association_admin)
    page = tenant.get(page_url).get_data(as_text=True)
    assert "In force: version 1 (signed)" in page and "Amendment offered: version 2" in page
    assert f"{page_url}/contract.pdf?version=2" in page and "Sign version 2 of the contract" in page
    in_force = tenant.get(f"{page_url}/contract.pdf")
    assert in_force.data == v1_signed.pdf and fi_date(old_end) in pdf_text(in_force.data)
    assert post_form(tenant, f"{page_url}/sign", {"password": PASSWORD}, form_url="/").status_code == 302
    db.session.expire_all()
    assert lease.amending and lease.status == LeaseStatus.ACTIVE and lease.end_date == old_end
    assert post_form(client, f"{page_url}/sign", {"password": PASSWORD}, form_url="/").status_code == 302
    db.session.expire_all()

    assert not lease.amending and lease.status == LeaseStatus.ACTIVE and lease.end_date == new_end
    signed = [m for m in outbox if "has been signed" in m["Subject"]]
    assert {m["To"] for m in signed} == {association_admin.email, staff.email}
    pdf = tenant.get(f"{page_url}/contract.pdf")
    assert f'filename="{lease.number}-v2-signed.pdf"' in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    assert fi_date(new_end) in text and v2.sha256 in text.replace("\n", "")
    check = documents.verify(pdf.headers["ETag"])
    assert check.sealed_from.id == v2.id and {s.signer_id for s in check.signatures} == {association_admin.id, staff.id}

    for sha in (v1.sha256, v1_signed.sha256):
        old = documents.verify(sha)
        assert {s.signer_id for s in old.signatures} == {association_admin.id, staff.id}
        assert not old.is_current
    assert fi_date(old_end) in pdf_text(v1_signed.pdf)
    page = tenant.get(page_url).get_data(as_text=True)
    assert "Amendment offered" not in page and "version 2" in page


def test_a_change_to_an_offered_amendment_makes_a_new_version(client, staff, association, association_admin, outbox):
    lease = signed_active_lease(association, association_admin, staff)
    page_url = f"/leases/{lease.id}"
    login(client, staff)
    post_form(client, f"{page_url}/amend", {}, form_url=page_url)
    assert post_form(client, f"{page_url}/offer", {}, form_url=page_url).status_code == 302
    edit = post_form(
        client,
        f"{page_url}/edit",
        amend_form(lease, [association_admin, staff], monthly_rent="1300,00"),
        form_url=f"{page_url}/edit",
    )
    assert edit.status_code == 302
    db.session.expire_all()
    assert signing.current_contract(lease).version == 3 and lease.status == LeaseStatus.ACTIVE and lease.amending
    assert any("has changed" in m["Subject"] for m in outbox)
    assert len(documents.verify(signing.contract_version(lease, 1).sha256).signatures) == 2


def test_a_lease_under_notice_cannot_be_amended(client, staff, association, association_admin):
    lease = signed_active_lease(
        association,
        association_admin,
        staff,
        end_date=None,
        notice_period_months=3,
        notice_given_on=TODAY,
        ends_on=TODAY + timedelta(days=100),
    )
    login(client, staff)
    response = post_form(client, f"/leases/{lease.id}/amend", {}, form_url=f"/leases/{lease.id}")
    assert response.status_code == 409
    assert "it can no longer be amended" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not lease.amending and events(lease, "lease.amend") == []
    assert "Amend the lease" not in client.get(f"/leases/{lease.id}").get_data(as_text=True)
    assert client.get(f"/leases/{lease.id}/edit").status_code == 403


def test_an_amendment_under_way_is_not_started_twice(client, staff, association, association_admin):
    lease = signed_active_lease(association, association_admin, staff)
    login(client, staff)
    assert post_form(client, f"/leases/{lease.id}/amend", {}, form_url=f"/leases/{lease.id}").status_code == 302
    again = post_form(client, f"/leases/{lease.id}/amend", {}, form_url=f"/leases/{lease.id}")
    assert again.status_code == 409 and "already under way" in again.get_data(as_text=True)


@pytest.mark.parametrize("who,status", [("admin", 403), ("other", 404)])
def test_only_staff_amend(client, staff, association, association_admin, who, status):
    lease = signed_active_lease(association, association_admin, staff)
    login(client, association_admin if who == "admin" else make_user(make_org(), Role.ADMIN))
    response = post_form(client, f"/leases/{lease.id}/amend", {}, form_url="/")
    assert response.status_code == status
    db.session.expire_all()
    assert not lease.amending


def test_amended_terms_take_no_effect_before_the_signatures(client, staff, association, association_admin):
    """An amendment ending the lease early changes nothing on the lease until it is signed."""
    lease = signed_active_lease(association, association_admin, staff)
    login(client, staff)
    post_form(client, f"/leases/{lease.id}/amend", {}, form_url=f"/leases/{lease.id}")
    shorter = TODAY + timedelta(days=10)
    edit = post_form(
        client,
        f"/leases/{lease.id}/edit",
        amend_form(lease, [association_admin, staff], end_date=shorter.isoformat(), monthly_rent="50,00"),
        form_url=f"/leases/{lease.id}/edit",
    )
    assert edit.status_code == 302
    db.session.expire_all()
    assert lease.monthly_rent == Decimal("1200.00") and lease.end_date == TODAY + timedelta(days=335)
    assert lease.effective_status(shorter + timedelta(days=1)) == LeaseStatus.ACTIVE
    terms = client.get(f"/leases/{lease.id}").get_data(as_text=True).split('id="terms-heading"', 1)[1]
    assert "50,00" not in terms.split("</table>", 1)[0]


def test_an_amendment_not_yet_offered_is_cancelled(client, staff, association, association_admin, outbox):
    lease = signed_active_lease(association, association_admin, staff)
    login(client, staff)
    start_amendment(client, lease, [association_admin, staff], monthly_rent="1500,00")
    response = post_form(client, f"/leases/{lease.id}/amend/cancel", {"reason": ""}, form_url=f"/leases/{lease.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert not lease.amending and lease.amendment_terms is None and lease.monthly_rent == Decimal("1200.00")
    assert len(events(lease, "lease.amendment_cancel")) == 1 and outbox == []
    assert signing.current_contract(lease).version == 1
    page = client.get(f"/leases/{lease.id}").get_data(as_text=True)
    assert "Amend the lease" in page and "Cancel the amendment" not in page
    again = post_form(client, f"/leases/{lease.id}/amend/cancel", {"reason": ""}, form_url=f"/leases/{lease.id}")
    assert again.status_code == 409 and "No amendment of this lease is under way." in again.get_data(as_text=True)


def test_an_offered_amendment_is_withdrawn_with_its_signatures(
    app, client, staff, association, association_admin, outbox
):
    lease = signed_active_lease(association, association_admin, staff)
    v1_signed = signing.sealed_pdf(lease)
    login(client, staff)
    start_amendment(client, lease, [association_admin, staff], monthly_rent="1500,00")
    post_form(client, f"/leases/{lease.id}/offer", {}, form_url=f"/leases/{lease.id}")
    tenant = app.test_client()
    login(tenant, association_admin)
    assert post_form(tenant, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/").status_code == 302
    db.session.expire_all()
    v2 = signing.current_contract(lease)
    assert v2.version == 2 and len(documents.live_signatures(v2)) == 1
    outbox.clear()

    response = post_form(
        client, f"/leases/{lease.id}/amend/cancel", {"reason": "Budjetti ei salli"}, form_url=f"/leases/{lease.id}"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not lease.amending and lease.monthly_rent == Decimal("1200.00")
    check = documents.verify(v2.sha256)
    assert not check.is_current and check.signatures == []
    assert signing.current_contract(lease).version == 1 and signing.sealed_pdf(lease).id == v1_signed.id
    assert {m["To"] for m in outbox} == {association_admin.email, staff.email}
    assert all("withdrawn" in m["Subject"] and "Budjetti ei salli" in m.get_content() for m in outbox)
    page = tenant.get(f"/leases/{lease.id}").get_data(as_text=True)
    assert "Sign version" not in page and "Amendment offered" not in page
    assert tenant.get(f"/leases/{lease.id}/contract.pdf").data == v1_signed.pdf
    assert post_form(tenant, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/").status_code == 403


def test_an_amendment_that_now_overlaps_another_lease_is_not_sealed(
    app, client, staff, association, association_admin, outbox
):
    """Another lease took the premises for the extension meanwhile: the last signature is refused, nothing sealed."""
    lease = signed_active_lease(association, association_admin, staff)
    login(client, staff)
    later = lease.end_date + timedelta(days=200)
    start_amendment(client, lease, [association_admin, staff], end_date=later.isoformat())
    post_form(client, f"/leases/{lease.id}/offer", {}, form_url=f"/leases/{lease.id}")
    tenant = app.test_client()
    login(tenant, association_admin)
    post_form(tenant, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/")
    make_lease(
        lease.building,
        tenant=make_org(),
        status=LeaseStatus.SIGNED,
        start_date=lease.end_date + timedelta(days=1),
        end_date=lease.end_date + timedelta(days=400),
    )
    db.session.flush()
    response = post_form(client, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/")
    assert response.status_code == 409 and "already holds these premises" in response.get_data(as_text=True)
    db.session.expire_all()
    assert lease.amending and lease.end_date == TODAY + timedelta(days=335)
    assert signing.sealed_pdf(lease).sealed_from.version == 1


def test_tenant_cannot_cancel_an_amendment(client, app, staff, association, association_admin):
    lease = signed_active_lease(association, association_admin, staff)
    login(client, staff)
    post_form(client, f"/leases/{lease.id}/amend", {}, form_url=f"/leases/{lease.id}")
    tenant = app.test_client()
    login(tenant, association_admin)
    response = post_form(tenant, f"/leases/{lease.id}/amend/cancel", {"reason": ""}, form_url="/")
    assert response.status_code == 403
    db.session.expire_all()
    assert lease.amending


def test_terminating_the_lease_ends_an_offered_amendment_and_nobody_can_sign_it(
    app, client, staff, association, association_admin, outbox
):
    from leasing.leases import lifecycle

    lease = signed_active_lease(association, association_admin, staff)
    login(client, staff)
    start_amendment(client, lease, [association_admin, staff], monthly_rent="900,00")
    post_form(client, f"/leases/{lease.id}/offer", {}, form_url=f"/leases/{lease.id}")
    db.session.expire_all()
    offered = signing.current_contract(lease)
    with app.test_request_context("/"):
        lifecycle.terminate(staff, lease, TODAY + timedelta(days=30), "Vesivahinko")
    db.session.flush()
    assert not lease.amending and lease.monthly_rent == Decimal("1200.00")
    assert not documents.verify(offered.sha256).is_current
    tenant = app.test_client()
    login(tenant, association_admin)
    assert post_form(tenant, f"/leases/{lease.id}/sign", {"password": PASSWORD}, form_url="/").status_code == 403
