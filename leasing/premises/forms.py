"""Forms of the premises register: building, space (with opening hours), photo, document, list filters."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from leasing.forms import LocaleDecimalField, MultiCheckboxField, SaneDateField
from leasing.i18n import _l
from leasing.premises.vocabulary import DISTRICTS, FEATURE_TITLES, KIND_TITLES, TYPE_TITLES

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
#: Areas and money fit Numeric(10, 1) and Numeric(12, 2).
MAX_AREA = 999_999_999
MAX_MONEY = 9_999_999_999


try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older WTForms

    def _Choice(value, label):  # noqa: N802
        return (value, label)


def _max(length):
    return Length(max=length, message=_l("Enter at most %(max)d characters", max=length))


def _choices(titles):
    return [_Choice(member.value, title) for member, title in titles.items()]


def plain_choices(values):
    return [_Choice(value, value) for value in values]


class BuildingForm(FlaskForm):
    """Every detail of a building that staff enter by hand."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the building's name")), _max(200)])
    street_address = StringField(
        _l("Street address"), validators=[DataRequired(_l("Enter the street address")), _max(200)]
    )
    postal_code = StringField(
        _l("Postal code"),
        validators=[
            DataRequired(_l("Enter the postal code")),
            Regexp(r"^\d{5}$", message=_l("Enter a postal code of 5 digits, like 90100")),
        ],
    )
    city = StringField(_l("City"), default="Oulu", validators=[DataRequired(_l("Enter the city")), _max(100)])
    district = SelectField(
        _l("District"),
        choices=[_Choice("", "")] + plain_choices(DISTRICTS),
        validate_choice=False,
        validators=[DataRequired(_l("Choose the district")), AnyOf(DISTRICTS, _l("Choose a district from the list"))],
    )
    latitude = LocaleDecimalField(
        _l("Latitude"),
        places=None,
        validators=[Optional(), NumberRange(-90, 90, _l("Enter a latitude between -90 and 90, like 65,0121"))],
    )
    longitude = LocaleDecimalField(
        _l("Longitude"),
        places=None,
        validators=[Optional(), NumberRange(-180, 180, _l("Enter a longitude between -180 and 180, like 25,4651"))],
    )
    building_type = SelectField(_l("Type of building"), choices=_choices(TYPE_TITLES))
    year_built = IntegerField(
        _l("Year built"), validators=[Optional(), NumberRange(1600, 2100, _l("Enter a year between 1600 and 2100"))]
    )
    area_m2 = LocaleDecimalField(
        _l("Area (m²)"),
        places=None,
        validators=[
            InputRequired(_l("Enter the building's area in square metres")),
            NumberRange(min=0.1, max=MAX_AREA, message=_l("Enter an area greater than 0 square metres")),
        ],
    )
    description = TextAreaField(_l("Description"), validators=[_max(10_000)])
    accessibility = TextAreaField(_l("Accessibility"), validators=[_max(5_000)])
    asking_rent = LocaleDecimalField(
        _l("Asking rent (€ per month)"),
        places=None,
        validators=[Optional(), NumberRange(min=0, max=MAX_MONEY, message=_l("Enter a rent of 0 euros or more"))],
    )
    available_from = SaneDateField(_l("Available from"), validators=[Optional()])
    safety_limit = IntegerField(
        _l("Safety limit: people present at once in the whole building"),
        validators=[Optional(), NumberRange(min=1, max=100_000, message=_l("Enter a number of people of 1 or more"))],
    )

    def values(self):
        """The form's data as plain values for the services."""
        data = {name: self[name].data for name in self._fields if name != "csrf_token"}
        data["area_m2"] = round(data["area_m2"], 1)
        for key in ("latitude", "longitude"):
            data[key] = round(data[key], 6) if data[key] is not None else None
        data["asking_rent"] = round(data["asking_rent"], 2) if data["asking_rent"] is not None else None
        for key in ("name", "street_address", "city", "description", "accessibility"):
            data[key] = (data[key] or "").strip()
        return data


class SpaceForm(FlaskForm):
    """A space with its features; the opening hours are the ``hours-<day>-opens/closes`` fields."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the space's name")), _max(200)])
    kind = SelectField(_l("Kind of space"), choices=_choices(KIND_TITLES))
    area_m2 = LocaleDecimalField(
        _l("Area (m²)"),
        places=None,
        validators=[
            InputRequired(_l("Enter the space's area in square metres")),
            NumberRange(min=0.1, max=MAX_AREA, message=_l("Enter an area greater than 0 square metres")),
        ],
    )
    capacity = IntegerField(
        _l("Capacity (people)"), validators=[Optional(), NumberRange(1, 100_000, _l("Enter a capacity of 1 or more"))]
    )
    features = MultiCheckboxField(_l("Features"), choices=_choices(FEATURE_TITLES))
    description = TextAreaField(_l("Description"), validators=[_max(5_000)])
    bookable = BooleanField(_l("Groups can book this space by the hour"))
    hourly_rate = LocaleDecimalField(
        _l("Hourly rate (€)"),
        places=None,
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_MONEY, message=_l("Enter an hourly rate of 0 euros or more")),
        ],
    )

    def values(self):
        """The form's data as plain values for the services, opening hours as {weekday: (opens, closes)}."""
        data = {name: self[name].data for name in ("name", "kind", "area_m2", "capacity", "description", "bookable")}
        data["name"], data["description"] = data["name"].strip(), (data["description"] or "").strip()
        data["area_m2"] = round(data["area_m2"], 1)
        rate = self.hourly_rate.data
        data["hourly_rate"] = round(rate, 2) if rate is not None else None
        data["features"] = list(self.features.data or [])
        data["opening_hours"] = {
            day: (self[f"hours-{day}-opens"].data, self[f"hours-{day}-closes"].data) for day in range(7)
        }
        return data

    def day_fields(self):
        """``(weekday name, opens field, closes field, day key)`` for each weekday, for the template."""
        return [(WEEKDAYS[d], self[f"hours-{d}-opens"], self[f"hours-{d}-closes"], f"hours-{d}") for d in range(7)]


def _add_hour_fields():
    for day, weekday in enumerate(WEEKDAYS):
        opens = TimeField(_l("%(day)s opens", day=weekday), validators=[Optional()])
        closes = TimeField(_l("%(day)s closes", day=weekday), validators=[Optional()])
        setattr(SpaceForm, f"hours-{day}-opens", opens)
        setattr(SpaceForm, f"hours-{day}-closes", closes)


_add_hour_fields()


class PhotoForm(FlaskForm):
    """A photo upload; the file's content is checked by the service."""

    photo = FileField(_l("Photo"), validators=[FileRequired(_l("Select a photo"))])
    alt_text = StringField(
        _l("Text alternative"),
        validators=[DataRequired(_l("Describe the photo for people who cannot see it")), _max(300)],
    )


class DocumentForm(FlaskForm):
    """A PDF upload; the file's content is checked by the service."""

    document = FileField(_l("PDF document"), validators=[FileRequired(_l("Select a PDF document"))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the document's title")), _max(200)])


class ActionForm(FlaskForm):
    """An empty form: the CSRF token for POST-only buttons (publish, withdraw, delete)."""


class FilterForm(FlaskForm):
    """The public list's GET filters. Only rendered: values are cleaned by ``queries.parse_filters``."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[_max(200)])
    district = MultiCheckboxField(_l("District"), choices=plain_choices(DISTRICTS))
    type = MultiCheckboxField(_l("Type of building"), choices=_choices(TYPE_TITLES))
    feature = MultiCheckboxField(_l("A space with all of these features"), choices=_choices(FEATURE_TITLES))
    min_area = LocaleDecimalField(_l("Area at least (m²)"), places=None)
    max_area = LocaleDecimalField(_l("Area at most (m²)"), places=None)
    available_by = SaneDateField(_l("Available by"))
    status = SelectField(
        _l("Status"),
        choices=[
            _Choice("vacant", _l("Vacant")),
            _Choice("negotiating", _l("In negotiation")),
            _Choice("any", _l("Vacant or in negotiation")),
        ],
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[
            _Choice("newest", _l("Newest first")),
            _Choice("area_asc", _l("Area, smallest first")),
            _Choice("area_desc", _l("Area, largest first")),
            _Choice("rent_asc", _l("Rent, lowest first")),
            _Choice("rent_desc", _l("Rent, highest first")),
            _Choice("name", _l("Name")),
            _Choice("available", _l("Available soonest")),
        ],
    )
