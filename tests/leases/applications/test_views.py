"""Application pages through HTTP with CSRF on: apply, the thread, decisions, e-mails, attachments, the inbox."""

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.extensions import db
from leasing.leases import application_services as services
from leasing.leases.application_models import ApplicationAttachment, ApplicationStatus, LeaseApplication
from leasing.premises.vocabulary import BuildingStatus
from tests.accounts.conftest import field_error
from tests.conftest import count_queries, login, post_form
from tests.factories import make_building, make_org, make_space, make_user
from tests.leases.applications.conftest import form_data, make_application
from tests.premises.conftest import pdf_bytes


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def apply(client, building, data, **files):
    url = f"/premises/{building.id}/apply"
    return post_form(client, url, {**data, **files}, form_url=url, content_type="multipart/form-data")


def by_recipient(outbox):
    return {m["To"]: m for m in outbox}


def link_in(message):
    return re.search(r"http://localhost/applications/(\d+)", message.get_content())


@pytest.fixture
def applicant(client, association_admin):
    login(client, association_admin)
    return client


def test_building_page_links_to_the_apply_form(applicant, building):
    html = applicant.get(f"/premises/{building.id}").get_data(as_text=True)
    assert f'href="/premises/{building.id}/apply"' in html


def test_apply_form_lists_the_spaces_in_a_fieldset(applicant, building):
    html = applicant.get(f"/premises/{building.id}/apply").get_data(as_text=True)
    assert '<fieldset aria-describedby="spaces-hint" id="spaces">' in html
    assert "Konehalli" in html and "Puuverstas" in html


def test_apply_sends_the_application_and_mails_staff_and_applicant(
    app, applicant, association, association_admin, staff, building, outbox
):
    colleague = make_user(staff.memberships[0].organization, Role.MEMBER, locale="fi")
    response = apply(applicant, building, form_data(association), attachment=(io.BytesIO(pdf_bytes()), "plan.pdf"))
    assert response.status_code == 302
    application = db.session.scalar(sa.select(LeaseApplication))
    assert response.headers["Location"] == f"/applications/{application.id}"
    assert application.status == ApplicationStatus.SUBMITTED and len(application.attachments) == 1
    mails = by_recipient(outbox)
    assert set(mails) == {staff.email, colleague.email, association_admin.email}
    assert "New lease application for Välivainion varikko" in mails[staff.email]["Subject"]
    assert mails[colleague.email]["Subject"]  # in the colleague's language once the catalogue has it
    assert "We received your application" in mails[association_admin.email]["Subject"]
    for message in outbox:
        assert link_in(message).group(1) == str(application.id)


def test_chosen_spaces_are_saved(applicant, association, building, outbox):
    space = building.spaces[1]
    response = apply(applicant, building, form_data(association, scope="spaces", spaces=[str(space.id)]))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(LeaseApplication)).spaces == [space]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"requested_start": (date.today() - timedelta(days=1)).isoformat()}, "requested_start", "today or later"),
        ({"expected_groups": "-2"}, "expected_groups", "0 or more"),
        ({"scope": "spaces"}, "spaces", "at least one space"),
        ({"proposed_use": ""}, "proposed_use", "Describe what"),
    ],
)
def test_bad_input_shows_the_error_next_to_the_field(applicant, association, building, overrides, field, message):
    response = apply(applicant, building, form_data(association, **overrides))
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert count(LeaseApplication) == 0


def test_a_space_of_another_building_is_refused(applicant, association, building):
    elsewhere = make_space(make_building())
    response = apply(applicant, building, form_data(association, scope="spaces", spaces=[str(elsewhere.id)]))
    assert response.status_code == 422
    assert "this building only" in field_error(response.get_data(as_text=True), "spaces")


def test_a_non_pdf_attachment_is_refused_next_to_the_field(applicant, association, building, upload_folder):
    response = apply(applicant, building, form_data(association), attachment=(io.BytesIO(b"GIF89a..."), "x.pdf"))
    assert response.status_code == 422
    assert "must be a PDF" in field_error(response.get_data(as_text=True), "attachment")
    assert count(LeaseApplication) == 0
    assert not list(upload_folder.rglob("*.pdf"))


def test_a_second_open_application_is_a_clear_error(applicant, association, association_admin, building, outbox):
    make_application(association_admin, building, association)
    response = apply(applicant, building, form_data(association))
    assert response.status_code == 409
    assert "already has an open application" in response.get_data(as_text=True)
    assert count(LeaseApplication) == 1


def test_the_whole_path_with_messages_and_mails(app, client, staff, association, association_admin, building, outbox):
    application = make_application(association_admin, building, association)
    url = f"/applications/{application.id}"
    login(client, staff)
    assert post_form(client, f"{url}/review", {}, form_url=url).status_code == 302
    asking = {"body": "Lähettäkää budjetti", "ask_information": "y"}
    response = post_form(client, f"{url}/messages", asking, form_url=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert application.status == ApplicationStatus.INFORMATION_REQUESTED
    assert outbox[-1]["To"] == association_admin.email and "More information" in outbox[-1]["Subject"]
    assert link_in(outbox[-1])

    applicant = app.test_client()
    login(applicant, association_admin)
    assert "Lähettäkää budjetti" in applicant.get(url).get_data(as_text=True)
    assert post_form(applicant, f"{url}/messages", {"body": "Liitteenä"}, form_url=url).status_code == 302
    db.session.expire_all()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert outbox[-1]["To"] == staff.email and "replied" in outbox[-1]["Subject"]

    assert post_form(client, f"{url}/accept", {"note": "Tervetuloa"}, form_url=url).status_code == 302
    db.session.expire_all()
    assert application.status == ApplicationStatus.ACCEPTED and building.status == BuildingStatus.NEGOTIATING
    assert outbox[-1]["To"] == association_admin.email and "was accepted" in outbox[-1]["Subject"]

    assert post_form(applicant, f"{url}/withdraw", {"withdraw_reason": "Muutimme"}, form_url=url).status_code == 302
    db.session.expire_all()
    assert application.status == ApplicationStatus.WITHDRAWN and building.status == BuildingStatus.VACANT
    assert outbox[-1]["To"] == staff.email and "withdrew" in outbox[-1]["Subject"] and "Muutimme" in str(outbox[-1])


def test_reject_needs_a_reason_and_mails_it(client, staff, association, association_admin, building, outbox):
    application = make_application(association_admin, building, association)
    url = f"/applications/{application.id}"
    login(client, staff)
    response = post_form(client, f"{url}/reject", {"reason": ""}, form_url=url)
    assert response.status_code == 422
    assert "Enter the reason" in field_error(response.get_data(as_text=True), "reason")
    assert outbox == []
    assert post_form(client, f"{url}/reject", {"reason": "Tila on varattu"}, form_url=url).status_code == 302
    assert outbox[-1]["To"] == association_admin.email and "Tila on varattu" in outbox[-1].get_content()


def test_accepting_before_review_is_a_conflict(client, staff, association, association_admin, building):
    application = make_application(association_admin, building, association)
    login(client, staff)
    url = f"/applications/{application.id}"
    assert post_form(client, f"{url}/accept", {}, form_url=url).status_code == 409


def test_attachment_download_is_for_the_applicant_and_staff_only(
    app, client, staff, association, association_admin, association_member, building
):
    application = make_application(association_admin, building, association)
    services.add_attachment(association_admin, application, io.BytesIO(pdf_bytes()), "Budjetti")
    attachment = db.session.scalar(sa.select(ApplicationAttachment))
    url = f"/applications/{application.id}/attachments/{attachment.id}"
    other = make_org(OrgKind.ASSOCIATION)
    for user, status in ((association_member, 200), (staff, 200), (make_user(other, Role.ADMIN), 404)):
        c = app.test_client()
        login(c, user)
        response = c.get(url)
        assert response.status_code == status
        if status == 200:
            assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert client.get(url).status_code == 302


def test_another_attachment_on_the_application_page(applicant, association, association_admin, building):
    application = make_application(association_admin, building, association)
    url = f"/applications/{application.id}"
    data = {"title": "Toimintasuunnitelma", "attachment": (io.BytesIO(b"plain text"), "x.pdf")}
    response = post_form(applicant, f"{url}/attachments", data, form_url=url, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "must be a PDF" in field_error(response.get_data(as_text=True), "attachment")
    data["attachment"] = (io.BytesIO(pdf_bytes()), "x.pdf")
    response = post_form(applicant, f"{url}/attachments", data, form_url=url, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "Toimintasuunnitelma" in applicant.get(url).get_data(as_text=True)


def test_inbox_lists_open_first_and_filters_by_status(client, staff, association, association_admin, building):
    decided = make_application(association_admin, building, association)
    services.reject(staff, decided, "Ei")
    make_application(association_admin, building, association, proposed_use="Toinen")
    login(client, staff)
    html = client.get("/staff/applications").get_data(as_text=True)
    assert "Submitted (1)" in html and "Rejected (1)" in html and "<caption>" in html
    rows = html.split("<tbody>")[1]
    assert rows.index("Submitted") < rows.index("Rejected")
    filtered = client.get("/staff/applications?status=rejected").get_data(as_text=True).split("<tbody>")[1]
    assert "Rejected" in filtered and "Submitted" not in filtered
    assert "Applications" in html and "(1" in html  # the menu's pending count


def _many(n):
    """``n`` applications, each for its own building and spaces (the business IDs of the factory run out)."""
    for _ in range(n):
        building = make_building()
        make_space(building)
        org = make_org(OrgKind.CULTURAL_GROUP)
        application = LeaseApplication(
            building=building,
            organization=org,
            whole_building=False,
            proposed_use="x",
            requested_start=date.today(),
            expected_groups=1,
            expected_young_people=1,
            spaces=list(building.spaces),
        )
        db.session.add(application)
    db.session.flush()


def _inbox_queries(client):
    with count_queries() as counter:
        assert client.get("/staff/applications").status_code == 200
    return counter.count


def test_inbox_query_count_does_not_grow_with_applications(client, staff):
    login(client, staff)
    _many(3)
    few = _inbox_queries(client)
    _many(27)
    many = _inbox_queries(client)
    assert few == many, (few, many)


def test_our_applications_lists_the_associations_applications(applicant, association, association_admin, building):
    make_application(association_admin, building, association)
    html = applicant.get("/applications").get_data(as_text=True)
    assert "Välivainion varikko" in html and "Our applications" in html
