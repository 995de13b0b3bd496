"""Bookings' pages. The view modules of the domain register their routes on ``bp`` when imported here."""

from leasing.bookings import views_settings  # noqa: F401  (registers the booking settings pages)
from leasing.bookings.blueprint import bp

__all__ = ["bp"]
