"""Serving a stored document: the same headers for every contract PDF, whoever owns it."""

import re

from flask import Response


def pdf_response(document, number):
    """``document``'s stored bytes inline, named ``<number>-v<version>[-signed].pdf``; its SHA-256 is its ETag."""
    name = re.sub(r"[^A-Za-z0-9-]", "", f"{number}-v{document.version}")
    suffix = "-signed" if document.kind == "signed" else ""
    response = Response(document.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}{suffix}.pdf"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["ETag"] = document.sha256
    return response
