"""Helpers for the premises tests: images and PDFs made in memory, a building form's valid data."""

import io

import pytest
from PIL import Image

from tests.factories import make_building


def image_bytes(fmt="JPEG", size=(800, 600), color=(180, 40, 30), exif=None):
    """A real image of ``size`` in ``fmt``, made with Pillow."""
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, color)
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def pdf_bytes(text="Pohjapiirustus"):
    """A small, valid one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def building_form_data(**overrides):
    """Valid data for the building form, as a browser would send it."""
    data = {
        "name": "Välivainion varikko",
        "street_address": "Varikkotie 4",
        "postal_code": "90400",
        "city": "Oulu",
        "district": "Välivainio",
        "latitude": "65,0312",
        "longitude": "25,5123",
        "building_type": "depot",
        "year_built": "1962",
        "area_m2": "1 200,5",
        "description": "Entinen kaupungin varikko.",
        "accessibility": "Esteetön sisäänkäynti.",
        "asking_rent": "1 234,50",
        "available_from": "2027-03-01",
    }
    data.update(overrides)
    return data


def space_form_data(**overrides):
    """Valid data for the space form; Monday 09.00–21.00, the rest closed."""
    data = {
        "name": "Bändikämppä",
        "kind": "rehearsal_room",
        "area_m2": "40",
        "capacity": "10",
        "features": ["sound_insulated", "wifi"],
        "description": "Äänieristetty huone.",
        "bookable": "y",
        "hourly_rate": "12,50",
        "hours-0-opens": "09:00",
        "hours-0-closes": "21:00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def building(app):
    """A vacant building of 850 m² in Tuira."""
    return make_building()


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    """Each test stores its files in its own folder, so it can check exactly what was left on disk."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder
