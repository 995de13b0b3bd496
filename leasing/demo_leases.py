"""The demo's leases: a signed, active lease of the Tuira fire station, and a pending application
for the Välivainio depot — made through the same services the pages use.

Idempotent: nothing is added when the Tuira lease or the depot application already exists.
"""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from leasing.accounts.models import Organization, User
from leasing.extensions import db
from leasing.leases import application_services, lifecycle, services, signing
from leasing.leases.application_models import LeaseApplication
from leasing.leases.models import Lease
from leasing.premises.models import Building

TUIRA, DEPOT = "Tuiran vanha paloasema", "Välivainion varikko"
ASSOCIATION = "Oulun Nuorten Kulttuuritalo ry"
DEMO_IP = "127.0.0.1"


def load_leases(password):
    """Add the demo lease and application if missing; return how many records were added."""
    staff = _one(User, email="tilakeskus@demo.example")
    admin = _one(User, email="yhdistys@demo.example")
    association = _one(Organization, name=ASSOCIATION)
    tuira, depot = _one(Building, name=TUIRA), _one(Building, name=DEPOT)
    if None in (staff, admin, association, tuira, depot):
        return 0
    base = current_app.config.get("SERVER_NAME") or "127.0.0.1:5000"
    with current_app.test_request_context("/", base_url=f"{current_app.config['PREFERRED_URL_SCHEME']}://{base}"):
        created = _tuira_lease(staff, admin, association, tuira, password)
        created += _depot_application(admin, association, depot)
    return created


def _one(model, **where):
    return db.session.execute(sa.select(model).filter_by(**where)).scalar_one_or_none()


def _tuira_lease(staff, admin, association, tuira, password):
    if db.session.scalar(sa.select(Lease.id).where(Lease.building_id == tuira.id)) is not None:
        return 0
    today = date.today()
    start = today.replace(day=1)
    application = application_services.submit(admin, tuira, _application_values(association, today))
    application_services.start_review(staff, application)
    application_services.accept(staff, application, "Tervetuloa Tuiraan!")
    values = services.draft_defaults(application, today=start) | {
        "start_date": start,
        "deposit": Decimal("3700.00"),
        "insurance": "Vuokralainen vakuuttaa oman irtaimistonsa ja toimintansa.",
        "special_terms": "Kalustohallin ovet pidetään tapahtumien aikana vapaina pelastusteinä.",
    }
    lease = services.create_draft(staff, application, values, today=start)
    signing.offer(staff, lease)
    signing.sign(admin, lease, password, DEMO_IP)
    signing.sign(staff, lease, password, DEMO_IP)
    lifecycle.tick_lease(staff, lease, today)
    return 2


def _depot_application(admin, association, depot):
    exists = db.session.scalar(sa.select(LeaseApplication.id).where(LeaseApplication.building_id == depot.id))
    if exists is not None:
        return 0
    values = _application_values(association, date.today().replace(day=1, month=3, year=date.today().year + 1))
    values["proposed_use"] = "Bändien treenikämpät ja pajat; varikon konehalli konserttitilaksi."
    application_services.submit(admin, depot, values)
    return 1


def _application_values(association, start):
    return {
        "organization_id": association.id,
        "whole_building": True,
        "space_ids": [],
        "proposed_use": "Nuorten kulttuuritalo: treenikämpät, teatteri ja taidepajat.",
        "operating_model": "Yhdistys vuokraa huoneita edelleen kulttuuriryhmille ja pitää talon auki iltaisin.",
        "requested_start": start,
        "requested_term_months": None,
        "expected_groups": 12,
        "expected_young_people": 200,
    }
