"""Helpers for the sublet tests: valid values, a sublet row written directly, the form as a browser sends it."""

import itertools
from datetime import date, time, timedelta
from decimal import Decimal

from leasing.extensions import db
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import SubletKind, SubletStatus
from tests.leases.kit import pdf_text  # noqa: F401  (re-exported for the sublet tests)

START = date.today() + timedelta(days=10)
END = START + timedelta(days=180)
_seq = itertools.count(1)


def values(lease, group, space=None, **overrides):
    """Valid service values: exclusive use of the lease's first space for about six months."""
    space = space or lease.building.spaces[0]
    data = {
        "space_id": space.id,
        "group_id": group.id,
        "kind": SubletKind.EXCLUSIVE,
        "starts_on": START,
        "ends_on": END,
        "weekday": None,
        "slot_starts": None,
        "slot_ends": None,
        "monthly_rent": Decimal("150.00"),
        "terms": "Avaimet noudetaan toimistolta.",
        "language": "fi",
    }
    data.update(overrides)
    return data


def slot_values(lease, group, weekday=1, starts=time(18), ends=time(21), **overrides):
    """A weekly slot (Tuesdays 18–21 unless told otherwise)."""
    return values(lease, group, kind=SubletKind.SLOT, weekday=weekday, slot_starts=starts, slot_ends=ends, **overrides)


def make_sublet(lease, group, status=SubletStatus.SIGNED, **overrides):
    """A sublet row written directly (no rules, no contract): for overlap, list and receiver tests."""
    data = values(lease, group)
    data.update(overrides)
    sublet = Sublet(
        number=f"AV-2099-{next(_seq):04d}", lease_id=lease.id, association_id=lease.tenant_id, status=status, **data
    )
    db.session.add(sublet)
    db.session.flush()
    return sublet


def form_data(lease, group, space=None, **overrides):
    """The new-sublet form as a browser sends it (Finnish decimal comma)."""
    space = space or lease.building.spaces[0]
    data = {
        "space_id": str(space.id),
        "group_id": str(group.id),
        "kind": "exclusive",
        "starts_on": START.isoformat(),
        "ends_on": END.isoformat(),
        "weekday": "",
        "slot_starts": "",
        "slot_ends": "",
        "monthly_rent": "150,00",
        "terms": "Avaimet noudetaan toimistolta.",
        "language": "fi",
    }
    data.update(overrides)
    return data


def to(outbox, user):
    """Subjects of the messages sent to ``user``."""
    return [m["Subject"] for m in outbox if m["To"] == user.email]


def deliver():
    """Commit (ending the test's savepoint) and deliver the committed mail, as the end of a request does."""
    from leasing.mail import deliver_committed

    db.session.commit()
    deliver_committed()
