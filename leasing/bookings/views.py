"""Bookings' pages. The view modules of the domain register their routes on ``bp`` when imported here."""

import leasing.bookings.services  # noqa: F401  (connects the bookings' lease and sublet receivers)
from leasing.bookings import (
    views_bookings,  # noqa: F401  (registers the request, booking and inbox pages)
    views_ics,  # noqa: F401  (registers the "add to calendar" downloads)
    views_settings,  # noqa: F401  (registers the booking settings pages)
)
from leasing.bookings.blueprint import bp

__all__ = ["bp"]
