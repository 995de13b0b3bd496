"""A second iCalendar parser for the tests: Mozilla's ical.js (Thunderbird's), run with Node.js.

``parse(ics_bytes)`` returns one dict per VEVENT as ical.js understood it (see ``icaljs/parse.mjs``):
``uid``, ``summary``, ``status``, ``sequence``, ``recurrence_id``, ``dtstart``/``dtend`` as
``{"utc": "2025-03-30T15:00:00Z" | None, "date": "2025-03-30" | None, "all_day": bool, "tzid": str}``,
``has_description``/``has_url``/``has_location`` with the values, ``recurring`` and, with
``until=date(...)``, the ``occurrences`` (``[{"start": …, "end": …}]``). Parse errors fail the call
(``strict=False`` returns them instead, see ``run``).

ical.js is installed by ``make test`` (``npm ci`` from ``icaljs/package-lock.json``); by hand::

    npm ci --prefix tests/calendars/icaljs --no-audit --no-fund
"""

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent / "icaljs"
SCRIPT = HERE / "parse.mjs"
TIMEOUT = 30

INSTALL_HINT = (
    "Mozilla's ical.js is not installed for the tests. Run `make test` (it installs it), or by hand:\n"
    "    npm ci --prefix tests/calendars/icaljs --no-audit --no-fund\n"
    "(Node.js and npm come from Debian: apt-get install nodejs npm)"
)


class IcalJsError(AssertionError):
    """ical.js could not run, or it reported parse errors."""


def node():
    """The Node.js binary: $NODE, else ``node`` on PATH, else /usr/bin/node."""
    found = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"
    if not Path(found).exists():
        raise IcalJsError(f"Node.js is missing ({found}).\n{INSTALL_HINT}")
    return found


def available():
    """Whether node and the installed ical.js package are there (for a skip or a clear failure)."""
    try:
        node()
    except IcalJsError:
        return False
    return (HERE / "node_modules" / "ical.js" / "package.json").exists()


def run(ics, until=None):
    """ical.js's whole report on ``ics`` (bytes or str): ``{"events": [...], "errors": [...], "timezones": [...]}``."""
    if not (HERE / "node_modules" / "ical.js").is_dir():
        raise IcalJsError(f"{HERE / 'node_modules' / 'ical.js'} is missing.\n{INSTALL_HINT}")
    if isinstance(ics, str):
        ics = ics.encode("utf-8")
    args = [node(), str(SCRIPT)]
    if until is not None:
        args.append(f"--until={until.isoformat() if isinstance(until, date) else until}")
    # TZ=UTC: a floating time (which ical.js reads in the process's zone) comes out the same anywhere.
    env = {**os.environ, "TZ": "UTC"}
    try:
        done = subprocess.run(args, input=ics, capture_output=True, cwd=HERE, env=env, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as error:
        raise IcalJsError(f"ical.js did not answer within {TIMEOUT} s") from error
    if done.returncode != 0:
        raise IcalJsError(f"node parse.mjs failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return json.loads(done.stdout)


def parse(ics, until=None, strict=True):
    """The VEVENTs of ``ics`` as ical.js reads them; with ``strict``, any parse error fails."""
    report = run(ics, until=until)
    if strict and report["errors"]:
        raise IcalJsError("ical.js reported errors:\n" + "\n".join(report["errors"]))
    return report["events"]


def _instant(value):
    """A ``parse.mjs`` time dict → ``"2025-03-30T15:00:00Z"`` (a date-time) or ``"2025-03-30"`` (a date)."""
    return value["date"] if value["all_day"] else value["utc"]


def occurrences(ics, start, end):
    """ical.js's occurrences starting on a day in [start, end) (UTC): sorted ``[(uid, start, end), …]``.

    Date-times as UTC ``…Z`` strings, dates as ``YYYY-MM-DD``. Compare with ``reference_occurrences``
    over a range whose ends no event straddles (that one also counts events overlapping the range).
    """
    found = []
    for event in parse(ics, until=end):
        for occurrence in event.get("occurrences", []):
            first = occurrence["start"]
            day = first["date"] or first["utc"][:10]
            if start.isoformat() <= day < end.isoformat():
                found.append(
                    (event["uid"], _instant(first), _instant(occurrence["end"]) if occurrence["end"] else None)
                )
    return sorted(found)


def reference_occurrences(ics, start, end):
    """The same as ``occurrences`` read by the Python side (icalendar + recurring_ical_events)."""
    from datetime import UTC, datetime

    import icalendar
    import recurring_ical_events

    def instant(value):
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat()

    calendar = icalendar.Calendar.from_ical(ics)
    found = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        found.append((str(event["UID"]), instant(event.start), instant(event.end)))
    return sorted(found)
