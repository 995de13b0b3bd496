"""E-mail over SMTP through a transactional outbox, rendered in the recipient's language.

``send_mail`` writes the message to the ``outbox_message`` table in the caller's transaction. Once
that transaction commits, the message is delivered at the end of the request (or by
``deliver_committed()`` in a CLI command). A message whose delivery fails stays in the outbox
with its error, and ``flask --app wsgi mail send-pending`` tries again: a mail server that is down
never turns a user's action into an error page, and a rolled-back action never sends mail.
In development (``MAIL_BACKEND=log``) messages are written to the log instead of being sent.
"""

import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

import click
import sqlalchemy as sa
from flask import current_app, render_template
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, Session, mapped_column

from leasing.db import UTCDateTime, utcnow
from leasing.extensions import db
from leasing.i18n import REGIONAL, language_for


class OutboxMessage(db.Model):
    """A rendered e-mail waiting to be sent, or kept as sent."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    recipient: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: When the SMTP server accepted it; NULL while pending.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    #: One optional attachment (an .ics of a confirmed booking): file name, MIME type, bytes.
    attachment_name: Mapped[str | None] = mapped_column(sa.String(200))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(100))
    attachment: Mapped[bytes | None] = mapped_column(sa.LargeBinary)


def send_mail(to, subject, template, *, language=None, attachment=None, **context):
    """Render ``templates/mail/<template>.txt`` in ``language`` and queue it for ``to``.

    ``attachment``: ``(file name, MIME type, bytes)`` or a callable returning that, called in the
    recipient's language (an .ics rendered for them).
    """
    lang = language_for(language) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(REGIONAL[lang]):
        body = render_template(f"mail/{template}.txt", **context)
        subject_text = str(subject)
        attached = attachment() if callable(attachment) else attachment
    message = OutboxMessage(recipient=to, subject=subject_text[:300], body=body)
    if attached is not None:
        message.attachment_name, message.attachment_type, message.attachment = attached
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault("mail_pending", []).append(message.id)
    return message


@sa.event.listens_for(Session, "after_commit")
def _mark_committed(session):
    """Messages of a committed transaction may now be delivered."""
    pending = session.info.pop("mail_pending", [])
    session.info.setdefault("mail_committed", []).extend(pending)


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction):
    """A rolled-back action sends nothing."""
    session.info.pop("mail_pending", None)


def deliver_committed():
    """Deliver the messages whose transaction has committed (called after each request)."""
    ids = db.session.info.pop("mail_committed", [])
    if ids:
        # In the order they were written: a confirmation arrives before the decline that followed it.
        deliver(
            db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id))
        )
        db.session.commit()


def deliver(messages):
    """Try to send each unsent message; failures are recorded on the row, never raised."""
    sent = 0
    for message in messages:
        if message.sent_at is not None:
            continue
        message.attempts += 1
        try:
            _deliver(_email(message))
        except (smtplib.SMTPException, OSError) as error:
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            current_app.logger.warning("E-mail %s to %s not sent: %s", message.id, message.recipient, error)
        else:
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
    return sent


def _email(message):
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Message-ID"] = make_msgid(domain=current_app.config["SITE_DOMAIN"])
    email.set_content(message.body)
    if message.attachment is not None:
        maintype, _, subtype = (message.attachment_type or "application/octet-stream").partition("/")
        email.add_attachment(message.attachment, maintype=maintype, subtype=subtype, filename=message.attachment_name)
    return email


def _deliver(message):
    config = current_app.config
    if config["MAIL_BACKEND"] == "log":
        current_app.logger.warning("E-mail (not sent, MAIL_BACKEND=log):\n%s", message.as_string())
        return
    with smtplib.SMTP(config["MAIL_SERVER"] or "localhost", config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


mail_cli = AppGroup("mail", help="The e-mail outbox.")


@mail_cli.command("send-pending")
def send_pending():
    """Try again to send every message still waiting in the outbox."""
    pending = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    )
    sent = deliver(pending)
    db.session.commit()
    waiting = db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None)))
    click.echo(f"Sent {sent} message(s); {waiting} still waiting.")


def init_app(app):
    """Deliver committed mail after each request; add the ``mail`` command group."""

    @app.after_request
    def _deliver_after_request(response):
        deliver_committed()
        return response

    app.cli.add_command(mail_cli)
