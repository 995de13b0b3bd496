"""Premises, public side: the list of vacant buildings, a building's page, and its photos and documents.

The staff register's views live in :mod:`leasing.premises.staff_views`, on the same blueprint.
"""

import re
import unicodedata

from flask import current_app, render_template, request, send_file
from flask_login import current_user

from leasing.authz import authorize, public
from leasing.errors import NotFound
from leasing.extensions import db
from leasing.premises import (
    media,
    queries,
    staff_views,  # noqa: F401  (registers the staff routes on bp)
)
from leasing.premises.blueprint import bp
from leasing.premises.forms import WEEKDAYS, FilterForm, plain_choices
from leasing.premises.models import BuildingDocument, Photo
from leasing.premises.staff_views import load_building

__all__ = ["bp"]


@bp.context_processor
def premises_helpers():
    """Template helpers for the premises pages."""
    return {"weekday_name": lambda day: WEEKDAYS[day]}


@bp.get("/premises")
@public
def index():
    """The public list: search, filters, sorting and pages, as a plain GET form."""
    filters = queries.parse_filters(request.args)
    page = queries.public_page(filters, current_app.config["PAGE_SIZE"])
    form = FilterForm(formdata=None, data=filters.form_data())
    form.district.choices = plain_choices(queries.public_districts(filters.districts))
    return render_template("premises/index.html", form=form, page=page, query_args=filters.query_args())


@bp.get("/premises/<int:building_id>")
@public
def building(building_id):
    """A building's public page (drafts are 404 except to staff)."""
    building = load_building(building_id)
    return render_template("premises/building.html", building=building)


@bp.get("/media/photos/<name>")
@public
def photo(name):
    """A photo, served only where its building may be seen."""
    return _send_photo(Photo.filename, name)


@bp.get("/media/thumbs/<name>")
@public
def thumbnail(name):
    """A photo's thumbnail, served only where its building may be seen."""
    return _send_photo(Photo.thumbnail, name)


def _send_photo(column, name):
    photo = db.session.execute(db.select(Photo).where(column == name)).scalar_one_or_none()
    if photo is None:
        raise NotFound()
    authorize(current_user, "view", photo.building, hide=True)
    path = media.photo_path(name)
    if not path.is_file():
        raise NotFound()
    response = send_file(path, mimetype="image/webp", max_age=3600, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=3600" if not photo.building.is_public else "max-age=3600"
    return response


@bp.get("/media/documents/<int:document_id>")
@public
def document(document_id):
    """Download a building's PDF document, under a safe name made from its title."""
    document = db.session.get(BuildingDocument, document_id)
    if document is None:
        raise NotFound()
    authorize(current_user, "view", document.building, hide=True)
    path = media.document_path(document.filename)
    if not path.is_file():
        raise NotFound()
    response = send_file(
        path, mimetype="application/pdf", as_attachment=True, download_name=download_name(document.title)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def download_name(title):
    """A file name for ``title``: ASCII letters, digits and dashes, ending in .pdf."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:80]
    return f"{slug or 'document'}.pdf"
