"""The public verification form: a PDF file or its SHA-256 hash."""

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import ValidationError

from leasing.i18n import _, _l

HEX64 = re.compile(r"[0-9a-f]{64}")


def normalise_hash(value):
    """Lower-case, without spaces, colons or line breaks (as hashes are often pasted)."""
    return re.sub(r"[\s:]", "", value or "").lower()


class VerifyForm(FlaskForm):
    """Either upload the PDF or paste its SHA-256; the file's content is checked by the view's helper."""

    pdf = FileField(_l("PDF file"))
    sha256 = StringField(_l("SHA-256 hash"), filters=[normalise_hash])

    def validate_sha256(self, field):
        """A hash, when given, is 64 hexadecimal characters."""
        if field.data and not HEX64.fullmatch(field.data):
            raise ValidationError(_("Enter the SHA-256 hash as 64 characters: the digits 0–9 and letters a–f."))

    def validate(self, extra_validators=None):
        """Exactly one of the two: a file or a hash."""
        if not super().validate(extra_validators):
            return False
        has_file = bool(self.pdf.data and getattr(self.pdf.data, "filename", ""))
        if has_file and self.sha256.data:
            self.sha256.errors.append(_("Upload a PDF file or enter a hash, not both."))
            return False
        if not has_file and not self.sha256.data:
            self.pdf.errors.append(_("Select a PDF file, or enter its SHA-256 hash below."))
            return False
        return True
