"""Photo and document uploads: checked by content, re-encoded, size- and pixel-limited, no orphans."""

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from leasing.extensions import db
from leasing.premises import services
from leasing.premises.models import BuildingDocument, Photo
from leasing.premises.vocabulary import BuildingStatus
from tests.conftest import login, post_form
from tests.factories import make_building
from tests.premises.conftest import image_bytes, pdf_bytes


@pytest.fixture
def staff_client(client, staff):
    login(client, staff)
    return client


def upload_photo(client, building, data, name="kuva.jpg", alt="Punatiilinen julkisivu"):
    url = f"/staff/buildings/{building.id}/photos/new"
    files = {"photo": (io.BytesIO(data), name), "alt_text": alt}
    return post_form(client, url, files, form_url=url, content_type="multipart/form-data")


def upload_document(client, building, data, name="pohja.pdf", title="Pohjapiirustus"):
    url = f"/staff/buildings/{building.id}/documents/new"
    files = {"document": (io.BytesIO(data), name), "title": title}
    return post_form(client, url, files, form_url=url, content_type="multipart/form-data")


def png_declaring(width, height):
    """A small PNG whose IHDR claims ``width``×``height`` (with a correct CRC)."""
    data = bytearray(image_bytes("PNG", size=(10, 10)))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def photo_files(app):
    folder = Path(app.config["UPLOAD_FOLDER"]) / "photos"
    return sorted(os.listdir(folder)) if folder.exists() else []


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def error_text(response, field):
    return response.get_data(as_text=True).split(f'id="{field}-error"')[1].split("</p>")[0]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_photo_is_accepted_re_encoded_and_thumbnailed(app, staff_client, fmt):
    building = make_building()
    response = upload_photo(staff_client, building, image_bytes(fmt, size=(3000, 2000)), name=f"x.{fmt.lower()}")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    photo = db.session.execute(sa.select(Photo)).scalar_one()
    assert photo.filename.endswith(".webp") and "x." not in photo.filename
    assert (photo.width, photo.height) == (2400, 1600)
    folder = Path(app.config["UPLOAD_FOLDER"]) / "photos"
    with Image.open(folder / photo.thumbnail) as thumb:
        assert thumb.format == "WEBP" and max(thumb.size) <= 640
    full = staff_client.get(f"/media/photos/{photo.filename}")
    assert full.status_code == 200 and full.mimetype == "image/webp"
    assert staff_client.get(f"/media/thumbs/{photo.thumbnail}").status_code == 200


def test_exif_orientation_is_applied_and_metadata_stripped(app, staff_client):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "Kamera Oy"
    building = make_building()
    assert upload_photo(staff_client, building, image_bytes("JPEG", size=(400, 200), exif=exif)).status_code == 302
    photo = db.session.execute(sa.select(Photo)).scalar_one()
    assert (photo.width, photo.height) == (200, 400)
    with Image.open(Path(app.config["UPLOAD_FOLDER"]) / "photos" / photo.filename) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"This is not a photo at all", "kuva.jpg", "must be a JPEG, PNG or WebP photo"),
        (image_bytes("GIF"), "kuva.png", "must be a JPEG, PNG or WebP photo"),
        (image_bytes("JPEG")[:200], "kuva.jpg", "must be a JPEG, PNG or WebP photo"),
    ],
)
def test_not_an_image_is_refused(app, staff_client, data, name, message):
    building = make_building()
    response = upload_photo(staff_client, building, data, name=name)
    assert response.status_code == 422
    assert message in error_text(response, "photo")
    assert count(Photo) == 0
    assert photo_files(app) == []


def test_too_many_bytes_is_refused(app, staff_client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_PHOTO_BYTES", 10_000)
    noise = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 10_000
    response = upload_photo(staff_client, make_building(), buffer.getvalue())
    assert response.status_code == 422
    assert "must be smaller than" in error_text(response, "photo")
    assert count(Photo) == 0


def test_too_many_pixels_is_refused(app, staff_client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_PHOTO_PIXELS", 1_000_000)
    response = upload_photo(staff_client, make_building(), image_bytes("PNG", size=(1100, 1000)))
    assert response.status_code == 422
    assert "too many pixels" in error_text(response, "photo")
    assert count(Photo) == 0 and photo_files(app) == []


def test_decompression_bomb_is_refused(app, staff_client):
    # A tiny PNG whose header declares 20000×20000 pixels: refused before anything is decoded.
    response = upload_photo(staff_client, make_building(), png_declaring(20000, 20000))
    assert response.status_code == 422
    assert "too many pixels" in error_text(response, "photo")


def test_alt_text_is_required(app, staff_client):
    response = upload_photo(staff_client, make_building(), image_bytes(), alt="")
    assert response.status_code == 422
    assert "Describe the photo" in error_text(response, "alt_text")
    assert count(Photo) == 0 and photo_files(app) == []


def test_alt_text_over_limit_is_refused(app, staff_client):
    response = upload_photo(staff_client, make_building(), image_bytes(), alt="a" * 301)
    assert response.status_code == 422
    assert "Enter at most 300 characters" in error_text(response, "alt_text")
    assert count(Photo) == 0 and photo_files(app) == []


def test_failed_flush_leaves_no_file(app, staff, app_ctx, monkeypatch):
    building = make_building()

    def broken_record(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.audit, "record", broken_record)
    with pytest.raises(RuntimeError):
        services.add_photo(staff, building, io.BytesIO(image_bytes()), "Julkisivu")
    assert len(photo_files(app)) == 2  # written, not yet committed…
    db.session.rollback()
    assert photo_files(app) == []  # …and gone with the rollback


def test_deleted_photo_files_go_after_commit(app, staff_client):
    building = make_building()
    upload_photo(staff_client, building, image_bytes())
    photo = db.session.execute(sa.select(Photo)).scalar_one()
    page = f"/staff/buildings/{building.id}"
    response = post_form(staff_client, f"/staff/photos/{photo.id}/delete", {}, form_url=page)
    assert response.status_code == 302
    assert count(Photo) == 0 and photo_files(app) == []


def test_draft_photos_are_not_public(app, client, staff):
    building = make_building(status=BuildingStatus.DRAFT)
    login(client, staff)
    upload_photo(client, building, image_bytes())
    photo = db.session.execute(sa.select(Photo)).scalar_one()
    anonymous = app.test_client()
    assert anonymous.get(f"/media/photos/{photo.filename}").status_code == 404
    assert anonymous.get(f"/media/thumbs/{photo.thumbnail}").status_code == 404
    assert anonymous.get("/media/photos/not-a-photo.webp").status_code == 404


def test_pdf_is_accepted_and_served_safely(app, staff_client):
    building = make_building()
    data = pdf_bytes()
    response = upload_document(staff_client, building, data, title="Pohjapiirustus, 1. krs / ÄÖ")
    assert response.status_code == 302
    document = db.session.execute(sa.select(BuildingDocument)).scalar_one()
    assert document.size_bytes == len(data) and len(document.sha256) == 64
    assert document.filename.endswith(".pdf") and "pohja" not in document.filename
    download = app.test_client().get(f"/media/documents/{document.id}")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment; filename=pohjapiirustus-1-krs-ao.pdf" in download.headers["Content-Disposition"]
    assert download.data == data


@pytest.mark.parametrize(
    "data,message",
    [(image_bytes("PNG"), "must be a PDF document"), (b"%PDF-1.7 but nothing else", "must be a PDF document")],
)
def test_not_a_pdf_is_refused(app, staff_client, data, message):
    response = upload_document(staff_client, make_building(), data, name="pohja.pdf")
    assert response.status_code == 422
    assert message in error_text(response, "document")
    assert count(BuildingDocument) == 0
    assert not list((Path(app.config["UPLOAD_FOLDER"]) / "documents").glob("*"))


def test_too_large_document_is_refused(app, staff_client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_DOCUMENT_BYTES", 100)
    response = upload_document(staff_client, make_building(), pdf_bytes())
    assert response.status_code == 422
    assert "must be smaller than" in error_text(response, "document")
    assert count(BuildingDocument) == 0


def test_document_title_is_required(staff_client):
    response = upload_document(staff_client, make_building(), pdf_bytes(), title="")
    assert response.status_code == 422
    assert "Enter the document" in error_text(response, "title")


def test_delete_document(app, staff_client):
    building = make_building()
    upload_document(staff_client, building, pdf_bytes())
    document = db.session.execute(sa.select(BuildingDocument)).scalar_one()
    page = f"/staff/buildings/{building.id}"
    assert post_form(staff_client, f"/staff/documents/{document.id}/delete", {}, form_url=page).status_code == 302
    assert count(BuildingDocument) == 0
    assert not list((Path(app.config["UPLOAD_FOLDER"]) / "documents").glob("*"))
