"""The booking settings pages: the house (a lease's spaces with their settings, closed dates for one or all
spaces) and one space's settings form with its closed periods.

Each view: load → authorize → validate → service → commit → flash → redirect, or re-render with 422.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from leasing.authz import authorize
from leasing.bookings import settings
from leasing.bookings import settings_rules as checks
from leasing.bookings.blueprint import bp
from leasing.bookings.forms_settings import ActionForm, ClosedDateForm, SpaceSettingsForm, settings_form_data
from leasing.bookings.models import ClosedDate
from leasing.errors import NotFound, RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _, format_date, format_money, ngettext
from leasing.leases.models import Lease
from leasing.premises.models import Space


def load_house(lease_id, action="view"):
    """A lease in force and the access policy of its spaces' settings, if the current user may ``action``.

    :raise NotFound: no such lease, one not in force, or one the signed-in user may not know about.
    :raise LoginRequired: anonymous user.
    :raise PermissionDenied: the association's member who may not ``action``.
    """
    lease = db.session.get(Lease, lease_id)
    if lease is None or not settings.in_force(lease):
        raise NotFound()
    access = settings.HouseAccess(lease)
    authorize(current_user, "view", access, hide=current_user.is_authenticated)
    if action != "view":
        authorize(current_user, action, access)
    return lease, access


def load_space(space_id, action="view"):
    """A space and the access policy of its booking settings, if the current user may ``action``.

    :raise NotFound: no such space, or one whose settings the signed-in user may not know about.
    :raise LoginRequired: anonymous user.
    :raise PermissionDenied: the association's member who may not ``action``.
    """
    space = db.session.get(Space, space_id)
    if space is None:
        raise NotFound()
    access = settings.access_for(space)
    authorize(current_user, "view", access, hide=current_user.is_authenticated)
    if action != "view":
        authorize(current_user, action, access)
    return space, access


@bp.context_processor
def settings_helpers():
    """Formats for the settings pages and the ``_house_rules.html`` partial."""
    return {
        "clock_time": checks.clock,
        "minutes_text": minutes_text,
        "hours_runs": hours_runs,
        "closed_period": closed_period,
        "hourly_price": hourly_price,
        "day_name": lambda day: settings.DAY_NAMES[day],
    }


@bp.get("/leases/<int:lease_id>/spaces")
def house(lease_id):
    """The house: the spaces of the lease's premises with their booking settings and upcoming closed dates."""
    lease, access = load_house(lease_id)
    return _house_page(lease, access, ClosedDateForm())


@bp.post("/leases/<int:lease_id>/closed-dates")
def add_closed_dates(lease_id):
    """Close one space, or all the house's spaces, for a period (a holiday, a renovation)."""
    lease, access = load_house(lease_id, "edit")
    spaces = settings.house_spaces(lease)
    form = ClosedDateForm()
    form.set_spaces(spaces)
    if form.validate_on_submit():
        chosen = form.chosen(spaces)
        try:
            settings.add_closed_dates(current_user, chosen, form.starts_on.data, form.ends_on.data, form.reason.data)
        except RuleViolation as err:
            db.session.rollback()
            apply_rule_violation(form, err)
            return _house_page(lease, access, form, status=422)
        db.session.commit()
        period = _period(form.starts_on.data, form.ends_on.data)
        message = ngettext(
            "The space was closed for %(period)s.",
            "%(num)d spaces were closed for %(period)s.",
            len(chosen),
            period=period,
        )
        flash(message, "success")
        return redirect(url_for(".house", lease_id=lease.id))
    return _house_page(lease, access, form, status=422)


def _house_page(lease, access, form, status=200):
    spaces = settings.house_spaces(lease)
    form.set_spaces(spaces)
    context = {
        "lease": lease,
        "access": access,
        "spaces": spaces,
        "rules": settings.rules_for_spaces(spaces),
        "closed": settings.upcoming_closed_dates(spaces),
        "form": form,
    }
    return render_template("bookings/settings_house.html", **context), status


@bp.route("/spaces/<int:space_id>/booking-settings", methods=["GET", "POST"])
def space_settings(space_id):
    """A space's booking settings: the form for those who may edit, a summary for the association's members."""
    space, access = load_space(space_id, "edit" if request.method == "POST" else "view")
    rules = settings.rules_for(space)
    form = SpaceSettingsForm(data=settings_form_data(space, rules))
    if form.validate_on_submit():
        try:
            settings.update_space_settings(current_user, space, form.values())
        except RuleViolation as err:
            db.session.rollback()
            apply_rule_violation(form, err)
            return _settings_page(space, access, form, status=422)
        db.session.commit()
        flash(_("The booking settings of %(name)s were saved.", name=space.name), "success")
        return redirect(url_for(".space_settings", space_id=space.id))
    return _settings_page(space, access, form, status=422 if form.is_submitted() else 200)


def _settings_page(space, access, form, status=200):
    context = {
        "space": space,
        "access": access,
        "lease": access.lease,
        "booking_rules": settings.rules_for(space),
        "closed_dates": settings.upcoming_closed_dates([space])[space.id],
        "form": form,
        "action_form": ActionForm(),
    }
    return render_template("bookings/settings_space.html", **context), status


@bp.post("/closed-dates/<int:closed_date_id>/remove")
def remove_closed_date(closed_date_id):
    """Remove a closed period that has not ended (POST only)."""
    closed = db.session.get(ClosedDate, closed_date_id)
    if closed is None:
        raise NotFound()
    space, _access = load_space(closed.space_id, "edit")
    if ActionForm().validate_on_submit():
        settings.remove_closed_date(current_user, closed)
        db.session.commit()
        flash(
            _("The closed period %(period)s was removed.", period=_period(closed.starts_on, closed.ends_on)), "success"
        )
    else:
        flash(_("The form expired. Try again."), "error")
    return redirect(url_for(".space_settings", space_id=space.id, _anchor="closed-dates"))


# --- formats -------------------------------------------------------------------------------------------


def _period(first, last):
    return format_date(first) if first == last else f"{format_date(first)}–{format_date(last)}"


def closed_period(closed):
    """A closed period as dates in the locale: one date for a single day."""
    return _period(closed.starts_on, closed.ends_on)


def minutes_text(minutes):
    """A length of time: 45 min, 1 h, 1 h 30 min."""
    hours, rest = checks.split_minutes(minutes)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min", hours=hours, minutes=rest)
    if hours:
        return _("%(hours)d h", hours=hours)
    return _("%(minutes)d min", minutes=rest)


def hours_runs(space):
    """The week's opening hours as text runs: ``Monday–Friday 8.00–22.00``, ``Sunday closed``."""
    week = {h.weekday: (h.opens, h.closes) for h in space.opening_hours}
    runs = []
    for first, last, pair in checks.hours_groups(week):
        days = settings.DAY_NAMES[first] if first == last else f"{settings.DAY_NAMES[first]}–{settings.DAY_NAMES[last]}"
        if pair is None:
            runs.append(_("%(days)s closed", days=days))
        else:
            runs.append(f"{days} {checks.clock(pair[0])}–{checks.clock(pair[1])}")
    return runs


def hourly_price(amount):
    """Euros per hour in the locale, or "Free" for nothing."""
    return _("Free") if not amount else _("%(price)s per hour", price=format_money(amount))
