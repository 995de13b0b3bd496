"""Command-line commands of bookings: ``flask --app wsgi bookings …``."""

from flask.cli import AppGroup

bookings = AppGroup("bookings", help="Bookings: daily jobs.")
