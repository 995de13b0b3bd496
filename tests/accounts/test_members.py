"""The members page, roles and signing, removal, and invitations end to end through e-mail."""

import re

import sqlalchemy as sa

from leasing.accounts.models import Invitation, Membership, Role, User
from leasing.audit import AuditEvent
from leasing.db import utcnow
from leasing.extensions import db
from tests.accounts.conftest import field_error
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_org, make_user

LINK_RE = re.compile(r"http://localhost(/invitations/\S+)")


def _members_url(org):
    return f"/organizations/{org.id}/members"


def _membership(user, org):
    return db.session.execute(
        sa.select(Membership).filter_by(user_id=user.id, organization_id=org.id)
    ).scalar_one_or_none()


def _update(client, org, membership, role, can_sign=False):
    data = {f"m{membership.id}-role": role}
    if can_sign:
        data[f"m{membership.id}-can_sign"] = "y"
    return post_form(client, f"{_members_url(org)}/{membership.id}", data)


def test_members_page_lists_members_for_members_and_staff(
    client, association, association_admin, association_member, staff
):
    login(client, association_member)
    page = client.get(_members_url(association)).get_data(as_text=True)
    assert association_admin.name in page and association_member.name in page
    assert "Invite a member" not in page  # members see, admins manage
    post_form(client, "/logout", {})
    login(client, staff)
    assert client.get(_members_url(association)).status_code == 200


def test_admin_makes_a_member_a_signing_admin(client, association, association_admin, association_member):
    login(client, association_admin)
    membership = _membership(association_member, association)
    response = _update(client, association, membership, "admin", can_sign=True)
    assert response.status_code == 302
    db.session.refresh(membership)
    assert (membership.role, membership.can_sign) == (Role.ADMIN, True)
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="membership.role_change")).scalar_one()
    assert event.changes == {"role": ["member", "admin"], "can_sign": ["False", "True"]}
    assert event.actor_id == association_admin.id


def test_the_last_admin_cannot_step_down(client, association, association_admin, association_member):
    login(client, association_admin)
    membership = _membership(association_admin, association)
    response = _update(client, association, membership, "member")
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), f"m{membership.id}-role")
    assert message.startswith("The organization must keep at least one administrator")
    db.session.refresh(membership)
    assert membership.role == Role.ADMIN


def test_only_admins_may_sign(client, association, association_admin, association_member):
    login(client, association_admin)
    membership = _membership(association_member, association)
    response = _update(client, association, membership, "member", can_sign=True)
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), f"m{membership.id}-can_sign")
    assert message.startswith("Only administrators can sign")


def test_admin_removes_a_member_but_never_the_last_admin(client, association, association_admin, association_member):
    login(client, association_admin)
    member = _membership(association_member, association)
    assert post_form(client, f"{_members_url(association)}/{member.id}/remove", {}).status_code == 302
    assert _membership(association_member, association) is None
    own = _membership(association_admin, association)
    response = post_form(client, f"{_members_url(association)}/{own.id}/remove", {})
    assert response.status_code == 422
    assert "must keep at least one administrator" in response.get_data(as_text=True)
    assert _membership(association_admin, association) is not None
    assert db.session.execute(sa.select(AuditEvent).filter_by(action="membership.remove")).scalar_one()


def test_a_membership_of_another_organization_is_not_found(client, association, association_admin, group_member, group):
    login(client, association_admin)
    other = _membership(group_member, group)
    assert _update(client, association, other, "admin").status_code == 404


def _invite(client, org, email, role="member"):
    return post_form(client, f"/organizations/{org.id}/invitations", {"email": email, "role": role})


def _link(message):
    return LINK_RE.search(message.get_content()).group(1)


def test_invitation_end_to_end_for_a_new_person(app, client, association, association_admin, outbox):
    login(client, association_admin)
    assert _invite(client, association, "Uusi.Jasen@Example.fi", "admin").status_code == 302
    (message,) = outbox
    assert message["To"] == "uusi.jasen@example.fi"
    assert association.name in message["Subject"]
    link = _link(message)
    invitee = app.test_client()
    page = invitee.get(link).get_data(as_text=True)
    assert "uusi.jasen@example.fi" in page and 'autocomplete="new-password"' in page
    weak = post_form(
        invitee, link, {"name": "Uusi Jäsen", "password": "lyhyt", "password_confirm": "lyhyt"}, form_url=link
    )
    assert field_error(weak.get_data(as_text=True), "password") == "Enter a password of at least 12 characters"
    response = post_form(
        invitee, link, {"name": "Uusi Jäsen", "password": PASSWORD, "password_confirm": PASSWORD}, form_url=link
    )
    assert response.status_code == 302 and response.headers["Location"] == _members_url(association)
    user = db.session.execute(sa.select(User).filter_by(email="uusi.jasen@example.fi")).scalar_one()
    assert _membership(user, association).role == Role.ADMIN
    assert invitee.get(_members_url(association)).status_code == 200
    assert app.test_client().get(link).status_code == 404  # single use


def test_invitation_for_an_existing_account_needs_its_login(
    app, client, association, association_admin, group_member, outbox
):
    login(client, association_admin)
    _invite(client, association, group_member.email)
    link = _link(outbox[0])
    invitee = app.test_client()
    page = invitee.get(link).get_data(as_text=True)
    assert f"/login?next={link}" in page.replace("%2F", "/")
    response = post_form(invitee, f"/login?next={link}", {"email": group_member.email, "password": PASSWORD})
    assert response.headers["Location"] == link
    assert post_form(invitee, link, {}, form_url=link).status_code == 302
    assert _membership(group_member, association).role == Role.MEMBER


def test_invitation_sent_to_someone_else_is_refused(client, association, association_admin, group_member, outbox):
    login(client, association_admin)
    _invite(client, association, "joku.muu@example.fi")
    link = _link(outbox[0])
    post_form(client, "/logout", {})
    login(client, group_member)
    assert client.get(link).status_code == 403
    assert post_form(client, link, {}, form_url="/").status_code == 403
    assert _membership(group_member, association) is None


def test_expired_or_withdrawn_invitations_do_not_work(client, association, association_admin, outbox):
    login(client, association_admin)
    _invite(client, association, "eka@example.fi")
    _invite(client, association, "toka@example.fi")
    first, second = (_link(m) for m in outbox)
    db.session.execute(sa.update(Invitation).where(Invitation.email == "eka@example.fi").values(expires_at=utcnow()))
    invitation = db.session.execute(sa.select(Invitation).filter_by(email="toka@example.fi")).scalar_one()
    assert (
        post_form(client, f"/organizations/{association.id}/invitations/{invitation.id}/revoke", {}).status_code == 302
    )
    post_form(client, "/logout", {})
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 404


def test_inviting_an_existing_member_is_refused_next_to_the_field(
    client, association, association_admin, association_member
):
    login(client, association_admin)
    response = _invite(client, association, association_member.email.upper())
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "email")
    assert message == "This person is already a member of the organization"
    assert db.session.execute(sa.select(sa.func.count()).select_from(Invitation)).scalar_one() == 0


def test_staff_are_not_invited_through_the_web(client, staff, outbox):
    centre = staff.memberships[0].organization
    login(client, staff)
    assert "Invite a member" not in client.get(_members_url(centre)).get_data(as_text=True)
    response = _invite(client, centre, "uusi.virkailija@example.fi")
    assert response.status_code == 422
    assert outbox == []


def test_members_page_query_count_does_not_grow_with_members(client, association_admin, association):
    from tests.conftest import count_queries

    login(client, association_admin)
    client.get(_members_url(association))
    with count_queries() as few:
        client.get(_members_url(association))
    for _ in range(5):
        make_user(association, Role.MEMBER)
    with count_queries() as many:
        client.get(_members_url(association))
    assert many.count == few.count


def test_an_organization_of_its_own_is_unaffected(client, association_admin):
    other = make_org()
    login(client, association_admin)
    assert client.get(_members_url(other)).status_code == 403
