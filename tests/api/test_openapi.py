"""The OpenAPI document: it validates, it lists every /api/v1 route, every operation documents its
errors, and every operation is in an authorization matrix; plus the documentation page."""

import importlib
import pkgutil
import re

import pytest
from openapi_spec_validator import validate

import tests.api

#: Routes under /api/v1 that are the documentation itself, not operations.
DOCUMENTATION = {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs"), ("GET", "/api/v1/docs/{area}")}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def _operations(document):
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_of_the_app_is_in_the_document(app, document):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - DOCUMENTATION == _operations(document)


def test_every_operation_documents_its_errors(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            statuses = set(operation["responses"])
            assert {"400", "401", "422", "429"} <= statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if method != "get":  # a read-only token is refused every write
                assert "403" in statuses, (method, path)


def test_every_operation_is_in_an_authorization_matrix(document):
    covered = set()
    for module in pkgutil.iter_modules(tests.api.__path__):
        if module.name.startswith("test_authz_"):
            covered |= set(importlib.import_module(f"tests.api.{module.name}").COVERED)
    assert _operations(document) - covered == set()
    assert covered - _operations(document) == set(), "a matrix names an operation the document does not have"


def test_the_documentation_lists_every_operation_and_details_it_on_its_areas_page(client, document):
    index = client.get("/api/v1/docs").get_data(as_text=True)
    areas = {tag["name"].removeprefix("api_") for tag in document["tags"]}
    details = {area: client.get(f"/api/v1/docs/{area}").get_data(as_text=True) for area in areas}
    for method, path in _operations(document):
        assert f"{method} {path}" in index
        tag = document["paths"][path][method.lower()]["tags"][0].removeprefix("api_")
        assert f"<code>{method} {path}</code></h2>" in details[tag]
    assert client.get("/api/v1/docs/nothing").status_code == 404


def test_the_document_is_public_and_cacheable(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and "max-age" in response.headers["Cache-Control"]
