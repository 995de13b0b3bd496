"""Forms of the booking pages: the request, the decisions, cancelling and re-activating dates."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from leasing.bookings.vocabulary import Repeat
from leasing.forms import SaneDateField
from leasing.i18n import _l
from leasing.premises.forms import _Choice


class RequestForm(FlaskForm):
    """A booking request: once, or every (other) week until a date or for a number of times."""

    group_id = SelectField(_l("Booking for"), coerce=int, choices=[])
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Enter a title, like Band rehearsal")),
            Length(max=200, message=_l("Enter at most 200 characters")),
        ],
    )
    attendees = IntegerField(
        _l("Expected number of people"),
        validators=[
            InputRequired(_l("Enter the expected number of people")),
            NumberRange(min=1, max=100_000, message=_l("Enter 1 or more people")),
        ],
    )
    public_event = BooleanField(_l("This is a public event"))
    repeat = SelectField(_l("Repeats"), choices=[_Choice(r.value, r.title) for r in Repeat], default=Repeat.ONCE.value)
    first_date = SaneDateField(
        _l("Date (the first date of a series)"), validators=[InputRequired(_l("Enter the date"))]
    )
    starts_time = TimeField(_l("Starts"), validators=[InputRequired(_l("Enter the starting time"))])
    ends_time = TimeField(_l("Ends"), validators=[InputRequired(_l("Enter the ending time"))])
    until_date = SaneDateField(_l("Repeat until (a series)"), validators=[Optional()])
    times = IntegerField(
        _l("Or: how many times (a series)"),
        validators=[Optional(), NumberRange(min=1, max=53, message=_l("Enter 1 to 53 times"))],
    )
    book_the_rest = BooleanField(_l("Book the dates that are free and skip the others"))
    #: The "check the dates and the price" button: plan without saving.
    preview = SubmitField(_l("Check the dates and the price"))

    def values(self):
        """The form's data as the booking services take it."""
        return {
            "group_id": self.group_id.data,
            "title": self.title.data,
            "attendees": self.attendees.data,
            "public_event": self.public_event.data,
            "repeat": self.repeat.data,
            "first_date": self.first_date.data,
            "starts_time": self.starts_time.data,
            "ends_time": self.ends_time.data,
            "until_date": self.until_date.data,
            "times": self.times.data,
        }


class DecisionForm(FlaskForm):
    """Confirm or decline the dates waiting (all, or those ticked); a decline needs a reason."""

    reason = TextAreaField(_l("Reason for declining (the group sees it)"), validators=[Length(max=2000)])


class CancelForm(FlaskForm):
    """Cancel one date, or every date from a day on."""

    from_date = SaneDateField(_l("Cancel every date from"), validators=[Optional()])
    #: Its own id: the decision form on the same page has a ``reason`` too.
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000)], id="cancel-reason")


class ActionForm(FlaskForm):
    """An empty form: the CSRF token of a one-button action (re-activate a date)."""


class MoveForm(FlaskForm):
    """Move one date to another day or time; the other dates stay as they are."""

    new_date = SaneDateField(_l("New date"), validators=[InputRequired(_l("Enter the new date"))])
    starts_time = TimeField(_l("Starts"), validators=[InputRequired(_l("Enter the starting time"))])
    ends_time = TimeField(_l("Ends"), validators=[InputRequired(_l("Enter the ending time"))])


class SeriesForm(FlaskForm):
    """Change the whole series; dates changed by hand keep their own day and time."""

    title = RequestForm.title
    attendees = RequestForm.attendees
    public_event = RequestForm.public_event
    starts_time = RequestForm.starts_time
    ends_time = RequestForm.ends_time
    until_date = RequestForm.until_date
    times = RequestForm.times
    book_the_rest = RequestForm.book_the_rest

    def values(self):
        """The changes as :func:`leasing.bookings.services.edit_series` takes them."""
        values = {
            "title": self.title.data,
            "attendees": self.attendees.data,
            "public_event": self.public_event.data,
            "starts_time": self.starts_time.data,
            "ends_time": self.ends_time.data,
        }
        if self.times.data:
            values["times"] = self.times.data
        elif self.until_date.data:
            values["until_date"] = self.until_date.data
        return values
