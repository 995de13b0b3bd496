"""Form pieces shared by every domain: multi-checkbox field, error listing, numeric coercion."""

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from wtforms import DecimalField, SelectMultipleField, widgets


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
