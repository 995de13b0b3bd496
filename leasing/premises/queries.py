"""Read-side queries of the premises register: the public list's filters, search, sorting and pages.

The query string is parsed leniently: a value we do not know (an unknown district or sort, a number
that is not one, ``page=abc``) is dropped, never an error. A page costs the same few statements
whatever it shows: one count, one page of buildings, one for their photos.

Feature filter: a building matches when ONE of its spaces has ALL the chosen features (a rehearsal
room that is both sound insulated and step-free), not when the features are spread over rooms.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from leasing.audit import AuditEvent
from leasing.extensions import db
from leasing.keyset import Key, nulls_first, nulls_last, order_by
from leasing.premises.models import Building, Space, SpaceFeature
from leasing.premises.vocabulary import DISTRICTS, BuildingStatus, BuildingType, Feature

#: Status choices of the public list and the statuses each shows.
STATUS_CHOICES = {
    "vacant": (BuildingStatus.VACANT,),
    "negotiating": (BuildingStatus.NEGOTIATING,),
    "any": (BuildingStatus.VACANT, BuildingStatus.NEGOTIATING),
}
#: Sort keys (``leasing.keyset``); every order ends with the id so pages never overlap. The API
#: pages through the same orders with a cursor.
SORT_KEYS = {
    "newest": [*nulls_last(Building.published_at, desc=True), Key(Building.id, desc=True)],
    "area_asc": [Key(Building.area_m2), Key(Building.id)],
    "area_desc": [Key(Building.area_m2, desc=True), Key(Building.id)],
    "rent_asc": [*nulls_last(Building.asking_rent), Key(Building.id)],
    "rent_desc": [*nulls_last(Building.asking_rent, desc=True), Key(Building.id)],
    "name": [Key(Building.name), Key(Building.id)],
    "available": [*nulls_first(Building.available_from), Key(Building.id)],
}
#: Their ORDER BY clauses.
SORTS = {name: order_by(keys) for name, keys in SORT_KEYS.items()}
MAX_QUERY_LENGTH = 200


@dataclass
class ListFilters:
    """The public list's cleaned filters."""

    q: str = ""
    districts: list[str] = field(default_factory=list)
    types: list[BuildingType] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)
    min_area: Decimal | None = None
    max_area: Decimal | None = None
    available_by: date | None = None
    status: str = "vacant"
    sort: str = "newest"
    page: int = 1

    def form_data(self):
        """The filters as data for the filter form (which shows only what was understood)."""
        return {
            "q": self.q,
            "district": self.districts,
            "type": [t.value for t in self.types],
            "feature": [f.value for f in self.features],
            "min_area": self.min_area,
            "max_area": self.max_area,
            "available_by": self.available_by,
            "status": self.status,
            "sort": self.sort,
        }

    def query_args(self):
        """The understood, non-default filters as query-string arguments (for page links)."""
        data = {key: value for key, value in self.form_data().items() if value not in (None, "", [])}
        for key in ("min_area", "max_area", "available_by"):
            if key in data:
                data[key] = str(data[key])
        if data.get("status") == "vacant":
            del data["status"]
        if data.get("sort") == "newest":
            del data["sort"]
        return data


def parse_filters(args):
    """Clean a query string (a MultiDict) into ListFilters, dropping whatever is not understood."""
    return ListFilters(
        q=(args.get("q") or "").strip()[:MAX_QUERY_LENGTH],
        districts=[d for d in dict.fromkeys(args.getlist("district")) if d in DISTRICTS],
        types=_members(BuildingType, args.getlist("type")),
        features=_members(Feature, args.getlist("feature")),
        min_area=_decimal(args.get("min_area")),
        max_area=_decimal(args.get("max_area")),
        available_by=_date(args.get("available_by")),
        status=args.get("status") if args.get("status") in STATUS_CHOICES else "vacant",
        sort=args.get("sort") if args.get("sort") in SORTS else "newest",
        page=_positive_int(args.get("page")),
    )


def _members(enum_cls, values):
    known = {m.value: m for m in enum_cls}
    return [known[v] for v in dict.fromkeys(values) if v in known]


def _decimal(raw):
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and 0 <= value < 10**9 else None


def _date(raw):
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _positive_int(raw):
    text = (raw or "").strip()
    return int(text) if text.isdigit() and 0 < len(text) < 7 and int(text) > 0 else 1


def public_conditions(filters):
    """WHERE conditions for the public list."""
    conditions = [Building.status.in_(STATUS_CHOICES[filters.status])]
    if filters.q:
        conditions.append(
            sa.or_(
                *(
                    col.icontains(filters.q, autoescape=True)
                    for col in (Building.name, Building.street_address, Building.description)
                )
            )
        )
    if filters.districts:
        conditions.append(Building.district.in_(filters.districts))
    if filters.types:
        conditions.append(Building.building_type.in_(filters.types))
    if filters.min_area is not None:
        conditions.append(Building.area_m2 >= filters.min_area)
    if filters.max_area is not None:
        conditions.append(Building.area_m2 <= filters.max_area)
    if filters.available_by is not None:
        conditions.append(sa.or_(Building.available_from.is_(None), Building.available_from <= filters.available_by))
    if filters.features:
        conditions.append(Building.id.in_(_buildings_with_space_having(filters.features)))
    return conditions


def _buildings_with_space_having(features):
    """Ids of buildings with at least one space that has every one of ``features``."""
    spaces = (
        sa.select(SpaceFeature.space_id)
        .where(SpaceFeature.feature.in_(features))
        .group_by(SpaceFeature.space_id)
        .having(sa.func.count(SpaceFeature.feature) == len(features))
    )
    return sa.select(Space.building_id).where(Space.id.in_(spaces))


@dataclass
class Page:
    """One page of results, with what the pagination links need."""

    items: list
    total: int
    number: int
    size: int

    @property
    def pages(self):
        """How many pages there are (at least one)."""
        return max(1, math.ceil(self.total / self.size))

    def window(self, radius=2):
        """Page numbers to link: the first, the last, and those near the current one (None = a gap)."""
        shown = sorted({1, self.pages, *range(max(1, self.number - radius), min(self.pages, self.number + radius) + 1)})
        result, previous = [], 0
        for n in shown:
            if n - previous > 1:
                result.append(None)
            result.append(n)
            previous = n
        return result


def public_page(filters, page_size):
    """The page of public buildings the filters ask for (a page past the end shows the last one)."""
    conditions = public_conditions(filters)
    total = db.session.execute(sa.select(sa.func.count(Building.id)).where(*conditions)).scalar_one()
    number = min(filters.page, max(1, math.ceil(total / page_size)))
    query = (
        sa.select(Building)
        .where(*conditions)
        .order_by(*SORTS[filters.sort])
        .options(selectinload(Building.photos))
        .limit(page_size)
        .offset((number - 1) * page_size)
    )
    return Page(db.session.execute(query).scalars().all(), total, number, page_size)


def public_districts(selected=()):
    """The districts that have a public building (plus any already chosen), for the list's filter."""
    query = sa.select(Building.district).where(Building.status.in_(STATUS_CHOICES["any"])).distinct()
    found = set(db.session.execute(query).scalars()) | set(selected)
    return sorted(found, key=str.casefold)


def register_buildings():
    """Every building for the staff register, with its space count, newest changes first."""
    spaces = sa.select(sa.func.count(Space.id)).where(Space.building_id == Building.id).scalar_subquery()
    query = sa.select(Building, spaces).order_by(Building.updated_at.desc(), Building.id.desc())
    return db.session.execute(query).all()


def recent_events(building, limit=20):
    """The building's latest audit events (its spaces, photos and documents included), newest first."""
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "Building", AuditEvent.object_id == building.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return db.session.execute(query).scalars().all()
