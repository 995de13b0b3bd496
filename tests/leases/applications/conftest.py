"""Helpers for the application tests: a vacant building with spaces, valid form data, an application."""

from datetime import date, timedelta

import pytest

from leasing.leases import application_services as services
from tests.factories import make_building, make_space


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    """Each test stores its files in its own folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


@pytest.fixture
def building(app):
    """A vacant building with two spaces."""
    building = make_building(name="Välivainion varikko")
    make_space(building, name="Konehalli", area_m2=300)
    make_space(building, name="Puuverstas", area_m2=80)
    return building


def values(association, **overrides):
    """Valid service values for ``association``: the whole building, starting in a month, indefinite."""
    data = {
        "organization_id": association.id,
        "whole_building": True,
        "space_ids": [],
        "proposed_use": "Nuorten bänditilat ja työpajat",
        "operating_model": "Yhdistys vuokraa huoneita ryhmille tuntihinnalla.",
        "requested_start": date.today() + timedelta(days=30),
        "requested_term_months": None,
        "expected_groups": 12,
        "expected_young_people": 150,
    }
    data.update(overrides)
    return data


def form_data(association, **overrides):
    """Valid apply-form data, as a browser would send it."""
    data = {
        "organization_id": str(association.id),
        "scope": "whole",
        "proposed_use": "Nuorten bänditilat ja työpajat",
        "operating_model": "Yhdistys vuokraa huoneita ryhmille.",
        "requested_start": (date.today() + timedelta(days=30)).isoformat(),
        "requested_term_months": "",
        "expected_groups": "12",
        "expected_young_people": "150",
        "attachment_title": "",
    }
    data.update(overrides)
    return data


def make_application(actor, building, association, **overrides):
    """An application submitted through the service (no e-mail is queued)."""
    return services.submit(actor, building, values(association, **overrides))
