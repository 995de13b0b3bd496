"""Helpers for the lease tests: an accepted application, valid terms, a lease form's data, a PDF's text."""

import io
from datetime import date, timedelta
from decimal import Decimal

from leasing.leases.application_models import ApplicationStatus, LeaseApplication
from leasing.leases.vocabulary import DEFAULT_RESPONSIBILITIES, VatStatus
from tests.factories import make_building, make_space

START = date.today() + timedelta(days=40)


def accepted_application(association, building=None, spaces=(), **overrides):
    """An accepted application of ``association`` for ``building`` (whole unless spaces are given)."""
    from leasing.extensions import db

    building = building or make_building()
    values = {
        "building": building,
        "organization_id": association.id,
        "whole_building": not spaces,
        "proposed_use": "Nuorten kulttuuritalo: bändit, teatteri ja taide",
        "requested_start": START,
        "requested_term_months": None,
        "status": ApplicationStatus.ACCEPTED,
    }
    values.update(overrides)
    application = LeaseApplication(**values)
    application.spaces = list(spaces)
    db.session.add(application)
    db.session.flush()
    return application


def terms(**overrides):
    """Valid service values for a whole-building, indefinite lease."""
    values = {
        "start_date": START,
        "end_date": None,
        "notice_period_months": 3,
        "purpose": "Nuorisotalo",
        "monthly_rent": Decimal("1234.50"),
        "vat": VatStatus.NONE,
        "deposit": Decimal("2469.00"),
        "due_day": 5,
        "iban": "FI49 5000 9420 0287 30",
        "insurance": "Vuokralainen vakuuttaa irtaimistonsa.",
        "subletting_allowed": True,
        "sublet_needs_approval": True,
        "special_terms": "Avaimet luovutetaan alkamispäivänä.",
        "language": "fi",
        "index_base_month": None,
        "index_base_value": None,
        "whole_building": True,
        "space_ids": [],
        "rent_steps": [],
        "responsibilities": {item: (party, "") for item, party in DEFAULT_RESPONSIBILITIES.items()},
        "signer_ids": [],
    }
    values.update(overrides)
    return values


def form_data(signer_ids=(), **overrides):
    """The lease form as a browser sends it (Finnish decimal commas)."""
    data = {
        "whole_building": "y",
        "purpose": "Nuorisotalo",
        "start_date": START.isoformat(),
        "end_date": "",
        "notice_period_months": "3",
        "monthly_rent": "1 234,50",
        "vat": "none",
        "deposit": "2 469,00",
        "due_day": "5",
        "iban": "FI49 5000 9420 0287 30",
        "insurance": "Vuokralainen vakuuttaa irtaimistonsa.",
        "subletting_allowed": "y",
        "special_terms": "Avaimet luovutetaan alkamispäivänä.",
        "index_base_month": "",
        "index_base_value": "",
        "language": "fi",
        "signer_ids": [str(i) for i in signer_ids],
    }
    for item, party in DEFAULT_RESPONSIBILITIES.items():
        data[f"resp-{item.value}-party"] = party.value
        data[f"resp-{item.value}-note"] = ""
    data.update(overrides)
    return data


def pdf_text(data):
    """Every page's text of a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def spaces_of(building, n=2):
    return [make_space(building) for _ in range(n)]
