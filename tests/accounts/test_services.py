"""Accounts services called directly, as the CLI and the API call them."""

import pytest
import sqlalchemy as sa

from leasing.accounts import members, services
from leasing.accounts.models import Membership, Organization, OrgKind, Role, User, UserSession
from leasing.audit import AuditEvent
from leasing.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from leasing.extensions import db
from tests.accounts.conftest import count
from tests.factories import PASSWORD, make_org, make_user

NEW_PASSWORD = "uusi-pitka-salasana-tuiralla"


def _register(**overrides):
    values = {
        "name": "Aino Virtanen",
        "email": " Aino@Example.fi ",
        "password": PASSWORD,
        "org_kind": "association",
        "org_name": "Nuorisoseura ry",
        "business_id": "FI16180333",
    }
    return services.register(**{**values, **overrides})


def test_register_normalises_email_and_business_id(app_ctx):
    user = _register(contact_email=" INFO@Example.fi ")
    org = user.memberships[0].organization
    assert (user.email, org.business_id, org.contact_email) == ("aino@example.fi", "1618033-3", "info@example.fi")


def test_register_refuses_the_staff_kind_even_without_the_form(app_ctx):
    with pytest.raises(RuleViolation) as err:
        _register(org_kind=OrgKind.FACILITIES_CENTRE)
    assert "org_kind" in err.value.fields
    assert (count(User), count(Organization)) == (0, 0)


def test_register_reports_every_broken_field_at_once(app_ctx):
    make_user(email="aino@example.fi")
    with pytest.raises(RuleViolation) as err:
        _register(business_id="2077474-1", password="lyhyt")
    assert set(err.value.fields) == {"email", "business_id", "password"}


def test_authenticate(app_ctx):
    user = make_user(email="matti@example.fi")
    assert services.authenticate("MATTI@example.fi", PASSWORD) == user
    assert services.authenticate("matti@example.fi", "vaara-salasana") is None
    assert services.authenticate("ei-ole@example.fi", PASSWORD) is None
    user.active = False
    assert services.authenticate("matti@example.fi", PASSWORD) is None


def test_change_password_checks_the_current_one_and_records_it(app_ctx):
    user = make_user()
    with pytest.raises(RuleViolation) as err:
        services.change_password(user, "vaara-salasana", NEW_PASSWORD)
    assert err.value.field == "current_password"
    services.change_password(user, PASSWORD, NEW_PASSWORD)
    assert services.authenticate(user.email, NEW_PASSWORD) == user
    assert user.password_changed_at is not None
    assert db.session.execute(sa.select(AuditEvent.action)).scalars().all() == ["user.password_change"]


def test_password_reset_is_single_use(app_ctx):
    user = make_user()
    found_user, token = services.request_password_reset(user.email)
    assert found_user == user
    services.reset_password(token, NEW_PASSWORD)
    with pytest.raises(NotFound):
        services.reset_password(token, "toinen-uusi-salasana-99")
    assert services.request_password_reset("ei-ole@example.fi") is None


def test_deactivation_revokes_every_session(app_ctx):
    user = make_user()
    db.session.add_all([UserSession(user_id=user.id, token_hash=f"{n:064d}") for n in range(2)])
    db.session.flush()
    services.deactivate_user(None, user)
    revoked = db.session.execute(sa.select(UserSession.revoked_at).filter_by(user_id=user.id)).scalars().all()
    assert len(revoked) == 2 and all(revoked)
    assert not user.active


def test_only_admins_change_memberships(app_ctx, association, association_member, association_admin):
    membership = association_admin.memberships[0]
    with pytest.raises(PermissionDenied):
        members.change_membership(association_member, membership, role=Role.MEMBER, can_sign=False)
    with pytest.raises(PermissionDenied):
        members.invite(association_member, association, "uusi@example.fi", Role.MEMBER)


def test_the_last_admin_is_never_removed(app_ctx, association_admin):
    with pytest.raises(RuleViolation):
        members.remove_membership(association_admin, association_admin.memberships[0])
    assert count(Membership) == 1


def test_two_admins_may_each_step_down_but_not_both(app_ctx, association):
    first, second = make_user(association, Role.ADMIN), make_user(association, Role.ADMIN)
    members.change_membership(first, second.memberships[0], role=Role.MEMBER, can_sign=False)
    with pytest.raises(RuleViolation):
        members.change_membership(first, first.memberships[0], role=Role.MEMBER, can_sign=False)


def test_invitation_is_accepted_only_by_its_address(app_ctx, association, association_admin, group_member):
    invitation, token = members.invite(association_admin, association, "toinen@example.fi", Role.MEMBER)
    with pytest.raises(PermissionDenied):
        members.accept_invitation(group_member, token)
    user = members.accept_invitation_as_new_user(token, name="Toinen", password=PASSWORD)
    assert user.membership_in(association).role == Role.MEMBER
    with pytest.raises(NotFound):
        members.accept_invitation(user, token)


def test_invitation_for_a_registered_address_needs_that_account(app_ctx, association, association_admin, group_member):
    _, token = members.invite(association_admin, association, group_member.email, Role.ADMIN)
    with pytest.raises(Conflict):
        members.accept_invitation_as_new_user(token, name="Joku", password=PASSWORD)
    membership = members.accept_invitation(group_member, token)
    assert (membership.role, membership.can_sign) == (Role.ADMIN, True)


def test_a_new_invitation_replaces_the_pending_one(app_ctx, association, association_admin):
    _, first = members.invite(association_admin, association, "uusi@example.fi", Role.MEMBER)
    members.invite(association_admin, association, "uusi@example.fi", Role.ADMIN)
    assert members.find_invitation(first) is None
    assert [i.role for i in members.pending_invitations(association)] == [Role.ADMIN]


def test_staff_accounts_join_the_facilities_centre(app_ctx):
    first = services.create_user(email="tiina@ouka.fi", name="Tiina", password=PASSWORD, staff=True)
    second = services.create_user(email="teemu@ouka.fi", name="Teemu", password=PASSWORD, staff=True)
    assert first.is_staff and second.is_staff
    assert [m.role for m in (first.memberships[0], second.memberships[0])] == [Role.ADMIN, Role.MEMBER]
    assert first.memberships[0].organization.name == "Oulun kaupungin Tilakeskus"
    assert count(Organization) == 1


def test_invitations_into_an_organization_elsewhere_need_its_admin(app_ctx, association_admin):
    other = make_org()
    with pytest.raises(PermissionDenied):
        members.invite(association_admin, other, "uusi@example.fi", Role.MEMBER)
