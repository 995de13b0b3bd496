"""Forms of the sublet pages: the terms, signing, the landlord's decision, cancel and early termination."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from leasing.forms import LocaleDecimalField, SaneDateField
from leasing.i18n import _l
from leasing.leases.vocabulary import CONTRACT_LANGUAGES
from leasing.premises.forms import _Choice
from leasing.sublets.vocabulary import SubletKind

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def _max(length):
    return Length(max=length, message=_l("Enter at most %(max)d characters", max=length))


def _weekday(value):
    return int(value) if value not in (None, "") else None


class SubletForm(FlaskForm):
    """A sublet's terms, as the association's admins draft and change them."""

    space_id = SelectField(_l("Space"), coerce=int, validators=[InputRequired(_l("Choose the space"))])
    group_id = SelectField(_l("Group"), coerce=int, validators=[InputRequired(_l("Choose the group"))])
    kind = RadioField(
        _l("Kind of use"),
        choices=[_Choice(k.value, k.title) for k in SubletKind],
        default=SubletKind.EXCLUSIVE.value,
        validators=[InputRequired(_l("Choose exclusive use or a weekly slot"))],
    )
    starts_on = SaneDateField(_l("Start date"), validators=[InputRequired(_l("Enter the date the sublet starts"))])
    ends_on = SaneDateField(_l("Last day"), validators=[InputRequired(_l("Enter the sublet's last day"))])
    weekday = SelectField(
        _l("Weekday (weekly slot)"),
        choices=[_Choice("", _l("Choose a weekday"))] + [_Choice(str(n), name) for n, name in enumerate(WEEKDAYS)],
        coerce=_weekday,
        validators=[Optional()],
    )
    slot_starts = TimeField(_l("Slot starts (weekly slot)"), validators=[Optional()])
    slot_ends = TimeField(_l("Slot ends (weekly slot)"), validators=[Optional()])
    monthly_rent = LocaleDecimalField(
        _l("Monthly rent (€)"),
        places=None,
        validators=[InputRequired(_l("Enter the monthly rent in euros, 0 for none"))],
    )
    terms = TextAreaField(_l("Other terms"), validators=[_max(10000)])
    language = SelectField(_l("Contract language"), choices=[_Choice(k, v) for k, v in CONTRACT_LANGUAGES.items()])

    def values(self):
        """The form's data as plain values for the services."""
        data = {name: self[name].data for name in self._fields if name != "csrf_token"}
        if data["monthly_rent"] is not None:
            data["monthly_rent"] = round(data["monthly_rent"], 2)
        data["terms"] = (data["terms"] or "").strip()
        return data


def sublet_form_data(values):
    """Form data from service values (a sublet's current terms)."""
    data = dict(values)
    data["kind"] = str(values["kind"])
    data["weekday"] = values["weekday"]
    return data


class SignForm(FlaskForm):
    """Confirm a signature with the signer's password."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password to sign"))])


class ApproveForm(FlaskForm):
    """The landlord approves; a note is optional."""

    note = TextAreaField(_l("Note to both sides (optional)"), validators=[_max(2000)])


class RefuseForm(FlaskForm):
    """The landlord refuses, with a reason both sides read."""

    reason = TextAreaField(
        _l("Reason for refusing"), validators=[DataRequired(_l("Enter the reason for refusing the sublet")), _max(2000)]
    )


class CancelForm(FlaskForm):
    """Withdraw a sublet not yet in force."""

    reason = TextAreaField(_l("Reason (sent to the group)"), validators=[_max(2000)])


class TerminateForm(FlaskForm):
    """End a sublet in force early."""

    ends_on = SaneDateField(_l("Last day of the sublet"), validators=[InputRequired(_l("Enter the sublet's last day"))])
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(_l("Enter the reason for ending the sublet")), _max(2000)]
    )


class ActionForm(FlaskForm):
    """An empty form: the CSRF token for POST-only buttons (offer)."""
