"""Documents' pages. Every view module of the domain registers its routes on ``bp``."""

from leasing.documents.blueprint import bp

__all__ = ["bp"]
