"""The JSON API under /api/v1, and the personal API tokens that open it."""
