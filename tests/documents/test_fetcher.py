"""WeasyPrint reads nothing but our own files: no server file, no network, through text or markup."""

import logging
from pathlib import Path

import pytest

from leasing.documents import render
from tests.documents.conftest import CREATED, contract_context, pdf_text, read_pdf

SECRET = Path("/etc/passwd")
SECRET_LINE = SECRET.read_text().splitlines()[0] if SECRET.exists() else "root:x:0:0"
HOSTILE = '<link rel="attachment" href="file:///etc/passwd"><img src="file:///etc/passwd"> ry'


pytestmark = pytest.mark.usefixtures("no_pdf_memo")


def assert_nothing_embedded(pdf):
    reader = read_pdf(pdf)
    root = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert "/AF" not in root
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    assert b"/EmbeddedFile" not in pdf and b"/Filespec" not in pdf
    assert SECRET_LINE.encode() not in pdf


def test_hostile_text_in_the_context_is_escaped(app_ctx):
    pdf = render.render_pdf(
        "test_contract.html", contract_context(tenant=HOSTILE), language="fi", title="T", subject="S", created=CREATED
    )
    assert HOSTILE in pdf_text(pdf)
    assert_nothing_embedded(pdf)


def test_hostile_markup_in_a_template_embeds_nothing(app_ctx, caplog):
    html = (
        '<!DOCTYPE html><html lang="fi"><head><title>T</title>'
        '<link rel="attachment" href="file:///etc/passwd" title="passwd">'
        '<link rel="stylesheet" href="https://example.com/evil.css">'
        "</head><body><p>Hyökkäys</p>"
        '<img src="file:///etc/passwd" alt="">'
        '<img src="../../../../../../etc/passwd" alt="">'
        '<img src="http://127.0.0.1:9/x.png" alt="">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E" alt="">'
        '<a rel="attachment" href="file:///etc/passwd">liite</a>'
        "</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render.html_to_pdf(html)
    assert_nothing_embedded(pdf)
    refused = " ".join(record.getMessage() for record in caplog.records)
    assert "etc/passwd" in refused and "example.com" in refused


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/hostname",
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "data:text/plain,hello",
        "file:///work/../etc/passwd",
    ],
)
def test_fetcher_refuses_anything_but_our_files(app_ctx, url):
    with pytest.raises(ValueError, match="our own files"):
        render.url_fetcher()(url)


def test_fetcher_refuses_a_path_that_escapes_static_by_dots(app_ctx):
    url = (render.STATIC_DIR / ".." / ".." / "etc" / "passwd").as_uri()
    with pytest.raises(ValueError):
        render.url_fetcher()(url)


def test_fetcher_serves_our_static_files_and_contract_css(app_ctx):
    favicon = render.STATIC_DIR / "img" / "favicon.svg"
    response = render.url_fetcher()(favicon.as_uri())
    assert response.read() == favicon.read_bytes()
    response.close()
    css = render.url_fetcher()((render.CONTRACTS_DIR / "contract.css").as_uri())
    assert b"@page" in css.read()
    css.close()


def test_control_our_own_file_as_attachment_is_embedded(app_ctx):
    """The checks above can see an attachment: one of our own files (allowed) does get embedded."""
    html = (
        '<!DOCTYPE html><html lang="fi"><head><title>T</title>'
        '<link rel="attachment" href="../static/img/favicon.svg" title="favicon"></head><body><p>x</p></body></html>'
    )
    pdf = render.html_to_pdf(html)
    assert "/EmbeddedFiles" in read_pdf(pdf).trailer["/Root"]["/Names"]
    with pytest.raises(AssertionError):
        assert_nothing_embedded(pdf)
