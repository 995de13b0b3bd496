"""Command-line commands of bookings: ``flask --app wsgi bookings …``."""

import click
from flask import current_app
from flask.cli import AppGroup

from leasing.extensions import db
from leasing.mail import deliver_committed

bookings = AppGroup("bookings", help="Bookings: daily jobs.")


@bookings.command("remind")
def remind():
    """E-mail the association once about each booking request that has waited for more than two days."""
    from leasing.bookings import services

    base = current_app.config.get("SERVER_NAME") or current_app.config["SITE_DOMAIN"]
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    with current_app.test_request_context("/", base_url=f"{scheme}://{base}"):
        count = services.remind()
        db.session.commit()
        deliver_committed()
    click.echo(f"Reminders sent: {count}")
