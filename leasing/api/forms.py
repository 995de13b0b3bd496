"""API token forms: a new token's name, access and expiry, and the button that revokes one."""

from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from leasing.api.models import READ, WRITE
from leasing.api.tokens import NAME_MAX
from leasing.forms import MaxLength, strip
from leasing.i18n import _l

#: The expiry choices: days from today (Helsinki), or never.
NEVER = "never"
EXPIRY_DAYS = {"30": 30, "90": 90, "365": 365}


class NewApiTokenForm(FlaskForm):
    """A new API token: a name to tell it apart, read or read-and-write, and how long it lasts."""

    name = StringField(
        _l("Name of the token"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a name for the token, like Booking system or Reports")),
            MaxLength(max=NAME_MAX, message=_l("Enter at most %(max)d characters", max=NAME_MAX)),
        ],
    )
    access = RadioField(
        _l("Access"),
        choices=[SelectChoice(READ, _l("Read only")), SelectChoice(WRITE, _l("Read and write"))],
        default=READ,
        validators=[InputRequired(_l("Choose read only or read and write"))],
    )
    expires = SelectField(
        _l("Expires"),
        choices=[
            SelectChoice("30", _l("In 30 days")),
            SelectChoice("90", _l("In 90 days")),
            SelectChoice("365", _l("In 1 year")),
            SelectChoice(NEVER, _l("Never")),
        ],
        default="90",
    )

    def expires_on(self, today):
        """The token's last day for the chosen expiry, counted from ``today`` (None: never expires)."""
        days = EXPIRY_DAYS.get(self.expires.data)
        return None if days is None else today + timedelta(days=days)


class RevokeApiTokenForm(FlaskForm):
    """Revoke a token: only the CSRF token."""
