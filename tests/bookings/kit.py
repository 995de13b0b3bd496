"""Helpers for the booking tests: a leased house, request values, a sublet row, a date's description."""

import itertools
from datetime import date, time, timedelta
from decimal import Decimal

from leasing.accounts.models import OrgKind
from leasing.bookings.models import BookingRules, ClosedDate
from leasing.extensions import db
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import SubletKind, SubletStatus
from tests.factories import make_house, make_org, make_user

_seq = itertools.count(1)


def next_weekday(weekday, weeks=1, today=None):
    """The date of ``weekday`` (0 = Monday) at least ``weeks`` weeks after today."""
    start = (today or date.today()) + timedelta(days=7 * weeks)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


#: A Tuesday one to two weeks ahead: the first date of most test bookings.
TUESDAY = next_weekday(1)


def house(tenant, **lease_overrides):
    """An active lease of a building with two bookable rooms (8–22 daily, 10 €/h, 12 people) of ``tenant``."""
    values = {"start_date": date.today() - timedelta(days=60), "end_date": date.today() + timedelta(days=900)}
    values.update(lease_overrides)
    return make_house(tenant=tenant, spaces=2, **values)


def values(group, **overrides):
    """Valid request values: a rehearsal of 5 people on TUESDAY 18–21, once."""
    data = {
        "group_id": group.id,
        "title": "Bändiharjoitus",
        "attendees": 5,
        "public_event": False,
        "repeat": "once",
        "first_date": TUESDAY,
        "starts_time": time(18),
        "ends_time": time(21),
        "until_date": None,
        "times": None,
    }
    data.update(overrides)
    return data


def weekly(group, times=3, **overrides):
    """A weekly series of ``times`` Tuesdays from TUESDAY."""
    return values(group, repeat="weekly", times=times, **overrides)


def set_rules(space, **overrides):
    """Saved booking rules of ``space``."""
    row = BookingRules(space_id=space.id, **overrides)
    db.session.add(row)
    db.session.flush()
    return row


def close(space, starts_on, ends_on=None, reason="Juhannus"):
    row = ClosedDate(space_id=space.id, starts_on=starts_on, ends_on=ends_on or starts_on, reason=reason)
    db.session.add(row)
    db.session.flush()
    return row


def make_sublet(lease, group, space, kind=SubletKind.EXCLUSIVE, status=SubletStatus.SIGNED, **overrides):
    """A sublet row written directly: exclusive for ~half a year, or a weekly slot (Tuesdays 18–21)."""
    data = {
        "starts_on": date.today(),
        "ends_on": date.today() + timedelta(days=180),
        "monthly_rent": Decimal("100.00"),
    }
    if kind == SubletKind.SLOT:
        data.update(weekday=1, slot_starts=time(18), slot_ends=time(21))
    data.update(overrides)
    sublet = Sublet(
        number=f"AV-2098-{next(_seq):04d}",
        lease_id=lease.id,
        space_id=space.id,
        association_id=lease.tenant_id,
        group_id=group.id,
        kind=kind,
        status=status,
        **data,
    )
    db.session.add(sublet)
    db.session.flush()
    return sublet


def other_group():
    """Another cultural group with one member (returns the member)."""
    return make_user(make_org(OrgKind.CULTURAL_GROUP))


def when(day, starts="18:00", ends="21:00"):
    """A date as the English messages describe it: ``Tue 3.3.2026 18:00–21:00``."""
    return f"{day:%a} {day.day}.{day.month}.{day.year} {starts}–{ends}"


def recipients(outbox):
    return sorted(m["To"] for m in outbox)


def deliver():
    """Commit (ends the test's savepoint) and deliver the queued mail, as the end of a request does."""
    from leasing.mail import deliver_committed

    db.session.commit()
    deliver_committed()


def body(message):
    """A received message's text (the plain-text part when an .ics is attached)."""
    if message.is_multipart():
        return message.get_body(("plain",)).get_payload(decode=True).decode()
    return message.get_payload(decode=True).decode()
