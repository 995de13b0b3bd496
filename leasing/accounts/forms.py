"""Accounts forms. Lengths match the columns; the password policy itself is a rule in the services."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, Email, EqualTo, InputRequired, Optional

from leasing.accounts.models import OrgKind, Role
from leasing.forms import MaxLength, strip
from leasing.i18n import LANGUAGE_NAMES, _l

NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 40
#: Long enough for ``FI20774740`` or ``2077474-0`` with stray spaces; the rule checks the rest.
BUSINESS_ID_MAX = 20


def _too_long(limit):
    return MaxLength(max=limit, message=_l("Enter at most %(max)d characters", max=limit))


def _email_validators(required_message):
    return [
        InputRequired(required_message),
        _too_long(EMAIL_MAX),
        Email(_l("Enter an e-mail address in the correct format, like name@example.fi")),
    ]


def _name_field():
    return StringField(
        _l("Your name"), filters=[strip], validators=[InputRequired(_l("Enter your name")), _too_long(NAME_MAX)]
    )


def _new_password_field(label=None):
    return PasswordField(label or _l("Password"), validators=[InputRequired(_l("Enter a password"))])


def _confirm_field(other):
    return PasswordField(
        _l("Password again"),
        validators=[InputRequired(_l("Enter the password again")), EqualTo(other, _l("Enter the same password twice"))],
    )


class LoginForm(FlaskForm):
    """E-mail and password; the error for a wrong pair is the same whichever was wrong."""

    email = EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[InputRequired(_l("Enter your e-mail address")), _too_long(EMAIL_MAX)],
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password"))])


class RegisterForm(FlaskForm):
    """A person and their new association or cultural group."""

    name = _name_field()
    email = EmailField(
        _l("E-mail address"), filters=[strip], validators=_email_validators(_l("Enter your e-mail address"))
    )
    password = _new_password_field()
    password_confirm = _confirm_field("password")
    # Choices are not validated by WTForms (its message is not ours); AnyOf refuses a forged kind.
    org_kind = RadioField(
        _l("Organization type"),
        choices=[SelectChoice(kind.value, kind.title) for kind in (OrgKind.ASSOCIATION, OrgKind.CULTURAL_GROUP)],
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose whether you register an association or a cultural group")),
            AnyOf(
                [OrgKind.ASSOCIATION.value, OrgKind.CULTURAL_GROUP.value],
                _l("Choose whether you register an association or a cultural group"),
            ),
        ],
    )
    org_name = StringField(
        _l("Organization name"),
        filters=[strip],
        validators=[InputRequired(_l("Enter the organization's name")), _too_long(NAME_MAX)],
    )
    business_id = StringField(_l("Business ID"), filters=[strip], validators=[Optional(), _too_long(BUSINESS_ID_MAX)])
    contact_email = EmailField(
        _l("Organization's e-mail address"),
        filters=[strip],
        validators=[
            Optional(),
            _too_long(EMAIL_MAX),
            Email(_l("Enter an e-mail address in the correct format, like name@example.fi")),
        ],
    )
    contact_phone = StringField(
        _l("Organization's phone number"), filters=[strip], validators=[Optional(), _too_long(PHONE_MAX)]
    )

    def service_values(self):
        """The values :func:`leasing.accounts.services.register` takes."""
        names = ("name", "email", "password", "org_kind", "org_name", "business_id", "contact_email", "contact_phone")
        return {name: getattr(self, name).data for name in names}


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(
        _l("E-mail address"), filters=[strip], validators=_email_validators(_l("Enter your e-mail address"))
    )


class ResetPasswordForm(FlaskForm):
    """A new password, twice."""

    password = _new_password_field(_l("New password"))
    password_confirm = _confirm_field("password")


class ProfileForm(FlaskForm):
    """Name and language."""

    name = _name_field()
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired(_l("Choose a language"))],
    )


class ChangePasswordForm(FlaskForm):
    """The current password and a new one, twice."""

    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password"))]
    )
    new_password = _new_password_field(_l("New password"))
    new_password_confirm = _confirm_field("new_password")


def _role_choices():
    return [SelectChoice(role.value, role.title) for role in (Role.MEMBER, Role.ADMIN)]


class InviteForm(FlaskForm):
    """Whom to invite, and with which role."""

    email = EmailField(
        _l("E-mail address"), filters=[strip], validators=_email_validators(_l("Enter the e-mail address to invite"))
    )
    role = RadioField(
        _l("Role"), choices=_role_choices(), default=Role.MEMBER.value, validators=[InputRequired(_l("Choose a role"))]
    )


class MembershipForm(FlaskForm):
    """One member's role and signing authority (rendered with a per-member prefix)."""

    role = SelectField(_l("Role"), choices=_role_choices(), validators=[InputRequired(_l("Choose a role"))])
    can_sign = BooleanField(_l("May sign on the organization's behalf"))


class NewMemberForm(FlaskForm):
    """An invited person's new account: a name and a password."""

    name = _name_field()
    password = _new_password_field()
    password_confirm = _confirm_field("password")


class ConfirmForm(FlaskForm):
    """A button with a CSRF token (join, remove, withdraw)."""
