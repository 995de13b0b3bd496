"""The calendars blueprint, shared by the domain's view modules."""

from flask import Blueprint

bp = Blueprint("calendars", __name__)
