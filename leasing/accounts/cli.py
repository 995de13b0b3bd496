"""``flask --app wsgi users …``: create, deactivate and list accounts. Staff accounts are made only here."""

import sys

import click
from flask.cli import AppGroup

from leasing.accounts import services
from leasing.errors import DomainError
from leasing.extensions import db

users = AppGroup("users", help="Manage user accounts.")


def _fail(error):
    """Roll back and stop with the rule's message(s)."""
    db.session.rollback()
    messages = [str(m) for ms in error.fields.values() for m in ms] or [str(error.message)]
    raise click.ClickException("; ".join(messages))


def _read_password(from_stdin):
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("create")
@click.option("--email", required=True, help="The person's e-mail address (their log-in).")
@click.option("--name", required=True, help="The person's name.")
@click.option("--staff", is_flag=True, help="Make the account facilities-centre staff.")
@click.option("--locale", type=click.Choice(services.LANGUAGES), default="fi", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def create(email, name, staff, locale, password_stdin):
    """Create an account (with --staff, a member of the facilities centre)."""
    password = _read_password(password_stdin)
    try:
        user = services.create_user(email=email, name=name, password=password, staff=staff, locale=locale)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    kind = "staff account" if staff else "account"
    click.echo(f"Created {kind} {user.email}.")


@users.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Stop EMAIL from logging in and end all of its sessions."""
    user = services.user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the e-mail address {email}.")
    services.deactivate_user(None, user)
    db.session.commit()
    click.echo(f"Deactivated {user.email}; all of its sessions have ended.")


@users.command("list")
def list_users():
    """List every account with its organizations and roles."""
    for user in services.list_users():
        state = "active" if user.active else "deactivated"
        roles = ", ".join(
            f"{m.organization.name} ({m.role.value}{', signs' if m.can_sign else ''})" for m in user.memberships
        )
        click.echo(f"{user.email}\t{user.name}\t{state}\t{roles or '-'}")
