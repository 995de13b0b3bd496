"""The contract PDF read back with pypdf: text, pages, fonts, metadata, language, tags, determinism."""

import re

import pytest

from leasing.documents import render
from tests.documents.conftest import CREATED, TEMPLATES, contract_context, pdf_text, read_pdf

TITLE = "Vuokrasopimus TK-2026-0001"
SUBJECT = "Tuiran paloaseman vuokrasopimus"


pytestmark = pytest.mark.usefixtures("no_pdf_memo")


def render_test_contract(context=None, language="fi", created=CREATED):
    return render.render_pdf(
        "test_contract.html",
        context or contract_context(),
        language=language,
        title=TITLE,
        subject=SUBJECT,
        created=created,
    )


@pytest.fixture(scope="module")
def long_pdf(app):
    """A contract long enough for several pages, rendered once for the module."""
    with app.app_context():
        app.config["CONTRACTS_EXTRA_PATH"] = str(TEMPLATES)
        try:
            return render_test_contract(contract_context(paragraphs=14))
        finally:
            app.config.pop("CONTRACTS_EXTRA_PATH")


def test_every_context_value_is_in_the_text(long_pdf):
    text = pdf_text(long_pdf)
    for value in ["Oulun kaupunki, Tilakeskus", "Tuiran Nuorisotila ry", "2077474-0", "TK-2026-0001"]:
        assert value in text
    assert "1 234,50 €" in text.replace("\xa0", " ").replace("\u202f", " ")
    assert "1.1.2027" in text
    assert "850,0 m²" in text
    assert "Pohjapiirros" in text and "Vastuunjakotaulukko" in text
    assert "Maija Meikäläinen, tilapäällikkö" in text and "Matti Virtanen, puheenjohtaja" in text
    assert "ÅÄÖ åäö" in text


def test_pages_are_numbered_sivu_n_of_m(long_pdf):
    pages = read_pdf(long_pdf).pages
    n = len(pages)
    assert n > 1
    for number, page in enumerate(pages, start=1):
        assert f"Sivu {number} / {n}" in page.extract_text()
        assert "Oulun kaupunki · Tilakeskus" in page.extract_text()


@pytest.mark.parametrize("language,word,money", [("en", "Page", "1 234,50 €"), ("sv", "Sida", "1 234,50 €")])
def test_footer_and_formats_follow_the_document_language(app_ctx, language, word, money):
    pdf = render_test_contract(language=language)
    text = pdf_text(pdf).replace("\xa0", " ").replace("\u202f", " ")
    assert f"{word} 1 / " in text
    assert money in text
    assert read_pdf(pdf).trailer["/Root"]["/Lang"] == language


def test_dates_follow_the_document_language_not_the_reader(app_ctx):
    english = pdf_text(render_test_contract(language="en"))
    assert "01/01/2027" in english or "1/1/2027" in english


def test_every_font_is_embedded(long_pdf):
    reader = read_pdf(long_pdf)
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            fonts.extend(d.get_object() for d in descendants) if descendants else fonts.append(font)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")
    names = {str(font["/BaseFont"]) for font in fonts}
    assert any("DejaVu-Serif" in name for name in names) and any("DejaVu-Sans" in name for name in names)


def test_metadata_title_author_subject_and_dates(long_pdf):
    meta = read_pdf(long_pdf).metadata
    assert meta.title == TITLE
    assert meta.author == "Oulun kaupunki, Tilakeskus"
    assert meta.subject == SUBJECT
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20261128100000Z"


def test_pdf_is_tagged_with_its_language(long_pdf):
    root = read_pdf(long_pdf).trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_same_input_gives_the_same_bytes(app_ctx):
    first = render_test_contract()
    assert render_test_contract() == first
    assert render.sha256_hex(first) == render.sha256_hex(render_test_contract())
    later = render_test_contract(created=CREATED.replace(hour=11))
    assert later != first


def test_text_is_escaped_not_markup(app_ctx):
    tenant = "<b>Lihavoitu</b> & <script>alert(1)</script> ry"
    text = pdf_text(render_test_contract(contract_context(tenant=tenant)))
    assert tenant in text


def test_a_missing_context_value_fails_loudly(app_ctx):
    context = contract_context()
    del context["tenant"]
    with pytest.raises(Exception, match="tenant"):
        render_test_contract(context)


def test_unknown_language_is_refused(app_ctx):
    with pytest.raises(ValueError, match="language"):
        render_test_contract(language="de")


def test_template_version_covers_the_shared_files(app_ctx):
    names = {path.name for path in render.template_files("test_contract.html")}
    assert names == {"test_contract.html", "_base.html", "_macros.html", "_signature_page.html", "contract.css"}
    version = render.template_version("test_contract.html")
    assert re.fullmatch(r"[0-9a-f]{64}", version)
    assert render.template_version("test_contract.html") == version


def test_sha256_hex():
    assert render.sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
