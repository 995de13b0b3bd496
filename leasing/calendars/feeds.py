"""The calendar feeds: what each one holds, its name and its change stamp; the bytes are built only when asked.

- a space's and a building's public feeds: busy blocks titled "Booked" (a public event by its title), no
  names, no descriptions, no links;
- a cultural group's private feed: its own bookings' live dates with every detail;
- an association's private feed: everything booked in its premises (and its own bookings), pending
  requests as TENTATIVE, with the booking group's name;
- the facilities centre's private feed: the leases' key dates as all-day events (start, last day, notice
  deadlines of indefinite leases).

Every feed covers 30 days back to 18 months ahead and stays under ``MAX_BYTES`` (the far end is cut in the
rare feed that would be larger: clients such as Google drop events beyond 1 MB anyway).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale

from leasing.accounts.models import OrgKind
from leasing.bookings import ics
from leasing.calendars import queries
from leasing.i18n import REGIONAL, _
from leasing.leases import rules as lease_rules

#: A feed is never larger than this (bytes).
MAX_BYTES = 1_000_000
#: Client caching: public feeds may be cached by anyone, private ones by the subscriber only.
PUBLIC_MAX_AGE = 3600
PRIVATE_MAX_AGE = 900


@dataclass
class Feed:
    """One feed: its stamp (for ETag and Last-Modified) and how to build its bytes."""

    kind: str
    filename: str
    stamp: queries.Stamp
    language: str
    public: bool
    _build: Callable[[], bytes]

    @property
    def etag(self):
        return self.stamp.etag

    @property
    def last_modified(self):
        return self.stamp.last_modified

    @property
    def max_age(self):
        return PUBLIC_MAX_AGE if self.public else PRIVATE_MAX_AGE

    def render(self):
        """The calendar's bytes, in the feed's language."""
        with force_locale(REGIONAL[self.language]):
            return self._build()


def _parts(kind, key, language):
    return (ics.FORMAT_VERSION, kind, key, language, current_app.config["SITE_DOMAIN"])


def _public_calendar(name, scope, win):
    events = (ics.event_ical(**ics.public_fields(o)) for o in queries.occurrences(scope, win))
    return ics.calendar(name, events, max_bytes=MAX_BYTES)


def space_feed(space, language, now=None):
    """The public feed of one space."""
    win = queries.window(now)
    building = space.building
    scope = queries.space_scope(space)
    extra = (*_parts("space", space.id, language), space.updated_at, building.updated_at, building.status.value)
    name = f"{space.name}, {building.name} – Tilasilta"
    return Feed(
        "space",
        f"space-{space.id}.ics",
        queries.occurrence_stamp(scope, win, *extra),
        language,
        True,
        lambda: _public_calendar(name, scope, win),
    )


def building_feed(building, language, now=None):
    """The public feed of a whole building (every space)."""
    win = queries.window(now)
    scope = queries.building_scope(building)
    extra = (*_parts("building", building.id, language), building.updated_at, building.status.value)
    name = f"{building.name} – Tilasilta"
    return Feed(
        "building",
        f"building-{building.id}.ics",
        queries.occurrence_stamp(scope, win, *extra),
        language,
        True,
        lambda: _public_calendar(name, scope, win),
    )


def organization_feed(organization, language, now=None):
    """The private feed of ``organization`` by its kind (group, association, facilities centre)."""
    if organization.kind == OrgKind.FACILITIES_CENTRE:
        return _lease_feed(organization, language, now)
    win = queries.window(now)
    if organization.kind == OrgKind.ASSOCIATION:
        scope, kind = queries.association_scope(organization), "association"
    else:
        scope, kind = queries.group_scope(organization), "group"
    extra = (*_parts(kind, organization.id, language), organization.updated_at)
    name = f"{organization.name} – Tilasilta"

    def build():
        rows = queries.occurrences(scope, win)
        if kind == "association":
            summaries = (f"{o.booking.title} ({o.booking.group.name})" for o in rows)
            events = (ics.event_ical(**ics.private_fields(o, s)) for o, s in zip(rows, summaries, strict=True))
        else:
            events = (ics.event_ical(**ics.private_fields(o)) for o in rows)
        return ics.calendar(name, events, max_bytes=MAX_BYTES)

    return Feed(
        kind,
        f"{kind}-{organization.id}.ics",
        queries.occurrence_stamp(scope, win, *extra),
        language,
        False,
        build,
    )


# --- The facilities centre: leases' key dates ----------------------------------------------------------------


def lease_dates(lease, win):
    """``(what, day)`` of ``lease`` inside the window: "start", "end" (its last day) and "notice" (each
    deadline for notice of an indefinite lease that has no last day yet)."""
    found = []
    if win.covers(lease.start_date):
        found.append(("start", lease.start_date))
    last = lease.last_day
    if last is not None:
        if win.covers(last):
            found.append(("end", last))
    elif lease.notice_period_months:
        day = max(win.first_day, lease.start_date)
        while True:
            deadline = lease_rules.next_notice_deadline(lease.start_date, lease.notice_period_months, day)
            if deadline > win.last_day:
                break
            found.append(("notice", deadline))
            day = deadline + timedelta(days=1)
    return found


def _lease_summary(what, lease):
    names = {"building": lease.building.name, "tenant": lease.tenant.name, "number": lease.number}
    if what == "start":
        return _("Lease begins: %(building)s, %(tenant)s (%(number)s)", **names)
    if what == "end":
        return _("Lease ends (last day): %(building)s, %(tenant)s (%(number)s)", **names)
    return _("Last day to give notice: %(building)s, %(tenant)s (%(number)s)", **names)


def lease_events(leases, win):
    """All-day events of the leases' key dates, by day then lease then kind."""
    domain = ics.domain()
    rows = sorted(
        ((day, lease.id, what, lease) for lease in leases for what, day in lease_dates(lease, win)),
        key=lambda row: row[:3],
    )
    for day, lease_id, what, lease in rows:
        uid = (
            f"lease-{lease_id}-{what}@{domain}"
            if what != "notice"
            else f"lease-{lease_id}-notice-{day:%Y%m%d}@{domain}"
        )
        yield ics.all_day_event(
            uid=uid,
            day=day,
            stamp=lease.updated_at,
            summary=_lease_summary(what, lease),
            description=lease.purpose or None,
            url=url_for("leases.lease", lease_id=lease_id, _external=True),
        )


def _latest_of(stamp, organization):
    return max(stamp.last_modified, organization.updated_at.replace(microsecond=0))


def _lease_feed(organization, language, now):
    win = queries.window(now)
    name = f"{organization.name} – Tilasilta"
    stamp = queries.lease_stamp(win)
    return Feed(
        "leases",
        f"leases-{organization.id}.ics",
        queries.Stamp(
            (*stamp.parts, *_parts("leases", organization.id, language), organization.updated_at),
            _latest_of(stamp, organization),
        ),
        language,
        False,
        lambda: ics.calendar(name, lease_events(queries.leases(), win), max_bytes=MAX_BYTES),
    )
