"""Forms of lease applications: apply, a message, an attachment, the staff decisions and withdrawing."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from leasing.forms import MultiCheckboxField, SaneDateField
from leasing.i18n import _l
from leasing.leases.application_rules import MAX_COUNT, MAX_TERM_MONTHS, MAX_TEXT


def _max(length):
    return Length(max=length, message=_l("Enter at most %(max)d characters", max=length))


def _count_field(label, message):
    return IntegerField(
        label,
        default=0,
        validators=[InputRequired(message), NumberRange(0, MAX_COUNT, _l("Enter a number of 0 or more"))],
    )


class ApplyForm(FlaskForm):
    """An association's application; the spaces' choices are the building's (set by the view)."""

    organization_id = SelectField(_l("Applying association"), coerce=int, validate_choice=False)
    scope = RadioField(
        _l("What do you apply for?"),
        default="whole",
        choices=[SelectChoice("whole", _l("The whole building")), SelectChoice("spaces", _l("Some of its spaces"))],
        validators=[InputRequired(_l("Choose the whole building or some of its spaces"))],
    )
    spaces = MultiCheckboxField(_l("Spaces"), coerce=int, validate_choice=False)
    proposed_use = TextAreaField(
        _l("Proposed use"),
        validators=[InputRequired(_l("Describe what the premises would be used for")), _max(MAX_TEXT)],
    )
    operating_model = TextAreaField(_l("Operating model"), validators=[_max(MAX_TEXT)])
    requested_start = SaneDateField(
        _l("Requested start date"),
        validators=[InputRequired(_l("Enter the date you would like the lease to start, like 1.3.2027"))],
    )
    requested_term_months = IntegerField(
        _l("Requested term in months"),
        validators=[
            Optional(),
            NumberRange(1, MAX_TERM_MONTHS, _l("Enter a term of 1 to 600 months, or leave it empty")),
        ],
    )
    expected_groups = _count_field(_l("Expected number of groups"), _l("Enter how many groups you expect"))
    expected_young_people = _count_field(
        _l("Expected number of young people (15–29)"), _l("Enter how many young people you expect to reach")
    )
    attachment_title = StringField(_l("Attachment title"), validators=[_max(200)])
    attachment = FileField(_l("Attachment (PDF, optional)"))

    def set_choices(self, building, organizations):
        """The building's spaces and the associations the user administers."""
        self.spaces.choices = [SelectChoice(s.id, f"{s.name} ({s.area_m2} m²)") for s in building.spaces]
        self.organization_id.choices = [SelectChoice(o.id, o.name) for o in organizations]

    def values(self):
        """The form's data as plain values for the services."""
        whole = self.scope.data == "whole"
        return {
            "organization_id": self.organization_id.data,
            "whole_building": whole,
            "space_ids": [] if whole else list(self.spaces.data or []),
            "proposed_use": self.proposed_use.data or "",
            "operating_model": self.operating_model.data or "",
            "requested_start": self.requested_start.data,
            "requested_term_months": self.requested_term_months.data,
            "expected_groups": self.expected_groups.data,
            "expected_young_people": self.expected_young_people.data,
        }

    def attachment_upload(self):
        """``(stream, title)`` when a file was chosen, else None."""
        data = self.attachment.data
        if not data or not getattr(data, "filename", None):
            return None
        return data.stream, self.attachment_title.data or data.filename


class MessageForm(FlaskForm):
    """A message in the thread; staff may mark it as asking for more information."""

    body = TextAreaField(_l("Message"), validators=[InputRequired(_l("Write a message")), _max(MAX_TEXT)])
    ask_information = BooleanField(_l("Ask the applicant for more information (the application waits for the answer)"))


class AttachmentForm(FlaskForm):
    """Another PDF for an application."""

    title = StringField(_l("Title"), validators=[InputRequired(_l("Enter the attachment's title")), _max(200)])
    attachment = FileField(_l("PDF file"), validators=[FileRequired(_l("Select a PDF file"))])


class AcceptForm(FlaskForm):
    """Accepting, with an optional note to the applicant."""

    note = TextAreaField(_l("Note to the applicant (optional)"), validators=[_max(MAX_TEXT)])


class RejectForm(FlaskForm):
    """Rejecting, with the reason the applicant will read."""

    reason = TextAreaField(
        _l("Reason for the rejection"),
        validators=[InputRequired(_l("Enter the reason for the rejection; the applicant will see it")), _max(MAX_TEXT)],
    )


class WithdrawForm(FlaskForm):
    """Withdrawing, with an optional reason."""

    withdraw_reason = TextAreaField(_l("Reason for withdrawing (optional)"), validators=[_max(MAX_TEXT)])


class ActionForm(FlaskForm):
    """An empty form: the CSRF token for a POST-only button (start review)."""


class InboxFilterForm(FlaskForm):
    """The inbox's status filter (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validate_choice=False)
