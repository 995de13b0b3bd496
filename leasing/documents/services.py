"""Documents' services: issue a version, sign it, seal the signatures into a signed PDF, verify a PDF.

Each function flushes and never commits (the caller commits once). This domain knows no lease:
callers give an owner as ``(owner_type, owner_id)`` and a template with its context. Who *may*
sign (and the password confirmation) is the calling domain's rule; here a signature is recorded
against the exact bytes of one version.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from leasing.accounts.models import User
from leasing.db import utcnow
from leasing.documents.models import Document, DocumentKind, Signature
from leasing.documents.render import render_pdf, sha256_hex, template_version
from leasing.errors import Conflict
from leasing.extensions import db
from leasing.i18n import _


@dataclass
class Verification:
    """What the register knows about a PDF's hash."""

    #: The stored document with that hash (a contract version or a sealed PDF).
    document: Document
    #: Live signatures of the version the signatures cover (the document itself, or the one it seals).
    signatures: list[Signature]
    #: For a sealed PDF: the contract version it seals; else None.
    sealed_from: Document | None
    #: Whether ``document`` is the newest version of its owner and kind.
    is_current: bool


def issue_version(owner_type, owner_id, *, template, context, language, title, subject):
    """Render ``template`` once and store it as the owner's next contract version.

    The previous live version is marked superseded, and the live signatures of earlier versions are
    voided — except on versions already sealed into a signed PDF: a concluded contract stays signed
    (an extension is a new version to sign, not a retraction of the old signatures).
    """
    return _store(
        owner_type, owner_id, DocumentKind.CONTRACT, template, context, language=language, title=title, subject=subject
    )


def current_version(owner_type, owner_id, kind=DocumentKind.CONTRACT.value):
    """The owner's newest version of ``kind`` that is not superseded, or None."""
    return db.session.execute(
        sa.select(Document)
        .where(
            Document.owner_type == owner_type,
            Document.owner_id == owner_id,
            Document.kind == str(kind),
            Document.superseded_at.is_(None),
        )
        .order_by(Document.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def sign(document, *, signer, organization, ip_address):
    """Record ``signer``'s signature for ``organization`` on this exact version.

    :raise Conflict: the version has been replaced by a newer one, or this signer has already signed it.
    """
    _require_current(document)
    already = db.session.execute(
        sa.select(Signature.id).where(Signature.document_id == document.id, Signature.signer_id == signer.id)
    ).first()
    if already:
        raise Conflict(_("You have already signed this version."))
    signature = Signature(
        document=document,
        signer_id=signer.id,
        organization_id=organization.id,
        signed_at=utcnow(),
        ip_address=ip_address,
        sha256=document.sha256,
    )
    db.session.add(signature)
    db.session.flush()
    return signature


def withdraw(document):
    """Withdraw an unsealed version nobody will sign now: it is superseded and its signatures are void.

    :raise Conflict: the version has already been replaced, or sealed into a signed PDF.
    """
    _require_current(document)
    if db.session.execute(sa.select(Document.id).where(Document.sealed_from_id == document.id)).first():
        raise Conflict(_("A signed version cannot be withdrawn."))
    now = utcnow().replace(microsecond=0)
    document.superseded_at = now
    db.session.execute(
        sa.update(Signature)
        .where(Signature.document_id == document.id, Signature.voided_at.is_(None))
        .values(voided_at=now)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return document


def live_signatures(document):
    """The document's signatures that are not voided, oldest first, with signer and organization loaded."""
    return _live_signatures_of([document.id]).get(document.id, [])


def seal(document, *, template, context, language, title, subject):
    """Render the signed PDF: the contract of ``document`` plus a signature page, stored as kind "signed".

    The signature page lists each live signature (organization, signer, Helsinki time; never the IP
    address) and the SHA-256 of ``document``, the version they signed.
    """
    _require_current(document)
    signatures = live_signatures(document)
    seal_context = {
        "sha256": document.sha256,
        "version": document.version,
        "created": document.created_at,
        "signatures": [
            {"organization": s.organization.name, "name": s.signer.name, "signed_at": s.signed_at} for s in signatures
        ],
    }
    return _store(
        document.owner_type,
        document.owner_id,
        DocumentKind.SIGNED,
        template,
        {**context, "seal": seal_context},
        language=language,
        title=title,
        subject=subject,
        sealed_from=document,
    )


def verify(sha256):
    """Look a PDF's SHA-256 up in the register: the document, its signatures and whether it is current."""
    sha256 = (sha256 or "").strip().lower()
    document = db.session.execute(
        sa.select(Document).options(joinedload(Document.sealed_from)).where(Document.sha256 == sha256)
    ).scalar_one_or_none()
    if document is None:
        return None
    signed_version = document.sealed_from or document
    return Verification(
        document=document,
        signatures=live_signatures(signed_version),
        sealed_from=document.sealed_from,
        is_current=document.is_current,
    )


def _require_current(document):
    if document.superseded_at is not None:
        raise Conflict(_("This version has been replaced by a newer one. Read and sign the current version."))


def _store(owner_type, owner_id, kind, template, context, *, language, title, subject, sealed_from=None):
    """Render once and store as the next version of ``kind``, superseding the previous live one."""
    now = utcnow().replace(microsecond=0)
    version = _next_version(owner_type, owner_id, kind)
    shown_version = sealed_from.version if sealed_from is not None else version
    context = {**context, "document_version": shown_version}
    identifier = f"tilasilta:{owner_type}:{owner_id}:{kind}:{version}"
    pdf = render_pdf(
        template, context, language=language, title=title, subject=subject, created=now, identifier=identifier
    )
    digest = sha256_hex(pdf)
    if db.session.execute(sa.select(Document.id).where(Document.sha256 == digest)).first():
        raise Conflict(_("An identical document is already in the register."))
    previous = _live_versions(owner_type, owner_id, kind)
    document = Document(
        owner_type=owner_type,
        owner_id=owner_id,
        kind=str(kind),
        version=version,
        language=language,
        template=template,
        template_version=template_version(template),
        title=title,
        created_at=now,
        pdf=pdf,
        sha256=digest,
        size_bytes=len(pdf),
        sealed_from_id=sealed_from.id if sealed_from is not None else None,
    )
    for old in previous:
        old.superseded_at = now
    if kind == DocumentKind.CONTRACT:
        _void_signatures_of(owner_type, owner_id, now)
    db.session.add(document)
    db.session.flush()
    return document


def _next_version(owner_type, owner_id, kind):
    highest = db.session.execute(
        sa.select(sa.func.max(Document.version)).where(
            Document.owner_type == owner_type, Document.owner_id == owner_id, Document.kind == str(kind)
        )
    ).scalar_one()
    return (highest or 0) + 1


def _live_versions(owner_type, owner_id, kind):
    return (
        db.session.execute(
            sa.select(Document).where(
                Document.owner_type == owner_type,
                Document.owner_id == owner_id,
                Document.kind == str(kind),
                Document.superseded_at.is_(None),
            )
        )
        .scalars()
        .all()
    )


def _void_signatures_of(owner_type, owner_id, now):
    """Void the live signatures on the owner's contract versions that no signed PDF seals."""
    sealed = sa.select(Document.sealed_from_id).where(Document.sealed_from_id.is_not(None))
    earlier = sa.select(Document.id).where(
        Document.owner_type == owner_type,
        Document.owner_id == owner_id,
        Document.kind == DocumentKind.CONTRACT.value,
        Document.id.not_in(sealed),
    )
    db.session.execute(
        sa.update(Signature)
        .where(Signature.document_id.in_(earlier), Signature.voided_at.is_(None))
        .values(voided_at=now)
        .execution_options(synchronize_session="fetch")
    )


def _live_signatures_of(document_ids):
    rows = db.session.execute(
        sa.select(Signature)
        .options(
            # The signer's memberships (selectin by default) are not needed to show a signature.
            joinedload(Signature.signer).lazyload(User.memberships),
            joinedload(Signature.organization),
        )
        .where(Signature.document_id.in_(document_ids), Signature.voided_at.is_(None))
        .order_by(Signature.signed_at, Signature.id)
    ).scalars()
    grouped = {}
    for signature in rows:
        grouped.setdefault(signature.document_id, []).append(signature)
    return grouped
