"""Leases' pages. The view modules of the domain register their routes on ``bp`` when imported here."""

from leasing.leases.blueprint import bp

__all__ = ["bp"]
