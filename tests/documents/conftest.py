"""Documents' test kit: a test-only contract template (outside contracts/), rendering and reading PDFs back."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

TEMPLATES = Path(__file__).resolve().parent / "templates"
CREATED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def contract_test_templates(app, monkeypatch):
    """Render environment also searches tests/documents/templates (test_contract.html lives there)."""
    monkeypatch.setitem(app.config, "CONTRACTS_EXTRA_PATH", str(TEMPLATES))


def contract_context(paragraphs=3, **overrides):
    """A realistic context for test_contract.html; ``paragraphs`` long clauses make it longer."""
    values = {
        "landlord": "Oulun kaupunki, Tilakeskus",
        "tenant": "Tuiran Nuorisotila ry",
        "business_id": "2077474-0",
        "rent": Decimal("1234.50"),
        "start": date(2027, 1, 1),
        "area": Decimal("850.0"),
        "paragraphs": [
            f"Ehto {n}: vuokralainen huolehtii tilojen siisteydestä ja järjestyksestä, ÅÄÖ åäö. " * 12
            for n in range(1, paragraphs + 1)
        ],
        "appendices": ["Pohjapiirros", "Vastuunjakotaulukko"],
        "signers": [
            {"organization": "Oulun kaupunki, Tilakeskus", "name": "Maija Meikäläinen", "role": "tilapäällikkö"},
            {"organization": "Tuiran Nuorisotila ry", "name": "Matti Virtanen", "role": "puheenjohtaja"},
        ],
        "document_number": "TK-2026-0001",
    }
    values.update(overrides)
    return values


def issue_args(**overrides):
    """Keyword arguments for services.issue_version / seal with the test template."""
    values = {
        "template": "test_contract.html",
        "context": contract_context(),
        "language": "fi",
        "title": "Vuokrasopimus TK-2026-0001",
        "subject": "Tuiran paloaseman vuokrasopimus",
    }
    values.update(overrides)
    return values


def read_pdf(data):
    """A pypdf reader over ``data``."""
    return PdfReader(io.BytesIO(data))


def pdf_text(data):
    """All text of the PDF, pages joined, with line breaks folded to spaces."""
    return " ".join(page.extract_text() for page in read_pdf(data).pages).replace("\n", " ")
