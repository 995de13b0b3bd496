"""Benchmark: the public premises list over 1,000 buildings, as a ratio to a trivial request.

    make bench            (or: .venv/bin/python -m tests.bench.bench_list [--buildings N] [--rounds N])

Absolute times on shared machines swing by tens of per cent from one run to the next, so each
page's median time is divided by the median of a floor measured in the same run, interleaved with
it: ``GET /healthz`` (one ``SELECT 1`` through the whole request stack). The front page (a template,
no query) is shown for scale. ``BENCH_MAX_RATIO`` (or ``--max-ratio``) makes the run fail when the
plain list page costs more than that many floors.

Not collected by pytest (the file is not named ``test_*``; pytest also ignores ``tests/bench``).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_migrate import upgrade

from leasing import create_app
from leasing.extensions import db
from leasing.premises.models import Building, Space, SpaceFeature
from leasing.premises.vocabulary import BuildingStatus, BuildingType, Feature, SpaceKind

try:
    from leasing.premises.vocabulary import DISTRICTS
except ImportError:  # the vocabulary moved: any plausible names will do for timing
    DISTRICTS = ("Tuira", "Välivainio", "Kaukovainio", "Toppila", "Raksila", "Hintta", "Linnanmaa")

PAGES = {
    "list": "/premises",
    "list, sorted, page 25": "/premises?sort=area_desc&page=25",
    "list, search + filters": "/premises?q=paloasema&district=Tuira&feature=stage&min_area=100",
}
FLOOR = "/healthz"
FRONT = "/"


def seed(n):
    """``n`` published buildings, three spaces each, features on every space."""
    types, statuses = list(BuildingType), [BuildingStatus.VACANT] * 8 + [BuildingStatus.NEGOTIATING] * 2
    features = list(Feature)
    rows = [
        {
            "name": f"{'Vanha paloasema' if i % 5 == 0 else 'Entinen varikko'} {i}",
            "street_address": f"Testikatu {i}",
            "postal_code": "90100",
            "city": "Oulu",
            "district": DISTRICTS[i % len(DISTRICTS)],
            "building_type": types[i % len(types)],
            "year_built": 1900 + i % 120,
            "area_m2": Decimal(80 + (i * 37) % 2000),
            "description": "Punatiilinen rakennus, jossa on saleja ja harjoitushuoneita. " * 4,
            "accessibility": "Sisäänkäynti ilman portaita.",
            "asking_rent": Decimal(500 + (i * 53) % 5000),
            "available_from": date(2027, 1, 1) + timedelta(days=i % 365),
            "status": statuses[i % len(statuses)],
        }
        for i in range(n)
    ]
    db.session.execute(sa.insert(Building), rows)
    ids = db.session.execute(sa.select(Building.id)).scalars().all()
    kinds = list(SpaceKind)
    spaces = [
        {"building_id": b, "name": f"Huone {k}", "kind": kinds[(b + k) % len(kinds)], "area_m2": Decimal(20 + k * 10)}
        for b in ids
        for k in range(3)
    ]
    db.session.execute(sa.insert(Space), spaces)
    space_ids = db.session.execute(sa.select(Space.id)).scalars().all()
    feats = [{"space_id": s, "feature": features[(s + j) % len(features)]} for s in space_ids for j in range(2)]
    db.session.execute(sa.insert(SpaceFeature), feats)
    db.session.commit()
    return len(ids), len(space_ids)


@contextmanager
def counting():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)


def timed_get(client, url):
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}")
    return elapsed


def measure(client, urls, rounds):
    """Median seconds per URL, requesting them in turn so that noise hits them all alike."""
    for url in urls:  # warm up: templates compiled, caches filled
        for _ in range(3):
            timed_get(client, url)
    samples = {url: [] for url in urls}
    for _ in range(rounds):
        for url in urls:
            samples[url].append(timed_get(client, url))
    return {url: statistics.median(s) for url, s in samples.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--max-ratio", type=float, default=float(os.environ.get("BENCH_MAX_RATIO", 0) or 0))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tilasilta-bench-") as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
        app = create_app(
            {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "log", "UPLOAD_FOLDER": tmp}
        )
        with app.app_context():
            upgrade()
            n_buildings, n_spaces = seed(args.buildings)
            db.session.remove()
        client = app.test_client()
        with app.app_context(), counting() as statements:
            client.get(PAGES["list"])
            list_queries = len(statements)
        urls = [FLOOR, FRONT, *PAGES.values()]
        medians = measure(client, urls, args.rounds)
        with app.app_context():
            db.engine.dispose()

    floor = medians[FLOOR]
    print(
        f"{n_buildings} buildings, {n_spaces} spaces on {sa.engine.make_url(url).get_backend_name()}; "
        f"median of {args.rounds} rounds"
    )
    print(f"{'page':<28}{'median ms':>10}{'× floor':>10}")
    print(f"{'floor: GET /healthz':<28}{floor * 1000:>10.2f}{1:>10.2f}")
    print(f"{'front page':<28}{medians[FRONT] * 1000:>10.2f}{medians[FRONT] / floor:>10.2f}")
    for name, page in PAGES.items():
        print(f"{name:<28}{medians[page] * 1000:>10.2f}{medians[page] / floor:>10.2f}")
    ratio = medians[PAGES["list"]] / floor
    print(f"list/floor ratio: {ratio:.2f}  (SQL statements for the list page: {list_queries})")
    if args.max_ratio and ratio > args.max_ratio:
        print(f"FAIL: the list page costs {ratio:.2f} floors, more than the allowed {args.max_ratio}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
