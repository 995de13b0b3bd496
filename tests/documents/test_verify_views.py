"""The public verification page: by upload, by hash, unknown and malformed input; open to everyone."""

import io

import pytest

from leasing.documents import services
from tests.conftest import login, post_form
from tests.documents.conftest import issue_args


@pytest.fixture
def signed(app_ctx, staff, association_admin, association):
    """A contract version signed by both parties, and its sealed PDF."""
    contract = services.issue_version("lease", 1, **issue_args())
    services.sign(contract, signer=association_admin, organization=association, ip_address="192.0.2.10")
    services.sign(contract, signer=staff, organization=staff.memberships[0].organization, ip_address="192.0.2.11")
    return contract, services.seal(contract, **issue_args())


def upload(client, data, name="sopimus.pdf"):
    files = {"pdf": (io.BytesIO(data), name), "sha256": ""}
    return post_form(client, "/verify", files, form_url="/verify", content_type="multipart/form-data")


def by_hash(client, digest):
    return post_form(client, "/verify", {"sha256": digest}, form_url="/verify")


def error_text(response, field):
    return response.get_data(as_text=True).split(f'id="{field}-error"')[1].split("</p>")[0]


def test_the_page_shows_the_form(client):
    response = client.get("/verify")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Check a contract" in html and 'name="sha256"' in html and 'type="file"' in html


def test_uploading_the_sealed_pdf_shows_the_document_and_its_signers(client, signed, staff, association_admin):
    contract, sealed = signed
    response = upload(client, sealed.pdf)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This document is in the register" in html
    assert "Vuokrasopimus TK-2026-0001" in html and "contract version 1" in html
    assert "The current version" in html
    assert staff.name in html and association_admin.name in html
    assert "Nuorten Kulttuuritalo ry" in html and "Oulun kaupungin Tilakeskus" in html
    assert sealed.sha256 in html
    assert "192.0.2.10" not in html


def test_pasting_the_contract_hash_shows_that_version(client, signed):
    contract, _ = signed
    response = by_hash(client, "  " + contract.sha256.upper() + "\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This document is in the register" in html and "Contract, version 1" in html


def test_a_superseded_version_is_shown_as_replaced(client, app_ctx):
    first = services.issue_version("lease", 1, **issue_args())
    services.issue_version("lease", 1, **issue_args(title="Vuokrasopimus, muutettu"))
    html = by_hash(client, first.sha256).get_data(as_text=True)
    assert "Replaced by a newer version" in html and "No one has signed this version." in html


def test_a_link_with_the_hash_checks_it_too(client, signed):
    contract, _ = signed
    html = client.get(f"/verify?sha256={contract.sha256}").get_data(as_text=True)
    assert "This document is in the register" in html


def test_an_unknown_hash_is_not_in_the_register(client):
    response = by_hash(client, "a" * 64)
    assert response.status_code == 200
    assert "This document is not in the register" in response.get_data(as_text=True)


def test_an_unknown_pdf_is_not_in_the_register(client, signed):
    _, sealed = signed
    changed = sealed.pdf + b"% one byte more than the register holds\n"
    html = upload(client, changed).get_data(as_text=True)
    assert "This document is not in the register" in html


@pytest.mark.parametrize("value", ["abc123", "g" * 64, "a" * 65])
def test_a_malformed_hash_is_a_field_error(client, value):
    response = by_hash(client, value)
    assert response.status_code == 422
    assert "Enter the SHA-256 hash as 64 characters" in error_text(response, "sha256")
    assert "error-summary" in response.get_data(as_text=True)


def test_a_file_that_is_not_a_pdf_is_a_field_error(client):
    response = upload(client, b"GIF89a this is not a contract", name="sopimus.pdf")
    assert response.status_code == 422
    assert "must be a PDF document" in error_text(response, "pdf")


def test_a_too_big_file_is_a_field_error(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_VERIFY_BYTES", 1024 * 1024)
    response = upload(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n")
    assert response.status_code == 422
    assert "must be smaller than 1 MB" in error_text(response, "pdf")


def test_nothing_given_asks_for_a_file_or_a_hash(client):
    response = post_form(client, "/verify", {"sha256": ""}, form_url="/verify")
    assert response.status_code == 422
    assert "Select a PDF file, or enter its SHA-256 hash" in error_text(response, "pdf")


def test_both_given_is_a_field_error(client):
    files = {"pdf": (io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "a.pdf"), "sha256": "a" * 64}
    response = post_form(client, "/verify", files, form_url="/verify", content_type="multipart/form-data")
    assert response.status_code == 422
    assert "not both" in error_text(response, "sha256")


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/verify", data={"sha256": "a" * 64})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["anonymous", "group_member", "association_admin", "staff"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_verify_is_open_to_everyone(request, client, who, method):
    """The authorization matrix of the documents blueprint: /verify is public, by design."""
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    if method == "GET":
        response = client.get("/verify")
    else:
        response = by_hash(client, "b" * 64)
    assert response.status_code == 200
