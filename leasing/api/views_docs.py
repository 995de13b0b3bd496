"""The API's OpenAPI document and its documentation page (rendered here, from local assets)."""

from flask import Blueprint, current_app, jsonify, render_template

from leasing.api import docs as docs_module
from leasing.api.core import PREFIX, api
from leasing.authz import public
from leasing.errors import NotFound

bp = Blueprint("api_docs", __name__, url_prefix=PREFIX)


def spec():
    """The OpenAPI document as a dict (built once per process by apispec)."""
    cache = current_app.extensions.setdefault("tilasilta-openapi", {})
    if "spec" not in cache:
        cache["spec"] = api.spec.to_dict()
    return cache["spec"]


@bp.get("/openapi.json")
@public
def openapi_json():
    """The OpenAPI 3.1 document of every /api/v1 operation, generated from the code."""
    response = jsonify(spec())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs")
@public
def docs():
    """The API's documentation: how to start, and every operation by area, linked to its details."""
    document = spec()
    return render_template(
        "api/docs.html",
        info=document["info"],
        groups=docs_module.operations(document),
        tag_descriptions=docs_module.tag_descriptions(document),
        slug=docs_module.slug,
    )


@bp.get("/docs/<area>")
@public
def docs_area(area):
    """One area of the API (buildings, leases, bookings …): each operation with its parameters, body and answers."""
    document = spec()
    groups = [(tag, ops) for tag, ops in docs_module.operations(document) if docs_module.slug(tag) == area]
    if not groups:
        raise NotFound()
    return render_template(
        "api/docs_area.html",
        info=document["info"],
        groups=groups,
        tag_descriptions=docs_module.tag_descriptions(document),
    )
