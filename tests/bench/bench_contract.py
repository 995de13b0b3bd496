"""Benchmark: rendering a four-page contract, as a ratio to a one-page document with the same fonts.

    make bench            (or: .venv/bin/python -m tests.bench.bench_contract [--rounds N] [--max-ratio X])

Both documents go through the real path (``leasing.documents.render.render_pdf``: the contracts'
Jinja environment, the shared stylesheet and fonts, WeasyPrint to PDF/A-3a), interleaved round by
round in the same run, and the medians are compared: absolute times on shared machines swing too
much to mean anything alone. The first render of each (WeasyPrint's import, font loading) is
a warm-up and is not counted. ``BENCH_CONTRACT_MAX_RATIO`` (or ``--max-ratio``) fails the run
when the contract costs more than that many one-page documents.

Not collected by pytest (the file is not named ``test_*``; pytest also ignores ``tests/bench``).
"""

import argparse
import io
import os
import statistics
import sys
import time
from datetime import UTC, datetime

from pypdf import PdfReader

from leasing import create_app
from leasing.documents.render import render_pdf
from tests.documents.conftest import TEMPLATES, contract_context

CREATED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def render(context):
    """One render of the test contract with ``context``; returns the PDF's bytes."""
    return render_pdf(
        "test_contract.html",
        context,
        language="fi",
        title="Vuokrasopimus TK-2026-0001",
        subject="Tuiran paloaseman vuokrasopimus",
        created=CREATED,
    )


def pages(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def contexts():
    """A one-page document and a four-page contract (clauses added until the fourth page is reached)."""
    one_page = contract_context(paragraphs=0, appendices=[], signers=[])
    assert pages(render(one_page)) == 1, "the one-page document no longer fits on one page"
    n, seen = 12, set()
    while n not in seen and 0 < n < 100:
        seen.add(n)
        count = pages(render(contract_context(paragraphs=n)))
        if count == 4:
            return one_page, contract_context(paragraphs=n)
        n += 1 if count < 4 else -1
    raise AssertionError("could not make a four-page contract")


def timed(context):
    start = time.perf_counter()
    pdf = render(context)
    return time.perf_counter() - start, pdf


def main(argv=None):
    """Run the benchmark and print the ratio; exit 1 if it exceeds ``--max-ratio``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--max-ratio", type=float, default=float(os.environ.get("BENCH_CONTRACT_MAX_RATIO", 0)))
    args = parser.parse_args(argv)

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "CONTRACTS_EXTRA_PATH": TEMPLATES})
    with app.app_context():
        start = time.perf_counter()
        one_page, contract = contexts()
        print(f"warm-up and calibration (WeasyPrint import, fonts): {time.perf_counter() - start:.2f} s")
        small, large = [], []
        for _ in range(args.rounds):
            t, small_pdf = timed(one_page)
            small.append(t)
            t, large_pdf = timed(contract)
            large.append(t)
    s, c = statistics.median(small), statistics.median(large)
    for name, median, pdf in (("one_page", s, small_pdf), ("contract_4_pages", c, large_pdf)):
        print(f"{name + ':':18} {median * 1000:6.1f} ms median of {args.rounds}, {pages(pdf)} pages, {len(pdf):,} B")
    print(f"contract_4_pages / one_page = {c / s:.1f}x")
    if args.max_ratio and c / s > args.max_ratio:
        print(f"FAIL: ratio above {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
