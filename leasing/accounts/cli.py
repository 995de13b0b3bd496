"""``flask --app wsgi users …`` (being written)."""

import click
from flask.cli import AppGroup

users = AppGroup("users", help="Manage user accounts.")
