"""Photos and documents on disk: content checks, re-encoding, and files that follow the transaction.

A new file is written before its row; if the transaction then ends without a commit the file is
removed again. A deleted row's file is removed only after the commit. So a failed request leaves
neither a row without its file nor a file that users can reach without its row.
"""

import hashlib
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session

from leasing.errors import RuleViolation
from leasing.i18n import _

#: Formats we accept, decided by Pillow reading the bytes (never by name or mimetype).
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
#: Longest side of the stored photo and of its thumbnail, in pixels.
PHOTO_MAX_SIDE = 2400
THUMB_SIZE = (640, 480)

_NEW = "premises_new_files"
_DOOMED = "premises_doomed_files"


@dataclass
class StoredPhoto:
    """What a processed photo left on disk."""

    filename: str
    thumbnail: str
    width: int
    height: int


@dataclass
class StoredDocument:
    """What a checked document left on disk."""

    filename: str
    size_bytes: int
    sha256: str


def folder(kind):
    """UPLOAD_FOLDER/<kind>, created on first use."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_limited(stream, limit, field, message):
    """Read at most ``limit`` bytes from ``stream``; more is a RuleViolation on ``field``."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RuleViolation(message, field=field)
    if not data:
        raise RuleViolation(_("The selected file is empty."), field=field)
    return data


def store_photo(session, data):
    """Check ``data`` is a JPEG, PNG or WebP photo, re-encode it without metadata, thumbnail it and store both."""
    image = _open_image(data)
    image = _normalised(image)
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    thumb = image.copy()
    thumb.thumbnail(THUMB_SIZE)
    base = secrets.token_hex(16)
    photos = folder("photos")
    names = (f"{base}.webp", f"{base}-thumb.webp")
    for name, img in zip(names, (image, thumb), strict=True):
        buffer = io.BytesIO()
        img.save(buffer, "WEBP", quality=85, method=4)  # no exif= / icc: metadata is dropped
        _write_new(session, photos / name, buffer.getvalue())
    return StoredPhoto(names[0], names[1], image.width, image.height)


def _open_image(data):
    max_pixels = current_app.config["MAX_PHOTO_PIXELS"]
    too_big = _("The photo has too many pixels. Use a photo of at most %(n)s megapixels.", n=max_pixels // 1_000_000)
    not_image = _("The selected file must be a JPEG, PNG or WebP photo.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in PHOTO_FORMATS:
                raise RuleViolation(not_image, field="photo")
            if image.width * image.height > max_pixels:
                raise RuleViolation(too_big, field="photo")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RuleViolation(too_big, field="photo") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise RuleViolation(not_image, field="photo") from None
    return image


def _normalised(image):
    """Turn by the EXIF orientation, then flatten to RGB(A) so the saved copy carries no metadata."""
    image = ImageOps.exif_transpose(image)
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    clean = image.convert(mode)
    clean.info = {}
    return clean


def store_document(session, data):
    """Check ``data`` is a PDF (header, and parseable when pypdf is installed) and store it."""
    if not data.startswith(b"%PDF-") or not _pdf_parses(data):
        raise RuleViolation(_("The selected file must be a PDF document."), field="document")
    name = f"{secrets.token_hex(16)}.pdf"
    _write_new(session, folder("documents") / name, data)
    return StoredDocument(name, len(data), hashlib.sha256(data).hexdigest())


def _pdf_parses(data):
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf is optional; the header check still applies
        return True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(PdfReader(io.BytesIO(data), strict=False).pages) > 0
    except Exception:  # noqa: BLE001  pypdf raises many kinds of errors on broken files; all mean "not a PDF"
        return False


def photo_path(name):
    """Where a stored photo or thumbnail lives."""
    return folder("photos") / name


def document_path(name):
    """Where a stored document lives."""
    return folder("documents") / name


def remove_after_commit(session, *paths):
    """Delete ``paths`` once the transaction commits (kept if it rolls back)."""
    session.info.setdefault(_DOOMED, []).extend(paths)


def _write_new(session, path, data):
    """Write a new file and remember it, so that a rollback removes it."""
    session.info.setdefault(_NEW, []).append(path)
    with open(path, "xb") as out:
        out.write(data)


def _unlink(paths):
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    session.info.pop(_NEW, None)
    _unlink(session.info.pop(_DOOMED, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction):
    if transaction.parent is None and not transaction.nested:
        # Reached without after_commit: the transaction rolled back or the session closed.
        _unlink(session.info.pop(_NEW, []))
        session.info.pop(_DOOMED, None)
