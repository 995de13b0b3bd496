"""The leases blueprint, shared by the application views and the lease views."""

from flask import Blueprint

bp = Blueprint("leases", __name__)
