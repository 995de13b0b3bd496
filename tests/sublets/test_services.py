"""Sublet services: drafting with every rule, numbering, offer, versions, signatures, sealing, approval,
cancel and early termination; mails with their recipients, audit rows, and the signals."""

from contextlib import contextmanager
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.audit import AuditEvent
from leasing.documents.models import Document, Signature
from leasing.errors import Conflict, PermissionDenied, RuleViolation
from leasing.extensions import db
from leasing.leases.vocabulary import LeaseStatus
from leasing.sublets import services, signing
from leasing.sublets.models import Sublet
from leasing.sublets.signals import sublet_ending
from leasing.sublets.vocabulary import SubletKind, SubletStatus
from tests.factories import PASSWORD, make_house, make_org, make_space, make_user
from tests.sublets.kit import END, START, deliver, make_sublet, pdf_text, slot_values, to, values

TODAY = date.today()


@pytest.fixture
def house(app_ctx, staff, association):
    """An active lease of a two-space building to the association (staff first: they are the centre)."""
    return make_house(tenant=association)


def _audit(sublet):
    rows = db.session.execute(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "Sublet", AuditEvent.object_id == sublet.id)
    ).scalars()
    return list(rows)


@contextmanager
def _received(signal):
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signal.connect(receiver)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)


# --- drafting and the rules ---------------------------------------------------------------------------


def test_drafts_are_numbered_per_year_and_audited(house, association_admin, group):
    first = services.create_draft(association_admin, house, values(house, group))
    second = services.create_draft(
        association_admin, house, values(house, group, space=house.building.spaces[1], language="en")
    )
    assert first.number == f"AV-{TODAY.year}-0001" and second.number == f"AV-{TODAY.year}-0002"
    assert first.status == SubletStatus.DRAFT and first.association_id == house.tenant_id
    assert _audit(first) == ["sublet.create"]


@pytest.mark.parametrize("who", ["association_member", "group_admin", "staff"])
def test_only_the_associations_admins_draft(request, house, group, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_draft(user, house, values(house, group))


def _violation(actor, lease, data):
    count = sa.select(sa.func.count()).select_from(Sublet)
    before = db.session.execute(count).scalar_one()
    with pytest.raises(RuleViolation) as caught:
        services.create_draft(actor, lease, data)
    assert db.session.execute(count).scalar_one() == before  # nothing half-written
    return caught.value.fields


def test_a_lease_that_does_not_allow_subletting(app_ctx, staff, association, association_admin, group):
    lease = make_house(tenant=association, subletting_allowed=False)
    assert "lease" in _violation(association_admin, lease, values(lease, group))


@pytest.mark.parametrize("status", [LeaseStatus.DRAFT, LeaseStatus.OFFERED, LeaseStatus.TERMINATED])
def test_a_lease_not_signed_or_active(app_ctx, staff, association, association_admin, group, status):
    lease = make_house(tenant=association, status=status)
    assert "lease" in _violation(association_admin, lease, values(lease, group))


def test_an_expired_lease(app_ctx, staff, association, association_admin, group):
    lease = make_house(tenant=association, end_date=TODAY - timedelta(days=1), start_date=TODAY - timedelta(days=99))
    assert "lease" in _violation(association_admin, lease, values(lease, group))


def test_the_period_lies_inside_the_lease(house, association_admin, group):
    fields = _violation(association_admin, house, values(house, group, ends_on=house.end_date + timedelta(days=1)))
    assert list(fields) == ["ends_on"]
    lease = make_house(tenant=house.tenant, start_date=TODAY + timedelta(days=30), status=LeaseStatus.SIGNED)
    assert list(_violation(association_admin, lease, values(lease, group))) == ["starts_on"]


def test_an_indefinite_lease_without_notice_has_no_last_day(house, association_admin, group):
    lease = make_house(tenant=house.tenant, end_date=None, notice_period_months=3)
    sublet = services.create_draft(association_admin, lease, values(lease, group, ends_on=TODAY.replace(year=2040)))
    assert sublet.ends_on.year == 2040


def test_the_space_must_be_in_the_leased_premises(house, association_admin, group):
    elsewhere = make_house(tenant=make_org()).building.spaces[0]
    assert list(_violation(association_admin, house, values(house, group, space=elsewhere))) == ["space_id"]
    partial = make_house(tenant=house.tenant, whole_building=False)
    partial.spaces = [partial.building.spaces[0]]
    db.session.flush()
    assert "space_id" in _violation(
        association_admin, partial, values(partial, group, space=partial.building.spaces[1])
    )
    services.create_draft(association_admin, partial, values(partial, group, space=partial.building.spaces[0]))


def test_the_subtenant_is_a_cultural_group_other_than_the_association(house, association_admin):
    other_association = make_org(OrgKind.ASSOCIATION)
    assert list(_violation(association_admin, house, values(house, other_association))) == ["group_id"]
    assert list(_violation(association_admin, house, values(house, house.tenant))) == ["group_id"]


def test_bad_terms_are_reported_on_their_fields(house, association_admin, group):
    data = slot_values(house, group, ends=time(17), monthly_rent=Decimal("-1"), ends_on=START - timedelta(days=1))
    fields = _violation(association_admin, house, data)
    assert set(fields) == {"slot_ends", "monthly_rent", "ends_on"}


def test_exclusive_sublets_of_one_space_never_overlap(house, association_admin, group):
    taken = make_sublet(house, make_org(OrgKind.CULTURAL_GROUP), starts_on=START + timedelta(days=30))
    fields = _violation(association_admin, house, values(house, group))
    assert taken.number in fields["space_id"][0]
    # the other space is free, and so is the same space after the other sublet
    services.create_draft(association_admin, house, values(house, group, space=house.building.spaces[1]))
    services.create_draft(association_admin, house, values(house, group, ends_on=START + timedelta(days=29)))


def test_an_exclusive_sublet_and_a_slot_never_share_a_period(house, association_admin, group):
    make_sublet(house, make_org(OrgKind.CULTURAL_GROUP), status=SubletStatus.OFFERED)
    assert "space_id" in _violation(association_admin, house, slot_values(house, group))
    later = slot_values(house, group, starts_on=END + timedelta(days=1), ends_on=END + timedelta(days=60))
    services.create_draft(association_admin, house, later)
    exclusive = values(house, group, starts_on=END + timedelta(days=30), ends_on=END + timedelta(days=40))
    assert "space_id" in _violation(association_admin, house, exclusive)


def test_weekly_slots_clash_only_on_the_same_weekday_and_time(house, association_admin, group):
    other = make_org(OrgKind.CULTURAL_GROUP)
    make_sublet(house, other, kind=SubletKind.SLOT, weekday=1, slot_starts=time(18), slot_ends=time(21))
    fields = _violation(association_admin, house, slot_values(house, group, starts=time(20), ends=time(22)))
    assert list(fields) == ["slot_starts"]
    services.create_draft(association_admin, house, slot_values(house, group, starts=time(21), ends=time(23)))
    services.create_draft(association_admin, house, slot_values(house, group, weekday=2))


@pytest.mark.parametrize("status", [SubletStatus.CANCELLED, SubletStatus.REFUSED, SubletStatus.EXPIRED])
def test_sublets_that_no_longer_hold_do_not_count(house, association_admin, group, status):
    make_sublet(house, make_org(OrgKind.CULTURAL_GROUP), status=status)
    services.create_draft(association_admin, house, values(house, group))


def test_a_terminated_sublet_holds_until_its_last_day(house, association_admin, group):
    ended = START + timedelta(days=20)
    make_sublet(house, make_org(OrgKind.CULTURAL_GROUP), status=SubletStatus.TERMINATED, ended_on=ended)
    assert "space_id" in _violation(association_admin, house, values(house, group))
    services.create_draft(association_admin, house, values(house, group, starts_on=ended + timedelta(days=1)))


# --- offer, versions and signatures -------------------------------------------------------------------


@pytest.fixture
def signers(association, group):
    """The association's admin and the group's admin (both may sign); a group member who may not."""
    return make_user(association, Role.ADMIN), make_user(group, Role.ADMIN), make_user(group, Role.MEMBER)


def _offered(house, group, actor, **overrides):
    sublet = services.create_draft(actor, house, values(house, group, **overrides))
    signing.offer(actor, sublet)
    return sublet


def test_an_offer_renders_the_contract_once_and_mails_the_groups_signers(house, group, signers, outbox):
    assoc_signer, group_signer, group_member = signers
    sublet = _offered(house, group, assoc_signer)
    deliver()
    assert sublet.status == SubletStatus.OFFERED and sublet.offered_at is not None
    document = signing.current_contract(sublet)
    assert document.version == 1 and document.template == "sublet_fi.html"
    text = pdf_text(document.pdf)
    for expected in (sublet.number, house.number, group.name, house.tenant.name, house.building.name, "150,00"):
        assert expected in text
    assert to(outbox, group_signer) == [f"Sublet offer {sublet.number} is ready for signing"]
    assert to(outbox, group_member) == [] and to(outbox, assoc_signer) == []
    assert _audit(sublet) == ["sublet.create", "sublet.offer"]


def test_a_changed_offer_is_a_new_version_and_voids_signatures(house, group, signers, outbox):
    assoc_signer, group_signer, _ = signers
    sublet = _offered(house, group, assoc_signer)
    first = signing.current_contract(sublet)
    signing.sign(group_signer, sublet, PASSWORD, "127.0.0.1")
    services.update(assoc_signer, sublet, {**services.term_values(sublet), "monthly_rent": Decimal("180.00")})
    deliver()
    second = signing.current_contract(sublet)
    assert second.version == 2 and first.superseded_at is not None
    assert "180,00" in pdf_text(second.pdf)
    voided = db.session.execute(sa.select(Signature).where(Signature.document_id == first.id)).scalar_one()
    assert voided.voided_at is not None
    assert [s for _, s in signing.signature_rows(sublet)] == [None, None]
    assert f"Sublet offer {sublet.number} has changed: sign the new version" in to(outbox, group_signer)
    assert "sublet.update" in _audit(sublet) and "sublet.reissue" in _audit(sublet)


def test_a_draft_changes_without_a_version(house, group, association_admin):
    sublet = services.create_draft(association_admin, house, values(house, group))
    services.update(association_admin, sublet, {**services.term_values(sublet), "terms": "Uudet ehdot"})
    assert sublet.terms == "Uudet ehdot" and signing.current_contract(sublet) is None


def test_signing_needs_the_password_and_signing_authority(house, group, signers, outbox):
    assoc_signer, group_signer, group_member = signers
    sublet = _offered(house, group, assoc_signer)
    with pytest.raises(RuleViolation) as caught:
        signing.sign(group_signer, sublet, "väärä-salasana", "127.0.0.1")
    assert caught.value.field == "password"
    with pytest.raises(PermissionDenied):
        signing.sign(group_member, sublet, PASSWORD, "127.0.0.1")


def test_one_signature_per_side_and_both_sides_seal_the_pdf(house, group, signers, outbox):
    assoc_signer, group_signer, _ = signers
    second_group_signer = make_user(group, Role.ADMIN)
    sublet = _offered(house, group, assoc_signer)
    document = signing.current_contract(sublet)
    signature = signing.sign(group_signer, sublet, PASSWORD, "10.0.0.7")
    assert (signature.organization_id, signature.ip_address, signature.sha256) == (
        group.id,
        "10.0.0.7",
        document.sha256,
    )
    assert sublet.status == SubletStatus.OFFERED and signing.sealed_pdf(sublet) is None
    with pytest.raises(Conflict):
        signing.sign(second_group_signer, sublet, PASSWORD, "10.0.0.8")
    signing.sign(assoc_signer, sublet, PASSWORD, "10.0.0.9")
    deliver()
    assert sublet.status == SubletStatus.SIGNED and sublet.signed_at is not None
    assert sublet.effective_status() == SubletStatus.SIGNED  # in force from its start
    assert sublet.effective_status(START) == SubletStatus.ACTIVE
    assert sublet.effective_status(END + timedelta(days=1)) == SubletStatus.EXPIRED
    sealed = signing.sealed_pdf(sublet)
    assert sealed.sealed_from_id == document.id and signing.published_pdf(sublet) == sealed
    text = pdf_text(sealed.pdf)
    assert document.sha256 in text and group.name in text and house.tenant.name in text
    for person in (assoc_signer, group_signer, second_group_signer):
        assert f"Sublet {sublet.number} has been signed" in to(outbox, person)
    assert _audit(sublet)[-3:] == ["sublet.sign", "sublet.sign", "sublet.signed"]


# --- the landlord's approval --------------------------------------------------------------------------


@pytest.fixture
def approval_house(app_ctx, staff, association):
    return make_house(tenant=association, sublet_needs_approval=True)


def _signed_by_both(lease, group, assoc_signer, group_signer, **overrides):
    sublet = _offered(lease, group, assoc_signer, **overrides)
    signing.sign(group_signer, sublet, PASSWORD, "127.0.0.1")
    signing.sign(assoc_signer, sublet, PASSWORD, "127.0.0.1")
    return sublet


def test_a_sublet_the_lease_asks_to_approve_waits_for_staff(approval_house, group, signers, staff, outbox):
    assoc_signer, group_signer, _ = signers
    sublet = _signed_by_both(approval_house, group, assoc_signer, group_signer)
    deliver()
    assert sublet.status == SubletStatus.AWAITING_APPROVAL
    assert sublet.effective_status(START) == SubletStatus.AWAITING_APPROVAL  # not in force yet
    assert to(outbox, staff) == [f"Sublet {sublet.number} awaits your approval"]
    assert "Vuokranantajan hyväksyntä" in pdf_text(signing.sealed_pdf(sublet).pdf)
    deliver()
    outbox.clear()
    signing.approve(staff, sublet, "Hyvä ratkaisu")
    deliver()
    assert sublet.status == SubletStatus.SIGNED and sublet.decided_by_id == staff.id
    assert sublet.effective_status(START) == SubletStatus.ACTIVE
    assert f"Sublet {sublet.number} was approved by the landlord" in to(outbox, group_signer)
    assert f"Sublet {sublet.number} was approved by the landlord" in to(outbox, assoc_signer)
    assert "sublet.approve" in _audit(sublet)


def test_staff_refuse_with_a_reason_and_both_sides_hear(approval_house, group, signers, staff, outbox):
    assoc_signer, group_signer, _ = signers
    sublet = _signed_by_both(approval_house, group, assoc_signer, group_signer)
    with pytest.raises(RuleViolation) as caught:
        signing.refuse(staff, sublet, "  ")
    assert caught.value.field == "reason"
    with pytest.raises(PermissionDenied):
        signing.approve(assoc_signer, sublet)
    with _received(sublet_ending) as calls:
        signing.refuse(staff, sublet, "Tila on varattu kaupungin omaan käyttöön.")
    deliver()
    assert sublet.status == SubletStatus.REFUSED and sublet.decision_note.startswith("Tila on varattu")
    assert calls == [{"sublet": sublet, "last_day": START - timedelta(days=1), "actor": staff}]
    for person in (assoc_signer, group_signer):
        assert f"Sublet {sublet.number} was refused by the landlord" in to(outbox, person)
    body = next(m for m in outbox if m["To"] == group_signer.email and "refused" in m["Subject"]).get_content()
    assert "Tila on varattu kaupungin omaan käyttöön." in body and f"/sublets/{sublet.id}" in body
    assert "sublet.refuse" in _audit(sublet)
    # a refused sublet no longer holds its space
    services.create_draft(assoc_signer, approval_house, values(approval_house, group))


def test_the_last_signature_is_refused_when_the_lease_changed_meanwhile(house, group, signers, outbox):
    assoc_signer, group_signer, _ = signers
    sublet = _offered(house, group, assoc_signer)
    signing.sign(group_signer, sublet, PASSWORD, "127.0.0.1")
    house.subletting_allowed = False
    with pytest.raises(Conflict):
        signing.sign(assoc_signer, sublet, PASSWORD, "127.0.0.1")


# --- cancel and early termination ---------------------------------------------------------------------


def test_cancelling_an_offer_withdraws_its_version_and_tells_the_group(house, group, signers, outbox):
    assoc_signer, group_signer, _ = signers
    sublet = _offered(house, group, assoc_signer)
    signing.sign(group_signer, sublet, PASSWORD, "127.0.0.1")
    deliver()
    outbox.clear()
    with _received(sublet_ending) as calls:
        services.cancel(assoc_signer, sublet, "Ryhmä löysi toisen tilan.")
    deliver()
    assert sublet.status == SubletStatus.CANCELLED and signing.current_contract(sublet) is None
    assert signing.published_pdf(sublet).version == 1  # still readable by the parties
    assert calls and calls[0]["last_day"] == START - timedelta(days=1)
    assert to(outbox, group_signer) == [f"Sublet {sublet.number} was cancelled"]
    assert to(outbox, assoc_signer) == []
    live = db.session.execute(sa.select(Signature).where(Signature.voided_at.is_(None))).scalars().all()
    assert [s for s in live if s.document.owner_type == "sublet" and s.document.owner_id == sublet.id] == []
    with pytest.raises(PermissionDenied):
        services.cancel(assoc_signer, sublet)


def test_a_draft_is_cancelled_without_mail(house, group, association_admin):
    sublet = services.create_draft(association_admin, house, values(house, group))
    services.cancel(association_admin, sublet)
    assert sublet.status == SubletStatus.CANCELLED


def test_a_signed_sublet_cannot_be_cancelled_only_terminated(house, group, signers, staff, outbox):
    assoc_signer, group_signer, _ = signers
    sublet = _signed_by_both(house, group, assoc_signer, group_signer, starts_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.cancel(assoc_signer, sublet)
    deliver()
    outbox.clear()
    last = TODAY + timedelta(days=30)
    with pytest.raises(RuleViolation) as caught:
        services.terminate(staff, sublet, TODAY - timedelta(days=1), "")
    assert set(caught.value.fields) == {"ends_on", "reason"}
    with _received(sublet_ending) as calls:
        services.terminate(staff, sublet, last, "Ryhmä lopettaa toimintansa.")
    deliver()
    assert sublet.ended_on == last and sublet.terminated_at is not None and sublet.last_day == last
    assert sublet.effective_status(last) == SubletStatus.ACTIVE
    assert sublet.effective_status(last + timedelta(days=1)) == SubletStatus.TERMINATED
    assert calls == [{"sublet": sublet, "last_day": last, "actor": staff}]
    assert f"Sublet {sublet.number} has been terminated" in to(outbox, group_signer)
    assert f"Sublet {sublet.number} has been terminated" in to(outbox, assoc_signer)
    assert "sublet.terminate" in _audit(sublet)
    # the space is free again after the last day
    services.create_draft(assoc_signer, house, values(house, group, starts_on=last + timedelta(days=1)))


# --- the lease ends ------------------------------------------------------------------------------------


def test_a_lease_terminated_early_flags_the_sublets_that_outlast_it(house, group, staff, outbox):
    from leasing.leases import lifecycle

    association_admin = make_user(house.tenant, Role.ADMIN)
    group_admin = make_user(group, Role.ADMIN)
    group_member = make_user(group, Role.MEMBER)
    other_space = make_space(house.building)
    outlasting = make_sublet(house, group)
    inside = make_sublet(house, group, space=other_space, ends_on=START + timedelta(days=5))
    cancelled = make_sublet(house, group, space=house.building.spaces[1], status=SubletStatus.CANCELLED)
    last_day = START + timedelta(days=20)
    lifecycle.terminate(staff, house, last_day, "Rakennus puretaan.")
    deliver()
    assert outlasting.flagged_at is not None and house.number in outlasting.flag_reason
    assert inside.flagged_at is None and cancelled.flagged_at is None
    assert outlasting.ends_on == END and outlasting.status == SubletStatus.SIGNED  # never cut or deleted
    expected = f"Sublet {outlasting.number}: the lease ends before it"
    assert expected in to(outbox, association_admin) and expected in to(outbox, group_admin)
    assert expected not in to(outbox, group_member)
    body = next(m for m in outbox if m["To"] == group_admin.email).get_content()
    assert house.number in body and "Nothing has been deleted" in body
    assert "sublet.flag" in _audit(outlasting)


def test_documents_of_a_sublet_are_its_own(house, group, signers, outbox):
    assoc_signer, _, _ = signers
    sublet = _offered(house, group, assoc_signer, language="en")
    document = db.session.execute(sa.select(Document).where(Document.owner_type == "sublet")).scalar_one()
    assert document.owner_id == sublet.id and document.language == "en"
    text = pdf_text(document.pdf)
    assert "Sublease agreement" in text and "Exclusive" not in text and "exclusive use" in text
