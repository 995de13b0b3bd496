"""``flask users create | deactivate | list``."""

import sqlalchemy as sa

from leasing.accounts.models import User
from leasing.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _user(email):
    return db.session.execute(sa.select(User).filter_by(email=email)).scalar_one_or_none()


def test_create_staff_prompts_for_the_password_twice(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "Tiina@Ouka.fi", "--name", "Tiina Tilakeskus", "--staff"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    user = _user("tiina@ouka.fi")
    assert user.is_staff and user.memberships[0].organization.name == "Oulun kaupungin Tilakeskus"


def test_create_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "a@ouka.fi", "--name", "A", "--password-stdin"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert _user("a@ouka.fi") is not None and not _user("a@ouka.fi").is_staff


def test_create_applies_the_password_policy(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "b@ouka.fi", "--name", "B", "--staff", "--password-stdin"], input="lyhyt\n"
    )
    assert result.exit_code != 0
    assert "Enter a password of at least 12 characters" in result.output
    assert _user("b@ouka.fi") is None


def test_create_refuses_a_taken_email(runner):
    make_user(email="c@ouka.fi")
    result = runner.invoke(
        args=["users", "create", "--email", "C@ouka.fi", "--name", "C", "--password-stdin"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_deactivate_ends_sessions(runner, client, association_admin):
    login(client, association_admin)
    result = runner.invoke(args=["users", "deactivate", association_admin.email.upper()])
    assert result.exit_code == 0, result.output
    db.session.refresh(association_admin)
    assert not association_admin.active
    assert client.get("/account").status_code == 302
    assert runner.invoke(args=["users", "deactivate", "ei-ole@example.fi"]).exit_code != 0


def test_list_shows_accounts_and_roles(runner, association_admin, staff):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    assert association_admin.email in result.output and "Oulun kaupungin Tilakeskus (admin, signs)" in result.output
