"""The iCalendar builder of bookings (leasing/bookings/ics.py), the "add to calendar" downloads and the
.ics attached to the confirmation e-mail."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from leasing.bookings import ics, services
from leasing.extensions import db
from tests.bookings import kit
from tests.bookings.kit import values, weekly
from tests.conftest import login
from tests.factories import make_user

STAMP = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def lease(association):
    return kit.house(association)


@pytest.fixture
def space(lease):
    return lease.building.spaces[0]


@pytest.fixture
def series(space, group, group_member):
    return services.request(group_member, space, weekly(group, times=3, title="Kuoroharjoitus"))


TRICKY = [
    "Bändiharjoitus",
    "a, b; c\\d\nuusi rivi",
    "ä" * 80,
    "x" * 73 + "\\n" + "y" * 10,
    "Pohjoistuulen ääniharjoitus ja öinen jamisessio – kitarat, rummut, syntikat ja laulu 🎸🎸🎸",
    "€" * 30 + "," * 30,
]


@pytest.mark.parametrize("text", TRICKY)
def test_event_ical_writes_exactly_what_icalendar_writes(app, text):
    fields = {
        "uid": "occurrence-7@tilasilta.localhost",
        "starts_at": datetime(2027, 3, 30, 15, tzinfo=UTC),
        "ends_at": datetime(2027, 3, 30, 18, tzinfo=UTC),
        "stamp": STAMP,
        "sequence": 3,
        "status": "TENTATIVE",
        "summary": text,
        "location": text + ", Paloasemantie 5, 90500 Oulu",
        "description": text,
        "url": "http://localhost/bookings/7?a=b,c",
    }
    assert ics.event_ical(**fields) == ics.event(**fields).to_ical()
    short = {k: fields[k] for k in ("uid", "starts_at", "ends_at", "stamp", "summary")}
    assert ics.event_ical(**short) == ics.event(**short).to_ical()
    lines = ics.event_ical(**fields).split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    [parsed] = icalendar.Calendar.from_ical(ics.calendar("x", [ics.event_ical(**fields)])).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == text and str(parsed["DESCRIPTION"]) == text


def test_the_calendar_wrapper_is_what_icalendar_writes_and_cuts_at_the_byte_bound(app):
    events = [
        ics.event(
            uid=f"occurrence-{n}@x",
            starts_at=datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=n),
            ends_at=datetime(2027, 1, 1, 2, tzinfo=UTC) + timedelta(days=n),
            stamp=STAMP,
            summary="Varattu",
        )
        for n in range(10)
    ]
    data = ics.calendar("Sali – Tilasilta", events)
    whole = icalendar.Calendar.from_ical(data)
    assert whole.to_ical() == data
    assert b"METHOD" not in data
    cut = ics.calendar("Sali – Tilasilta", events, max_bytes=len(data) - 1)
    assert len(cut) < len(data)
    assert len(icalendar.Calendar.from_ical(cut).walk("VEVENT")) == 9
    empty = ics.calendar("Sali – Tilasilta", [])
    assert icalendar.Calendar.from_ical(empty).walk("VEVENT") == []


def test_an_occurrence_becomes_a_stable_utc_event(app_ctx, series):
    occurrence = series.occurrences[0]
    event = ics.private_event(occurrence)
    assert str(event["UID"]) == f"occurrence-{occurrence.id}@tilasilta.localhost"
    assert event["DTSTART"].dt == occurrence.starts_at and event["DTSTART"].dt.tzinfo == UTC
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == occurrence.updated_at.replace(microsecond=0)
    assert event["STATUS"] == "TENTATIVE" and int(event["SEQUENCE"]) == 0
    assert str(event["URL"]) == f"http://localhost/bookings/{series.id}"
    assert "People: 5" in str(event["DESCRIPTION"])
    assert ics.private_event(occurrence).to_ical() == event.to_ical()  # no clock, no randomness
    public = ics.public_event(occurrence)
    assert str(public["SUMMARY"]) == "Booked" and "DESCRIPTION" not in public and "URL" not in public


def test_the_booking_downloads_as_ics_for_its_people(client, series, group_member, association, staff):
    url = f"/bookings/{series.id}/calendar.ics"
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    for user in (group_member, make_user(association), staff):
        other = client.application.test_client()
        login(other, user)
        response = other.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.headers["Content-Disposition"] == f'attachment; filename="booking-{series.id}.ics"'
        events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
        assert [str(e["UID"]) for e in events] == [f"occurrence-{o.id}@tilasilta.localhost" for o in series.occurrences]
    stranger = client.application.test_client()
    login(stranger, kit.other_group())
    assert stranger.get(url).status_code == 404


def test_one_date_downloads_alone_and_a_cancelled_date_does_not(client, series, group_member):
    login(client, group_member)
    first, second = series.occurrences[:2]
    response = client.get(f"/occurrences/{first.id}/calendar.ics")
    [event] = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["UID"]) == f"occurrence-{first.id}@tilasilta.localhost"
    services.cancel(group_member, second, "")
    db.session.flush()
    assert client.get(f"/occurrences/{second.id}/calendar.ics").status_code == 404
    assert client.get("/occurrences/999999/calendar.ics").status_code == 404
    page = client.get(f"/bookings/{series.id}").get_data(as_text=True)
    assert f"/bookings/{series.id}/calendar.ics" in page
    assert f"/occurrences/{first.id}/calendar.ics" in page
    assert f"/occurrences/{second.id}/calendar.ics" not in page
    assert "Add to calendar (.ics)" in page


def test_the_confirmation_mail_carries_the_confirmed_dates(app_ctx, space, group, group_member, association, outbox):
    admin = make_user(association)
    booking = services.request(group_member, space, values(group, first_date=kit.TUESDAY))
    outbox.clear()
    kit.deliver()
    outbox.clear()
    services.confirm(admin, booking)
    kit.deliver()
    [message] = [m for m in outbox if m["To"] == group_member.email]
    [part] = list(message.iter_attachments())
    assert part.get_filename() == "varaus.ics" and part.get_content_type() == "text/calendar"
    [event] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert str(event["UID"]) == f"occurrence-{booking.occurrences[0].id}@tilasilta.localhost"
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTART"].dt == booking.occurrences[0].starts_at
