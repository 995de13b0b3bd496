"""E-mail over SMTP, rendered in the recipient's language.

In development (``MAIL_BACKEND=log``) the message is written to the log instead of being sent.
"""

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from leasing.i18n import REGIONAL, language_for


def send_mail(to, subject, template, *, language=None, **context):
    """Render ``templates/mail/<template>.txt`` in ``language`` and send it to ``to``."""
    lang = language_for(language) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(REGIONAL[lang]):
        body = render_template(f"mail/{template}.txt", **context)
        subject_text = str(subject)
    message = EmailMessage()
    message["Subject"] = subject_text
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Message-ID"] = make_msgid(domain=current_app.config["SITE_DOMAIN"])
    message.set_content(body)
    _deliver(message)
    return message


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
