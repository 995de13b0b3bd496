"""Lease services: draft a lease from an accepted application and change its terms, each rule checked.

Every function takes the acting user and plain values, authorizes, flushes and never commits. A
term that breaks a rule raises :class:`RuleViolation` naming its field (``rent_steps-0-starts_on``
for a rent step's row), and nothing is written. Offer and signing live in :mod:`signing`, notice,
termination and the daily tick in :mod:`lifecycle`.
"""

from datetime import date, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app

from leasing import audit
from leasing.accounts.models import Membership, User
from leasing.accounts.services import facilities_centre
from leasing.authz import authorize
from leasing.errors import Conflict, RuleViolation
from leasing.extensions import db
from leasing.i18n import _
from leasing.leases import rules
from leasing.leases.application_models import ApplicationStatus, LeaseApplication
from leasing.leases.models import Lease, LeaseSigner, RentStep, Responsibility
from leasing.leases.vocabulary import DEFAULT_RESPONSIBILITIES, HOLDING_STATUSES, Item, Party, VatStatus

#: Lease columns edited through the terms form.
TERM_FIELDS = (
    "start_date",
    "end_date",
    "notice_period_months",
    "purpose",
    "monthly_rent",
    "vat",
    "deposit",
    "due_day",
    "iban",
    "insurance",
    "subletting_allowed",
    "sublet_needs_approval",
    "special_terms",
    "language",
    "index_base_month",
    "index_base_value",
    "whole_building",
    "city_approval_people",
    "city_approval_after",
)
TERM_MESSAGES = {
    "start_needed": lambda: _("Enter the date the lease starts."),
    "start_in_past": lambda: _("Enter a start date that is today or later: a new lease cannot start in the past."),
    "end_before_start": lambda: _("Enter an end date after the start date."),
    "notice_needed": lambda: _("Enter the notice period in months, or an end date for a fixed term."),
    "notice_range": lambda: _("Enter a notice period of 1 to 24 months."),
}
STEP_MESSAGES = {
    "missing_start": lambda: _("Enter the date the rent step starts."),
    "missing_end": lambda: _("Enter the date the rent step ends."),
    "ends_before_starts": lambda: _("Enter an end date on or after the rent step's start."),
    "outside_term": lambda: _("Enter a rent step that falls within the lease term."),
    "negative_rent": lambda: _("Enter a rent of 0 euros or more for the rent step."),
    "overlap": lambda: _("Rent steps may not overlap: change the dates of this one."),
}


def draft_defaults(application, today=None):
    """The terms a new draft starts from: the application's premises, start and term, the city's account."""
    today = today or rules.today()
    start = max(application.requested_start, today)
    months = application.requested_term_months
    end = _add_months(start, months) - timedelta(days=1) if months else None
    building = application.building
    return {
        "start_date": start,
        "end_date": end,
        "notice_period_months": None if months else 3,
        "purpose": application.proposed_use,
        "monthly_rent": building.asking_rent if building.asking_rent is not None else Decimal("0.00"),
        "vat": VatStatus.NONE,
        "deposit": Decimal("0.00"),
        "due_day": 5,
        "iban": current_app.config["CITY_IBAN"],
        "insurance": "",
        "subletting_allowed": True,
        "sublet_needs_approval": False,
        "special_terms": "",
        "language": "fi",
        "index_base_month": None,
        "index_base_value": None,
        "whole_building": application.whole_building,
        "city_approval_people": None,
        "city_approval_after": None,
        "space_ids": [s.id for s in application.spaces],
        "rent_steps": [],
        "responsibilities": {item: (party, "") for item, party in DEFAULT_RESPONSIBILITIES.items()},
        "signer_ids": [u.id for u in signer_choices(application.organization_id)],
    }


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last = rules.month_end(year, month).day
    return day.replace(year=year, month=month, day=min(day.day, last))


def signer_choices(tenant_id):
    """Users who may be named to sign: the tenant's and the facilities centre's members with signing authority."""
    centre = facilities_centre()
    return (
        db.session.execute(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id.in_([tenant_id, centre.id]), Membership.can_sign.is_(True))
            .where(User.active.is_(True))
            .order_by(User.name, User.id)
        )
        .scalars()
        .unique()
        .all()
    )


def create_draft(actor, application, values, today=None):
    """Draft a lease from an accepted application with ``values`` (see :func:`draft_defaults`)."""
    authorize(actor, "manage", Lease)
    if application.status != ApplicationStatus.ACCEPTED:
        raise Conflict(_("A lease is drafted only from an accepted application."))
    today = today or rules.today()
    centre = facilities_centre()
    number = _next_number(today.year)
    year, seq = rules.parse_lease_number(number)
    lease = Lease(
        number=number,
        reference_number=rules.lease_reference(year, seq),
        application_id=application.id,
        building_id=application.building_id,
        building=application.building,
        landlord_id=centre.id,
        tenant_id=application.organization_id,
        created_by_id=actor.id,
    )
    _check(lease, values, today, is_new=True)
    changes = _apply(lease, values)
    db.session.add(lease)
    db.session.flush()
    audit.record(actor, "lease.create", lease, {"number": (None, number), **changes})
    return lease


def update_terms(actor, lease, values, today=None):
    """Change a draft's, an offer's or an amendment's terms; a changed offer (or offered amendment) gets a new
    contract version (signatures on unsealed earlier versions void). The status never changes here.

    An amendment's terms are kept apart (``lease.amendment_terms``) and take effect only when every named
    signer has signed the amended version (:func:`apply_amendment`); only its named signers change at once.
    """
    authorize(actor, "edit", lease)
    today = today or rules.today()
    if lease.amending:
        return _update_amendment(actor, lease, values, today)
    _check(lease, values, today, is_new=lease.start_date != values.get("start_date"))
    changes = _apply(lease, values)
    db.session.flush()
    if changes:
        audit.record(actor, "lease.update", lease, changes)
        # A draft changes without a version; an offer gets a new one.
        if lease.status.value == "offered":
            _reissue(lease)
    return lease


def _update_amendment(actor, lease, values, today):
    offered = lease.amendment_offered
    before = lease.amendment_terms
    _check(lease, values, today, is_new=load_terms(before)["start_date"] != values.get("start_date"))
    after = dump_terms(values)
    changes = {key: (before.get(key), after[key]) for key in after if before.get(key) != after[key]}
    lease.amendment_terms = after
    _apply_signers(lease, values.get("signer_ids") or [], changes)
    db.session.flush()
    if changes:
        audit.record(actor, "lease.amendment_update", lease, changes)
        if offered:
            _reissue(lease)
    return lease


def _reissue(lease):
    from leasing.leases import notify, signing

    signing.issue_contract(lease)
    notify.offer_changed(lease)


def term_values(lease):
    """The lease's terms in force as service values (what the terms form and :func:`update_terms` take)."""
    values = {key: getattr(lease, key) for key in TERM_FIELDS}
    values["space_ids"] = [s.id for s in lease.spaces]
    values["rent_steps"] = [
        {"starts_on": s.starts_on, "ends_on": s.ends_on, "monthly_rent": s.monthly_rent, "note": s.note}
        for s in lease.rent_steps
    ]
    values["responsibilities"] = {r.item: (r.party, r.note) for r in lease.responsibilities}
    values["signer_ids"] = [s.user_id for s in lease.signers]
    return values


def negotiated_values(lease):
    """The terms being negotiated: an amendment's, else the lease's own."""
    if not lease.amending:
        return term_values(lease)
    return {**load_terms(lease.amendment_terms), "signer_ids": [s.user_id for s in lease.signers]}


#: How each term is kept in ``amendment_terms`` (JSON): its plain form, and back.
_DATES = ("start_date", "end_date", "index_base_month")
_TIMES = ("city_approval_after",)
_DECIMALS = ("monthly_rent", "deposit", "index_base_value")


def dump_terms(values):
    """Service values as JSON-safe plain values (signers excluded: they change at once)."""

    def plain(value):
        if isinstance(value, (date, Decimal, time)):
            return value.isoformat() if not isinstance(value, Decimal) else str(value)
        return value.value if hasattr(value, "value") and not isinstance(value, (int, str)) else value

    data = {key: plain(values.get(key)) for key in TERM_FIELDS}
    data["iban"] = rules.compact_iban(data["iban"])
    data["space_ids"] = sorted(set(values.get("space_ids") or ())) if not values.get("whole_building") else []
    data["rent_steps"] = [
        {key: plain(step.get(key)) for key in ("starts_on", "ends_on", "monthly_rent")}
        | {"note": step.get("note") or ""}
        for step in values.get("rent_steps", [])
    ]
    data["responsibilities"] = {
        Item(item).value: [Party(party).value, note or ""] for item, (party, note) in values["responsibilities"].items()
    }
    return data


def load_terms(data):
    """Plain values from :func:`dump_terms` as service values again."""
    values = dict(data)
    for key in _DATES:
        values[key] = date.fromisoformat(data[key]) if data.get(key) else None
    for key in _TIMES:
        values[key] = time.fromisoformat(data[key]) if data.get(key) else None
    for key in _DECIMALS:
        values[key] = Decimal(data[key]) if data.get(key) is not None else None
    values["vat"] = VatStatus(data["vat"])
    values["rent_steps"] = [
        {
            "starts_on": date.fromisoformat(s["starts_on"]),
            "ends_on": date.fromisoformat(s["ends_on"]),
            "monthly_rent": Decimal(s["monthly_rent"]),
            "note": s["note"],
        }
        for s in data["rent_steps"]
    ]
    values["responsibilities"] = {Item(i): (Party(p), n) for i, (p, n) in data["responsibilities"].items()}
    return values


def terms_view(lease, values):
    """The lease as it would read with ``values``: what a contract of an amendment is rendered from."""
    spaces = [] if values["whole_building"] else _spaces(lease, values.get("space_ids") or ())
    ordered = sorted(values["responsibilities"].items(), key=lambda kv: list(Item).index(Item(kv[0])))
    return SimpleNamespace(
        **{key: values[key] for key in TERM_FIELDS},
        number=lease.number,
        reference_number=lease.reference_number,
        spaces=spaces,
        total_area=lease.building.area_m2 if values["whole_building"] else sum((s.area_m2 for s in spaces), Decimal(0)),
        rent_steps=[SimpleNamespace(**step) for step in values["rent_steps"]],
        responsibilities=[SimpleNamespace(item=Item(i), party=Party(p), note=n) for i, (p, n) in ordered],
    )


def apply_amendment(lease, today=None):
    """Put a signed amendment's terms in force; return the changes. The rules are checked again, since
    another lease may have taken the premises meanwhile.

    :raise RuleViolation: the amended terms break a rule now.
    """
    values = negotiated_values(lease)
    _check(lease, values, today or rules.today(), is_new=False)
    changes = _apply(lease, values)
    lease.amendment_terms = None
    changes["amendment_terms"] = ("amending", None)
    db.session.flush()
    return changes


def _next_number(year):
    existing = db.session.execute(sa.select(Lease.number).where(Lease.number.like(f"TK-{year:04d}-%"))).scalars()
    return rules.next_lease_number(year, list(existing))


def _check(lease, values, today, *, is_new):
    """Raise one RuleViolation carrying every field's message; nothing has been written yet."""
    fields = {}
    for field, problem in rules.term_problems(
        values.get("start_date"), values.get("end_date"), values.get("notice_period_months"), today=today, is_new=is_new
    ).items():
        fields[field] = [TERM_MESSAGES[problem]()]
    fields.update(_value_problems(values))
    fields.update(_space_problems(lease, values))
    if "start_date" in fields or "end_date" in fields:
        _raise(fields)
    fields.update(_step_problems(values))
    fields.update(_signer_problems(lease, values))
    if not fields:
        fields.update(_overlap_problems(lease, values))
    _raise(fields)


def _value_problems(values):
    """Money, account, due day, the city's say and the index clause, each on its own."""
    fields = {}
    for field, label in (("monthly_rent", _("Enter a rent of 0 euros or more.")), ("deposit", None)):
        value = values.get(field)
        if value is None or value < 0:
            fields[field] = [label or _("Enter a deposit of 0 euros or more.")]
    if not rules.is_valid_iban(values.get("iban")):
        fields["iban"] = [_("Enter a valid IBAN, like FI49 5000 9420 0287 30.")]
    if values.get("city_approval_people") is not None and values["city_approval_people"] < 1:
        fields["city_approval_people"] = [_("Enter a number of people of 1 or more, or leave it empty.")]
    if not 1 <= (values.get("due_day") or 0) <= 28:
        fields["due_day"] = [_("Enter a due day between 1 and 28.")]
    if (values.get("index_base_month") is None) != (values.get("index_base_value") is None):
        fields["index_base_value"] = [_("Enter both the index base month and its value, or neither.")]
    elif values.get("index_base_value") is not None and values["index_base_value"] <= 0:
        fields["index_base_value"] = [_("Enter an index base value greater than 0.")]
    return fields


def _raise(fields):
    if fields:
        raise RuleViolation(next(iter(fields.values()))[0], fields=fields)


def _space_problems(lease, values):
    if values.get("whole_building"):
        return {}
    own = {s.id for s in lease.building.spaces}
    chosen = set(values.get("space_ids") or ())
    if not chosen:
        return {"space_ids": [_("Choose the spaces the lease covers, or the whole building.")]}
    if not chosen <= own:
        return {"space_ids": [_("Choose spaces of this building only.")]}
    return {}


def _step_problems(values):
    steps = [rules.Step(s["starts_on"], s["ends_on"], s["monthly_rent"]) for s in values.get("rent_steps", [])]
    problems = rules.step_problems(steps, values["start_date"], values.get("end_date"))
    return {f"rent_steps-{i}-starts_on": [STEP_MESSAGES[p]()] for i, p in problems.items()}


def _signer_problems(lease, values):
    allowed = {u.id for u in signer_choices(lease.tenant_id)}
    if not set(values.get("signer_ids") or ()) <= allowed:
        return {"signer_ids": [_("Choose signers who hold signing authority for the tenant or the landlord.")]}
    return {}


def _overlap_problems(lease, values):
    """The spaces may not be held by another lease (not ended) in an overlapping period."""
    mine = rules.last_day(values.get("end_date"), lease.ends_on)
    others = db.session.execute(
        sa.select(Lease).where(
            Lease.building_id == lease.building_id,
            Lease.status.in_(HOLDING_STATUSES),
            Lease.id != (lease.id or 0),
        )
    ).scalars()
    chosen = set(values.get("space_ids") or ())
    for other in others:
        if other.current_status.value in ("expired", "terminated"):
            continue
        if rules.periods_overlap(values["start_date"], mine, other.start_date, other.last_day) and rules.spaces_shared(
            chosen, values.get("whole_building"), other.space_ids(), other.whole_building
        ):
            message = _(
                "Lease %(number)s already holds these premises in the same period. Choose other spaces or dates.",
                number=other.number,
            )
            return {"space_ids" if not values.get("whole_building") else "whole_building": [message]}
    return {}


def _apply(lease, values):
    """Set the columns and the rows; return the changes for the audit log (collections as text)."""
    scalars = {key: values[key] for key in TERM_FIELDS if key in values}
    scalars["iban"] = rules.compact_iban(scalars["iban"])
    changes = audit.diff(lease, scalars)
    spaces = [] if values.get("whole_building") else _spaces(lease, values.get("space_ids") or ())
    _track(changes, "spaces", [s.id for s in lease.spaces], [s.id for s in spaces])
    lease.spaces = spaces
    steps = [(s["starts_on"], s["ends_on"], s["monthly_rent"], s.get("note") or "") for s in values["rent_steps"]]
    before = [(s.starts_on, s.ends_on, s.monthly_rent, s.note) for s in lease.rent_steps]
    if _track(changes, "rent_steps", before, steps):
        lease.rent_steps = [RentStep(starts_on=a, ends_on=b, monthly_rent=r, note=n) for a, b, r, n in steps]
    _apply_responsibilities(lease, values["responsibilities"], changes)
    _apply_signers(lease, values.get("signer_ids") or [], changes)
    return changes


def _track(changes, key, before, after):
    if [str(x) for x in before] != [str(x) for x in after]:
        changes[key] = ("; ".join(map(str, before)), "; ".join(map(str, after)))
        return True
    return False


def _spaces(lease, ids):
    return [s for s in lease.building.spaces if s.id in set(ids)]


def _apply_responsibilities(lease, wanted, changes):
    current = {r.item: r for r in lease.responsibilities}
    before = sorted((str(r.item), str(r.party), r.note) for r in lease.responsibilities)
    for item in Item:
        party, note = wanted.get(item, (DEFAULT_RESPONSIBILITIES[item], ""))
        row = current.get(item)
        if row is None:
            lease.responsibilities.append(Responsibility(item=item, party=Party(party), note=note or ""))
        else:
            row.party, row.note = Party(party), note or ""
    after = sorted((str(i), str(Party(p)), n or "") for i, (p, n) in wanted.items())
    if wanted and before and before != after:
        changes["responsibilities"] = ("; ".join(map(str, before)), "; ".join(map(str, after)))


def _apply_signers(lease, user_ids, changes):
    centre = facilities_centre()
    users = {u.id: u for u in signer_choices(lease.tenant_id)}
    before = sorted(s.user_id for s in lease.signers)
    after = sorted(set(user_ids))
    if before == after:
        return
    changes["signers"] = (",".join(map(str, before)), ",".join(map(str, after)))
    keep = [s for s in lease.signers if s.user_id in after]
    known = {s.user_id for s in keep}
    for user_id in after:
        if user_id in known:
            continue
        user = users[user_id]
        org_id = lease.tenant_id if user.membership_in(lease.tenant_id) else centre.id
        keep.append(LeaseSigner(user_id=user_id, organization_id=org_id))
    lease.signers = keep


def lease_by_application(application_id):
    """The lease drafted from an application (the newest), or None."""
    return db.session.execute(
        sa.select(Lease).where(Lease.application_id == application_id).order_by(Lease.id.desc()).limit(1)
    ).scalar_one_or_none()


def load_application(application_id):
    """An application by id, or None."""
    return db.session.get(LeaseApplication, application_id)
