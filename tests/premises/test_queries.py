"""The public list costs the same few SQL statements on every page, over 1,000 buildings."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from leasing.db import utcnow
from leasing.extensions import db
from leasing.premises import queries
from leasing.premises.models import Building, Photo, Space, SpaceFeature
from tests.conftest import count_queries

N = 1000


@pytest.fixture
def thousand_buildings(app):
    """1,000 vacant buildings, each with a photo and a space with a feature, inserted in bulk."""
    now = utcnow()
    rows = [
        {
            "name": f"Rakennus {i:04d}", "street_address": f"Testitie {i}", "postal_code": "90100", "city": "Oulu",
            "district": "Tuira" if i % 2 else "Hintta", "building_type": "school", "area_m2": Decimal(100 + i),
            "description": "", "accessibility": "", "asking_rent": Decimal("1000.00"), "status": "vacant",
            "available_from": date(2027, 1, 1), "published_at": now, "created_at": now, "updated_at": now,
        }
        for i in range(N)
    ]  # fmt: skip
    db.session.execute(sa.insert(Building), rows)
    ids = db.session.execute(sa.select(Building.id).order_by(Building.id)).scalars().all()
    db.session.execute(
        sa.insert(Photo),
        [{"building_id": b, "filename": f"{b}.webp", "thumbnail": f"{b}-t.webp", "width": 10, "height": 10,
          "alt_text": "Julkisivu", "position": 0, "created_at": now} for b in ids],
    )  # fmt: skip
    db.session.execute(
        sa.insert(Space),
        [{"building_id": b, "name": "Sali", "kind": "hall", "area_m2": Decimal(50), "description": "",
          "bookable": False, "position": 0, "created_at": now, "updated_at": now} for b in ids],
    )  # fmt: skip
    space_ids = db.session.execute(sa.select(Space.id)).scalars().all()
    db.session.execute(sa.insert(SpaceFeature), [{"space_id": s, "feature": "stage"} for s in space_ids])
    db.session.commit()
    return ids


def statements_for(client, query):
    db.session.expire_all()
    with count_queries() as counter:
        response = client.get(f"/premises{query}")
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def test_every_page_costs_the_same_few_queries(app, client, thousand_buildings):
    last = -(-N // app.config["PAGE_SIZE"])
    counts = {}
    for page in (1, 7, last):
        counts[page], html = statements_for(client, f"?page={page}")
        assert html.count('class="card"') == (N - (last - 1) * app.config["PAGE_SIZE"] if page == last else 20)
        assert 'alt="Julkisivu"' in html
    assert len(set(counts.values())) == 1, counts
    assert counts[1] <= 4, counts  # count, page of buildings, their photos (+ BEGIN on SQLite)
    filtered, _ = statements_for(client, "?feature=stage&district=Tuira&sort=rent_asc&page=3&q=Rakennus")
    assert filtered == counts[1]


def test_public_page_query_returns_total_and_page(app, thousand_buildings):
    with app.test_request_context():
        page = queries.public_page(queries.parse_filters(_args(page="50")), 20)
        assert page.total == N and page.number == 50 and len(page.items) == 20
        assert page.window() == [1, None, 48, 49, 50]


def _args(**kwargs):
    from werkzeug.datastructures import MultiDict

    return MultiDict(kwargs)
