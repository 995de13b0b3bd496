"""Forms of the booking settings: a space's settings (with a fieldset per weekday) and closed dates.

The forms only parse; the rules (ranges, steps, the order of times) are the service's, so the HTML
pages, the API and the CLI give the same messages.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import TextInput

from leasing.bookings.settings import DAY_NAMES
from leasing.forms import LocaleDecimalField, SaneDateField
from leasing.i18n import _l, format_number
from leasing.premises.forms import _Choice

#: Times typed by hand may use the Finnish dot (18.30) as well as the browser's 18:30.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]


class MoneyField(LocaleDecimalField):
    """Euros: accepts 12,50 or 12.50 and shows the locale's decimal comma (12,50).

    A text input with a decimal keypad: a number input would refuse the comma in many browsers.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, places=None, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_number(self.data, 2).replace("\u00a0", "") if self.data is not None else ""


class SpaceSettingsForm(FlaskForm):
    """How a space is booked; each weekday is ``hours-<day>-closed/opens/closes``."""

    bookable = BooleanField(_l("Groups can book this space by the hour"))
    hourly_rate = MoneyField(_l("Hourly price (€)"), validators=[Optional()])
    member_rate = MoneyField(_l("Member price (€ per hour)"), validators=[Optional()])
    min_minutes = IntegerField(
        _l("Shortest booking (minutes)"),
        validators=[InputRequired(_l("Enter the shortest booking in minutes, like 60"))],
    )
    max_minutes = IntegerField(
        _l("Longest booking (minutes)"),
        validators=[InputRequired(_l("Enter the longest booking in minutes, like 240"))],
    )
    book_ahead_days = IntegerField(
        _l("How many days ahead groups may book"),
        validators=[InputRequired(_l("Enter how many days ahead groups may book, like 180"))],
    )
    needs_approval = RadioField(
        _l("Booking requests"),
        choices=[
            _Choice("yes", _l("We approve each request")),
            _Choice("no", _l("A request that breaks no rule is confirmed at once")),
        ],
        validators=[InputRequired(_l("Choose how requests are handled"))],
    )
    house_rules = TextAreaField(_l("House rules"))

    def values(self):
        """The form's data as plain values for the service; a day marked closed maps to None."""
        data = {name: self[name].data for name in ("bookable", "min_minutes", "max_minutes", "book_ahead_days")}
        data["hourly_rate"], data["member_rate"] = self.hourly_rate.data, self.member_rate.data
        data["needs_approval"] = self.needs_approval.data == "yes"
        data["house_rules"] = self.house_rules.data or ""
        data["opening_hours"] = {
            day: None
            if self[f"hours-{day}-closed"].data
            else (self[f"hours-{day}-opens"].data, self[f"hours-{day}-closes"].data)
            for day in range(7)
        }
        return data

    def days(self):
        """``(day name, closed field, opens field, closes field)`` per weekday, for the template."""
        return [
            (DAY_NAMES[d], self[f"hours-{d}-closed"], self[f"hours-{d}-opens"], self[f"hours-{d}-closes"])
            for d in range(7)
        ]


def _add_day_fields():
    for day in range(7):
        setattr(SpaceSettingsForm, f"hours-{day}-closed", BooleanField(_l("Closed all day")))
        setattr(
            SpaceSettingsForm,
            f"hours-{day}-opens",
            TimeField(_l("Opens"), format=TIME_FORMATS, validators=[Optional()]),
        )
        setattr(
            SpaceSettingsForm,
            f"hours-{day}-closes",
            TimeField(_l("Closes"), format=TIME_FORMATS, validators=[Optional()]),
        )


_add_day_fields()


def settings_form_data(space, rules):
    """The form's initial data from the space and its rules (saved or default)."""
    data = {name: getattr(space, name) for name in ("bookable", "hourly_rate")}
    data.update(
        {name: getattr(rules, name) for name in ("min_minutes", "max_minutes", "book_ahead_days", "member_rate")}
    )
    data["needs_approval"] = "yes" if rules.needs_approval else "no"
    data["house_rules"] = rules.house_rules
    open_days = {h.weekday: h for h in space.opening_hours}
    for day in range(7):
        hours = open_days.get(day)
        data[f"hours-{day}-closed"] = hours is None
        if hours is not None:
            data[f"hours-{day}-opens"], data[f"hours-{day}-closes"] = hours.opens, hours.closes
    return data


class ClosedDateForm(FlaskForm):
    """Close one space, or all spaces of the house, for a period."""

    spaces = SelectField(_l("Space"), choices=[], validate_choice=True)
    starts_on = SaneDateField(_l("First closed day"), validators=[InputRequired(_l("Enter the first closed day"))])
    ends_on = SaneDateField(_l("Last closed day"), validators=[InputRequired(_l("Enter the last closed day"))])
    reason = StringField(
        _l("Reason"), validators=[InputRequired(_l("Enter the reason, like Christmas or a renovation"))]
    )

    def set_spaces(self, spaces):
        """Offer "all spaces" and each space of the house."""
        self.spaces.choices = [_Choice("all", _l("All spaces"))] + [_Choice(str(s.id), s.name) for s in spaces]

    def chosen(self, spaces):
        """The spaces chosen: all of them, or the one picked."""
        if self.spaces.data == "all":
            return list(spaces)
        return [s for s in spaces if str(s.id) == self.spaces.data]


class ActionForm(FlaskForm):
    """An empty form: the CSRF token of a POST-only button (remove a closed period)."""
