"""Calendar forms: a private-feed link's name and organization, and the buttons that change a link."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from leasing.calendars.tokens import NAME_MAX
from leasing.forms import MaxLength, strip
from leasing.i18n import _l


def _name_field():
    return StringField(
        _l("Name of the link"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a name for the link, like Phone or Work computer")),
            MaxLength(max=NAME_MAX, message=_l("Enter at most %(max)d characters", max=NAME_MAX)),
        ],
    )


def _organization_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class NewTokenForm(FlaskForm):
    """A new private calendar link: whose calendar (one of the user's organizations) and a name.

    The choice is checked by the service (a forged organization gets its message next to the field).
    """

    organization_id = SelectField(_l("Organization"), coerce=_organization_id, validate_choice=False)
    name = _name_field()

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [
            (m.organization_id, m.organization.name)
            for m in sorted(user.memberships, key=lambda m: m.organization.name)
        ]


class RenameTokenForm(FlaskForm):
    """A link's new name."""

    name = _name_field()


class TokenActionForm(FlaskForm):
    """Revoke or regenerate: only the CSRF token."""
