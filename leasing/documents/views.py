"""Documents' pages: the public verification page, where anyone checks a PDF against the register."""

from flask import current_app, render_template, request

from leasing.authz import public
from leasing.documents import services
from leasing.documents.blueprint import bp
from leasing.documents.forms import HEX64, VerifyForm, normalise_hash
from leasing.documents.render import sha256_hex
from leasing.errors import RuleViolation
from leasing.extensions import limiter
from leasing.forms import apply_rule_violation
from leasing.i18n import _

__all__ = ["bp"]

#: The largest PDF the page accepts (our contracts are well under 1 MB).
DEFAULT_MAX_VERIFY_BYTES = 10 * 1024 * 1024


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
@public
def verify():
    """Tell anyone whether a PDF (uploaded) or a SHA-256 (pasted, or ?sha256=…) is a version in the register."""
    form = VerifyForm()
    digest = None
    if form.validate_on_submit():
        try:
            digest = _uploaded_hash(form) if form.pdf.data else form.sha256.data
        except RuleViolation as err:
            apply_rule_violation(form, err)
    elif request.method == "GET" and HEX64.fullmatch(normalise_hash(request.args.get("sha256"))):
        digest = normalise_hash(request.args["sha256"])
    result = services.verify(digest) if digest else None
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("documents/verify.html", form=form, digest=digest, result=result), status


def _uploaded_hash(form):
    """The SHA-256 of the uploaded file, once its content looks like a PDF and it is not too big."""
    limit = current_app.config.get("MAX_VERIFY_BYTES", DEFAULT_MAX_VERIFY_BYTES)
    data = form.pdf.data.stream.read(limit + 1)
    if len(data) > limit:
        raise RuleViolation(_("The file must be smaller than %(mb)s MB.", mb=limit // 1048576), field="pdf")
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise RuleViolation(_("The selected file must be a PDF document."), field="pdf")
    return sha256_hex(data)
