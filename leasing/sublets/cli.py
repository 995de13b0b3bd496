"""Command-line commands of sublets: ``flask --app wsgi sublets …``."""

from flask.cli import AppGroup

sublets = AppGroup("sublets", help="Sublets: daily jobs.")
