"""axe-core finds no WCAG 2.1 A/AA violation on the lease edit form and the lease page, in Chromium."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import Organization, OrgKind, User
from leasing.extensions import db
from leasing.leases import services
from leasing.leases.application_models import ApplicationStatus, LeaseApplication
from leasing.premises.models import Building
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import STAFF_EMAIL, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lease_id(live_server):
    """A draft lease in the live server's database, drafted by the demo staff from an accepted application."""
    app = live_server.app
    with app.test_request_context():
        staff = db.session.execute(sa.select(User).where(User.email == STAFF_EMAIL)).scalar_one()
        tenant = (
            db.session.execute(
                sa.select(Organization).where(Organization.kind == OrgKind.ASSOCIATION).order_by(Organization.id)
            )
            .scalars()
            .first()
        )
        building = db.session.execute(sa.select(Building).order_by(Building.id.desc())).scalars().first()
        start = date.today() + timedelta(days=400)
        application = LeaseApplication(
            building=building,
            organization_id=tenant.id,
            whole_building=True,
            proposed_use="Saavutettavuustesti",
            requested_start=start,
            status=ApplicationStatus.ACCEPTED,
        )
        db.session.add(application)
        db.session.flush()
        values = services.draft_defaults(application)
        values["end_date"], values["notice_period_months"] = start.replace(year=start.year + 1), None
        lease = services.create_draft(staff, application, values)
        db.session.commit()
        ident = lease.id
        db.session.remove()
    return ident


def test_lease_edit_form_has_no_axe_violations(page, lease_id):
    log_in(page)
    response = page.goto(f"/leases/{lease_id}/edit")
    assert response.status == 200
    assert_accessible(page)


def test_lease_page_has_no_axe_violations(page, lease_id):
    log_in(page)
    response = page.goto(f"/leases/{lease_id}")
    assert response.status == 200
    assert_accessible(page)


def test_staff_lease_list_has_no_axe_violations(page, lease_id):
    log_in(page)
    response = page.goto("/staff/leases")
    assert response.status == 200
    assert_accessible(page)
