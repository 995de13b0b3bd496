"""The private feeds opened by a token: a group's own bookings, an association's premises, the facilities
centre's lease dates; unknown, revoked or orphaned tokens answer 404; the token's use is noted hourly."""

from datetime import UTC, date, datetime, timedelta

import pytest

from leasing.accounts.models import Membership
from leasing.bookings import services
from leasing.bookings.models import Occurrence
from leasing.calendars.models import CalendarToken
from leasing.extensions import db
from leasing.leases.vocabulary import LeaseStatus
from tests.bookings import kit as bookings_kit
from tests.bookings.kit import values, weekly
from tests.calendars.kit import expanded, live_rows, make_token, parse
from tests.conftest import count_queries
from tests.factories import make_house, make_lease, make_occurrence_row, make_org, make_user


@pytest.fixture
def lease(association):
    return bookings_kit.house(association)


@pytest.fixture
def space(lease):
    return lease.building.spaces[0]


def feed(client, secret, **query):
    response = client.get(f"/calendar/feed/{secret}.ics", query_string=query)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=900"
    return response


def test_a_groups_feed_has_its_own_bookings_with_every_detail(client, space, group, group_member):
    booking = services.request(group_member, space, weekly(group, times=3, title="Kevätkonsertin harjoitus"))
    services.cancel(group_member, booking.occurrences[1], "")
    stranger = make_occurrence_row(
        space, datetime.now(UTC) + timedelta(days=5), datetime.now(UTC) + timedelta(days=5, hours=1)
    )

    response = feed(client, make_token(group_member, group))

    assert expanded(response.data) == live_rows(Occurrence.booking_id == booking.id)
    cal, events = parse(response.data)
    assert str(cal["X-WR-CALNAME"]) == f"{group.name} – Tilasilta"
    assert f"occurrence-{stranger.id}@".encode() not in response.data
    for event in events:
        assert str(event["SUMMARY"]) == "Kevätkonsertin harjoitus"
        assert event["STATUS"] == "TENTATIVE"  # waiting for the association
        description = str(event["DESCRIPTION"])
        assert "People: 5" in description and space.name in description and "Status: Requested" in description
        assert str(event["URL"]) == f"http://localhost/bookings/{booking.id}"
        assert space.building.street_address in str(event["LOCATION"])


def test_an_associations_feed_has_everything_in_its_premises(client, lease, space, group, group_member, association):
    admin = make_user(association, name="Aino Yhdistys")
    requested = services.request(group_member, space, values(group, title="Pyyntö"))
    bookings_kit.set_rules(space, needs_approval=False)
    confirmed = services.request(
        group_member, space, values(group, first_date=bookings_kit.TUESDAY + timedelta(days=1))
    )
    elsewhere = make_house(tenant=make_org()).building.spaces[0]
    other = make_occurrence_row(
        elsewhere, datetime.now(UTC) + timedelta(days=3), datetime.now(UTC) + timedelta(days=3, hours=1)
    )

    response = feed(client, make_token(admin, association))

    cal, events = parse(response.data)
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {
        f"occurrence-{requested.occurrences[0].id}@tilasilta.localhost",
        f"occurrence-{confirmed.occurrences[0].id}@tilasilta.localhost",
    }
    assert f"occurrence-{other.id}@".encode() not in response.data
    first = by_uid[f"occurrence-{requested.occurrences[0].id}@tilasilta.localhost"]
    assert (str(first["SUMMARY"]), first["STATUS"]) == (f"Pyyntö ({group.name})", "TENTATIVE")
    second = by_uid[f"occurrence-{confirmed.occurrences[0].id}@tilasilta.localhost"]
    assert second["STATUS"] == "CONFIRMED"


def test_the_facilities_centres_feed_has_the_leases_key_dates(client, staff):
    today = date.today()
    fixed = make_lease(
        status=LeaseStatus.SIGNED, start_date=today + timedelta(days=10), end_date=today + timedelta(days=300)
    )
    indefinite = make_lease(
        status=LeaseStatus.ACTIVE, start_date=today - timedelta(days=400), end_date=None, notice_period_months=3
    )
    make_lease(status=LeaseStatus.DRAFT, start_date=today + timedelta(days=20))  # not yet anyone's date

    response = feed(client, make_token(staff, staff.memberships[0].organization))

    cal, events = parse(response.data)
    by_uid = {str(e["UID"]): e for e in events}
    start = by_uid[f"lease-{fixed.id}-start@tilasilta.localhost"]
    end = by_uid[f"lease-{fixed.id}-end@tilasilta.localhost"]
    assert (start["DTSTART"].dt, start["DTEND"].dt) == (fixed.start_date, fixed.start_date + timedelta(days=1))
    assert end["DTSTART"].dt == fixed.end_date
    assert b"DTSTART;VALUE=DATE:" in response.data
    notices = [e for uid, e in by_uid.items() if uid.startswith(f"lease-{indefinite.id}-notice-")]
    assert 1 <= len(notices) <= 2  # one a lease year, within 18 months
    assert all("notice" in str(e["SUMMARY"]) for e in notices)
    assert all(e["DTSTAMP"].dt == fixed.updated_at.replace(microsecond=0) for e in (start, end))
    assert fixed.building.name in str(start["SUMMARY"]) and fixed.tenant.name in str(start["SUMMARY"])
    assert len(by_uid) == 2 + len(notices)
    assert set(expanded(response.data)) == set(by_uid)


def test_unknown_revoked_and_orphaned_tokens_answer_404(client, group, group_member):
    assert client.get("/calendar/feed/ei-ole-olemassa.ics").status_code == 404
    assert client.get(f"/calendar/feed/{'x' * 500}.ics").status_code == 404
    revoked = make_token(group_member, group, revoked=True)
    assert client.get(f"/calendar/feed/{revoked}.ics").status_code == 404
    left = make_token(group_member, group)
    assert client.get(f"/calendar/feed/{left}.ics").status_code == 200
    db.session.delete(db.session.query(Membership).filter_by(user_id=group_member.id).one())
    db.session.flush()
    db.session.expire_all()
    assert client.get(f"/calendar/feed/{left}.ics").status_code == 404


def test_the_tokens_use_is_noted_at_most_once_an_hour(client, group, group_member):
    secret = make_token(group_member, group)
    token = db.session.query(CalendarToken).one()
    assert token.last_used_at is None
    feed(client, secret)
    db.session.expire_all()
    first = token.last_used_at
    assert first is not None
    feed(client, secret)
    db.session.expire_all()
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(hours=2)
    db.session.flush()
    feed(client, secret)
    db.session.expire_all()
    assert token.last_used_at > first - timedelta(hours=2)


def test_a_private_feed_answers_304_and_changes_with_a_title(client, space, group, group_member):
    booking = services.request(group_member, space, values(group))
    secret = make_token(group_member, group)
    first = feed(client, secret)
    again = client.get(f"/calendar/feed/{secret}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    with count_queries() as q:
        client.get(f"/calendar/feed/{secret}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert q.count <= 4  # the token (with its user), the memberships, the stamp: never the rows
    booking.title = "Uusi nimi"
    db.session.flush()
    assert feed(client, secret).headers["ETag"] != first.headers["ETag"]


def test_the_subscribers_language_unless_the_address_names_one(client, space, group, group_member):
    services.request(group_member, space, values(group))
    group_member.locale = "sv"
    db.session.flush()
    secret = make_token(group_member, group)
    swedish, english = feed(client, secret), feed(client, secret, lang="en")
    assert swedish.headers["ETag"] != english.headers["ETag"]
    assert b"People: 5" in english.data
