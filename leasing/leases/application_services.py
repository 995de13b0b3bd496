"""Lease application services: apply, review, ask for information, accept, reject, withdraw.

Plain functions: they take the acting user and plain values, authorize, check the rules, write an
audit event, flush and never commit. A building follows its accepted application through
:func:`leasing.premises.services.follow_lease` (negotiating, and vacant again when it falls through).
"""

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from leasing import audit
from leasing.accounts.models import Membership, Organization, OrgKind, Role
from leasing.authz import authorize
from leasing.db import utcnow
from leasing.errors import Conflict, RuleViolation
from leasing.extensions import db
from leasing.i18n import _, _l
from leasing.leases import application_rules as rules
from leasing.leases.application_models import (
    ApplicationAttachment,
    ApplicationMessage,
    ApplicationStatus,
    LeaseApplication,
)
from leasing.premises import media
from leasing.premises.services import follow_lease
from leasing.premises.vocabulary import BuildingStatus

#: Application columns taken from the apply form.
FIELDS = (
    "whole_building",
    "proposed_use",
    "operating_model",
    "requested_start",
    "requested_term_months",
    "expected_groups",
    "expected_young_people",
)
PROBLEMS = {
    "spaces_required": _l("Choose at least one space, or apply for the whole building"),
    "spaces_elsewhere": _l("Choose spaces of this building only"),
    "use_required": _l("Describe what the premises would be used for"),
    "start_required": _l("Enter the date you would like the lease to start"),
    "start_in_past": _l("Enter a start date that is today or later"),
    "term_range": _l("Enter a term of 1 to 600 months, or leave it empty for an indefinite lease"),
    "count_range": _l("Enter a number of 0 or more"),
}
#: The message when an action does not fit the application's status.
NOT_NOW = {
    "start_review": _l("Only a submitted application can be taken under review."),
    "request_information": _l("More information can be asked only while the application is being handled."),
    "reply": _l("The facilities centre has not asked for more information."),
    "accept": _l("Only an application under review can be accepted. Start the review first."),
    "reject": _l("This application has already been decided or withdrawn."),
    "withdraw": _l("This application has already been decided or withdrawn."),
}
ALREADY_OPEN = _l(
    "Your association already has an open application for this building. Add to it or withdraw it instead."
)


def _conflict_unless(application, action):
    target = rules.next_status(action, application.status)
    if target is None:
        raise Conflict(NOT_NOW[action])
    return ApplicationStatus(target)


def _applicant(actor, organization_id):
    """The association ``actor`` administers and applies for.

    :raise RuleViolation: not an association the actor administers.
    """
    org = db.session.get(Organization, organization_id) if organization_id else None
    membership = actor.membership_in(org) if org is not None else None
    if org is None or org.kind != OrgKind.ASSOCIATION or membership is None or membership.role != Role.ADMIN:
        raise RuleViolation(_l("Choose an association you are an administrator of"), field="organization_id")
    return org


def open_application(building, organization):
    """The association's open application for the building, or None."""
    query = sa.select(LeaseApplication).where(
        LeaseApplication.building_id == building.id,
        LeaseApplication.organization_id == organization.id,
        LeaseApplication.status.in_(rules.OPEN_STATUSES),
    )
    return db.session.execute(query).scalars().first()


def submit(actor, building, values, attachment=None):
    """Apply for ``building`` on behalf of ``values["organization_id"]``; ``attachment`` is (stream, title)."""
    authorize(actor, "apply", building)
    organization = _applicant(actor, values.get("organization_id"))
    problems = rules.application_problems(values, rules.today(), [s.id for s in building.spaces])
    if problems:
        raise RuleViolation(fields={field: [PROBLEMS[key]] for field, key in problems.items()})
    if open_application(building, organization) is not None:
        raise Conflict(ALREADY_OPEN)
    application = LeaseApplication(
        building=building,
        organization=organization,
        submitted_by_id=actor.id,
        status=ApplicationStatus.SUBMITTED,
        **{key: values.get(key) for key in FIELDS},
    )
    application.operating_model = (application.operating_model or "").strip()
    application.proposed_use = application.proposed_use.strip()
    if not application.whole_building:
        wanted = set(values.get("space_ids") or ())
        application.spaces = [s for s in building.spaces if s.id in wanted]
    db.session.add(application)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as err:  # a concurrent request of the same association won
        raise Conflict(ALREADY_OPEN) from err
    changes = {key: (None, getattr(application, key)) for key in ("status", "building_id", "organization_id")}
    changes["spaces"] = (None, ",".join(str(s.id) for s in application.spaces) or "whole building")
    audit.record(actor, "application.submit", application, changes)
    if attachment is not None:
        _store_attachment(actor, application, *attachment)
    return application


def add_attachment(actor, application, stream, title):
    """Attach a PDF to an application (checked by content and size)."""
    authorize(actor, "edit", application)
    return _store_attachment(actor, application, stream, title)


def _store_attachment(actor, application, stream, title):
    limit = current_app.config["MAX_DOCUMENT_BYTES"]
    message = _("The attachment must be smaller than %(mb)s MB.", mb=limit // (1024 * 1024))
    try:
        stored = media.store_document(db.session, media.read_limited(stream, limit, "attachment", message))
    except RuleViolation as err:
        raise RuleViolation(err.message, field="attachment") from None
    attachment = ApplicationAttachment(
        application=application,
        title=(title or "").strip()[:200] or _("Attachment"),
        filename=stored.filename,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record(actor, "application.attach", application, {"attachment": (None, attachment.id)})
    return attachment


def _move(actor, application, action, **extra):
    """Apply the table's transition for ``action`` with an audit event; return the old status."""
    target = _conflict_unless(application, action)
    before = application.status
    changes = audit.diff(application, {"status": target, **extra})
    db.session.flush()
    audit.record(actor, f"application.{action}", application, changes)
    return before


def start_review(actor, application):
    """Staff take a submitted application under review."""
    authorize(actor, "review", application)
    _move(actor, application, "start_review")
    return application


def accept(actor, application, note=None):
    """Staff accept an application: the building goes to negotiating."""
    authorize(actor, "review", application)
    _conflict_unless(application, "accept")
    if rules.accept_problem(application.building.status):
        raise Conflict(
            _(
                "The building is “%(status)s”. Only one application can be accepted at a time, "
                "while the building is vacant.",
                status=application.building.status.title,
            )
        )
    _move(actor, application, "accept", decision_note=(note or "").strip() or None, **_decided(actor))
    follow_lease(actor, application.building, BuildingStatus.NEGOTIATING, "application.accept")
    return application


def reject(actor, application, reason):
    """Staff reject an application with a reason; an accepted one frees its building."""
    authorize(actor, "review", application)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("Enter the reason for the rejection; the applicant will see it"), field="reason")
    before = _move(actor, application, "reject", decision_note=reason, **_decided(actor))
    _release_building(actor, application, before, "application.reject")
    return application


def withdraw(actor, application, reason=None):
    """The applicant withdraws its application; an accepted one frees its building."""
    authorize(actor, "withdraw", application)
    values = {"withdrawn_at": utcnow(), "withdrawal_reason": (reason or "").strip() or None}
    before = _move(actor, application, "withdraw", **values)
    _release_building(actor, application, before, "application.withdraw")
    return application


def _decided(actor):
    return {"decided_at": utcnow(), "decided_by_id": actor.id}


def _release_building(actor, application, before, reason):
    """Back to vacant when the building negotiates because of this application and no newer one was accepted."""
    building = application.building
    if before != ApplicationStatus.ACCEPTED or building.status != BuildingStatus.NEGOTIATING:
        return
    others = sa.select(LeaseApplication.id).where(
        LeaseApplication.building_id == building.id,
        LeaseApplication.id != application.id,
        LeaseApplication.status == ApplicationStatus.ACCEPTED,
    )
    if db.session.execute(others.limit(1)).first() is None:
        follow_lease(actor, building, BuildingStatus.VACANT, reason)


def post_message(actor, application, body, *, ask_information=False):
    """Write in the thread. Staff may ask for information; the applicant's answer resumes the review."""
    authorize(actor, "message", application)
    body = (body or "").strip()
    if not body:
        raise RuleViolation(_l("Write a message"), field="body")
    staff = actor.is_staff
    ask_information = bool(ask_information and staff)
    if ask_information:
        _move(actor, application, "request_information")
    elif not staff and rules.allowed("reply", application.status):
        _move(actor, application, "reply")
    side = _staff_organization(actor) if staff else application.organization
    message = ApplicationMessage(
        application=application, author_id=actor.id, organization=side, body=body, asks_information=ask_information
    )
    db.session.add(message)
    db.session.flush()
    audit.record(actor, "application.message", application, {"message": (None, message.id)})
    return message


def _staff_organization(actor):
    return next(m.organization for m in actor.memberships if m.organization.kind == OrgKind.FACILITIES_CENTRE)


def accepted_application(building):
    """The building's most recently accepted application (what a lease is drafted from), or None."""
    query = (
        sa.select(LeaseApplication)
        .where(LeaseApplication.building_id == building.id, LeaseApplication.status == ApplicationStatus.ACCEPTED)
        .order_by(LeaseApplication.decided_at.desc(), LeaseApplication.id.desc())
        .limit(1)
    )
    return db.session.execute(query).scalar_one_or_none()


def _listing(query):
    return query.options(
        joinedload(LeaseApplication.building),
        joinedload(LeaseApplication.organization),
        selectinload(LeaseApplication.spaces),
    )


def inbox(status=None):
    """``(applications, counts by status)`` for staff: open ones first (oldest first), then decided ones."""
    counts = dict(
        db.session.execute(sa.select(LeaseApplication.status, sa.func.count()).group_by(LeaseApplication.status)).all()
    )
    is_open = sa.case((LeaseApplication.status.in_(rules.OPEN_STATUSES), 0), else_=1)
    open_since = sa.case((LeaseApplication.status.in_(rules.OPEN_STATUSES), LeaseApplication.created_at))
    query = sa.select(LeaseApplication).order_by(is_open, open_since, LeaseApplication.updated_at.desc())
    if status is not None:
        query = query.where(LeaseApplication.status == status)
    return db.session.execute(_listing(query)).scalars().unique().all(), counts


def pending_count():
    """How many applications wait for the facilities centre (submitted or under review)."""
    waiting = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
    query = sa.select(sa.func.count()).select_from(LeaseApplication).where(LeaseApplication.status.in_(waiting))
    return db.session.execute(query).scalar_one()


def of_user(user):
    """A select of the applications of every association ``user`` belongs to (unordered; the API pages it)."""
    org_ids = sa.select(Membership.organization_id).where(Membership.user_id == user.id)
    return sa.select(LeaseApplication).where(LeaseApplication.organization_id.in_(org_ids))


def for_user(user):
    """The applications of every association ``user`` belongs to, newest first."""
    query = of_user(user).order_by(LeaseApplication.created_at.desc(), LeaseApplication.id.desc())
    return db.session.execute(_listing(query)).scalars().unique().all()


def load_thread(application):
    """The application's messages with their authors and sides, in order (one query)."""
    query = (
        sa.select(ApplicationMessage)
        .where(ApplicationMessage.application_id == application.id)
        .options(joinedload(ApplicationMessage.author), joinedload(ApplicationMessage.organization))
        .order_by(ApplicationMessage.id)
    )
    return db.session.execute(query).scalars().all()
