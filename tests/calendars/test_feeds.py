"""The public feeds' content: exactly the live dates at their UTC instants (DST included), moves, the
window, privacy, and the format (CRLF, folded lines, UTF-8, the calendar's properties)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from leasing.accounts.models import Role
from leasing.bookings import changes, services
from leasing.bookings.models import BookingRules, Occurrence
from leasing.db import HELSINKI
from leasing.extensions import db
from leasing.premises.vocabulary import BuildingStatus
from tests.bookings import kit as bookings_kit
from tests.bookings.kit import values, weekly
from tests.calendars.kit import expanded, live_rows, parse
from tests.factories import make_occurrence_row, make_user


@pytest.fixture
def lease(association):
    return bookings_kit.house(association)


@pytest.fixture
def space(lease):
    bookings_kit.set_rules(lease.building.spaces[0], needs_approval=False, book_ahead_days=366)
    return lease.building.spaces[0]


def last_sunday(year, month):
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def next_transitions(today):
    """The next last Sundays of March and October at least three weeks away (Helsinki's DST changes)."""
    found = []
    for month in (3, 10):
        year = today.year
        while last_sunday(year, month) < today + timedelta(days=21):
            year += 1
        found.append(last_sunday(year, month))
    return found


def space_feed(client, space, **query):
    response = client.get(f"/calendar/spaces/{space.id}.ics", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_weekly_18_00_stays_18_00_helsinki_across_both_dst_changes(client, space, group, group_member):
    """Winter dates are 16:00 UTC, summer dates 15:00 UTC; the feed matches the database to the second."""
    for change in next_transitions(date.today()):
        first = bookings_kit.next_weekday(1, today=change - timedelta(days=21), weeks=0)
        services.request(group_member, space, weekly(group, times=6, first_date=first))
    db.session.flush()

    events = expanded(space_feed(client, space).data)

    assert events == live_rows(Occurrence.space_id == space.id)
    assert len(events) == 12
    hours = set()
    for start, end in events.values():
        local = start.astimezone(HELSINKI)
        assert (local.time(), end.astimezone(HELSINKI).time()) == (time(18), time(21))
        hours.add(start.hour)
    assert hours == {15, 16}  # 18:00 EEST and 18:00 EET


def test_cancelled_declined_and_skipped_dates_are_absent(client, space, group, group_member):
    booking = services.request(group_member, space, weekly(group, times=4))
    services.cancel(group_member, booking.occurrences[1], "Sairastuminen")
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for n, status in enumerate(("declined", "cancelled", "skipped", "requested", "city_pending")):
        at = now + timedelta(days=40 + n)
        make_occurrence_row(space, at, at + timedelta(hours=1), status=status)

    events = expanded(space_feed(client, space).data)

    assert events == live_rows(Occurrence.space_id == space.id)
    assert f"occurrence-{booking.occurrences[1].id}@tilasilta.localhost" not in events
    assert len(events) == 3 + 2


def test_a_moved_date_keeps_its_uid_at_its_new_time_with_a_higher_sequence(client, space, group, group_member):
    booking = services.request(group_member, space, values(group))
    [occurrence] = booking.occurrences
    _, [before] = parse(space_feed(client, space).data)

    new_day = bookings_kit.TUESDAY + timedelta(days=2)
    changes.move(group_member, occurrence, new_day, time(10), time(12))
    db.session.flush()
    _, [after] = parse(space_feed(client, space).data)

    assert str(after["UID"]) == str(before["UID"]) == f"occurrence-{occurrence.id}@tilasilta.localhost"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1 == 1
    assert after["DTSTART"].dt == datetime.combine(new_day, time(10), HELSINKI).astimezone(UTC)
    assert after["DTEND"].dt == datetime.combine(new_day, time(12), HELSINKI).astimezone(UTC)


def test_nothing_private_appears_in_the_public_feeds(app, client, lease, space, group, group_member, association):
    db.session.get(BookingRules, space.id).needs_approval = True
    services.request(group_member, space, weekly(group, times=2, title="Salainen harjoitus"))
    concert = services.request(
        group_member,
        space,
        values(group, title="Avoin konsertti", public_event=True, first_date=bookings_kit.TUESDAY + timedelta(days=1)),
    )
    services.request(
        group_member,
        space,
        values(group, title="Pyydetty keikka", public_event=True, first_date=bookings_kit.TUESDAY + timedelta(days=2)),
    )
    # A public event's title is shown once the association has confirmed it; a pending request's is not.
    with app.test_request_context("/"):
        services.confirm(make_user(association, Role.ADMIN), concert)
    for response in (
        space_feed(client, space, lang="en"),
        client.get(f"/calendar/buildings/{lease.building_id}.ics?lang=en"),
    ):
        text = response.get_data(as_text=True)
        _, events = parse(response.data)
        titles = sorted(str(e["SUMMARY"]) for e in events)
        assert titles == ["Avoin konsertti", "Booked", "Booked", "Booked"]
        for secret in (
            "Salainen",
            "Pyydetty",
            group.name,
            group_member.name,
            group_member.email,
            association.name,
            "/bookings/",
        ):
            assert secret not in text
        assert all("DESCRIPTION" not in e and "URL" not in e for e in events)
        assert all(
            space.name in str(e["LOCATION"]) and lease.building.street_address in str(e["LOCATION"]) for e in events
        )


def test_busy_blocks_are_titled_in_the_feeds_language(client, space, group, group_member):
    services.request(group_member, space, values(group))
    for lang, expected in (("fi", "Varattu"), ("sv", "Bokad"), ("en", "Booked")):
        _, [event] = parse(space_feed(client, space, lang=lang).data)
        assert str(event["SUMMARY"]) == expected
    # Without ?lang the feed is Finnish whatever the client's Accept-Language.
    _, [event] = parse(space_feed(client, space).data)
    assert str(event["SUMMARY"]) == "Varattu"


def test_the_feed_covers_30_days_back_to_18_months_ahead(client, space):
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    inside = [
        make_occurrence_row(space, now + timedelta(days=d), now + timedelta(days=d, hours=1)) for d in (-29, 1, 530)
    ]
    for d in (-32, 560):
        make_occurrence_row(space, now + timedelta(days=d), now + timedelta(days=d, hours=1))

    events = expanded(space_feed(client, space).data)

    assert set(events) == {f"occurrence-{o.id}@tilasilta.localhost" for o in inside}


def test_a_building_feed_holds_every_space(client, lease, space, group, group_member):
    other = lease.building.spaces[1]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    rows = [make_occurrence_row(s, now + timedelta(days=3), now + timedelta(days=3, hours=2)) for s in (space, other)]
    response = client.get(f"/calendar/buildings/{lease.building_id}.ics")
    assert response.status_code == 200
    assert set(expanded(response.data)) == {f"occurrence-{o.id}@tilasilta.localhost" for o in rows}
    assert response.headers["Content-Disposition"] == f'inline; filename="building-{lease.building_id}.ics"'


def test_a_feed_not_open_to_the_public_is_404(client, lease, space):
    lease.building.status = BuildingStatus.DRAFT
    db.session.flush()
    assert client.get(f"/calendar/spaces/{space.id}.ics").status_code == 404
    assert client.get(f"/calendar/buildings/{lease.building_id}.ics").status_code == 404
    assert client.get("/calendar/spaces/999999.ics").status_code == 404
    assert client.get("/calendar/buildings/999999.ics").status_code == 404


def test_the_calendar_is_well_formed(client, space, group, group_member):
    title = "Pohjoistuulen ääniharjoitus ja öinen jamisessio – kitarat, rummut, syntikat ja laulu"
    services.request(group_member, space, values(group, title=title, public_event=True))
    response = space_feed(client, space)

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'inline; filename="space-{space.id}.ics"'
    data = response.data
    data.decode("utf-8")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title is folded…
    cal, [event] = parse(data)
    assert str(event["SUMMARY"]) == title  # …and reads back whole
    for line in (
        b"VERSION:2.0",
        b"PRODID:-//Tilasilta//Tilasilta//FI",
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        b"X-PUBLISHED-TTL:PT1H",
    ):
        assert line in lines
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == f"{space.name}, {space.building.name} – Tilasilta"
    assert not any(line.startswith((b"METHOD", b"RRULE", b"BEGIN:VTIMEZONE", b"TZID")) for line in lines)
    assert all(line.endswith(b"Z") for line in lines if line.startswith((b"DTSTART", b"DTEND", b"DTSTAMP")))
    assert event["STATUS"] == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    occurrence = db.session.get(Occurrence, int(str(event["UID"]).split("-")[1].split("@")[0]))
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == occurrence.updated_at.replace(microsecond=0)
    cal.validate()
