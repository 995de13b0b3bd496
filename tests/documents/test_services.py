"""The register: versions, superseding, signatures voided by a change, sealing and verification."""

import pytest
import sqlalchemy as sa

from leasing.documents import services
from leasing.documents.models import Document, Signature
from leasing.errors import Conflict
from leasing.extensions import db
from tests.conftest import count_queries
from tests.documents.conftest import contract_context, issue_args, pdf_text
from tests.factories import make_user


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def parties(staff, association_admin, association):
    """(staff user, the centre, association admin, the association)."""
    return staff, staff.memberships[0].organization, association_admin, association


def sign_all(document, parties):
    staff, centre, admin, association = parties
    services.sign(document, signer=admin, organization=association, ip_address="192.0.2.10")
    services.sign(document, signer=staff, organization=centre, ip_address="2001:db8::1")


def test_issue_version_stores_the_rendered_pdf_with_its_hash(app_ctx):
    document = services.issue_version("lease", 7, **issue_args())
    db.session.expire_all()
    stored = db.session.get(Document, document.id)
    assert (stored.owner_type, stored.owner_id, stored.kind, stored.version) == ("lease", 7, "contract", 1)
    assert stored.pdf.startswith(b"%PDF-") and stored.size_bytes == len(stored.pdf)
    assert stored.sha256 == services.sha256_hex(stored.pdf)
    assert stored.template == "test_contract.html" and len(stored.template_version) == 64
    assert stored.language == "fi" and stored.title == "Vuokrasopimus TK-2026-0001"
    assert stored.superseded_at is None and stored.is_current
    assert "versio 1" in pdf_text(stored.pdf)


def test_new_version_supersedes_the_previous_and_numbers_per_owner(app_ctx):
    first = services.issue_version("lease", 1, **issue_args())
    other_owner = services.issue_version("lease", 2, **issue_args())
    sublet = services.issue_version("sublet", 1, **issue_args())
    second = services.issue_version("lease", 1, **issue_args(context=contract_context(rent="1300.00")))
    assert (first.version, second.version, other_owner.version, sublet.version) == (1, 2, 1, 1)
    assert first.superseded_at is not None and second.superseded_at is None
    assert other_owner.superseded_at is None and sublet.superseded_at is None
    assert services.current_version("lease", 1) == second
    assert services.current_version("lease", 3) is None
    assert "versio 2" in pdf_text(second.pdf)


def test_same_terms_reissued_still_get_distinct_bytes(app_ctx):
    first = services.issue_version("lease", 1, **issue_args())
    second = services.issue_version("lease", 1, **issue_args())
    assert first.sha256 != second.sha256


def test_a_change_voids_signatures_on_earlier_versions(app_ctx, parties):
    staff, centre, admin, association = parties
    first = services.issue_version("lease", 1, **issue_args())
    services.sign(first, signer=admin, organization=association, ip_address="192.0.2.10")
    assert [s.signer for s in services.live_signatures(first)] == [admin]
    second = services.issue_version("lease", 1, **issue_args(context=contract_context(rent="999.00")))
    assert services.live_signatures(first) == []
    assert db.session.execute(sa.select(Signature)).scalar_one().voided_at is not None
    signature = services.sign(second, signer=admin, organization=association, ip_address="192.0.2.10")
    assert signature.sha256 == second.sha256


def test_signing_a_superseded_version_is_refused_and_nothing_saved(app_ctx, parties):
    staff, centre, admin, association = parties
    first = services.issue_version("lease", 1, **issue_args())
    services.issue_version("lease", 1, **issue_args(context=contract_context(rent="999.00")))
    with pytest.raises(Conflict, match="replaced by a newer one"):
        services.sign(first, signer=admin, organization=association, ip_address="192.0.2.10")
    assert count(Signature) == 0


def test_signing_twice_is_refused_and_nothing_saved(app_ctx, parties):
    staff, centre, admin, association = parties
    document = services.issue_version("lease", 1, **issue_args())
    services.sign(document, signer=admin, organization=association, ip_address="192.0.2.10")
    with pytest.raises(Conflict, match="You have already signed this version."):
        services.sign(document, signer=admin, organization=association, ip_address="192.0.2.11")
    assert count(Signature) == 1


def test_a_stored_document_cannot_be_changed(app_ctx):
    document = services.issue_version("lease", 1, **issue_args())
    document.title = "Muutettu"
    with pytest.raises(ValueError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()


def test_seal_prints_each_signer_and_the_signed_versions_hash(app_ctx, parties):
    staff, centre, admin, association = parties
    contract = services.issue_version("lease", 1, **issue_args())
    sign_all(contract, parties)
    sealed = services.seal(contract, **issue_args())
    assert (sealed.kind, sealed.version, sealed.sealed_from_id) == ("signed", 1, contract.id)
    text = pdf_text(sealed.pdf)
    assert "Allekirjoitussivu" in text
    assert contract.sha256 in text.replace(" ", "")
    for person, org in ((admin, association), (staff, centre)):
        assert person.name in text and org.name in text
    assert "192.0.2.10" not in text and "2001:db8::1" not in text
    assert services.current_version("lease", 1, kind="signed") == sealed


def test_sealed_versions_keep_their_signatures_when_a_new_version_follows(app_ctx, parties):
    contract = services.issue_version("lease", 1, **issue_args())
    sign_all(contract, parties)
    sealed = services.seal(contract, **issue_args())
    services.issue_version("lease", 1, **issue_args(context=contract_context(rent="1500.00")))
    assert len(services.live_signatures(contract)) == 2
    result = services.verify(sealed.sha256)
    assert len(result.signatures) == 2 and result.is_current


def test_verify_finds_the_contract_version_and_the_sealed_pdf(app_ctx, parties):
    staff, centre, admin, association = parties
    contract = services.issue_version("lease", 1, **issue_args())
    sign_all(contract, parties)
    sealed = services.seal(contract, **issue_args())

    of_contract = services.verify(contract.sha256)
    assert of_contract.document == contract and of_contract.sealed_from is None and of_contract.is_current
    assert [s.signer for s in of_contract.signatures] == [admin, staff]

    of_sealed = services.verify(sealed.sha256.upper())
    assert of_sealed.document == sealed and of_sealed.sealed_from == contract
    assert [(s.organization, s.signer) for s in of_sealed.signatures] == [(association, admin), (centre, staff)]
    assert services.verify("0" * 64) is None


def test_verify_tells_a_superseded_version(app_ctx, parties):
    first = services.issue_version("lease", 1, **issue_args())
    services.issue_version("lease", 1, **issue_args(context=contract_context(rent="999.00")))
    result = services.verify(first.sha256)
    assert result.document == first and not result.is_current and result.signatures == []


def test_verify_and_live_signatures_do_not_query_per_signature(app_ctx, association):
    contract = services.issue_version("lease", 1, **issue_args())
    for n in range(6):
        signer = make_user(association, name=f"Allekirjoittaja {n}")
        services.sign(contract, signer=signer, organization=association, ip_address="192.0.2.1")
    sealed_hash, contract_hash = services.seal(contract, **issue_args()).sha256, contract.sha256
    db.session.expire_all()
    with count_queries() as q:
        result = services.verify(sealed_hash)
        names = [(s.signer.name, s.organization.name, s.document.sha256) for s in result.signatures]
        assert result.sealed_from.sha256 == contract_hash
    assert len(names) == 6
    assert q.count <= 2, "\n".join(s[:300] for s in q.statements)
    db.session.expire_all()
    document = db.session.get(Document, contract.id)
    with count_queries() as q:
        names = [(s.signer.name, s.organization.name) for s in services.live_signatures(document)]
    assert len(names) == 6 and q.count == 1, q.statements
