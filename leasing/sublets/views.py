"""Sublets' pages. The view modules of the domain register their routes on ``bp`` when imported here."""

from leasing.sublets.blueprint import bp

__all__ = ["bp"]
