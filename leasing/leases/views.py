"""Leases' pages. The view modules of the domain register their routes on ``bp`` when imported here."""

from leasing.leases import (
    views_applications,  # noqa: F401
    views_leases,  # noqa: F401
)
from leasing.leases.blueprint import bp

__all__ = ["bp"]
