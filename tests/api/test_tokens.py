"""Personal API tokens: made and revoked through the account settings, secrets kept as hashes only, and the
API's lookup (``authenticate``) refusing anything but an active token of an active user, in one query."""

import hashlib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from leasing.accounts.models import Anonymous, User
from leasing.api import tokens
from leasing.api.models import ApiToken
from leasing.audit import AuditEvent
from leasing.db import HELSINKI, utcnow
from leasing.errors import LoginRequired, NotFound, RuleViolation
from leasing.extensions import db
from tests.conftest import count_queries, login, post_form
from tests.factories import make_user

PAGE = "/account/api-tokens"
SECRET_RE = re.compile(r'id="api-token" value="([^"]+)"')
#: Far enough ahead to be in the future, with the daylight-saving change (last Sunday of March 2030).
WINTER_DAY, DST_DAY, SUMMER_DAY = date(2030, 1, 15), date(2030, 3, 31), date(2030, 7, 1)


def _secret(html):
    match = SECRET_RE.search(html)
    assert match, html[:3000]
    return match.group(1)


def _create(client, name="Varausjärjestelmä", access="read", expires="90"):
    return post_form(client, PAGE, {"name": name, "access": access, "expires": expires}, form_url=PAGE)


def _only_token():
    db.session.expire_all()
    return db.session.scalars(sa.select(ApiToken)).one()


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken))


# --- The pages ------------------------------------------------------------------------------------------------


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(PAGE, data={"name": "x"}).status_code in (302, 400)
    assert _count() == 0


def test_the_account_page_links_to_the_tokens(client, group_member):
    login(client, group_member)
    assert f'href="{PAGE}"' in client.get("/account").get_data(as_text=True)


def test_the_empty_page_explains_and_offers_the_form(client, group_member):
    login(client, group_member)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "You have no API tokens yet." in html
    assert "like a password" in html and "read-only token cannot change anything" in html
    assert "<legend>Access" in html
    assert '<input checked id="access-0" name="access" required type="radio" value="read">' in html
    assert '<option selected value="90">In 90 days</option>' in html


def test_create_shows_the_secret_once_and_stores_only_its_hash(client, group_member):
    login(client, group_member)

    response = _create(client, "Varausjärjestelmä", access="write", expires="30")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    secret = _secret(html)
    assert re.fullmatch(r"tls_[A-Za-z0-9_-]{43}", secret)
    assert "js/copy.js" in html
    assert f"curl -H &#34;Authorization: Bearer {secret}&#34; http://localhost/api/v1/me" in html

    token = _only_token()
    assert (token.user_id, token.name, token.access) == (group_member.id, "Varausjärjestelmä", "write")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.expires_on == tokens.helsinki_today() + timedelta(days=30)
    # The secret is nowhere in the table, nor in the audit log, nor on the list page afterwards.
    for table in (ApiToken.__table__, AuditEvent.__table__):
        assert secret not in repr(db.session.execute(sa.select(table)).all())
    listed = client.get(PAGE).get_data(as_text=True)
    assert "Varausjärjestelmä" in listed and "Read and write" in listed and "Active" in listed
    assert secret not in listed and 'id="api-token"' not in listed
    assert tokens.authenticate(secret).id == token.id
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api_token.create")).one()
    assert (event.actor_id, event.object_type, event.object_id) == (group_member.id, "ApiToken", token.id)
    assert event.changes["access"] == [None, "write"]


def test_the_secret_never_reaches_the_session_cookie(client, group_member):
    login(client, group_member)
    secret = _secret(_create(client).get_data(as_text=True))
    cookies = "".join(cookie.value for cookie in client._cookies.values())
    assert secret not in cookies


@pytest.mark.parametrize(
    "expires,days",
    [("30", 30), ("90", 90), ("365", 365), ("never", None)],
)
def test_the_expiry_choices(client, group_member, expires, days):
    login(client, group_member)
    assert _create(client, expires=expires).status_code == 200
    token = _only_token()
    if days is None:
        assert token.expires_at is None and token.expires_on is None
        assert "No end date" in client.get(PAGE).get_data(as_text=True)
    else:
        assert token.expires_on == tokens.helsinki_today() + timedelta(days=days)
        assert token.expires_at == tokens.end_of_day(token.expires_on)


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": ""}, "name", "Enter a name for the token"),
        ({"name": "   "}, "name", "Enter a name for the token"),
        ({"name": "x" * 101}, "name", "Enter at most 100 characters"),
        ({"access": "admin"}, "access", "Not a valid choice"),
        ({"expires": "3650"}, "expires", "Not a valid choice"),
    ],
)
def test_bad_input_comes_back_next_to_the_field(client, group_member, data, field, message):
    login(client, group_member)
    response = post_form(client, PAGE, {"name": "Raportit", "access": "read", "expires": "90", **data}, form_url=PAGE)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert 'id="api-token"' not in html
    assert _count() == 0


def test_a_form_without_csrf_is_refused(client, group_member):
    login(client, group_member)
    response = client.post(PAGE, data={"name": "Raportit", "access": "read", "expires": "90"})
    assert response.status_code == 400
    assert _count() == 0

    _create(client)
    token = _only_token()
    response = client.post(f"{PAGE}/{token.id}/revoke", data={})
    assert response.status_code == 400
    assert _only_token().revoked_at is None


def test_revoke_stops_the_token_at_once(client, group_member):
    login(client, group_member)
    secret = _secret(_create(client, "Raportit").get_data(as_text=True))
    token = _only_token()

    response = post_form(client, f"{PAGE}/{token.id}/revoke", {}, form_url=PAGE)

    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    assert _only_token().revoked_at is not None
    assert tokens.authenticate(secret) is None
    listed = client.get(PAGE).get_data(as_text=True)
    assert "has been revoked" in listed and "No longer works" in listed and "Revoked " in listed
    assert f"{PAGE}/{token.id}/revoke" not in listed
    events = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "ApiToken")).all()
    assert sorted(events) == ["api_token.create", "api_token.revoke"]
    # Revoking again changes nothing (no second audit entry).
    assert post_form(client, f"{PAGE}/{token.id}/revoke", {}, form_url=PAGE).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "api_token.revoke")) == 1


def test_another_user_cannot_see_or_revoke_your_token(client, group_member, group_admin):
    login(client, group_member)
    secret = _secret(_create(client, "Puhelimen skripti").get_data(as_text=True))
    token = _only_token()
    other = client.application.test_client()
    login(other, group_admin)

    assert post_form(other, f"{PAGE}/{token.id}/revoke", {}, form_url=PAGE).status_code == 404
    assert post_form(other, f"{PAGE}/999999/revoke", {}, form_url=PAGE).status_code == 404
    assert "Puhelimen skripti" not in other.get(PAGE).get_data(as_text=True)
    assert _only_token().revoked_at is None
    assert tokens.authenticate(secret).id == token.id


# --- The service ----------------------------------------------------------------------------------------------


def test_create_returns_the_secret_once_and_keeps_its_hash(app_ctx, group_member):
    token, secret = tokens.create(group_member, "  Raportit  ", "read", None)
    assert token.id is not None and token.name == "Raportit" and token.access == "read"
    assert secret.startswith("tls_") and len(secret) == 47
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest() == tokens.hash_secret(secret)
    assert token.expires_at is None and token.active and token.read_only
    assert secret not in repr(db.session.execute(sa.select(ApiToken.__table__)).all())
    other_token, other_secret = tokens.create(group_member, "Raportit", "write", None)
    assert other_secret != secret and not other_token.read_only


@pytest.mark.parametrize(
    "name,message",
    [
        ("", "Enter a name for the token"),
        ("   ", "Enter a name for the token"),
        (None, "Enter a name for the token"),
        (42, "Enter a name for the token"),
        ("x" * 101, "Enter at most 100 characters"),
    ],
)
def test_names_are_checked(app_ctx, group_member, name, message):
    with pytest.raises(RuleViolation) as err:
        tokens.create(group_member, name, "read", None)
    assert err.value.field == "name" and message in str(err.value.message)
    assert tokens.create(group_member, "x" * 100, "read", None)[0].name == "x" * 100


@pytest.mark.parametrize("access", ["", None, "admin", "READ", "Write"])
def test_access_is_read_or_write(app_ctx, group_member, access):
    with pytest.raises(RuleViolation) as err:
        tokens.create(group_member, "Raportit", access, None)
    assert err.value.field == "access"


def test_the_expiry_is_a_day_after_today(app_ctx, group_member):
    today = tokens.helsinki_today()
    for wrong in (today, today - timedelta(days=1), date(2101, 1, 1), "2030-01-01", datetime(2030, 1, 1, tzinfo=UTC)):
        with pytest.raises(RuleViolation) as err:
            tokens.create(group_member, "Raportit", "read", wrong)
        assert err.value.field == "expires_on", wrong
    token, _ = tokens.create(group_member, "Raportit", "read", today + timedelta(days=1))
    assert token.expires_on == today + timedelta(days=1)
    assert _count() == 1


@pytest.mark.parametrize(
    "day,utc",
    [
        # Winter time (UTC+2): the day ends at 22:00 UTC.
        (WINTER_DAY, datetime(2030, 1, 15, 22, 0, tzinfo=UTC)),
        # The clocks go forward on 31.3.2030: that day ends in summer time (UTC+3).
        (DST_DAY, datetime(2030, 3, 31, 21, 0, tzinfo=UTC)),
        (SUMMER_DAY, datetime(2030, 7, 1, 21, 0, tzinfo=UTC)),
    ],
)
def test_a_token_expires_at_the_end_of_its_day_in_helsinki(app_ctx, group_member, monkeypatch, day, utc):
    token, secret = tokens.create(group_member, "Raportit", "read", day)
    assert token.expires_at == utc
    assert token.expires_at.astimezone(HELSINKI).replace(tzinfo=None) == datetime.combine(
        day + timedelta(days=1), datetime.min.time()
    )
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).expires_at == utc  # read back from the database
    assert token.expires_on == day

    monkeypatch.setattr("leasing.api.models.utcnow", lambda: utc - timedelta(microseconds=1))
    assert token.active and tokens.authenticate(secret) is token
    monkeypatch.setattr("leasing.api.models.utcnow", lambda: utc)
    assert token.expired and not token.active
    assert tokens.authenticate(secret) is None


def test_authenticate_accepts_only_an_active_token_of_an_active_user(app_ctx, group_member):
    token, secret = tokens.create(group_member, "Raportit", "read", None)
    assert tokens.authenticate(secret) is token

    malformed = (
        "",
        None,
        42,
        b"tls_" + secret[4:].encode(),
        secret[4:],  # without its prefix
        "Bearer " + secret,
        secret + "\n",
        " " + secret,
        secret + "!",
        token.token_hash,
        "tls_" + "A" * 200,
        "x" * 10_000,
    )
    for wrong in malformed:
        with count_queries() as queries:
            assert tokens.authenticate(wrong) is None, wrong
        assert queries.count == 0, wrong  # refused before the database is asked
    for unknown in (secret[:-1], secret + "A", tokens.PREFIX + "A" * 43):
        assert tokens.authenticate(unknown) is None, unknown

    group_member.active = False
    db.session.flush()
    assert tokens.authenticate(secret) is None
    group_member.active = True
    db.session.flush()
    assert tokens.authenticate(secret) is token

    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert tokens.authenticate(secret) is None
    token.expires_at = utcnow() + timedelta(minutes=1)
    db.session.flush()
    assert tokens.authenticate(secret) is token

    tokens.revoke(group_member, token.id)
    assert tokens.authenticate(secret) is None


def test_authenticate_loads_the_token_its_user_and_memberships_in_one_query(app_ctx, group_member, group):
    token, secret = tokens.create(group_member, "Raportit", "read", None)
    token_id = token.id
    db.session.expunge_all()  # as in a fresh request: nothing known yet

    with count_queries() as queries:
        found = tokens.authenticate(secret)
        assert found.id == token_id
        assert found.user.email == group_member.email and found.user.active
        assert [m.organization.name for m in found.user.memberships] == [group.name]
        assert found.user.is_staff is False
    assert queries.count == 1, queries.statements

    with count_queries() as queries:
        assert tokens.authenticate(tokens.PREFIX + "B" * 43) is None
    assert queries.count == 1


def test_touch_writes_at_most_once_an_hour(app_ctx, group_member):
    token, _ = tokens.create(group_member, "Raportit", "read", None)
    now = utcnow()
    assert tokens.touch(token, now) is True and token.last_used_at == now
    assert tokens.touch(token, now + timedelta(minutes=59)) is False and token.last_used_at == now
    later = now + timedelta(hours=1)
    assert tokens.touch(token, later) is True and token.last_used_at == later
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == later  # flushed
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action.like("api_token.touch%"))) == 0


def test_tokens_are_their_owners_only(app_ctx, group_member, group_admin):
    token, _ = tokens.create(group_member, "Raportit", "read", None)
    assert tokens.get_token(group_member, token.id) is token
    for actor in (group_admin,):
        with pytest.raises(NotFound):
            tokens.get_token(actor, token.id)
        with pytest.raises(NotFound):
            tokens.revoke(actor, token.id)
    for missing in (token.id + 999, "1", None):
        with pytest.raises(NotFound):
            tokens.get_token(group_member, missing)
    assert token.revoked_at is None
    assert tokens.user_tokens(group_admin) == []

    with pytest.raises(LoginRequired):
        tokens.create(Anonymous(), "Raportit", "read", None)


def test_revoke_is_audited_once(app_ctx, group_member):
    token, _ = tokens.create(group_member, "Raportit", "read", None)
    assert tokens.revoke(group_member, token.id) is token and token.revoked and not token.active
    first = token.revoked_at
    tokens.revoke(group_member, token.id)
    assert token.revoked_at == first
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "ApiToken", AuditEvent.object_id == token.id)
    ).all()
    assert sorted(e.action for e in events) == ["api_token.create", "api_token.revoke"]
    assert all(e.actor_id == group_member.id for e in events)


def test_user_tokens_lists_active_ones_first_newest_first(app_ctx, group_member):
    base = utcnow() - timedelta(days=10)
    made = {}
    for n, name in enumerate(("old", "revoked", "expired", "new")):
        token, _ = tokens.create(group_member, name, "read", None)
        token.created_at = base + timedelta(days=n)
        made[name] = token
    made["revoked"].revoked_at = utcnow()
    made["expired"].expires_at = utcnow() - timedelta(hours=1)
    db.session.flush()
    other = make_user()
    tokens.create(other, "someone else's", "read", None)

    assert [t.name for t in tokens.user_tokens(group_member)] == ["new", "old", "expired", "revoked"]


# --- The schema -----------------------------------------------------------------------------------------------


def test_the_migration_builds_the_model_s_table(app):
    connection = db.session.connection()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences = [d for d in compare_metadata(context, db.metadata) if "api_token" in repr(d)]
    assert differences == []
    inspector = sa.inspect(connection)
    assert {i["name"] for i in inspector.get_indexes("api_token")} >= {"ix_api_token_user_id"}
    checks = {c["name"] for c in inspector.get_check_constraints("api_token")}
    assert "ck_api_token_access_known" in checks


def test_the_database_refuses_an_unknown_access(app_ctx, group_member):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            sa.insert(ApiToken.__table__).values(
                user_id=group_member.id, name="x", token_hash="0" * 64, access="admin", created_at=utcnow()
            )
        )


def test_deleting_the_user_deletes_their_tokens(app_ctx, group_member):
    tokens.create(group_member, "Raportit", "read", None)
    db.session.execute(sa.delete(User).where(User.id == group_member.id))
    assert _count() == 0
