"""Form pieces shared by every domain: multi-checkbox field, error listing, numeric coercion."""

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from wtforms import DateField, DecimalField, SelectMultipleField, ValidationError, widgets
from wtforms.validators import Length, StopValidation


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for choosing several options (rendered as a fieldset by the form macro)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LocaleDecimalField(DecimalField):
    """A decimal that also accepts the Finnish decimal comma and spaces (``1 234,5``)."""

    def process_formdata(self, valuelist):
        if valuelist:
            raw = valuelist[0].strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
            if raw == "":
                self.data = None
                return
            try:
                self.data = Decimal(raw)
            except (InvalidOperation, ValueError):
                self.data = None
                raise ValueError(_("Enter a number, for example 1 234,50.")) from None
            if not self.data.is_finite():
                self.data = None
                raise ValueError(_("Enter a number, for example 1 234,50."))
            if abs(self.data) >= LARGEST:
                # Rounding such a number raises, and no column of ours holds it: refuse it here, for every form.
                self.data = None
                raise ValueError(_("Enter a smaller number."))


#: Larger than any amount, area or index value the app stores (Numeric(12, 2) holds < 10¹⁰).
LARGEST = Decimal("1e10")
#: The dates the app works with: a form date outside them is a typo (and date arithmetic would overflow).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class SaneDate:
    """A form date between 2000 and 2100 (an empty one is left to ``Optional``/``InputRequired``)."""

    def __call__(self, form, field):
        if field.data is not None and not EARLIEST_YEAR <= field.data.year <= LATEST_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)d and %(last)d.", first=EARLIEST_YEAR, last=LATEST_YEAR)
            )


class SaneDateField(DateField):
    """A date field that refuses dates outside 2000–2100 (see :class:`SaneDate`)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), SaneDate()], **kwargs)


def form_errors(form):
    """Every error of ``form`` as ``(field_id, message)`` pairs, in field order, for the summary."""
    pairs = []
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField") and not field.errors:
            continue
        for message in field.errors if isinstance(field.errors, list) else _flatten(field.errors):
            pairs.append((field.id, message))
    for message in getattr(form, "form_errors", []):
        pairs.append(("main", message))
    return pairs


def _flatten(errors):
    for value in errors.values() if isinstance(errors, dict) else errors:
        if isinstance(value, (list, dict)):
            yield from _flatten(value)
        else:
            yield value


def apply_rule_violation(form, error):
    """Put a service's RuleViolation next to its field (or at the form's top)."""
    for field_name, messages in error.fields.items():
        field = getattr(form, field_name, None)
        if field is not None:
            field.errors = list(field.errors) + [str(m) for m in messages]
        else:
            form.form_errors.append(str(messages[0]))
    if not error.fields:
        form.form_errors.append(str(error.message))


def strip(value):
    """A field filter: text without surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


class MaxLength(Length):
    """``Length`` whose message ends the field's validation: one message is enough."""

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError as err:
            raise StopValidation(str(err)) from None
