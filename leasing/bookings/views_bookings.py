"""Booking pages: the request form with the space's week, a booking's page with the decisions and
cancellations, and the inbox of requests waiting for a decision (counted in the navigation).

Each view: load → authorize → validate → service → commit → flash → redirect, or re-render with 422
(bad input) or 409 (dates that cannot be booked: the member chooses to book the rest or to give up).
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import BadRequest

from leasing.authz import authorize
from leasing.bookings import planning, rules, services, settings
from leasing.bookings.blueprint import bp
from leasing.bookings.forms_bookings import ActionForm, CancelForm, DecisionForm, MoveForm, RequestForm, SeriesForm
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.vocabulary import OccurrenceStatus
from leasing.db import utcnow
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _
from leasing.premises.models import Space


@bp.app_context_processor
def booking_navigation():
    """``booking_nav()`` for the main menu: the requests waiting for the user's decision, counted."""

    def booking_nav():
        if not current_user.is_authenticated:
            return None
        counts = services.pending_counts(current_user)
        waiting = counts["association"] + counts["city"]
        return {"endpoint": "bookings.bookings", "label": _("Bookings"), "count": waiting}

    return {"booking_nav": booking_nav}


def load_space_to_book(space_id):
    """A bookable space the signed-in user may ask for."""
    space = db.session.get(Space, space_id)
    if space is None or not space.can_view(current_user):
        raise NotFound()
    authorize(current_user, "request", Booking)
    return space


def load_booking(booking_id, action="view"):
    """A booking the user may ``action`` (a stranger gets 404)."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound()
    authorize(current_user, "view", booking, hide=current_user.is_authenticated)
    if action != "view":
        authorize(current_user, action, booking)
    return booking


def _week_start(day):
    return day - timedelta(days=day.weekday())


def _group_choices(space):
    """The organizations the user may book for: their cultural groups, and the association that leases it."""
    lease = settings.binding_lease_for(space)
    tenant_id = lease.tenant_id if lease else None
    return [
        (m.organization.id, m.organization.name)
        for m in current_user.memberships
        if m.organization.kind.value == "cultural_group" or m.organization_id == tenant_id
    ]


@bp.route("/spaces/<int:space_id>/book", methods=["GET", "POST"])
def request_booking(space_id):
    """Ask for a space once or every (other) week; the form shows the space's week, free and busy."""
    space = load_space_to_book(space_id)
    form = RequestForm()
    form.group_id.choices = _group_choices(space)
    if not form.group_id.choices:
        flash(_("Join a cultural group to book spaces."), "error")
        return redirect(url_for("premises.building", building_id=space.building_id))
    if form.validate_on_submit() and form.preview.data:
        return _preview(space, form)
    if form.is_submitted() and not form.errors:
        try:
            booking = services.request(current_user, space, form.values(), book_the_rest=form.book_the_rest.data)
        except planning.DatesConflict as err:
            db.session.rollback()
            return _request_page(space, form, 409, problems=err.problems)
        except RuleViolation as err:
            db.session.rollback()
            apply_rule_violation(form, err)
            return _request_page(space, form, 422)
        except Conflict as err:
            db.session.rollback()
            form.form_errors.append(str(err.message))
            return _request_page(space, form, 409)
        db.session.commit()
        flash(_("Your booking request was saved."), "success")
        return redirect(url_for(".booking", booking_id=booking.id))
    return _request_page(space, form, 422 if form.is_submitted() else 200)


def _preview(space, form):
    """Each date the request would book, with its price or what stands in its way; nothing is saved."""
    try:
        plan = services.plan(current_user, space, form.values())
    except RuleViolation as err:
        db.session.rollback()
        apply_rule_violation(form, err)
        return _request_page(space, form, 422)
    db.session.rollback()
    return _request_page(space, form, 200, plan=plan)


def _request_page(space, form, status, problems=(), plan=None):
    today = rules.local_date(utcnow())
    shown = request.args.get("week", type=date.fromisoformat) or form.first_date.data or today
    if abs((shown - today).days) > 3 * 366:  # a week far off is a typo or a probe: show this one
        shown = today
    start = _week_start(shown)
    context = {
        "space": space,
        "form": form,
        "problems": problems,
        "week": services.week(space, start, form.group_id.data),
        "previous_week": start - timedelta(days=7),
        "next_week": start + timedelta(days=7),
        "booking_rules": settings.rules_for(space),
        "plan": plan,
        "describe": planning.describe,
    }
    return render_template("bookings/request.html", **context), status


@bp.get("/bookings/<int:booking_id>")
def booking(booking_id):
    """A booking: its dates with their status and price, and what the reader may do with them."""
    return _booking_page(load_booking(booking_id))


def _booking_page(booking, status=200, **forms):
    context = {
        "booking": booking,
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "action_form": ActionForm(),
        "statuses": OccurrenceStatus,
        "describe": planning.describe_occurrence,
    }
    return render_template("bookings/booking.html", **context), status


def _chosen_ids():
    """The ticked dates, or None for every date waiting; a value that is not an id is a bad request (never
    silently "all")."""
    raw = request.form.getlist("occurrence_ids")
    if not all(value.isdigit() for value in raw):
        raise BadRequest()
    return [int(value) for value in raw] or None


def _act(booking, form, call, success):
    """Run a decision or cancellation: commit and redirect, or show the message (422 / 409)."""
    if not form.validate_on_submit():
        return _booking_page(booking, 422, decision_form=form)
    try:
        call()
    except RuleViolation as err:
        db.session.rollback()
        form.reason.errors = [str(err.message)]
        return _booking_page(booking, 422, decision_form=form)
    except Conflict as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return _booking_page(booking, 409)
    db.session.commit()
    flash(success, "success")
    return redirect(url_for(".booking", booking_id=booking.id))


@bp.post("/bookings/<int:booking_id>/confirm")
def confirm_booking(booking_id):
    """The association confirms the waiting dates (all, or those ticked)."""
    booking = load_booking(booking_id, "decide")
    form = DecisionForm()
    call = lambda: services.confirm(current_user, booking, _chosen_ids())  # noqa: E731
    return _act(booking, form, call, _("The dates were confirmed."))


@bp.post("/bookings/<int:booking_id>/decline")
def decline_booking(booking_id):
    """The association declines the waiting dates (all, or those ticked), with a reason."""
    booking = load_booking(booking_id, "decide")
    form = DecisionForm()
    call = lambda: services.decline(current_user, booking, form.reason.data, _chosen_ids())  # noqa: E731
    return _act(booking, form, call, _("The dates were declined."))


@bp.post("/bookings/<int:booking_id>/city-confirm")
def city_confirm_booking(booking_id):
    """Facilities staff approve the dates awaiting the facilities centre."""
    booking = load_booking(booking_id, "city_decide")
    form = DecisionForm()
    call = lambda: services.city_confirm(current_user, booking, _chosen_ids())  # noqa: E731
    return _act(booking, form, call, _("The dates were approved."))


@bp.post("/bookings/<int:booking_id>/city-decline")
def city_decline_booking(booking_id):
    """Facilities staff decline the dates awaiting the facilities centre, with a reason."""
    booking = load_booking(booking_id, "city_decide")
    form = DecisionForm()
    call = lambda: services.city_decline(current_user, booking, form.reason.data, _chosen_ids())  # noqa: E731
    return _act(booking, form, call, _("The dates were declined."))


@bp.post("/bookings/<int:booking_id>/cancel-rest")
def cancel_rest(booking_id):
    """Either side cancels every date from a day on."""
    booking = load_booking(booking_id, "cancel")
    form = CancelForm()
    if not form.validate_on_submit() or form.from_date.data is None:
        form.from_date.errors = [_("Enter the first date to cancel")]
        return _booking_page(booking, 422, cancel_form=form)
    try:
        services.cancel_rest(current_user, booking, form.from_date.data, form.reason.data)
    except Conflict as err:
        db.session.rollback()
        form.from_date.errors = [str(err.message)]
        return _booking_page(booking, 409, cancel_form=form)
    db.session.commit()
    flash(_("The dates were cancelled."), "success")
    return redirect(url_for(".booking", booking_id=booking.id))


def load_occurrence(occurrence_id, action):
    """A date of a booking the user may ``action``."""
    occurrence = db.session.get(Occurrence, occurrence_id)
    if occurrence is None:
        raise NotFound()
    load_booking(occurrence.booking_id, action)
    return occurrence


@bp.post("/occurrences/<int:occurrence_id>/cancel")
def cancel_occurrence(occurrence_id):
    """Either side cancels one date; the others stay as they are."""
    occurrence = load_occurrence(occurrence_id, "cancel")
    form = CancelForm()
    if not form.validate_on_submit():
        return _booking_page(occurrence.booking, 422, cancel_form=form)
    try:
        services.cancel(current_user, occurrence, form.reason.data)
    except Conflict as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return _booking_page(occurrence.booking, 409)
    db.session.commit()
    flash(_("The date was cancelled."), "success")
    return redirect(url_for(".booking", booking_id=occurrence.booking_id))


@bp.post("/occurrences/<int:occurrence_id>/reactivate")
def reactivate_occurrence(occurrence_id):
    """Ask again for a skipped or cancelled date whose time is free now."""
    occurrence = load_occurrence(occurrence_id, "edit")
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(url_for(".booking", booking_id=occurrence.booking_id))
    try:
        services.reactivate(current_user, occurrence)
    except (Conflict, RuleViolation) as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return _booking_page(occurrence.booking, 409)
    db.session.commit()
    if occurrence.status == OccurrenceStatus.CONFIRMED:
        flash(_("The date is booked again."), "success")
    else:
        flash(_("The date was asked for again."), "success")
    return redirect(url_for(".booking", booking_id=occurrence.booking_id))


@bp.route("/occurrences/<int:occurrence_id>/move", methods=["GET", "POST"])
def move_occurrence(occurrence_id):
    """Move one date to another day or time; the others stay as they are."""
    occurrence = load_occurrence(occurrence_id, "move")
    booking = occurrence.booking
    day, starts, ends = rules.local_times(occurrence.starts_at, occurrence.ends_at)
    form = MoveForm(data={"new_date": day, "starts_time": starts, "ends_time": ends})
    problems = ()
    status = 200
    if form.validate_on_submit():
        try:
            services.move(current_user, occurrence, form.new_date.data, form.starts_time.data, form.ends_time.data)
        except planning.DatesConflict as err:
            db.session.rollback()
            problems, status = err.problems, 409
        except RuleViolation as err:
            db.session.rollback()
            _apply_move_violation(form, err)
            status = 422
        except Conflict as err:
            db.session.rollback()
            form.form_errors.append(str(err.message))
            status = 409
        else:
            db.session.commit()
            flash(_("The date was moved."), "success")
            return redirect(url_for(".booking", booking_id=booking.id))
    elif form.is_submitted():
        status = 422
    context = {"form": form, "booking": booking, "occurrence": occurrence, "problems": problems}
    context["when"] = planning.describe_occurrence(occurrence)
    return render_template("bookings/move.html", **context), status


def _apply_move_violation(form, err):
    """The service names the date ``first_date``; the form calls it ``new_date``."""
    fields = {("new_date" if name == "first_date" else name): messages for name, messages in err.fields.items()}
    apply_rule_violation(form, RuleViolation(err.message, fields=fields))


@bp.route("/bookings/<int:booking_id>/edit", methods=["GET", "POST"])
def edit_booking(booking_id):
    """Change the whole series: dates changed by hand keep their own day and time."""
    booking = load_booking(booking_id, "edit")
    form = SeriesForm(obj=booking)
    problems = ()
    status = 200
    if form.validate_on_submit():
        try:
            services.edit_series(current_user, booking, form.values(), book_the_rest=form.book_the_rest.data)
        except planning.DatesConflict as err:
            db.session.rollback()
            problems, status = err.problems, 409
        except RuleViolation as err:
            db.session.rollback()
            apply_rule_violation(form, err)
            status = 422
        except Conflict as err:
            db.session.rollback()
            form.form_errors.append(str(err.message))
            status = 409
        else:
            db.session.commit()
            flash(_("The booking was changed."), "success")
            return redirect(url_for(".booking", booking_id=booking.id))
    elif form.is_submitted():
        status = 422
    return render_template("bookings/edit.html", form=form, booking=booking, problems=problems), status


@bp.get("/bookings")
def bookings():
    """The requests waiting for the user's decision, and the bookings of the user's groups."""
    authorize(current_user, "request", Booking)
    own = _own_bookings([m.organization_id for m in current_user.memberships])
    return render_template("bookings/inbox.html", inbox=services.inbox(current_user), own=own)


def _own_bookings(organization_ids):
    """The newest 200 bookings of the user's organizations, with their space and building (1 query)."""
    return (
        db.session.execute(
            sa.select(Booking)
            .options(joinedload(Booking.space).joinedload(Space.building))
            .where(Booking.group_id.in_(organization_ids))
            .order_by(Booking.first_date.desc(), Booking.id.desc())
            .limit(200)
        )
        .scalars()
        .unique()
        .all()
    )
