"""Sublets' pages. The view modules of the domain register their routes on ``bp`` when imported here."""

from leasing.sublets import views_actions, views_sublets  # noqa: F401  (registers the routes)
from leasing.sublets.blueprint import bp

__all__ = ["bp"]
