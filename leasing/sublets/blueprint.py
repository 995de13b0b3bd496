"""The sublets blueprint, shared by the domain's view modules."""

from flask import Blueprint

bp = Blueprint("sublets", __name__)
