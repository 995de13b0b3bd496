"""Statistics Finland's cost-of-living index values: entered by hand or imported as CSV (month;value)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from leasing import audit
from leasing.authz import authorize
from leasing.errors import RuleViolation
from leasing.extensions import db
from leasing.i18n import _
from leasing.leases.models import IndexValue

MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-01)?\s*$|^\s*(\d{1,2})[./](\d{4})\s*$|^\s*(\d{4})M(\d{2})\s*$")


def values_by_month():
    """Every stored value as ``{month: value}``."""
    return dict(db.session.execute(sa.select(IndexValue.month, IndexValue.value)).all())


def all_values():
    """Every stored value, newest month first."""
    return db.session.execute(sa.select(IndexValue).order_by(IndexValue.month.desc())).scalars().all()


def parse_month(text):
    """A month as its first day from ``2026-09``, ``9/2026``, ``09.2026`` or ``2026M09``; None if unreadable."""
    match = MONTH_RE.match(text or "")
    if not match:
        return None
    groups = [g for g in match.groups() if g is not None]
    year, month = (int(groups[0]), int(groups[1])) if len(groups[0]) == 4 else (int(groups[1]), int(groups[0]))
    return date(year, month, 1) if 1 <= month <= 12 else None


def parse_value(text):
    """A positive decimal with a comma or a point, or None."""
    try:
        value = Decimal((text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 < value < Decimal("1000000") else None


def parse_csv(text):
    """``({month: value}, [(line number, message)])`` from ``month;value`` lines (a header line is skipped)."""
    values, errors = {}, []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or (number == 1 and not line.strip()[0].isdigit()):
            continue
        parts = line.split(";")
        month = parse_month(parts[0]) if len(parts) == 2 else None
        value = parse_value(parts[1]) if len(parts) == 2 else None
        if month is None or value is None:
            errors.append((number, _("Line %(line)d: write the month and the value as 2026-09;2034,5.", line=number)))
        else:
            values[month] = value
    return values, errors


def save_values(actor, values, source=""):
    """Store (or replace) index values ``{month: value}``; returns how many."""
    authorize(actor, "manage", IndexValue)
    existing = {
        v.month: v for v in db.session.execute(sa.select(IndexValue).where(IndexValue.month.in_(values))).scalars()
    }
    for month, value in sorted(values.items()):
        row = existing.get(month) or IndexValue(month=month)
        row.value, row.source = value, source
        db.session.add(row)
    db.session.flush()
    audit.record(actor, "index.import", actor, {"months": (None, ",".join(m.isoformat()[:7] for m in sorted(values)))})
    return len(values)


def import_csv(actor, text, source="CSV"):
    """Import a CSV of index values: all or nothing, with every bad line reported."""
    authorize(actor, "manage", IndexValue)
    values, errors = parse_csv(text)
    if errors:
        raise RuleViolation(errors[0][1], fields={"csv": [message for _line, message in errors]})
    if not values:
        raise RuleViolation(_("The file has no index values. Write one month;value pair a line."), field="csv")
    return save_values(actor, values, source)
