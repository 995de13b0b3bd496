"""The bookings blueprint, shared by the domain's view modules."""

from flask import Blueprint

bp = Blueprint("bookings", __name__)
