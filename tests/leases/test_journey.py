"""The whole lease path through the HTML pages, as the people involved walk it.

apply → information requested → accepted → drafted → offered → signed by both → active →
notice → ended, with the e-mails read at the test SMTP server and the building's status at
each step.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from leasing.extensions import db
from leasing.leases import rules
from leasing.leases.application_models import ApplicationStatus, LeaseApplication
from leasing.leases.models import Lease
from leasing.leases.vocabulary import LeaseStatus
from leasing.premises.vocabulary import BuildingStatus
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_building, make_space
from tests.leases.kit import form_data


def _subjects_to(outbox, address):
    return [m["Subject"] for m in outbox if m["To"] == address]


def _ok(response):
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()


def _apply(applicant, building, association, start):
    url = f"/premises/{building.id}/apply"
    data = {
        "organization_id": str(association.id),
        "scope": "whole",
        "proposed_use": "Nuorten kulttuuritalo: treenikämpät, teatteri ja taidepajat",
        "operating_model": "Yhdistys vuokraa huoneet edelleen ryhmille.",
        "requested_start": start.isoformat(),
        "requested_term_months": "",
        "expected_groups": "8",
        "expected_young_people": "150",
    }
    _ok(post_form(applicant, url, data, form_url=url))
    return db.session.scalar(sa.select(LeaseApplication).where(LeaseApplication.building_id == building.id))


def _review_and_accept(staff_client, applicant, application, outbox, admin):
    url = f"/applications/{application.id}"
    _ok(post_form(staff_client, f"{url}/review", {}, form_url=url))
    asking = {"body": "Lähettäkää vielä toimintasuunnitelma.", "ask_information": "y"}
    _ok(post_form(staff_client, f"{url}/messages", asking, form_url=url))
    assert application.status == ApplicationStatus.INFORMATION_REQUESTED
    assert any("More information" in s for s in _subjects_to(outbox, admin.email))
    _ok(post_form(applicant, f"{url}/messages", {"body": "Suunnitelma on liitteenä."}, form_url=url))
    assert application.status == ApplicationStatus.UNDER_REVIEW
    _ok(post_form(staff_client, f"{url}/accept", {"note": "Tervetuloa neuvottelemaan."}, form_url=url))
    assert application.status == ApplicationStatus.ACCEPTED


def _draft_and_offer(staff_client, application, signers, start):
    page = staff_client.get(f"/applications/{application.id}").get_data(as_text=True)
    new_url = f"/applications/{application.id}/lease/new"
    assert new_url in page  # the accepted application leads staff to drafting
    data = form_data(signer_ids=[u.id for u in signers], start_date=start.isoformat())
    _ok(post_form(staff_client, new_url, data, form_url=new_url))
    lease = db.session.scalar(sa.select(Lease).where(Lease.application_id == application.id))
    assert lease.status == LeaseStatus.DRAFT
    _ok(post_form(staff_client, f"/leases/{lease.id}/offer", {}, form_url=f"/leases/{lease.id}"))
    assert lease.status == LeaseStatus.OFFERED
    return lease


def test_the_whole_lease_path_through_the_pages(app, client, runner, staff, association, association_admin, outbox):
    building = make_building(name="Tuiran vanha paloasema")
    make_space(building, name="Kalustohalli")
    applicant = app.test_client()
    login(applicant, association_admin)
    login(client, staff)
    start = date.today()

    application = _apply(applicant, building, association, start)
    assert application.status == ApplicationStatus.SUBMITTED and building.status == BuildingStatus.VACANT
    assert _subjects_to(outbox, staff.email) and _subjects_to(outbox, association_admin.email)

    _review_and_accept(client, applicant, application, outbox, association_admin)
    assert building.status == BuildingStatus.NEGOTIATING
    assert any("accepted" in s for s in _subjects_to(outbox, association_admin.email))

    lease = _draft_and_offer(client, application, [association_admin, staff], start)
    assert building.status == BuildingStatus.NEGOTIATING
    assert any("ready for signing" in s for s in _subjects_to(outbox, association_admin.email))

    sign_url = f"/leases/{lease.id}/sign"
    _ok(post_form(applicant, sign_url, {"password": PASSWORD}, form_url=f"/leases/{lease.id}"))
    assert lease.status == LeaseStatus.OFFERED  # the facilities centre has not signed yet
    _ok(post_form(client, sign_url, {"password": PASSWORD}, form_url=f"/leases/{lease.id}"))
    assert lease.status == LeaseStatus.SIGNED and building.status == BuildingStatus.LEASED
    assert any("signed" in s for s in _subjects_to(outbox, association_admin.email))
    assert any("signed" in s for s in _subjects_to(outbox, staff.email))
    assert applicant.get(f"/leases/{lease.id}/contract.pdf").mimetype == "application/pdf"

    assert runner.invoke(args=["leases", "tick"]).exit_code == 0
    db.session.expire_all()
    assert lease.status == LeaseStatus.ACTIVE and building.status == BuildingStatus.LEASED

    notice = {"given_on": date.today().isoformat(), "reason": "Toiminta siirtyy Välivainioon."}
    _ok(post_form(applicant, f"/leases/{lease.id}/notice", notice, form_url=f"/leases/{lease.id}"))
    assert lease.ends_on == rules.notice_end_date(date.today(), 3)
    assert any("Notice" in s for s in _subjects_to(outbox, staff.email))

    after_end = (lease.ends_on + timedelta(days=1)).isoformat()
    assert runner.invoke(args=["leases", "tick", "--today", after_end]).exit_code == 0
    db.session.expire_all()
    assert lease.status in (LeaseStatus.EXPIRED, LeaseStatus.TERMINATED)
    assert building.status == BuildingStatus.VACANT
