"""Application services: each transition, the building's status, and refusals that save nothing."""

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.audit import AuditEvent
from leasing.errors import Conflict, PermissionDenied, RuleViolation
from leasing.extensions import db
from leasing.leases import application_services as services
from leasing.leases.application_models import ApplicationAttachment, ApplicationStatus, LeaseApplication
from leasing.premises.vocabulary import BuildingStatus
from tests.factories import make_building, make_org, make_space, make_user
from tests.leases.applications.conftest import make_application
from tests.premises.conftest import pdf_bytes

pytestmark = pytest.mark.usefixtures("app_ctx")


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def actions(application):
    query = sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "LeaseApplication", AuditEvent.object_id == application.id
    )
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def test_submit_whole_building(association_admin, association, building):
    application = make_application(association_admin, building, association)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.organization == association and application.submitted_by_id == association_admin.id
    assert application.spaces == [] and application.whole_building
    assert actions(application) == ["application.submit"]


def test_submit_chosen_spaces(association_admin, association, building):
    first = building.spaces[0]
    application = make_application(association_admin, building, association, whole_building=False, space_ids=[first.id])
    assert application.spaces == [first]


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"requested_start": date.today() - timedelta(days=1)}, "requested_start"),
        ({"expected_groups": -1}, "expected_groups"),
        ({"expected_young_people": -3}, "expected_young_people"),
        ({"whole_building": False, "space_ids": []}, "spaces"),
        ({"requested_term_months": 0}, "requested_term_months"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(association_admin, association, building, overrides, field):
    with pytest.raises(RuleViolation) as err:
        make_application(association_admin, building, association, **overrides)
    assert field in err.value.fields
    assert count(LeaseApplication) == 0


def test_spaces_of_another_building_are_refused(association_admin, association, building):
    elsewhere = make_space(make_building())
    with pytest.raises(RuleViolation) as err:
        make_application(association_admin, building, association, whole_building=False, space_ids=[elsewhere.id])
    assert "spaces" in err.value.fields
    assert count(LeaseApplication) == 0


def test_one_open_application_per_association_and_building(association_admin, association, building):
    make_application(association_admin, building, association)
    with pytest.raises(Conflict, match="already has an open application"):
        make_application(association_admin, building, association)
    other = make_org(OrgKind.ASSOCIATION)
    other_admin = make_user(other, Role.ADMIN)
    make_application(other_admin, building, other)
    assert count(LeaseApplication) == 2


def test_a_withdrawn_application_does_not_block_a_new_one(association_admin, association, building):
    services.withdraw(association_admin, make_application(association_admin, building, association))
    make_application(association_admin, building, association)
    assert count(LeaseApplication) == 2


def test_only_association_admins_apply_for_vacant_buildings(association_member, association, staff, building):
    for user in (association_member, staff):
        with pytest.raises(PermissionDenied):
            make_application(user, building, association)
    admin = make_user(association, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        make_application(admin, make_building(status=BuildingStatus.NEGOTIATING), association)


def test_applying_for_an_association_one_does_not_administer(association_admin, building):
    other = make_org(OrgKind.ASSOCIATION)
    with pytest.raises(RuleViolation) as err:
        make_application(association_admin, building, other)
    assert "organization_id" in err.value.fields


def test_attachment_pdf_is_stored_and_non_pdf_refused(association_admin, association, building, upload_folder):
    application = make_application(association_admin, building, association)
    attachment = services.add_attachment(association_admin, application, io.BytesIO(pdf_bytes()), "Budjetti")
    assert attachment.sha256 and (upload_folder / "documents" / attachment.filename).is_file()
    with pytest.raises(RuleViolation) as err:
        services.add_attachment(association_admin, application, io.BytesIO(b"not a pdf"), "Kuva")
    assert "attachment" in err.value.fields
    assert count(ApplicationAttachment) == 1


def test_review_accept_moves_the_building_to_negotiating(staff, association_admin, association, building):
    application = make_application(association_admin, building, association)
    with pytest.raises(Conflict):
        services.accept(staff, application)
    services.start_review(staff, application)
    services.accept(staff, application, "Tervetuloa neuvottelemaan")
    assert application.status == ApplicationStatus.ACCEPTED and application.decided_by_id == staff.id
    assert building.status == BuildingStatus.NEGOTIATING
    assert services.accepted_application(building) == application
    assert actions(application) == ["application.submit", "application.start_review", "application.accept"]


def test_only_one_application_is_accepted_at_a_time(staff, association_admin, association, building):
    first = make_application(association_admin, building, association)
    other = make_org(OrgKind.ASSOCIATION)
    second = make_application(make_user(other, Role.ADMIN), building, other)
    for application in (first, second):
        services.start_review(staff, application)
    services.accept(staff, first)
    with pytest.raises(Conflict, match="one application can be accepted"):
        services.accept(staff, second)
    assert second.status == ApplicationStatus.UNDER_REVIEW


def test_rejecting_needs_a_reason_and_frees_the_building(staff, association_admin, association, building):
    application = make_application(association_admin, building, association)
    services.start_review(staff, application)
    services.accept(staff, application)
    with pytest.raises(RuleViolation) as err:
        services.reject(staff, application, "  ")
    assert "reason" in err.value.fields
    services.reject(staff, application, "Rakennus myydään")
    assert application.status == ApplicationStatus.REJECTED and application.decision_note == "Rakennus myydään"
    assert building.status == BuildingStatus.VACANT
    assert services.accepted_application(building) is None


def test_rejecting_an_open_application_leaves_the_building_alone(staff, association_admin, association, building):
    application = make_application(association_admin, building, association)
    services.reject(staff, application, "Ei sovi")
    assert building.status == BuildingStatus.VACANT


def test_withdrawing_an_accepted_application_frees_the_building(staff, association_admin, association, building):
    application = make_application(association_admin, building, association)
    services.start_review(staff, application)
    services.accept(staff, application)
    services.withdraw(association_admin, application, "Rahoitus ei järjestynyt")
    assert application.status == ApplicationStatus.WITHDRAWN and application.withdrawn_at is not None
    assert building.status == BuildingStatus.VACANT
    with pytest.raises(PermissionDenied):
        services.withdraw(association_admin, application)


def test_withdraw_keeps_a_leased_building_leased(staff, association_admin, association, building):
    application = make_application(association_admin, building, association)
    services.start_review(staff, application)
    services.accept(staff, application)
    building.status = BuildingStatus.LEASED
    services.withdraw(association_admin, application)
    assert building.status == BuildingStatus.LEASED


def test_information_requested_and_the_reply_resumes_the_review(staff, association_admin, association, building):
    application = make_application(association_admin, building, association)
    services.start_review(staff, application)
    asked = services.post_message(staff, application, "Lähettäkää budjetti", ask_information=True)
    assert asked.asks_information and application.status == ApplicationStatus.INFORMATION_REQUESTED
    assert asked.organization.kind == OrgKind.FACILITIES_CENTRE
    reply = services.post_message(association_admin, application, "Budjetti liitteenä")
    assert reply.organization == association and application.status == ApplicationStatus.UNDER_REVIEW
    assert [m.body for m in services.load_thread(application)] == ["Lähettäkää budjetti", "Budjetti liitteenä"]


def test_applicant_cannot_ask_for_information_and_members_cannot_post(
    association_admin, association_member, association, building
):
    application = make_application(association_admin, building, association)
    message = services.post_message(association_admin, application, "Hei", ask_information=True)
    assert not message.asks_information and application.status == ApplicationStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.post_message(association_member, application, "Hei")


def test_empty_message_is_refused(association_admin, association, building):
    application = make_application(association_admin, building, association)
    with pytest.raises(RuleViolation):
        services.post_message(association_admin, application, "   ")


def test_staff_cannot_move_a_decided_application(staff, association_admin, association, building):
    application = make_application(association_admin, building, association)
    services.reject(staff, application, "Ei")
    for call in (lambda: services.start_review(staff, application), lambda: services.reject(staff, application, "x")):
        with pytest.raises(Conflict):
            call()


def test_inbox_puts_open_applications_first_with_counts(staff, association_admin, association, building):
    decided = make_application(association_admin, building, association)
    services.reject(staff, decided, "Ei")
    waiting = make_application(association_admin, building, association)
    rows, counts = services.inbox()
    assert rows == [waiting, decided]
    assert counts == {ApplicationStatus.SUBMITTED: 1, ApplicationStatus.REJECTED: 1}
    assert services.inbox(ApplicationStatus.REJECTED)[0] == [decided]
    assert services.pending_count() == 1
    assert services.for_user(association_admin) == [waiting, decided]
