"""Premises services: the register's changes, each authorized, checked, audited and flushed (never committed).

Audit events are recorded against the building, also for its spaces, photos and documents (their
ids are in ``changes``), so a building's history is one indexed query.

Every function takes the acting user and plain values; the caller (a request, the CLI, a test)
commits once. Files are written through :mod:`leasing.premises.media`, which removes them again if
the transaction does not commit.
"""

from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from leasing import audit
from leasing.authz import authorize
from leasing.db import utcnow
from leasing.errors import Conflict, RuleViolation
from leasing.extensions import db
from leasing.i18n import _, format_number
from leasing.premises import media, rules
from leasing.premises.models import Building, BuildingDocument, OpeningHours, Photo, Space, SpaceFeature
from leasing.premises.vocabulary import BuildingStatus, Feature

#: Building columns staff edit through the building form.
BUILDING_FIELDS = (
    "name",
    "street_address",
    "postal_code",
    "city",
    "district",
    "latitude",
    "longitude",
    "building_type",
    "year_built",
    "area_m2",
    "description",
    "accessibility",
    "asking_rent",
    "available_from",
    "safety_limit",
)
#: Space columns edited through the space form (features and opening hours are handled apart).
SPACE_FIELDS = ("name", "kind", "area_m2", "capacity", "description", "bookable", "hourly_rate")


def create_building(actor, values):
    """Add a draft building from ``values`` (the BUILDING_FIELDS)."""
    authorize(actor, "create", Building)
    building = Building(status=BuildingStatus.DRAFT, created_by_id=actor.id)
    changes = audit.diff(building, _pick(values, BUILDING_FIELDS))
    db.session.add(building)
    db.session.flush()
    audit.record(actor, "building.create", building, changes)
    return building


def update_building(actor, building, values):
    """Change a building's details; its area may not drop below what its spaces cover."""
    authorize(actor, "edit", building)
    values = _pick(values, BUILDING_FIELDS)
    if "area_m2" in values and rules.building_area_problem(values["area_m2"], spaces_area(building)):
        raise RuleViolation(
            _(
                "Enter an area of at least %(total)s m², the area of the building's spaces together.",
                total=format_number(spaces_area(building), 1),
            ),
            field="area_m2",
        )
    changes = audit.diff(building, values)
    db.session.flush()
    if changes:
        audit.record(actor, "building.update", building, changes)
    return building


def change_status(actor, building, action):
    """Publish or withdraw a building (``action`` is a key of ``rules.TRANSITIONS``)."""
    authorize(actor, "edit", building)
    target = rules.next_status(building.status, action)
    if target is None:
        raise Conflict(
            _("A building in the state “%(status)s” cannot be changed this way.", status=building.status.title)
        )
    changes = audit.diff(building, {"status": target})
    if target == BuildingStatus.VACANT and building.published_at is None:
        building.published_at = utcnow()
    db.session.flush()
    audit.record(actor, f"building.{action}", building, changes)
    return building


def follow_lease(actor, building, status, reason):
    """Move a building along with its leases (negotiating, leased, vacant again), with an audit event.

    Called by the leases domain: ``reason`` names the step (``application.accept``, ``lease.signed``,
    ``lease.ended``). Drafts and withdrawn buildings are left alone.
    """
    if building.status in (BuildingStatus.DRAFT, BuildingStatus.WITHDRAWN) or building.status == status:
        return building
    changes = audit.diff(building, {"status": status})
    db.session.flush()
    audit.record(actor, f"building.{reason}", building, changes)
    return building


def spaces_area(building, exclude=None):
    """The area of a building's spaces together (without ``exclude``), read from the database."""
    query = sa.select(sa.func.coalesce(sa.func.sum(Space.area_m2), 0)).where(Space.building_id == building.id)
    if exclude is not None and exclude.id is not None:
        query = query.where(Space.id != exclude.id)
    return Decimal(db.session.execute(query).scalar_one())


def save_space(actor, building, values, space=None):
    """Add a space to ``building`` or change ``space``: columns, features and opening hours.

    ``values`` holds SPACE_FIELDS, ``features`` (Feature values) and ``opening_hours``
    ({weekday: (opens, closes)}, None pairs for closed days).
    """
    authorize(actor, "edit", building)
    _check_space_area(building, values["area_m2"], space)
    hours = values.get("opening_hours") or {}
    _check_opening_hours(hours)
    is_new = space is None
    space = space or Space(building=building, position=len(building.spaces))
    changes = audit.diff(space, _pick(values, SPACE_FIELDS))
    changes.update(_set_features(space, values.get("features") or ()))
    changes.update(_set_hours(space, hours))
    db.session.add(space)
    db.session.flush()
    action = "space.create" if is_new else "space.update"
    audit.record(actor, action, building, {"space": (None if is_new else space.id, space.id), **changes})
    return space


def delete_space(actor, space):
    """Remove a space (its features and opening hours go with it)."""
    authorize(actor, "edit", space)
    audit.record(actor, "space.delete", space.building, {"space": (space.id, None), "name": (space.name, None)})
    space.building.spaces.remove(space)
    db.session.delete(space)
    db.session.flush()


def _check_space_area(building, area, space):
    problem = rules.space_area_problem(building.area_m2, spaces_area(building, exclude=space), area)
    if problem == "larger_than_building":
        raise RuleViolation(
            _("Enter an area no larger than the building's %(area)s m².", area=format_number(building.area_m2, 1)),
            field="area_m2",
        )
    if problem == "total_exceeds_building":
        free = building.area_m2 - spaces_area(building, exclude=space)
        raise RuleViolation(
            _(
                "The spaces together cannot be larger than the building. Enter at most %(free)s m².",
                free=format_number(free, 1),
            ),
            field="area_m2",
        )


def _check_opening_hours(hours):
    problems = rules.validate_opening_hours(hours)
    if problems:
        messages = {
            "both_or_neither": _("Enter both the opening and the closing time, or neither for a closed day."),
            "opens_before_closes": _("Enter an opening time before the closing time."),
        }
        fields = {f"hours-{day}-opens": [messages[key]] for day, key in sorted(problems.items())}
        raise RuleViolation(next(iter(fields.values()))[0], fields=fields)


def _set_features(space, features):
    wanted = {Feature(f) for f in features}
    before = {f.feature for f in space.features}
    if wanted == before:
        return {}
    space.features = [f for f in space.features if f.feature in wanted]
    space.features += [SpaceFeature(feature=f) for f in sorted(wanted - before)]
    return {"features": (",".join(sorted(before)), ",".join(sorted(wanted)))}


def _set_hours(space, hours):
    wanted = {day: pair for day, pair in hours.items() if pair[0] is not None}
    before = {h.weekday: (h.opens, h.closes) for h in space.opening_hours}
    if wanted == before:
        return {}
    if space.id is not None and space.opening_hours:
        space.opening_hours = []
        db.session.flush()  # delete the old rows before inserting rows with the same primary keys
    space.opening_hours = [OpeningHours(weekday=d, opens=o, closes=c) for d, (o, c) in sorted(wanted.items())]
    return {"opening_hours": (_hours_text(before), _hours_text(wanted))}


def _hours_text(hours):
    return "; ".join(f"{d}: {o:%H:%M}-{c:%H:%M}" for d, (o, c) in sorted(hours.items()))


def add_photo(actor, building, stream, alt_text):
    """Store a photo (checked by content, re-encoded, thumbnailed) with its text alternative."""
    authorize(actor, "edit", building)
    limit = current_app.config["MAX_PHOTO_BYTES"]
    message = _("The photo must be smaller than %(mb)s MB.", mb=limit // (1024 * 1024))
    stored = media.store_photo(db.session, media.read_limited(stream, limit, "photo", message))
    photo = Photo(
        building=building,
        filename=stored.filename,
        thumbnail=stored.thumbnail,
        width=stored.width,
        height=stored.height,
        alt_text=alt_text,
        position=len(building.photos),
    )
    db.session.add(photo)
    db.session.flush()
    audit.record(actor, "photo.create", building, {"photo": (None, photo.id), "alt_text": (None, alt_text)})
    return photo


def delete_photo(actor, photo):
    """Remove a photo; its files go once the transaction commits."""
    authorize(actor, "edit", photo.building)
    audit.record(actor, "photo.delete", photo.building, {"photo": (photo.id, None), "alt_text": (photo.alt_text, None)})
    media.remove_after_commit(db.session, media.photo_path(photo.filename), media.photo_path(photo.thumbnail))
    photo.building.photos.remove(photo)
    db.session.delete(photo)
    db.session.flush()


def add_document(actor, building, stream, title):
    """Store a PDF document (checked by content) with its title and SHA-256."""
    authorize(actor, "edit", building)
    limit = current_app.config["MAX_DOCUMENT_BYTES"]
    message = _("The document must be smaller than %(mb)s MB.", mb=limit // (1024 * 1024))
    stored = media.store_document(db.session, media.read_limited(stream, limit, "document", message))
    document = BuildingDocument(
        building=building, title=title, filename=stored.filename, size_bytes=stored.size_bytes, sha256=stored.sha256
    )
    db.session.add(document)
    db.session.flush()
    audit.record(actor, "document.create", building, {"document": (None, document.id), "title": (None, title)})
    return document


def delete_document(actor, document):
    """Remove a document; its file goes once the transaction commits."""
    authorize(actor, "edit", document.building)
    changes = {"document": (document.id, None), "title": (document.title, None)}
    audit.record(actor, "document.delete", document.building, changes)
    media.remove_after_commit(db.session, media.document_path(document.filename))
    document.building.documents.remove(document)
    db.session.delete(document)
    db.session.flush()


def _pick(values, fields):
    return {key: values[key] for key in fields if key in values}
