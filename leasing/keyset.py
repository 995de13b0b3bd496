"""Keyset ordering: ORDER BY terms that also say which rows come after a given row.

An order is a list of :class:`Key` (an SQL expression and its direction); it must end with a unique
column (the id) so no two rows tie. A nullable column is preceded by its null flag
(:func:`nulls_last` / :func:`nulls_first`), so rows with and without a value never compare. The
HTML lists order by these keys and the API pages through them with a cursor
(``leasing.api.pagination``), so an order is written once.
"""

from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class Key:
    """One ORDER BY term: ``expr`` ascending, or descending when ``desc``; ``label`` reads it from a row."""

    expr: object
    desc: bool = False

    def order(self):
        return self.expr.desc() if self.desc else self.expr.asc()


def nulls_last(column, desc=False):
    """Keys for ``column`` with its NULLs after every value."""
    return [Key(sa.case((column.is_(None), 1), else_=0)), Key(column, desc)]


def nulls_first(column, desc=False):
    """Keys for ``column`` with its NULLs before every value."""
    return [Key(sa.case((column.is_(None), 0), else_=1)), Key(column, desc)]


def order_by(keys):
    """The ORDER BY clauses of ``keys``."""
    return [key.order() for key in keys]


def after(keys, values):
    """The WHERE condition for the rows after the row whose key values are ``values``."""
    alternatives = []
    for i, key in enumerate(keys):
        if values[i] is None:
            continue  # nothing sorts strictly after NULL inside the NULL group
        equal = [k.expr.is_(None) if v is None else k.expr == v for k, v in zip(keys[:i], values[:i], strict=True)]
        beyond = key.expr < values[i] if key.desc else key.expr > values[i]
        alternatives.append(sa.and_(*equal, beyond))
    return sa.or_(*alternatives) if alternatives else sa.false()
