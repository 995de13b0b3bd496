"""Calendars' pages and feeds. The view modules of the domain register their routes on ``bp`` when imported here."""

from leasing.calendars import (
    views_feeds,  # noqa: F401  (registers the iCalendar feeds)
    views_tokens,  # noqa: F401  (private calendar links, subscribe pages)
)
from leasing.calendars.blueprint import bp

__all__ = ["bp"]
