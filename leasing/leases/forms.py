"""Forms of the lease pages: the terms (with rent-step rows and the responsibility table), signing, notice,
termination and index values."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    MonthField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from leasing.forms import LocaleDecimalField, MultiCheckboxField, SaneDateField
from leasing.i18n import _l
from leasing.leases.vocabulary import CONTRACT_LANGUAGES, ITEM_TITLES, Item, Party, VatStatus
from leasing.premises.forms import _Choice

#: Empty rent-step rows on the form (a lease rarely has more than a start-up period or two).
STEP_ROWS = 4


def _max(length):
    return Length(max=length, message=_l("Enter at most %(max)d characters", max=length))


class StepForm(Form):
    """One row of the rent schedule; a row left empty is ignored."""

    starts_on = SaneDateField(_l("Step starts"), validators=[Optional()])
    ends_on = SaneDateField(_l("Step ends"), validators=[Optional()])
    monthly_rent = LocaleDecimalField(_l("Rent in the step (€ per month)"), places=None, validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), _max(200)])

    def is_empty(self):
        return not (self.starts_on.data or self.ends_on.data or self.monthly_rent.data is not None)


class LeaseForm(FlaskForm):
    """Every term of a lease that staff draft and change."""

    whole_building = BooleanField(_l("The lease covers the whole building"))
    space_ids = MultiCheckboxField(_l("Spaces (when not the whole building)"), coerce=int, choices=[])
    purpose = TextAreaField(
        _l("Purpose of use"), validators=[DataRequired(_l("Describe what the premises are used for")), _max(5000)]
    )
    start_date = SaneDateField(_l("Start date"), validators=[InputRequired(_l("Enter the date the lease starts"))])
    end_date = SaneDateField(_l("End date (fixed term)"), validators=[Optional()])
    notice_period_months = IntegerField(_l("Notice period in months (indefinite lease)"), validators=[Optional()])
    monthly_rent = LocaleDecimalField(
        _l("Monthly rent (€)"), places=None, validators=[InputRequired(_l("Enter the monthly rent in euros"))]
    )
    vat = SelectField(_l("VAT"), choices=[_Choice(v.value, v.title) for v in VatStatus])
    deposit = LocaleDecimalField(
        _l("Deposit (€)"), places=None, validators=[InputRequired(_l("Enter the deposit in euros, 0 for none"))]
    )
    due_day = IntegerField(
        _l("Rent due on day of month"), validators=[InputRequired(_l("Enter a due day between 1 and 28"))]
    )
    iban = StringField(_l("Landlord's bank account (IBAN)"), validators=[DataRequired(_l("Enter the IBAN")), _max(42)])
    rent_steps = FieldList(FormField(StepForm), min_entries=STEP_ROWS, max_entries=12)
    insurance = TextAreaField(_l("Insurance"), validators=[_max(5000)])
    subletting_allowed = BooleanField(_l("The tenant may sublet spaces"))
    sublet_needs_approval = BooleanField(_l("Each sublet needs the landlord's approval"))
    special_terms = TextAreaField(_l("Special terms"), validators=[_max(10000)])
    city_approval_people = IntegerField(
        _l("Public events of more than this many people need the facilities centre's approval"),
        validators=[Optional()],
    )
    city_approval_after = TimeField(
        _l("Bookings that end later than this need the facilities centre's approval"), validators=[Optional()]
    )
    index_base_month = MonthField(_l("Index base month"), validators=[Optional()])
    index_base_value = LocaleDecimalField(_l("Index base value"), places=None, validators=[Optional()])
    language = SelectField(_l("Contract language"), choices=[_Choice(k, v) for k, v in CONTRACT_LANGUAGES.items()])
    signer_ids = MultiCheckboxField(_l("Signers"), coerce=int, choices=[])

    @classmethod
    def terms_in_order(cls):
        """``(service name, label)`` of each term in the form's order, the responsibility table last."""
        fields = [
            (name, field)
            for name, field in vars(cls).items()
            if isinstance(field, UnboundField) and not name.startswith("resp-")
        ]
        fields.sort(key=lambda pair: pair[1].creation_counter)
        return [(name, field.args[0]) for name, field in fields] + [
            ("responsibilities", _l("Maintenance responsibilities"))
        ]

    def responsibility_fields(self):
        """``(item title, party field, note field)`` per maintenance item, for the table."""
        return [(ITEM_TITLES[i], self[f"resp-{i.value}-party"], self[f"resp-{i.value}-note"]) for i in Item]

    def values(self):
        """The form's data as plain values for the services."""
        names = [n for n in self._fields if n not in ("csrf_token", "rent_steps") and not n.startswith("resp-")]
        data = {name: self[name].data for name in names}
        for key in ("purpose", "insurance", "special_terms", "iban"):
            data[key] = (data[key] or "").strip()
        for key in ("monthly_rent", "deposit", "index_base_value"):
            data[key] = round(data[key], 2) if data[key] is not None else None
        data["vat"] = VatStatus(data["vat"])
        data["rent_steps"] = [
            {**row.data, "monthly_rent": round(row.monthly_rent.data, 2) if row.monthly_rent.data is not None else None}
            for row in self.rent_steps
            if not row.form.is_empty()
        ]
        data["responsibilities"] = {
            i: (Party(self[f"resp-{i.value}-party"].data), self[f"resp-{i.value}-note"].data.strip()) for i in Item
        }
        return data

    def field_for(self, name):
        """A field by its service name, rent-step rows included (``rent_steps-0-starts_on``)."""
        if name.startswith("rent_steps-"):
            _, index, sub = name.split("-", 2)
            return self.rent_steps[int(index)][sub]
        return self._fields.get(name)


def _add_responsibility_fields():
    choices = [_Choice(p.value, p.title) for p in Party]
    for item in Item:
        setattr(LeaseForm, f"resp-{item.value}-party", SelectField(_l("Responsible party"), choices=choices))
        setattr(LeaseForm, f"resp-{item.value}-note", StringField(_l("Note"), validators=[Optional(), _max(300)]))


_add_responsibility_fields()


def lease_form_data(values):
    """Form data from service values (draft defaults or a lease's current terms)."""
    data = {k: v for k, v in values.items() if k not in ("responsibilities", "rent_steps", "vat")}
    data["vat"] = str(values["vat"])
    data["rent_steps"] = list(values["rent_steps"])
    for item, (party, note) in values["responsibilities"].items():
        data[f"resp-{Item(item).value}-party"], data[f"resp-{Item(item).value}-note"] = str(party), note
    return data


class SignForm(FlaskForm):
    """Confirm a signature with the signer's password."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password to sign"))])


class NoticeForm(FlaskForm):
    """Notice on an indefinite lease."""

    given_on = SaneDateField(_l("Date of notice"), validators=[InputRequired(_l("Enter the date of notice"))])
    reason = TextAreaField(_l("Reason"), validators=[_max(2000)])


class TerminateForm(FlaskForm):
    """Early termination by the facilities centre."""

    ends_on = SaneDateField(_l("Last day of the lease"), validators=[InputRequired(_l("Enter the lease's last day"))])
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(_l("Enter the reason for ending the lease")), _max(2000)]
    )


class IndexValueForm(FlaskForm):
    """One month's index value."""

    month = MonthField(_l("Month"), validators=[InputRequired(_l("Enter the month, like 2026-09"))])
    value = LocaleDecimalField(_l("Index value"), places=None, validators=[InputRequired(_l("Enter the index value"))])
    source = StringField(_l("Source"), default="Tilastokeskus", validators=[_max(200)])


class IndexImportForm(FlaskForm):
    """Index values as CSV: ``month;value`` lines, pasted or uploaded."""

    csv = TextAreaField(_l("Index values, one month;value pair a line"), validators=[_max(100_000)])
    file = FileField(_l("Or a CSV file"))


class ActionForm(FlaskForm):
    """An empty form: the CSRF token for POST-only buttons (offer)."""


class CancelAmendmentForm(FlaskForm):
    """Give up an amendment; the reason goes to the named signers when a version had been offered."""

    reason = TextAreaField(_l("Reason (sent to the named signers)"), validators=[_max(2000)])
