"""Private calendar links: made, renamed, revoked and readdressed through the pages; secrets kept as hashes only."""

import hashlib
import re

import pytest
import sqlalchemy as sa

from leasing.audit import AuditEvent
from leasing.calendars import tokens
from leasing.calendars.models import CalendarToken
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.extensions import db
from tests.conftest import login, post_form
from tests.factories import make_building, make_org, make_space, make_user

PAGE = "/account/calendars"
URL_RE = re.compile(r'id="private-url" value="([^"]+)"')


def _feed_url(html):
    match = URL_RE.search(html)
    assert match, html[:3000]
    return match.group(1)


def _secret(url):
    match = re.fullmatch(r"https?://[^/]+/calendar/feed/([A-Za-z0-9_-]+)\.ics", url)
    assert match, url
    return match.group(1)


def _create(client, organization, name="Puhelin"):
    return post_form(client, PAGE, {"organization_id": str(organization.id), "name": name}, form_url=PAGE)


def _only_token():
    db.session.expire_all()
    return db.session.scalars(sa.select(CalendarToken)).one()


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_create_shows_the_secret_once_and_stores_only_its_hash(client, group_member, group):
    login(client, group_member)
    assert client.get(PAGE).status_code == 200

    response = _create(client, group, "Puhelin")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    url = _feed_url(html)
    secret = _secret(url)
    assert len(secret) >= 43
    assert f'href="webcal://localhost/calendar/feed/{secret}.ics"' in html
    assert "From URL" in html and "Subscribe from web" in html and "New Calendar Subscription" in html
    assert "js/copy.js" in html

    token = _only_token()
    assert (token.user_id, token.organization_id, token.name) == (group_member.id, group.id, "Puhelin")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    # The secret is nowhere in the table, nor in the audit log, nor on the list page afterwards.
    for table in (CalendarToken.__table__, AuditEvent.__table__):
        rows = db.session.execute(sa.select(table)).all()
        assert secret not in repr(rows)
    assert tokens.find(secret).id == token.id
    listed = client.get(PAGE).get_data(as_text=True)
    assert "Puhelin" in listed and secret not in listed
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "calendar_token.create")).one()
    assert (event.actor_id, event.object_id) == (group_member.id, token.id)


def test_the_secret_never_reaches_the_session_cookie(client, group_member, group):
    login(client, group_member)
    secret = _secret(_feed_url(_create(client, group).get_data(as_text=True)))
    cookies = "".join(cookie.value for cookie in client._cookies.values())
    assert secret not in cookies


@pytest.mark.parametrize(
    "name,message",
    [
        ("", "Enter a name for the link"),
        ("   ", "Enter a name for the link"),
        ("x" * 101, "Enter at most 100 characters"),
    ],
)
def test_a_bad_name_comes_back_next_to_the_field(client, group_member, group, name, message):
    login(client, group_member)
    response = _create(client, group, name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and message in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarToken)) == 0


def test_an_organization_one_is_not_a_member_of_is_refused(client, group_member, association):
    login(client, group_member)
    response = _create(client, association)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="organization_id-error"' in html and "Choose one of your organizations" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarToken)) == 0


def test_a_form_without_csrf_is_refused(client, group_member, group):
    login(client, group_member)
    response = client.post(PAGE, data={"organization_id": str(group.id), "name": "Puhelin"})
    assert response.status_code in (400, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarToken)) == 0


def test_rename(client, group_member, group):
    login(client, group_member)
    _create(client, group, "Puhelin")
    token = _only_token()

    bad = post_form(client, f"{PAGE}/{token.id}/rename", {f"t{token.id}-name": ""}, form_url=PAGE)
    assert bad.status_code == 422 and f'id="t{token.id}-name-error"' in bad.get_data(as_text=True)

    response = post_form(client, f"{PAGE}/{token.id}/rename", {f"t{token.id}-name": "Työkone"}, form_url=PAGE)
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    assert _only_token().name == "Työkone"
    assert "Työkone" in client.get(PAGE).get_data(as_text=True)


def test_revoke_stops_the_secret_at_once(client, group_member, group):
    login(client, group_member)
    secret = _secret(_feed_url(_create(client, group).get_data(as_text=True)))
    token = _only_token()

    response = post_form(client, f"{PAGE}/{token.id}/revoke", {}, form_url=PAGE)

    assert response.status_code == 302
    assert _only_token().revoked_at is not None
    assert tokens.find(secret) is None
    assert client.get(f"/calendar/feed/{secret}.ics").status_code == 404
    assert "No longer works" in client.get(PAGE).get_data(as_text=True)
    # A revoked link cannot be given a new address or renamed.
    assert post_form(client, f"{PAGE}/{token.id}/regenerate", {}, form_url=PAGE).status_code == 409
    assert post_form(client, f"{PAGE}/{token.id}/rename", {f"t{token.id}-name": "x"}, form_url=PAGE).status_code == 404


def test_regenerate_replaces_the_secret(client, group_member, group):
    login(client, group_member)
    old = _secret(_feed_url(_create(client, group).get_data(as_text=True)))
    token = _only_token()
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 200

    response = post_form(client, f"{PAGE}/{token.id}/regenerate", {}, form_url=PAGE)

    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new = _secret(_feed_url(response.get_data(as_text=True)))
    assert new != old
    db.session.expire_all()
    assert tokens.find(old) is None and tokens.find(new).id == token.id
    assert _only_token().token_hash == hashlib.sha256(new.encode()).hexdigest()
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{new}.ics").status_code == 200


def test_another_user_cannot_touch_your_link(client, group_member, group, group_admin):
    login(client, group_member)
    secret = _secret(_feed_url(_create(client, group).get_data(as_text=True)))
    token = _only_token()
    other = client.application.test_client()
    login(other, group_admin)

    for action, data in (("revoke", {}), ("regenerate", {}), ("rename", {f"t{token.id}-name": "Minun"})):
        response = post_form(other, f"{PAGE}/{token.id}/{action}", data, form_url=PAGE)
        assert response.status_code == 404, action
    assert "Puhelin" not in other.get(PAGE).get_data(as_text=True)
    token = _only_token()
    assert (token.name, token.revoked_at) == ("Puhelin", None)
    assert tokens.find(secret).id == token.id


def test_services_authorize_and_check_their_input(app, group_member, group, group_admin):
    with app.test_request_context():
        token, secret = tokens.create(group_member, group.id, "  Puhelin  ")
        assert token.name == "Puhelin"
        with pytest.raises(RuleViolation) as err:
            tokens.create(group_member, group.id + 999, "Puhelin")
        assert err.value.field == "organization_id"
        with pytest.raises(RuleViolation) as err:
            tokens.rename(group_member, token, "x" * 101)
        assert err.value.field == "name"
        with pytest.raises(NotFound):
            tokens.revoke(group_admin, token)
        with pytest.raises(NotFound):
            tokens.regenerate(group_admin, token)
        with pytest.raises(NotFound):
            tokens.get_token(group_admin, token.id)
        tokens.revoke(group_member, token)
        with pytest.raises(Conflict):
            tokens.regenerate(group_member, token)


def test_find_refuses_anything_but_an_active_secret(app, group_member, group):
    with app.test_request_context():
        token, secret = tokens.create(group_member, group.id, "Puhelin")
        assert tokens.find(secret) is token
        for wrong in ("", None, secret[:-1], secret + "x", "x" * 1000, token.token_hash):
            assert tokens.find(wrong) is None
        assert tokens.touch(token) is True and token.last_used_at is not None
        assert tokens.touch(token) is False


def test_the_organization_choices_are_ones_memberships(client, group):
    person = make_user(group, name="Kaksi Jäsenyyttä")
    other = make_org(name="Toinen yhdistys ry")
    from leasing.accounts.models import Membership, Role

    db.session.add(Membership(user=person, organization=other, role=Role.MEMBER))
    db.session.flush()
    make_org(name="Vieras ry")
    login(client, person)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Bändi Pohjoistuuli" in html and "Toinen yhdistys ry" in html and "Vieras ry" not in html


def test_public_subscribe_pages(client):
    building = make_building()
    space = make_space(building)
    db.session.flush()

    for url, feed in (
        (f"/calendar/spaces/{space.id}", f"/calendar/spaces/{space.id}.ics"),
        (f"/calendar/buildings/{building.id}", f"/calendar/buildings/{building.id}.ics"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert f'value="http://localhost{feed}"' in html
        assert f'href="webcal://localhost{feed}"' in html
        assert "up to a day" in html

    assert client.get("/calendar/spaces/999999").status_code == 404
    assert client.get("/calendar/buildings/999999").status_code == 404
