"""The premises blueprint, shared by the public views and the staff views."""

from flask import Blueprint

bp = Blueprint("premises", __name__)
