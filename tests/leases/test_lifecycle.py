"""The daily tick, early termination, the watch list and the CLI command."""

from datetime import date, timedelta

from leasing.extensions import db
from leasing.leases import lifecycle, rules
from leasing.leases.vocabulary import LeaseStatus
from leasing.premises.vocabulary import BuildingStatus
from tests.factories import make_building, make_lease

TODAY = date.today()


def test_tick_activates_then_expires_and_moves_the_building(app_ctx, outbox):
    building = make_building(status=BuildingStatus.NEGOTIATING)
    lease = make_lease(
        building,
        status=LeaseStatus.SIGNED,
        start_date=TODAY + timedelta(days=1),
        end_date=TODAY + timedelta(days=30),
        notice_period_months=None,
    )
    assert lifecycle.tick(TODAY) == 0
    assert building.status == BuildingStatus.LEASED
    assert lifecycle.tick(TODAY + timedelta(days=1)) == 1
    assert lease.status == LeaseStatus.ACTIVE
    assert lifecycle.tick(TODAY + timedelta(days=1)) == 0  # idempotent
    assert lifecycle.tick(TODAY + timedelta(days=31)) == 1
    assert lease.status == LeaseStatus.EXPIRED and building.status == BuildingStatus.VACANT
    assert lifecycle.tick(TODAY + timedelta(days=31)) == 0
    assert len([m for m in outbox if "has ended" in m["Subject"]]) == 1 or not lease.tenant.memberships


def test_a_building_with_another_binding_lease_stays_leased(app_ctx):
    building = make_building(status=BuildingStatus.LEASED)
    make_lease(building, status=LeaseStatus.ACTIVE, start_date=TODAY - timedelta(days=10))
    ending = make_lease(
        building,
        status=LeaseStatus.ACTIVE,
        start_date=TODAY - timedelta(days=10),
        end_date=TODAY - timedelta(days=1),
        notice_period_months=None,
    )
    lifecycle.tick(TODAY)
    assert ending.status == LeaseStatus.EXPIRED and building.status == BuildingStatus.LEASED


def test_termination_ends_the_lease_on_its_date(app_ctx, staff, outbox):
    building = make_building(status=BuildingStatus.LEASED)
    lease = make_lease(building, status=LeaseStatus.ACTIVE, start_date=TODAY - timedelta(days=100))
    lifecycle.terminate(staff, lease, TODAY, "Vesivahinko")
    assert lease.ends_on == TODAY and lease.status == LeaseStatus.ACTIVE
    lifecycle.tick(TODAY + timedelta(days=1))
    assert lease.status == LeaseStatus.TERMINATED and building.status == BuildingStatus.VACANT


def test_watch_list_shows_ends_and_notice_deadlines_within_six_months(app_ctx):
    ending = make_lease(
        status=LeaseStatus.ACTIVE,
        start_date=TODAY - timedelta(days=10),
        end_date=TODAY + timedelta(days=60),
        notice_period_months=None,
    )
    far = make_lease(
        status=LeaseStatus.ACTIVE,
        start_date=TODAY - timedelta(days=10),
        end_date=TODAY + timedelta(days=400),
        notice_period_months=None,
    )
    indefinite = make_lease(status=LeaseStatus.ACTIVE, start_date=TODAY - timedelta(days=10), notice_period_months=1)
    rows = lifecycle.watch_list([ending, far, indefinite], TODAY)
    found = {lease.id: (day, what) for lease, day, what in rows}
    assert found[ending.id] == (ending.end_date, "ends")
    assert far.id not in found
    deadline = rules.next_notice_deadline(indefinite.start_date, 1, TODAY)
    assert (indefinite.id in found) == (deadline <= TODAY + timedelta(days=lifecycle.WATCH_DAYS))


def test_cli_tick_is_idempotent(runner, app):
    lease = make_lease(status=LeaseStatus.SIGNED, start_date=TODAY)
    first = runner.invoke(args=["leases", "tick"])
    assert first.exit_code == 0, first.output
    assert "1" in first.output
    db.session.expire_all()
    assert lease.status == LeaseStatus.ACTIVE
    second = runner.invoke(args=["leases", "tick"])
    assert "0" in second.output
