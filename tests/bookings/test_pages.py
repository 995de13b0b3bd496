"""The booking pages through the test client: a request with the space's week, dates that cannot be
booked and the choice to book the rest, the association's decision, cancelling, the inbox and its count."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.bookings.models import Booking, ClosedDate
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.db import HELSINKI
from leasing.extensions import db
from tests.conftest import count_queries, login, post_form
from tests.factories import make_house, make_org, make_user


def next_weekday(weekday, weeks_ahead=1):
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


@pytest.fixture
def house(association, staff):
    return make_house(tenant=association)


def request_data(group, **overrides):
    data = {
        "group_id": str(group.id),
        "title": "Bändiharjoitus",
        "attendees": "5",
        "repeat": "weekly",
        "first_date": next_weekday(1).isoformat(),
        "starts_time": "18:00",
        "ends_time": "21:00",
        "times": "4",
    }
    data.update(overrides)
    return data


def test_a_member_requests_a_weekly_booking_and_the_association_confirms(
    app, client, house, group, group_member, association_admin, outbox
):
    space = house.building.spaces[0]
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    page = client.get(url)
    assert page.status_code == 200 and "Week of" in page.get_data(as_text=True)
    response = post_form(client, url, request_data(group), form_url=url)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    booking = db.session.execute(sa.select(Booking)).scalar_one()
    assert [o.status for o in booking.occurrences] == [OccurrenceStatus.REQUESTED] * 4
    assert {m["To"] for m in outbox} == {association_admin.email}

    decider = app.test_client()
    login(decider, association_admin)
    inbox = decider.get("/bookings").get_data(as_text=True)
    assert '>Bookings <span class="count">(1<' in inbox and "Bändiharjoitus" in inbox
    booking_url = f"/bookings/{booking.id}"
    confirmed = post_form(decider, f"{booking_url}/confirm", {"reason": ""}, form_url=booking_url)
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert [o.status for o in booking.occurrences] == [OccurrenceStatus.CONFIRMED] * 4
    assert "No requests are waiting" in decider.get("/bookings").get_data(as_text=True)


def test_a_date_that_cannot_be_booked_is_named_and_the_rest_can_be_booked(
    client, house, group, group_member, association_admin, outbox
):
    space = house.building.spaces[0]
    closed_day = next_weekday(1, weeks_ahead=2)
    db.session.add(ClosedDate(space_id=space.id, starts_on=closed_day, ends_on=closed_day, reason="Remontti"))
    db.session.flush()
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    refused = post_form(client, url, request_data(group), form_url=url)
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "Some dates cannot be booked" in html and "Remontti" in html and "Book the dates that are free" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0

    booked = post_form(client, url, request_data(group, book_the_rest="y"), form_url=url)
    assert booked.status_code == 302
    booking = db.session.execute(sa.select(Booking)).scalar_one()
    statuses = [o.status for o in booking.occurrences]
    assert statuses.count(OccurrenceStatus.SKIPPED) == 1 and statuses.count(OccurrenceStatus.REQUESTED) == 3
    page = client.get(booked.headers["Location"]).get_data(as_text=True)
    assert "Ask for this date again" in page and "Remontti" in page


def test_bad_input_is_shown_next_to_the_field(client, house, group, group_member):
    space = house.building.spaces[0]
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    response = post_form(client, url, request_data(group, title="", attendees="0"), form_url=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="title-error"' in html and 'id="attendees-error"' in html


def test_the_group_cancels_one_date_and_the_others_stay(client, house, group, group_member, association_admin, outbox):
    space = house.building.spaces[0]
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    post_form(client, url, request_data(group), form_url=url)
    booking = db.session.execute(sa.select(Booking)).scalar_one()
    second = booking.occurrences[1]
    response = post_form(client, f"/occurrences/{second.id}/cancel", {"reason": ""}, form_url=f"/bookings/{booking.id}")
    assert response.status_code == 302
    db.session.expire_all()
    statuses = [o.status for o in booking.occurrences]
    assert statuses == [OccurrenceStatus.REQUESTED, OccurrenceStatus.CANCELLED] + [OccurrenceStatus.REQUESTED] * 2


def test_the_group_cannot_confirm_its_own_request_and_strangers_see_nothing(
    app, client, house, group, group_member, association_admin, outbox
):
    space = house.building.spaces[0]
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    post_form(client, url, request_data(group), form_url=url)
    booking = db.session.execute(sa.select(Booking)).scalar_one()
    own = post_form(client, f"/bookings/{booking.id}/confirm", {"reason": ""}, form_url=f"/bookings/{booking.id}")
    assert own.status_code == 403
    stranger = app.test_client()
    login(stranger, make_user(make_org(OrgKind.CULTURAL_GROUP), Role.ADMIN))
    assert stranger.get(f"/bookings/{booking.id}").status_code == 404


def test_the_inbox_costs_the_same_queries_for_one_request_or_many(
    app, client, house, group, group_member, association_admin, outbox
):
    space = house.building.spaces[0]
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    post_form(client, url, request_data(group, repeat="once", times=""), form_url=url)
    decider = app.test_client()
    login(decider, association_admin)
    with count_queries() as one:
        assert decider.get("/bookings").status_code == 200
    for n in range(2, 6):
        day = next_weekday(n % 7, weeks_ahead=3)
        post_form(client, url, request_data(group, repeat="once", times="", first_date=day.isoformat()), form_url=url)
    with count_queries() as many:
        assert decider.get("/bookings").status_code == 200
    assert many.count == one.count


def _weekly(client, space, group, **overrides):
    url = f"/spaces/{space.id}/book"
    assert post_form(client, url, request_data(group, **overrides), form_url=url).status_code == 302
    return db.session.execute(sa.select(Booking).order_by(Booking.id.desc()).limit(1)).scalar_one()


def test_moving_one_date_leaves_the_others_and_raises_its_sequence(client, house, group, group_member, outbox):
    space = house.building.spaces[0]
    login(client, group_member)
    booking = _weekly(client, space, group)
    second = booking.occurrences[1]
    others = [(o.id, o.starts_at) for o in booking.occurrences if o.id != second.id]
    new_day = next_weekday(3, weeks_ahead=2)
    url = f"/occurrences/{second.id}/move"
    assert "The other dates of the booking stay as they are." in client.get(url).get_data(as_text=True)
    response = post_form(
        client, url, {"new_date": new_day.isoformat(), "starts_time": "10:00", "ends_time": "12:00"}, form_url=url
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    db.session.expire_all()
    assert second.edited and second.sequence == 1
    assert second.starts_at.astimezone(HELSINKI).date() == new_day
    assert [(o.id, o.starts_at) for o in booking.occurrences if o.id != second.id] == others


def test_moving_onto_a_taken_time_names_the_conflict(app, client, house, group, group_member, outbox):
    space = house.building.spaces[0]
    login(client, group_member)
    booking = _weekly(client, space, group, times="2")
    first, second = booking.occurrences
    day = first.starts_at.astimezone(HELSINKI).date()
    url = f"/occurrences/{second.id}/move"
    response = post_form(
        client, url, {"new_date": day.isoformat(), "starts_time": "19:00", "ends_time": "20:00"}, form_url=url
    )
    assert response.status_code == 409
    assert "overlaps an existing booking" in response.get_data(as_text=True)
    db.session.expire_all()
    assert second.sequence == 0 and not second.edited


def test_editing_the_series_keeps_the_date_changed_by_hand(client, house, group, group_member, outbox):
    space = house.building.spaces[0]
    login(client, group_member)
    booking = _weekly(client, space, group)
    moved = booking.occurrences[2]
    url = f"/occurrences/{moved.id}/move"
    moved_day = moved.starts_at.astimezone(HELSINKI).date()
    post_form(
        client, url, {"new_date": moved_day.isoformat(), "starts_time": "10:00", "ends_time": "12:00"}, form_url=url
    )
    db.session.expire_all()
    kept = moved.starts_at
    edit_url = f"/bookings/{booking.id}/edit"
    data = {"title": "Uusi nimi", "attendees": "6", "starts_time": "17:00", "ends_time": "20:00", "times": "4"}
    response = post_form(client, edit_url, data, form_url=edit_url)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    db.session.expire_all()
    assert booking.title == "Uusi nimi" and moved.starts_at == kept
    for o in booking.occurrences:
        if o.id != moved.id:
            assert o.starts_at.astimezone(HELSINKI).time() == time(17) and o.sequence == 1


def test_checking_the_dates_shows_each_price_and_problem_and_saves_nothing(client, house, group, group_member):
    space = house.building.spaces[0]
    closed_day = next_weekday(1, weeks_ahead=2)
    db.session.add(ClosedDate(space_id=space.id, starts_on=closed_day, ends_on=closed_day, reason="Remontti"))
    db.session.flush()
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    response = post_form(client, url, request_data(group, preview="y"), form_url=url)
    assert response.status_code == 200
    html = response.get_data(as_text=True).replace("\xa0", " ")
    assert "The dates of your request" in html and "Remontti" in html
    # 3 bookable evenings of 3 hours at 10 € an hour; the closed Tuesday costs nothing.
    assert "Price of the dates that can be booked: 90,00 €" in html and "30,00 €" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_someone_in_both_the_group_and_the_association_cannot_confirm_the_groups_request(
    client, house, group, group_member, association, association_admin, outbox
):
    from leasing.accounts.models import Membership

    db.session.add(Membership(user=group_member, organization=association, role=Role.MEMBER))
    db.session.flush()
    space = house.building.spaces[0]
    url = f"/spaces/{space.id}/book"
    login(client, group_member)
    post_form(client, url, request_data(group), form_url=url)
    booking = db.session.execute(sa.select(Booking)).scalar_one()
    page = client.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "/confirm" not in page
    own = post_form(client, f"/bookings/{booking.id}/confirm", {"reason": ""}, form_url=f"/bookings/{booking.id}")
    assert own.status_code == 403
    db.session.expire_all()
    assert all(o.status == OccurrenceStatus.REQUESTED for o in booking.occurrences)


@pytest.mark.parametrize(
    "url,data",
    [
        ("/spaces/{space}/book?week=9999-12-31", None),
        ("/spaces/{space}/book?week=0001-01-01", None),
        ("/spaces/{space}/book", {"first_date": "9999-12-31"}),
        ("/bookings/{booking}/confirm", {"occurrence_ids": "abc"}),
        ("/bookings/{booking}/cancel-rest", {"from_date": "0001-01-01"}),
        ("/occurrences/{occurrence}/move", {"new_date": "9999-12-31", "starts_time": "10:00", "ends_time": "11:00"}),
    ],
)
def test_absurd_input_gets_a_clear_answer_never_a_500(
    app, client, house, group, group_member, association_admin, outbox, url, data
):
    space = house.building.spaces[0]
    login(client, group_member)
    post_form(client, f"/spaces/{space.id}/book", request_data(group), form_url=f"/spaces/{space.id}/book")
    booking = db.session.execute(sa.select(Booking)).scalar_one()
    if "confirm" in url:
        client = app.test_client()
        login(client, association_admin)
    target = url.format(space=space.id, booking=booking.id, occurrence=booking.occurrences[0].id)
    if data is None:
        response = client.get(target)
    else:
        form = request_data(group, **data) if "/book" in target else data
        response = post_form(client, target, form, form_url=f"/bookings/{booking.id}")
    assert response.status_code in (200, 400, 409, 422), response.status_code
    if data and "first_date" in data:
        assert "Enter a date between 2000 and 2100." in response.get_data(as_text=True)
