"""``flask --app wsgi leases tick``: the daily job that brings leases and buildings up to date."""

import click
from flask import current_app
from flask.cli import AppGroup

from leasing.extensions import db
from leasing.leases import lifecycle
from leasing.mail import deliver_committed

leases = AppGroup("leases", help="Leases: the daily job.")


@leases.command("tick")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Evaluate as of this date (catching up).")
def tick(today):
    """Activate signed leases whose start has come, expire ended ones, move buildings; safe to run twice."""
    base = current_app.config.get("SERVER_NAME") or current_app.config["SITE_DOMAIN"]
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    with current_app.test_request_context("/", base_url=f"{scheme}://{base}"):
        changed = lifecycle.tick(today.date() if today else None)
        db.session.commit()
        deliver_committed()
    click.echo(f"Leases updated: {changed}")
