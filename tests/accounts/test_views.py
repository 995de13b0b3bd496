"""Registration, log-in and out, rate limits, sessions, password change and reset, through HTTP."""

import re

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from leasing.accounts import passwords, services
from leasing.accounts.models import Membership, Organization, OrgKind, PasswordReset, Role, User
from leasing.audit import AuditEvent
from leasing.db import utcnow
from leasing.extensions import db
from tests.accounts.conftest import count, field_error, summary_links
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_org, make_user

NEW_PASSWORD = "uusi-pitka-salasana-tuiralla"


def _register(client, data):
    return post_form(client, "/register", data, form_url="/register")


# --- registration -------------------------------------------------------------------------------


def test_register_creates_the_person_their_association_and_signs_them_in(client, register_data):
    data = {**register_data, "email": "Aino.Virtanen@Example.FI", "business_id": "FI16180333"}
    response = _register(client, data)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    user = db.session.execute(sa.select(User).filter_by(email="aino.virtanen@example.fi")).scalar_one()
    (membership,) = user.memberships
    assert (membership.role, membership.can_sign) == (Role.ADMIN, True)
    assert membership.organization.kind == OrgKind.ASSOCIATION
    assert membership.organization.business_id == "1618033-3"
    assert passwords.verify_password(user.password_hash, PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    actions = set(db.session.execute(sa.select(AuditEvent.action)).scalars())
    assert {"user.register", "organization.create"} <= actions
    page = client.get("/account").get_data(as_text=True)
    assert "Nuorisoseura Tuira ry" in page


def test_register_a_cultural_group_without_business_id(client, register_data):
    response = _register(client, {**register_data, "org_kind": "cultural_group", "business_id": ""})
    assert response.status_code == 302
    org = db.session.execute(sa.select(Organization)).scalar_one()
    assert (org.kind, org.business_id) == (OrgKind.CULTURAL_GROUP, None)


INVALID_REGISTRATIONS = [
    ({"business_id": "2077474-1"}, "business_id", "Enter a valid business ID, like 1234567-8"),
    ({"business_id": ""}, "business_id", "Enter the association's business ID"),
    (
        {"org_kind": "cultural_group", "business_id": "12345"},
        "business_id",
        "Enter a valid business ID, like 1234567-8",
    ),
    ({"password": "lyhyt", "password_confirm": "lyhyt"}, "password", "Enter a password of at least 12 characters"),
    (
        {"password": "q1w2e3r4t5y6", "password_confirm": "q1w2e3r4t5y6"},
        "password",
        "This password is too common. Enter a password that is harder to guess",
    ),
    (
        {"password": "aino.virtanen-2026", "password_confirm": "aino.virtanen-2026"},
        "password",
        "Enter a password that does not contain your e-mail address",
    ),
    ({"password": "x" * 257, "password_confirm": "x" * 257}, "password", "Enter a password of at most 256 characters"),
    ({"password_confirm": "jotain-ihan-muuta-2026"}, "password_confirm", "Enter the same password twice"),
    ({"name": ""}, "name", "Enter your name"),
    ({"name": "A" * 201}, "name", "Enter at most 200 characters"),
    ({"org_name": "Y" * 201}, "org_name", "Enter at most 200 characters"),
    ({"contact_phone": "0" * 41}, "contact_phone", "Enter at most 40 characters"),
    ({"email": "aino@" + "a" * 250 + ".fi"}, "email", "Enter at most 254 characters"),
    ({"email": "ei-osoite"}, "email", "Enter an e-mail address in the correct format, like name@example.fi"),
    (
        {"contact_email": "ei-osoite"},
        "contact_email",
        "Enter an e-mail address in the correct format, like name@example.fi",
    ),
    ({"org_kind": "facilities_centre"}, "org_kind", "Choose whether you register an association or a cultural group"),
    ({"org_kind": ""}, "org_kind", "Choose whether you register an association or a cultural group"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), INVALID_REGISTRATIONS)
def test_invalid_registration_shows_the_message_next_to_the_field_and_writes_nothing(
    client, register_data, overrides, field, message
):
    response = _register(client, {**register_data, **overrides})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, field) == message
    assert (f"#{field}", message) in summary_links(page)
    assert (count(User), count(Organization), count(Membership), count(AuditEvent)) == (0, 0, 0, 0)


def test_register_refuses_a_taken_email_in_any_case(client, register_data):
    make_user(email="aino.virtanen@example.fi")
    response = _register(client, {**register_data, "email": "AINO.Virtanen@example.fi"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "email") == "An account with this e-mail address already exists"
    assert (count(User), count(Organization)) == (1, 0)


def test_register_refuses_a_taken_business_id(client, register_data):
    make_org(OrgKind.ASSOCIATION, business_id="1618033-3")
    response = _register(client, {**register_data, "business_id": "16180333"})
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "business_id")
    assert message == "An organization with this business ID is already registered"
    assert (count(User), count(Organization)) == (0, 1)


def test_register_form_offers_no_staff_kind_and_has_autocomplete(client):
    page = client.get("/register").get_data(as_text=True)
    assert "facilities_centre" not in page
    for token in ("name", "email", "new-password", "organization"):
        assert f'autocomplete="{token}"' in page
    assert page.count("<h1>") == 1


def test_form_posts_without_csrf_token_are_refused(client, register_data, association_admin):
    assert client.post("/register", data=register_data).status_code == 400
    assert client.post("/login", data={"email": association_admin.email, "password": PASSWORD}).status_code == 400
    assert client.post("/forgot-password", data={"email": association_admin.email}).status_code == 400
    assert count(User) == 1


# --- log-in and log-out -------------------------------------------------------------------------


def test_login_signs_in_and_honours_a_safe_next(client, association_admin):
    response = post_form(
        client, "/login?next=/account%3Fx%3D1", {"email": association_admin.email.upper(), "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account?x=1"
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_login_ignores_an_offsite_next(client, association_admin, target):
    response = post_form(
        client, "/login", {"email": association_admin.email, "password": PASSWORD}, query_string={"next": target}
    )
    assert response.headers["Location"] == "/account"


def _login_error(client, email, password):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 422
    return field_error(response.get_data(as_text=True), "email")


def test_wrong_password_and_unknown_email_get_the_same_message(client, association_admin):
    assert _login_error(client, association_admin.email, "vaara-salasana-123") == "Wrong e-mail address or password"
    assert _login_error(client, "ei-ole@example.fi", PASSWORD) == "Wrong e-mail address or password"
    assert client.get("/account").status_code == 302


def test_deactivated_user_cannot_log_in(client, association_admin):
    association_admin.active = False
    db.session.flush()
    assert _login_error(client, association_admin.email, PASSWORD) == "Wrong e-mail address or password"


def test_login_upgrades_an_outdated_hash(client, app):
    old = PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user = make_user()
    user.password_hash = old
    db.session.flush()
    login(client, user)
    db.session.refresh(user)
    assert user.password_hash != old
    with app.app_context():
        assert not passwords.needs_rehash(user.password_hash)


def test_logout_is_post_only_with_csrf(client, association_admin):
    login(client, association_admin)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200


def _session_cookie(client):
    return client.get_cookie("session").value


def _replay(app, cookie):
    """A fresh browser holding an old copy of the session cookie: where does /account send it?"""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/account")


def test_a_session_cookie_copied_before_logout_no_longer_works(app, client, association_admin):
    login(client, association_admin)
    saved = _session_cookie(client)
    assert _replay(app, saved).status_code == 200
    response = post_form(client, "/logout", {})
    assert response.status_code == 302
    replay = _replay(app, saved)
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/login")


# --- rate limits --------------------------------------------------------------------------------


@pytest.fixture
def limits(app):
    """Set small log-in limits for one test, then restore the configured ones."""
    saved = {k: app.config[k] for k in ("LOGIN_LIMIT_PER_ADDRESS", "LOGIN_LIMIT_PER_ACCOUNT")}

    def set_limits(address="100 per minute", account="100 per minute"):
        app.config.update(LOGIN_LIMIT_PER_ADDRESS=address, LOGIN_LIMIT_PER_ACCOUNT=account)

    yield set_limits
    app.config.update(saved)


def test_failed_logins_per_account_are_limited(client, association_admin, limits):
    limits(account="3 per 15 minutes")
    for _ in range(3):
        _login_error(client, association_admin.email.upper(), "vaara-salasana-123")
    response = post_form(client, "/login", {"email": association_admin.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    other = make_user()
    assert post_form(client, "/login", {"email": other.email, "password": PASSWORD}).status_code == 302


def test_failed_logins_per_address_are_limited(client, limits):
    limits(address="2 per 15 minutes")
    _login_error(client, "yksi@example.fi", "vaara-salasana-123")
    _login_error(client, "kaksi@example.fi", "vaara-salasana-123")
    assert post_form(client, "/login", {"email": "kolme@example.fi", "password": "x"}).status_code == 429


def test_successful_logins_do_not_count_towards_the_limit(client, association_admin, limits):
    limits(address="2 per 15 minutes", account="2 per 15 minutes")
    for _ in range(4):
        login(client, association_admin)
        post_form(client, "/logout", {})


# --- password change and deactivation end other sessions ----------------------------------------


def test_changing_password_ends_other_sessions_but_keeps_this_one(app, client, association_admin):
    other = app.test_client()
    login(other, association_admin)
    login(client, association_admin)
    saved = _session_cookie(other)
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD},
        form_url="/account",
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert _replay(app, saved).status_code == 302
    post_form(client, "/logout", {})
    assert post_form(client, "/login", {"email": association_admin.email, "password": PASSWORD}).status_code == 422
    login(client, association_admin, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"current_password": "vaara-salasana-1"}, "current_password", "Enter your current password correctly"),
        (
            {"new_password": "lyhyt", "new_password_confirm": "lyhyt"},
            "new_password",
            "Enter a password of at least 12 characters",
        ),
        ({"new_password_confirm": "eri-salasana-2026"}, "new_password_confirm", "Enter the same password twice"),
    ],
)
def test_password_change_errors_appear_next_to_the_field(client, association_admin, data, field, message):
    login(client, association_admin)
    base = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}
    response = post_form(client, "/account/password", {**base, **data}, form_url="/account")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field) == message
    db.session.refresh(association_admin)
    assert passwords.verify_password(association_admin.password_hash, PASSWORD)


def test_deactivation_ends_every_session(app, client, association_admin):
    login(client, association_admin)
    saved = _session_cookie(client)
    services.deactivate_user(None, association_admin)
    assert client.get("/account").status_code == 302
    assert _replay(app, saved).status_code == 302


# --- the account page ---------------------------------------------------------------------------


def test_account_page_lists_organizations_with_links_to_members(client, association_admin, association):
    login(client, association_admin)
    page = client.get("/account").get_data(as_text=True)
    assert association.name in page
    assert f'href="/organizations/{association.id}/members"' in page
    assert 'autocomplete="current-password"' in page and page.count("<h1>") == 1


def test_profile_update_saves_name_and_language(client, association_admin):
    login(client, association_admin)
    response = post_form(client, "/account", {"name": "Aino Uusi-Nimi", "locale": "sv"}, form_url="/account")
    assert response.status_code == 302
    db.session.refresh(association_admin)
    assert (association_admin.name, association_admin.locale) == ("Aino Uusi-Nimi", "sv")
    assert '<html lang="sv">' in client.get("/account").get_data(as_text=True)


def test_profile_update_refuses_a_too_long_name(client, association_admin):
    login(client, association_admin)
    response = post_form(client, "/account", {"name": "N" * 201, "locale": "fi"}, form_url="/account")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "name") == "Enter at most 200 characters"


# --- password reset -----------------------------------------------------------------------------

LINK_RE = re.compile(r"http://localhost(/\S+)")


def _reset_link(outbox):
    (message,) = outbox
    return LINK_RE.search(message.get_content()).group(1)


def test_forgot_password_mails_a_link_and_answers_neutrally(client, association_admin, outbox):
    response = post_form(client, "/forgot-password", {"email": association_admin.email.upper()})
    assert response.status_code == 302
    known = client.get(response.headers["Location"]).get_data(as_text=True)
    assert outbox[0]["To"] == association_admin.email
    assert _reset_link(outbox).startswith("/reset-password/")
    outbox.clear()
    response = post_form(client, "/forgot-password", {"email": "ei-ole@example.fi"})
    unknown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert outbox == []
    message = "If an account uses that address, we have sent it a link"
    assert message in known and message in unknown


def test_reset_link_sets_a_new_password_once_and_ends_sessions(app, client, association_admin, outbox):
    browser = app.test_client()
    login(browser, association_admin)
    post_form(client, "/forgot-password", {"email": association_admin.email})
    link = _reset_link(outbox)
    assert client.get(link).status_code == 200
    weak = post_form(client, link, {"password": "lyhyt", "password_confirm": "lyhyt"}, form_url=link)
    assert field_error(weak.get_data(as_text=True), "password") == "Enter a password of at least 12 characters"
    response = post_form(client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, form_url=link)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert browser.get("/account").status_code == 302
    login(client, association_admin, NEW_PASSWORD)
    assert client.get(link).status_code == 404
    assert db.session.execute(sa.select(PasswordReset.used_at)).scalar_one() is not None


def test_expired_reset_link_is_refused(client, association_admin, outbox):
    post_form(client, "/forgot-password", {"email": association_admin.email})
    link = _reset_link(outbox)
    db.session.execute(sa.update(PasswordReset).values(expires_at=utcnow()))
    response = client.get(link)
    assert response.status_code == 404
    assert "has expired or has already been used" in response.get_data(as_text=True)


def test_reset_link_with_an_unknown_token_is_refused(client):
    assert client.get("/reset-password/ei-ole-tallaista").status_code == 404
