"""The feeds over HTTP: byte-identical refetches, ETag and Last-Modified, 304s, Cache-Control, a fixed number
of queries, rate limits, and the 1 MB bound on the busiest building."""

import time as clock
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.http import http_date, parse_date

from leasing.accounts.models import Organization
from leasing.bookings import services
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.calendars import feeds, queries
from leasing.db import HELSINKI
from leasing.extensions import db
from leasing.premises.models import Building, Space
from tests.bookings import kit as bookings_kit
from tests.bookings.kit import weekly
from tests.calendars.kit import make_token, parse
from tests.conftest import count_queries
from tests.factories import make_building, make_occurrence_row, make_space


@pytest.fixture
def lease(association):
    return bookings_kit.house(association)


@pytest.fixture
def space(lease):
    bookings_kit.set_rules(lease.building.spaces[0], needs_approval=False, book_ahead_days=366)
    return lease.building.spaces[0]


@pytest.fixture
def booking(space, group, group_member):
    return services.request(group_member, space, weekly(group, times=4))


def age_everything(seconds=5):
    """Every row's ``updated_at`` moves ``seconds`` back: the next change lands in a later second."""
    for model in (Occurrence, Booking, Space, Building, Organization):
        for row in db.session.scalars(sa.select(model)):
            row.updated_at = row.updated_at - timedelta(seconds=seconds)
    db.session.flush()


def url(space):
    return f"/calendar/spaces/{space.id}.ics"


def test_two_fetches_of_unchanged_data_are_byte_identical(client, space, booking):
    first, second = client.get(url(space)), client.get(url(space))
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Last-Modified"] == second.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    assert "Set-Cookie" not in first.headers


def test_conditional_requests_answer_304_with_an_empty_body(client, space, booking):
    full = client.get(url(space))
    etag, modified = full.headers["ETag"], full.headers["Last-Modified"]

    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", {etag}'},
        {"If-Modified-Since": modified},
        {"If-None-Match": etag, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},  # If-None-Match wins
    ):
        response = client.get(url(space), headers=headers)
        assert response.status_code == 304, headers
        assert response.data == b""
        assert response.headers["ETag"] == etag
        assert response.headers["Cache-Control"] == "public, max-age=3600"

    earlier = http_date(parse_date(modified) - timedelta(seconds=1))
    assert client.get(url(space), headers={"If-Modified-Since": earlier}).status_code == 200
    # A stale ETag is modified even when the date says otherwise (If-None-Match wins).
    stale = {"If-None-Match": '"stale"', "If-Modified-Since": modified}
    assert client.get(url(space), headers=stale).data == full.data


def test_a_cancellation_gives_a_new_etag_and_a_later_last_modified(client, space, booking, group_member):
    age_everything()
    before = client.get(url(space))
    cancelled = booking.occurrences[2]

    services.cancel(group_member, cancelled, "")
    db.session.flush()
    after = client.get(url(space))

    assert after.headers["ETag"] != before.headers["ETag"]
    assert parse_date(after.headers["Last-Modified"]) > parse_date(before.headers["Last-Modified"])
    conditional = {"If-None-Match": before.headers["ETag"], "If-Modified-Since": before.headers["Last-Modified"]}
    again = client.get(url(space), headers=conditional)
    assert again.status_code == 200 and again.data == after.data
    assert f"occurrence-{cancelled.id}@".encode() not in after.data
    # Only If-Modified-Since (a client that keeps no ETag) sees the change too.
    assert client.get(url(space), headers={"If-Modified-Since": before.headers["Last-Modified"]}).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda b, s: setattr(b, "title", "Uusi nimi"),
        lambda b, s: setattr(b, "public_event", True),
        lambda b, s: setattr(s, "name", "Iso sali"),
        lambda b, s: setattr(s.building, "street_address", "Uusi katu 1"),
        lambda b, s: setattr(b.occurrences[0], "ends_at", b.occurrences[0].ends_at + timedelta(minutes=30)),
    ],
    ids=["title", "public", "space name", "address", "time"],
)
def test_any_change_shown_in_the_feed_gives_a_new_etag(client, space, booking, change):
    age_everything()
    before = client.get(url(space))
    change(booking, space)
    db.session.flush()
    after = client.get(url(space))
    assert after.headers["ETag"] != before.headers["ETag"]
    assert parse_date(after.headers["Last-Modified"]) > parse_date(before.headers["Last-Modified"])


def test_the_language_has_its_own_etag(client, space, booking):
    etags = {client.get(url(space), query_string={"lang": lang}).headers["ETag"] for lang in ("fi", "sv", "en")}
    assert len(etags) == 3


def test_last_modified_is_never_before_the_start_of_the_windows_day(app, space, booking):
    for model in (Occurrence, Booking, Space, Building):
        for row in db.session.scalars(sa.select(model)):
            row.updated_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.flush()
    with app.test_request_context():
        today = feeds.space_feed(space, "fi")
        tomorrow = feeds.space_feed(space, "fi", now=datetime.now(UTC) + timedelta(days=1))
    midnight = datetime.combine(date.today(), time(), HELSINKI).astimezone(UTC)
    assert today.last_modified >= midnight.replace(microsecond=0) - timedelta(days=1)
    assert tomorrow.last_modified > today.last_modified  # the window moved: the feed changed
    assert tomorrow.etag != today.etag


def test_the_feed_costs_a_fixed_number_of_queries(client, space, group, group_member, lease, association_admin):
    secret = make_token(association_admin, lease.tenant)
    services.request(group_member, space, weekly(group, times=1))
    counts = {}
    for size in ("small", "large"):
        with count_queries() as q:
            client.get(url(space))
        with count_queries() as b:
            client.get(f"/calendar/buildings/{space.building_id}.ics")
        client.get(f"/calendar/feed/{secret}.ics")  # the first fetch notes the token's use
        with count_queries() as p:
            client.get(f"/calendar/feed/{secret}.ics")
        counts[size] = (q.count, b.count, p.count)
        if size == "small":
            services.request(
                group_member, space, weekly(group, times=20, first_date=bookings_kit.TUESDAY + timedelta(days=1))
            )
    assert counts["small"] == counts["large"]
    assert counts["small"][:2] == (3, 3)  # the place, the stamp, the rows

    etag = client.get(url(space)).headers["ETag"]
    with count_queries() as q:
        assert client.get(url(space), headers={"If-None-Match": etag}).status_code == 304
    assert q.count == 2  # the place and the stamp: a 304 never builds the feed


def test_public_feeds_are_rate_limited_per_address(app, client, space, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_FEED_LIMIT_PER_ADDRESS", "3 per hour")
    assert [client.get(url(space)).status_code for _ in range(4)] == [200, 200, 200, 429]
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert other.get(url(space)).status_code == 200


def test_private_feeds_are_rate_limited_per_token(app, client, lease, association_admin, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_FEED_LIMIT_PER_TOKEN", "2 per hour")
    first, second = make_token(association_admin, lease.tenant), make_token(association_admin, lease.tenant)
    statuses = [client.get(f"/calendar/feed/{first}.ics").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(f"/calendar/feed/{second}.ics").status_code == 200


def test_the_default_limits_are_generous(client, space):
    assert [client.get(url(space)).status_code for _ in range(30)] == [200] * 30


def _busy_building(spaces=6, days=400):
    """6 spaces × 2 bookings a day from 20 days ago for ``days`` days (4,800 dates, ~1.4 MB of events),
    written as direct rows."""
    building = make_building(status="leased")
    rooms = [make_space(building, name=f"Sali {n + 1}", bookable=True) for n in range(spaces)]
    first = make_occurrence_row(rooms[0], datetime(2020, 1, 1, 8, tzinfo=UTC), datetime(2020, 1, 1, 9, tzinfo=UTC))
    lease, group = first.booking.lease, first.booking.group
    today = date.today() - timedelta(days=20)
    rows = []
    for room in rooms:
        for slot, (starts, ends) in enumerate(((time(10), time(13)), (time(17), time(21)))):
            booking = Booking(
                space=room,
                lease=lease,
                group=group,
                title=f"Harjoitus {room.name} {slot}",
                attendees=8,
                first_date=today,
                starts_time=starts,
                ends_time=ends,
            )
            db.session.add(booking)
            db.session.flush()
            for n in range(days):
                day = today + timedelta(days=n)
                rows.append(
                    {
                        "booking_id": booking.id,
                        "space_id": room.id,
                        "building_id": building.id,
                        "starts_at": datetime.combine(day, starts, HELSINKI).astimezone(UTC),
                        "ends_at": datetime.combine(day, ends, HELSINKI).astimezone(UTC),
                        "status": OccurrenceStatus.CONFIRMED,
                    }
                )
    db.session.execute(sa.insert(Occurrence), rows)
    return building


def test_the_busiest_building_stays_under_one_megabyte(client):
    building = _busy_building()
    started = clock.monotonic()
    with count_queries() as q:
        response = client.get(f"/calendar/buildings/{building.id}.ics")
    elapsed = clock.monotonic() - started

    assert response.status_code == 200
    assert len(response.data) <= feeds.MAX_BYTES <= 1_000_000
    assert q.count == 3
    _, events = parse(response.data)
    uids = [str(e["UID"]) for e in events]
    win = queries.window()
    live = db.session.execute(
        sa.select(Occurrence.id, Occurrence.starts_at)
        .where(
            Occurrence.building_id == building.id, Occurrence.starts_at >= win.starts, Occurrence.starts_at < win.ends
        )
        .order_by(Occurrence.starts_at, Occurrence.id)
    ).all()
    assert len(live) > 4_000 and len(uids) < len(live)
    # The calendar is the earliest dates in order, the far end cut: at least the next few months are whole.
    assert uids == [f"occurrence-{row.id}@tilasilta.localhost" for row in live[: len(uids)]]
    assert live[len(uids) - 1].starts_at > win.starts + timedelta(days=90)
    assert elapsed < 10
    # A second fetch of the unchanged feed is a 304 that costs two queries.
    with count_queries() as q:
        again = client.get(
            f"/calendar/buildings/{building.id}.ics", headers={"If-None-Match": response.headers["ETag"]}
        )
    assert again.status_code == 304 and q.count == 2
