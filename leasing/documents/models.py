"""Documents and signatures: stored PDF versions, immutable once written, and who signed which bytes."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from leasing.db import UTCDateTime, utcnow
from leasing.extensions import db


class DocumentKind(enum.StrEnum):
    """What a stored PDF is: a contract version to sign, or the signed PDF with its signature page."""

    CONTRACT = "contract"
    SIGNED = "signed"


class Document(db.Model):
    """One rendered version of a document (a lease's or a sublet's contract). Never changed once stored.

    A change makes version n+1 and marks this one superseded; the PDF's bytes are the record.
    """

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the document belongs to, by name ("lease", "sublet"): documents know no lease.
    owner_type: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    owner_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: "contract" (a version to sign) or "signed" (the sealed PDF with its signature page).
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False, default=DocumentKind.CONTRACT.value)
    #: 1, 2, … per owner and kind.
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    language: Mapped[str] = mapped_column(sa.String(5), nullable=False)
    #: The template's file name under contracts/.
    template: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    #: SHA-256 over the bytes of the template files used (the template, _base, _signature_page, css…).
    template_version: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    #: Also the PDF's creation date (so a re-render of the same version gives the same bytes).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: The PDF itself; deferred so lists and verification do not load megabytes.
    pdf: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True, index=True)
    size_bytes: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: Set when a newer version of the same owner and kind is issued.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: For a "signed" document: the contract version whose signatures it seals.
    sealed_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("document.id", ondelete="RESTRICT"), index=True)

    sealed_from: Mapped["Document | None"] = relationship(remote_side=[id])
    signatures: Mapped[list["Signature"]] = relationship(back_populates="document", order_by="Signature.signed_at")

    __table_args__ = (
        sa.UniqueConstraint("owner_type", "owner_id", "kind", "version", name="uq_document_owner_kind_version"),
        sa.CheckConstraint("kind IN ('contract', 'signed')", name="kind_known"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("kind = 'signed' OR sealed_from_id IS NULL", name="only_signed_seals"),
        sa.Index("ix_document_owner", "owner_type", "owner_id", "kind"),
    )

    def __repr__(self):
        return f"<Document {self.id} {self.owner_type}:{self.owner_id} {self.kind} v{self.version}>"

    @property
    def is_current(self):
        """Not superseded by a newer version."""
        return self.superseded_at is None


class Signature(db.Model):
    """A person's signature, on behalf of an organization, on the exact bytes of one document version."""

    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("document.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    signer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=False)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: Kept in the register as evidence, never printed (personal data).
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    #: The SHA-256 of the exact version signed (equal to the document's).
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    #: Set when the document is replaced by a newer version: the signature no longer counts.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    document: Mapped[Document] = relationship(back_populates="signatures")
    signer = relationship("User")
    organization = relationship("Organization")

    __table_args__ = (sa.UniqueConstraint("document_id", "signer_id", name="uq_signature_document_signer"),)

    def __repr__(self):
        return f"<Signature {self.id} doc={self.document_id} signer={self.signer_id}>"


#: Columns of a stored document that may still change: only its superseding.
_MUTABLE_DOCUMENT_COLUMNS = {"superseded_at"}


@event.listens_for(Document, "before_update")
def _documents_are_immutable(mapper, connection, target):
    """A stored version is the record: refuse changes to anything but ``superseded_at``."""
    state = sa.inspect(target)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    forbidden = changed - _MUTABLE_DOCUMENT_COLUMNS - {"signatures", "sealed_from"}
    if forbidden:
        raise ValueError(f"a stored document cannot be changed ({', '.join(sorted(forbidden))})")
