"""The demo's house: how the Tuira fire station's spaces are booked, its sublets and its bookings — made
through the same services the pages use, by the demo's association, groups and staff.

Idempotent: nothing is added when the Tuira lease already has a sublet.
"""

from datetime import date, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from leasing.accounts.models import Organization, User
from leasing.bookings import services as bookings
from leasing.bookings import settings
from leasing.extensions import db
from leasing.leases.models import Lease
from leasing.premises.models import Building
from leasing.sublets import services as sublets
from leasing.sublets import signing as sublet_signing
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import SubletKind

TUIRA = "Tuiran vanha paloasema"
DEMO_IP = "127.0.0.1"
TUESDAY, THURSDAY, SATURDAY = 1, 3, 5


def load_house(password):
    """Add the demo's booking settings, sublets and bookings of Tuira if missing; return how many records."""
    people = {key: _one(User, email=f"{key}@demo.example") for key in ("tilakeskus", "yhdistys", "bandi", "teatteri")}
    band = _one(Organization, name="Bändi Pohjoistuuli")
    theatre = _one(Organization, name="Teatteriryhmä Rospuutto")
    building = _one(Building, name=TUIRA)
    if None in (*people.values(), band, theatre, building):
        return 0
    lease = db.session.execute(sa.select(Lease).where(Lease.building_id == building.id)).scalar_one_or_none()
    if lease is None or db.session.scalar(sa.select(Sublet.id).where(Sublet.lease_id == lease.id)) is not None:
        return 0
    base = current_app.config.get("SERVER_NAME") or "127.0.0.1:5000"
    with current_app.test_request_context("/", base_url=f"{current_app.config['PREFERRED_URL_SCHEME']}://{base}"):
        spaces = {s.name: s for s in building.spaces}
        _settings(people["yhdistys"], spaces)
        _sublets(people, password, lease, spaces, band, theatre)
        return 6 + _bookings(people, spaces, band, theatre)


def _one(model, **where):
    return db.session.execute(sa.select(model).filter_by(**where)).scalar_one_or_none()


def _settings(admin, spaces):
    hall, rehearsal = spaces["Kalustohalli"], spaces["Harjoitushuone 1"]
    settings.update_space_settings(
        admin,
        hall,
        {
            "member_rate": Decimal("15.00"),
            "min_minutes": 60,
            "max_minutes": 360,
            "needs_approval": True,
            "house_rules": "Kalustohallin ovet pidetään tapahtumien aikana vapaina pelastusteinä. "
            "Äänentoisto pois klo 22.",
        },
    )
    settings.update_space_settings(
        admin,
        rehearsal,
        {"member_rate": Decimal("5.00"), "needs_approval": False, "house_rules": "Vahvistimet pois päältä lähtiessä."},
    )
    christmas = date(date.today().year, 12, 24)
    if christmas >= date.today():
        settings.add_closed_dates(admin, [hall, rehearsal], christmas, christmas + timedelta(days=2), "Joulu")


def _sublets(people, password, lease, spaces, band, theatre):
    association_admin = people["yhdistys"]
    start = date.today() + timedelta(days=1)
    studio = sublets.create_draft(
        association_admin,
        lease,
        {
            "space_id": spaces["Letkutornin studio"].id,
            "group_id": theatre.id,
            "kind": SubletKind.EXCLUSIVE,
            "starts_on": start,
            "ends_on": start + timedelta(days=182),
            "weekday": None,
            "slot_starts": None,
            "slot_ends": None,
            "monthly_rent": Decimal("180.00"),
            "terms": "Studio on ryhmän yksinomaisessa käytössä. Avaimet noudetaan yhdistyksen toimistolta.",
            "language": "fi",
        },
    )
    slot = sublets.create_draft(
        association_admin,
        lease,
        {
            "space_id": spaces["Harjoitushuone 1"].id,
            "group_id": band.id,
            "kind": SubletKind.SLOT,
            "starts_on": start,
            "ends_on": start + timedelta(days=364),
            "weekday": TUESDAY,
            "slot_starts": time(18),
            "slot_ends": time(21),
            "monthly_rent": Decimal("60.00"),
            "terms": "Bändin vakiovuoro tiistaisin klo 18–21.",
            "language": "fi",
        },
    )
    for sublet, group_admin in ((studio, people["teatteri"]), (slot, people["bandi"])):
        sublet_signing.offer(association_admin, sublet)
        sublet_signing.sign(association_admin, sublet, password, DEMO_IP)
        sublet_signing.sign(group_admin, sublet, password, DEMO_IP)


def _next(weekday, weeks=1):
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def _bookings(people, spaces, band, theatre):
    rehearsal, hall = spaces["Harjoitushuone 1"], spaces["Kalustohalli"]
    slot = {"repeat": "weekly", "starts_time": time(18), "ends_time": time(21), "times": 8}
    # In the band's own weekly slot: confirmed at once, no charge.
    bookings.request(
        people["bandi"],
        rehearsal,
        {"group_id": band.id, "title": "Treenit", "attendees": 5, "first_date": _next(TUESDAY)} | slot,
        book_the_rest=True,
    )
    # A weekly hall booking the association has confirmed.
    rehearsals = bookings.request(
        people["bandi"],
        hall,
        {
            "group_id": band.id,
            "title": "Keikkatreenit isossa salissa",
            "attendees": 6,
            "repeat": "weekly",
            "first_date": _next(THURSDAY),
            "starts_time": time(17),
            "ends_time": time(19),
            "times": 6,
        },
        book_the_rest=True,
    )
    bookings.confirm(people["yhdistys"], rehearsals)
    # A public premiere waiting for the association's decision (the inbox has one request).
    bookings.request(
        people["teatteri"],
        hall,
        {
            "group_id": theatre.id,
            "title": "Ensi-ilta: Rospuuton kevät",
            "attendees": 80,
            "public_event": True,
            "repeat": "once",
            "first_date": _next(SATURDAY, weeks=3),
            "starts_time": time(18),
            "ends_time": time(21),
        },
        book_the_rest=True,
    )
    return 3
