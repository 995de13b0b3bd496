"""Calendars: iCalendar feeds of spaces, buildings and organizations, and their private-feed tokens."""
