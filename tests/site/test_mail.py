"""The e-mail outbox: delivered after commit, never on rollback, kept and retried when SMTP fails."""

from datetime import timedelta

import sqlalchemy as sa

from leasing.extensions import db
from leasing.mail import OutboxMessage, deliver_committed, send_mail
from tests.conftest import login, post_form


class _Person:
    name = "Aino Ahola"


def _queue(to="aino@example.fi", language="sv"):
    link = "https://x.example/r/abc"
    return send_mail(to, "Test", "password_reset", language=language, user=_Person(), link=link, minutes=60)


def test_mail_is_sent_only_after_commit(app_ctx, outbox):
    _queue()
    assert outbox == []
    db.session.commit()
    deliver_committed()
    assert len(outbox) == 1
    assert outbox[0]["To"] == "aino@example.fi"
    assert "https://x.example/r/abc" in outbox[0].get_content()
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.sent_at is not None and message.attempts == 1


def test_an_attachment_is_rendered_in_the_recipients_language_and_arrives(app_ctx, outbox):
    from flask_babel import get_locale

    def ics():
        return (
            "varaus.ics",
            "text/calendar",
            f"BEGIN:VCALENDAR\r\nX-LANG:{get_locale()}\r\nEND:VCALENDAR\r\n".encode(),
        )

    link = "https://x.example/r/abc"
    send_mail(
        "aino@example.fi",
        "Test",
        "password_reset",
        language="sv",
        attachment=ics,
        user=_Person(),
        link=link,
        minutes=60,
    )
    db.session.commit()
    deliver_committed()
    [message] = outbox
    [part] = list(message.iter_attachments())
    assert part.get_filename() == "varaus.ics" and part.get_content_type() == "text/calendar"
    assert b"X-LANG:sv_FI" in part.get_payload(decode=True)


def test_rolled_back_action_sends_nothing(app_ctx, outbox):
    _queue()
    db.session.rollback()
    deliver_committed()
    assert outbox == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_smtp_down_keeps_the_message_and_send_pending_retries(app, app_ctx, runner, outbox, mail_server):
    app.config["MAIL_PORT"] = 9  # nothing listens on the discard port here
    try:
        _queue()
        db.session.commit()
        deliver_committed()
    finally:
        app.config["MAIL_PORT"] = mail_server.port
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert outbox == []
    result = runner.invoke(args=["mail", "send-pending"])
    assert "Sent 1 message(s); 0 still waiting." in result.output
    assert len(outbox) == 1


def test_a_browsing_user_stays_signed_in_past_the_idle_timeout(app, client, group_member):
    from leasing.accounts.models import UserSession

    login(client, group_member)
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == group_member.id))
    row.last_seen_at = row.last_seen_at - timedelta(hours=7)
    db.session.commit()
    assert client.get("/account").status_code == 200  # a GET refreshes the session's last use
    db.session.expire_all()
    row = db.session.get(UserSession, row.id)
    db.session.refresh(row)
    row.last_seen_at = row.last_seen_at - timedelta(hours=7)
    db.session.commit()
    assert client.get("/account").status_code == 200


def test_an_idle_session_expires(app, client, group_member):
    from leasing.accounts.models import UserSession

    login(client, group_member)
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == group_member.id))
    row.last_seen_at = row.last_seen_at - timedelta(hours=9)
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_forgot_password_queues_and_delivers_one_mail(client, group_member, outbox):
    post_form(client, "/forgot-password", {"email": group_member.email})
    assert len(outbox) == 1
    assert db.session.scalar(sa.select(OutboxMessage.sent_at)) is not None
