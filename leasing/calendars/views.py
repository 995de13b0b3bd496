"""Calendars' pages and feeds. The view modules of the domain register their routes on ``bp`` when imported here."""

from leasing.calendars.blueprint import bp

__all__ = ["bp"]
