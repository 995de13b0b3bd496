"""API: buildings and their spaces. Anyone reads what is published; facilities staff write."""

from flask_login import current_user
from sqlalchemy.orm import selectinload

from leasing.api.core import blueprint, commits, errors
from leasing.api.loading import load, require
from leasing.api.pagination import PageArgsSchema, page, page_schema
from leasing.api.schemas_premises import (
    BuildingActionSchema,
    BuildingFiltersSchema,
    BuildingInSchema,
    BuildingPatchSchema,
    BuildingSchema,
    SpaceInSchema,
    SpaceSchema,
)
from leasing.authz import public
from leasing.errors import RuleViolation
from leasing.extensions import db
from leasing.premises import queries, services
from leasing.premises.models import Building, Space

bp = blueprint("premises", "Buildings of the facilities centre and their spaces")

BuildingPage = page_schema(BuildingSchema, "BuildingPage")
SPACE_LOADING = (selectinload(Space.features), selectinload(Space.opening_hours))


class BuildingListArgs(BuildingFiltersSchema, PageArgsSchema):
    """Filters and page."""


@bp.get("/buildings")
@public
@bp.arguments(BuildingListArgs, location="query", as_kwargs=True)
@bp.response(200, BuildingPage)
@errors()
def list_buildings(cursor=None, limit=50, sort="newest", **raw):
    """Published buildings, with the HTML list's filters and orders, a page at a time."""
    filters = queries.ListFilters(
        q=(raw.get("q") or "").strip(),
        districts=list(dict.fromkeys(raw.get("district") or [])),
        types=list(dict.fromkeys(raw.get("type") or [])),
        features=list(dict.fromkeys(raw.get("feature") or [])),
        min_area=raw.get("min_area"),
        max_area=raw.get("max_area"),
        available_by=raw.get("available_by"),
        status=raw.get("status", "vacant"),
        sort=sort,
    )
    query = db.select(Building).where(*queries.public_conditions(filters))
    return page(query, queries.SORT_KEYS[sort], f"buildings:{sort}", {"cursor": cursor, "limit": limit})


@bp.post("/buildings")
@bp.arguments(BuildingInSchema)
@bp.response(201, BuildingSchema)
@errors(403)
@commits
def create_building(values):
    """Add a building (staff); it starts as a draft that only staff see."""
    require("create", Building)
    return services.create_building(current_user, values)


@bp.get("/buildings/<int:building_id>")
@public
@bp.response(200, BuildingSchema)
@errors(404)
def get_building(building_id):
    """A building (a draft or withdrawn one only for staff)."""
    return load(Building, building_id)


@bp.patch("/buildings/<int:building_id>")
@bp.arguments(BuildingPatchSchema)
@bp.response(200, BuildingSchema)
@errors(403, 404)
@commits
def update_building(values, building_id):
    """Change a building's details (staff); fields left out stay as they are."""
    building = load(Building, building_id, "edit")
    return services.update_building(current_user, building, values)


@bp.post("/buildings/<int:building_id>/actions")
@bp.arguments(BuildingActionSchema)
@bp.response(200, BuildingSchema)
@errors(403, 404, 409)
@commits
def building_action(values, building_id):
    """Publish or withdraw a building (staff)."""
    building = load(Building, building_id, "edit")
    return services.change_status(current_user, building, values["action"])


@bp.get("/buildings/<int:building_id>/spaces")
@public
@bp.response(200, SpaceSchema(many=True))
@errors(404)
def list_spaces(building_id):
    """The building's spaces, in their order."""
    building = load(Building, building_id)
    query = db.select(Space).where(Space.building_id == building.id).order_by(Space.position, Space.id)
    return db.session.scalars(query.options(*SPACE_LOADING)).all()


@bp.post("/buildings/<int:building_id>/spaces")
@bp.arguments(SpaceInSchema)
@bp.response(201, SpaceSchema)
@errors(403, 404)
@commits
def create_space(values, building_id):
    """Add a space to a building (staff)."""
    building = load(Building, building_id, "edit")
    return _save_space(building, values)


@bp.get("/spaces/<int:space_id>")
@public
@bp.response(200, SpaceSchema)
@errors(404)
def get_space(space_id):
    """A space (where its building may be seen)."""
    return load(Space, space_id, options=SPACE_LOADING)


@bp.put("/spaces/<int:space_id>")
@bp.arguments(SpaceInSchema)
@bp.response(200, SpaceSchema)
@errors(403, 404)
@commits
def replace_space(values, space_id):
    """Replace a space's details, features and opening hours (staff)."""
    space = load(Space, space_id, "edit")
    return _save_space(space.building, values, space)


def _save_space(building, values, space=None):
    try:
        return services.save_space(current_user, building, values, space)
    except RuleViolation as error:
        # The HTML form's field names (hours-<day>-opens) as the API's (opening_hours.<day>).
        error.fields = {
            (f"opening_hours.{key.split('-')[1]}" if key.startswith("hours-") else key): value
            for key, value in error.fields.items()
        }
        raise
