"""The booking vocabularies: repetition and occurrence statuses, with translated titles."""

import enum

from flask_babel import lazy_gettext as _l


class Repeat(enum.StrEnum):
    """How a booking repeats."""

    ONCE = "once"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"

    @property
    def title(self):
        return {Repeat.ONCE: _l("Once"), Repeat.WEEKLY: _l("Every week"), Repeat.FORTNIGHTLY: _l("Every other week")}[
            self
        ]

    @property
    def step_days(self):
        return {Repeat.ONCE: 0, Repeat.WEEKLY: 7, Repeat.FORTNIGHTLY: 14}[self]


class OccurrenceStatus(enum.StrEnum):
    """One date of a booking.

    requested → (the association) confirmed, or city_pending when the lease asks the facilities
    centre's approval too → confirmed; declined or cancelled free the time. skipped: a date left out
    because of a conflict (or a rule) when the request was made, kept with its reason so it can be
    re-activated when the time frees up.
    """

    REQUESTED = "requested"
    CITY_PENDING = "city_pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"

    @property
    def title(self):
        return STATUS_TITLES[self]


STATUS_TITLES = {
    OccurrenceStatus.REQUESTED: _l("Requested"),
    OccurrenceStatus.CITY_PENDING: _l("Awaiting the facilities centre"),
    OccurrenceStatus.CONFIRMED: _l("Confirmed"),
    OccurrenceStatus.DECLINED: _l("Declined"),
    OccurrenceStatus.CANCELLED: _l("Cancelled"),
    OccurrenceStatus.SKIPPED: _l("Skipped"),
}
#: An occurrence in one of these holds its time: no other live occurrence may overlap it in the space
#: (a pending request holds its time too, first come first served, until it is declined).
LIVE_STATUSES = (OccurrenceStatus.REQUESTED, OccurrenceStatus.CITY_PENDING, OccurrenceStatus.CONFIRMED)
#: The SQL list of LIVE_STATUSES, for the database's own overlap guards.
LIVE_SQL = ", ".join(f"'{s.value}'" for s in LIVE_STATUSES)
