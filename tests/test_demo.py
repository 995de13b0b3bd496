"""The Oulu demo data."""

import sqlalchemy as sa

from leasing.accounts.models import Membership, OrgKind, Role, User
from leasing.extensions import db
from leasing.premises.models import Building, Space
from leasing.premises.vocabulary import BuildingStatus


def _counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (User, Building, Space))


def test_demo_loads_everything_once_and_a_second_run_adds_nothing(runner):
    """One load checked from every side (each load renders and signs real contracts, so it is not cheap)."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "tilakeskus@demo.example" in result.output
    assert "tilasilta-demo-2026" in result.output
    db.session.expire_all()
    _check_buildings()
    _check_roles()
    _check_leases()
    _check_house()
    first = _counts()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "0 new records" in again.output
    assert _counts() == first


def _check_buildings():
    buildings = {b.name: b for b in db.session.scalars(sa.select(Building))}
    tuira, depot = buildings["Tuiran vanha paloasema"], buildings["Välivainion varikko"]
    assert depot.status == BuildingStatus.VACANT
    assert tuira.status == BuildingStatus.LEASED  # leased to the demo association (the leases issue)
    assert len(tuira.spaces) >= 3 and len(depot.spaces) >= 3
    others = [b for b in buildings.values() if b not in (tuira, depot)]
    assert len(others) >= 6
    assert len({b.building_type for b in buildings.values()}) >= 6
    assert len({b.district for b in buildings.values()}) >= 8
    assert all(b.spaces for b in buildings.values())


def _check_roles():
    roles = {
        (m.organization.kind, m.role)
        for m in db.session.scalars(sa.select(Membership).join(User).where(User.email.like("%@demo.example")))
    }
    assert (OrgKind.FACILITIES_CENTRE, Role.ADMIN) in roles
    for kind in (OrgKind.ASSOCIATION, OrgKind.CULTURAL_GROUP):
        assert (kind, Role.ADMIN) in roles and (kind, Role.MEMBER) in roles


def test_demo_refuses_production(app, runner):
    app.config["ENV_NAME"] = "production"
    try:
        result = runner.invoke(args=["demo"])
    finally:
        app.config["ENV_NAME"] = "testing"
    assert result.exit_code != 0
    assert "Refusing" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def _check_leases():
    """An active, signed Tuira lease and a pending depot application."""
    from leasing.documents import services as documents
    from leasing.leases.application_models import ApplicationStatus, LeaseApplication
    from leasing.leases.models import Lease
    from leasing.leases.vocabulary import LeaseStatus

    lease = db.session.scalar(sa.select(Lease).join(Building).where(Building.name == "Tuiran vanha paloasema"))
    assert lease.status == LeaseStatus.ACTIVE and lease.tenant.name == "Oulun Nuorten Kulttuuritalo ry"
    signed = documents.current_version("lease", lease.id, kind="signed")
    assert signed is not None and signed.pdf.startswith(b"%PDF-")
    assert len(documents.live_signatures(documents.current_version("lease", lease.id))) == 2
    pending = db.session.scalar(
        sa.select(LeaseApplication).join(Building).where(Building.name == "Välivainion varikko")
    )
    assert pending.status == ApplicationStatus.SUBMITTED


def _check_house():
    """Sublets of both kinds and bookings in the states a user meets."""
    from leasing.bookings.models import Booking, Occurrence
    from leasing.bookings.vocabulary import OccurrenceStatus
    from leasing.sublets.models import Sublet
    from leasing.sublets.vocabulary import SubletKind, SubletStatus

    sublets = db.session.scalars(sa.select(Sublet)).all()
    assert {s.kind for s in sublets} == {SubletKind.EXCLUSIVE, SubletKind.SLOT}
    assert all(s.status == SubletStatus.SIGNED for s in sublets)
    statuses = set(db.session.scalars(sa.select(Occurrence.status)))
    assert {OccurrenceStatus.CONFIRMED, OccurrenceStatus.REQUESTED} <= statuses
    in_slot = db.session.scalars(sa.select(Booking).where(Booking.sublet_id.is_not(None))).all()
    assert in_slot and all(o.price == 0 for b in in_slot for o in b.occurrences)
