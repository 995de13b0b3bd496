"""Lease services: drafting, the rules each term must keep (nothing saved on a breach), offer and signing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.documents import services as documents
from leasing.errors import Conflict, PermissionDenied, RuleViolation
from leasing.extensions import db
from leasing.leases import rules, services, signing
from leasing.leases.models import Lease, Responsibility
from leasing.leases.vocabulary import LeaseStatus
from leasing.premises.vocabulary import BuildingStatus
from tests.factories import PASSWORD, make_lease, make_org, make_user
from tests.leases.kit import START, accepted_application, spaces_of, terms


def lease_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Lease))


def test_draft_gets_a_number_a_valid_reference_and_the_default_responsibilities(app_ctx, staff, association):
    application = accepted_application(association)
    lease = services.create_draft(staff, application, terms())
    year = date.today().year
    assert lease.number == f"TK-{year}-0001"
    assert rules.is_valid_reference(lease.reference_number)
    assert lease.reference_number.startswith(f"{year}0001")
    assert lease.iban == "FI4950009420028730"
    assert len(lease.responsibilities) == 9
    assert lease.tenant_id == association.id and lease.status == LeaseStatus.DRAFT
    second = services.create_draft(staff, accepted_application(association), terms())
    assert second.number == f"TK-{year}-0002"


def test_draft_defaults_come_from_the_application(app_ctx, staff, association, association_admin):
    application = accepted_application(association, requested_term_months=12)
    values = services.draft_defaults(application)
    assert values["start_date"] == START
    assert values["end_date"] == START.replace(year=START.year + 1) - timedelta(days=1)
    assert values["notice_period_months"] is None
    assert values["whole_building"] is True
    assert association_admin.id in values["signer_ids"]
    assert staff.id in values["signer_ids"]
    assert rules.is_valid_iban(values["iban"])


def test_only_staff_draft(app_ctx, association, association_admin):
    with pytest.raises(PermissionDenied):
        services.create_draft(association_admin, accepted_application(association), terms())


def test_only_an_accepted_application_is_drafted(app_ctx, staff, association):
    with pytest.raises(Conflict):
        services.create_draft(staff, accepted_application(association, status="under_review"), terms())


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"end_date": START - timedelta(days=1)}, "end_date"),
        ({"start_date": date.today() - timedelta(days=1)}, "start_date"),
        ({"monthly_rent": Decimal("-1.00")}, "monthly_rent"),
        ({"deposit": Decimal("-1.00")}, "deposit"),
        ({"iban": "FI49 5000 9420 0287 31"}, "iban"),
        ({"notice_period_months": None}, "notice_period_months"),
        ({"notice_period_months": 30}, "notice_period_months"),
        ({"due_day": 31}, "due_day"),
        ({"index_base_month": date(2026, 9, 1)}, "index_base_value"),
        (
            {"rent_steps": [{"starts_on": START - timedelta(days=1), "ends_on": START, "monthly_rent": Decimal(0)}]},
            "rent_steps-0-starts_on",
        ),
        ({"whole_building": False, "space_ids": []}, "space_ids"),
    ],
)
def test_bad_terms_are_refused_with_a_field_message_and_nothing_saved(app_ctx, staff, association, overrides, field):
    application = accepted_application(association)
    before = lease_count()
    with pytest.raises(RuleViolation) as caught:
        services.create_draft(staff, application, terms(**overrides))
    assert field in caught.value.fields
    assert str(caught.value.fields[field][0])
    db.session.rollback()
    assert lease_count() == before


def test_a_lease_of_spaces_another_lease_holds_is_refused(app_ctx, staff, association):
    first = accepted_application(association)
    building = first.building
    a, b = spaces_of(building)
    services.create_draft(staff, first, terms(whole_building=False, space_ids=[a.id]))
    other = make_org()
    second = accepted_application(other, building=building, spaces=[a])
    with pytest.raises(RuleViolation) as caught:
        services.create_draft(staff, second, terms(whole_building=False, space_ids=[a.id, b.id]))
    assert "space_ids" in caught.value.fields
    # another space of the same building is free
    services.create_draft(staff, second, terms(whole_building=False, space_ids=[b.id]))


def test_an_ended_lease_does_not_hold_its_spaces(app_ctx, staff, association):
    application = accepted_application(association)
    make_lease(application.building, status=LeaseStatus.EXPIRED, start_date=date(2020, 1, 1))
    make_lease(
        application.building,
        status=LeaseStatus.ACTIVE,
        start_date=date(2020, 1, 1),
        end_date=date(2021, 12, 31),
        notice_period_months=None,
    )
    services.create_draft(staff, application, terms())


def test_a_whole_building_lease_clashes_with_any_space(app_ctx, staff, association):
    application = accepted_application(association)
    (space,) = spaces_of(application.building, 1)
    make_lease(application.building, whole_building=False, spaces=[space], start_date=START + timedelta(days=300))
    with pytest.raises(RuleViolation) as caught:
        services.create_draft(staff, application, terms())
    assert "whole_building" in caught.value.fields


def draft_with_signers(staff, association, admin, **overrides):
    application = accepted_application(association)
    return services.create_draft(staff, application, terms(signer_ids=[admin.id, staff.id], **overrides))


def test_offer_issues_version_one(app_ctx, staff, association, association_admin, outbox):
    lease = draft_with_signers(staff, association, association_admin)
    signing.offer(staff, lease)
    document = signing.current_contract(lease)
    assert lease.status == LeaseStatus.OFFERED and document.version == 1


def test_offer_needs_a_signer_for_each_side(app_ctx, staff, association, association_admin):
    lease = services.create_draft(staff, accepted_application(association), terms(signer_ids=[association_admin.id]))
    with pytest.raises(RuleViolation):
        signing.offer(staff, lease)


def test_whole_signing_path_leases_the_building(app_ctx, staff, association, association_admin, outbox):
    lease = draft_with_signers(staff, association, association_admin)
    signing.offer(staff, lease)
    with pytest.raises(Conflict):  # the tenant signs first
        signing.sign(staff, lease, PASSWORD, "127.0.0.1")
    signing.sign(association_admin, lease, PASSWORD, "127.0.0.1")
    assert lease.status == LeaseStatus.OFFERED
    with pytest.raises(Conflict):  # the same person twice
        signing.sign(association_admin, lease, PASSWORD, "127.0.0.1")
    signing.sign(staff, lease, PASSWORD, "127.0.0.2")
    assert lease.status == LeaseStatus.SIGNED
    assert lease.building.status == BuildingStatus.LEASED
    sealed = signing.published_pdf(lease)
    assert sealed.kind == "signed"
    assert documents.verify(sealed.sha256).sealed_from.id == signing.current_contract(lease).id


def test_wrong_password_saves_no_signature(app_ctx, staff, association, association_admin, outbox):
    lease = draft_with_signers(staff, association, association_admin)
    signing.offer(staff, lease)
    with pytest.raises(RuleViolation) as caught:
        signing.sign(association_admin, lease, "väärä salasana", "127.0.0.1")
    assert caught.value.field == "password"
    assert documents.live_signatures(signing.current_contract(lease)) == []


def test_a_change_after_the_offer_voids_earlier_signatures(app_ctx, staff, association, association_admin, outbox):
    lease = draft_with_signers(staff, association, association_admin)
    signing.offer(staff, lease)
    first = signing.current_contract(lease)
    signing.sign(association_admin, lease, PASSWORD, "127.0.0.1")
    services.update_terms(
        staff, lease, terms(signer_ids=[association_admin.id, staff.id], monthly_rent=Decimal("999.00"))
    )
    second = signing.current_contract(lease)
    assert second.version == 2 and lease.status == LeaseStatus.OFFERED
    assert documents.live_signatures(first) == [] and documents.live_signatures(second) == []
    with pytest.raises(Conflict):
        documents.sign(first, signer=association_admin, organization=association, ip_address=None)
    signing.sign(association_admin, lease, PASSWORD, "127.0.0.1")  # the new version can be signed


def test_a_member_without_signing_authority_cannot_sign(app_ctx, staff, association, association_admin, outbox):
    member = make_user(association)
    lease = draft_with_signers(staff, association, association_admin)
    signing.offer(staff, lease)
    with pytest.raises(PermissionDenied):
        signing.sign(member, lease, PASSWORD, "127.0.0.1")


def test_a_signer_who_lost_authority_cannot_sign(app_ctx, staff, association, association_admin, outbox):
    lease = draft_with_signers(staff, association, association_admin)
    signing.offer(staff, lease)
    association_admin.membership_in(association).can_sign = False
    with pytest.raises(PermissionDenied):
        signing.sign(association_admin, lease, PASSWORD, "127.0.0.1")


def test_responsibilities_can_be_changed(app_ctx, staff, association):
    lease = services.create_draft(staff, accepted_application(association), terms())
    values = terms()
    values["responsibilities"] = {**values["responsibilities"]}
    from leasing.leases.vocabulary import Item, Party

    values["responsibilities"][Item.CLEANING] = (Party.LANDLORD, "Kerran viikossa")
    services.update_terms(staff, lease, values)
    row = db.session.execute(
        sa.select(Responsibility).where(Responsibility.lease_id == lease.id, Responsibility.item == Item.CLEANING)
    ).scalar_one()
    assert row.party == Party.LANDLORD and row.note == "Kerran viikossa"
