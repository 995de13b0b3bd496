"""Sublet lists: the staff's register of every building, an organization's sublets, a lease's sublets.

Each list is one query whatever the number of rows: a sublet's lease (with its building and tenant),
space and group are joined in (see the relationships on :class:`Sublet`).
"""

from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from leasing.extensions import db
from leasing.leases.models import Lease
from leasing.premises.models import Building, Space
from leasing.sublets.models import Sublet


def _listed(query):
    return db.session.execute(query.options(joinedload(Sublet.association))).scalars().unique().all()


def register(building_id=None):
    """``[(building, [sublet, …]), …]`` for the staff's register, by building name, then space and start."""
    query = (
        sa.select(Sublet)
        .join(Space, Space.id == Sublet.space_id)
        .join(Lease, Lease.id == Sublet.lease_id)
        .join(Building, Building.id == Lease.building_id)
        .order_by(Building.name, Building.id, Space.position, Space.name, Sublet.starts_on, Sublet.id)
    )
    if building_id is not None:
        query = query.where(Building.id == building_id)
    sublets = _listed(query)
    return [(building, list(rows)) for building, rows in groupby(sublets, key=lambda s: s.lease.building)]


def buildings_with_sublets():
    """Buildings that have at least one sublet, by name (the register's filter)."""
    has_sublet = sa.select(Lease.building_id).join(Sublet, Sublet.lease_id == Lease.id)
    return db.session.execute(sa.select(Building).where(Building.id.in_(has_sublet)).order_by(Building.name)).scalars()


def of_organizations_query(organization_ids):
    """A select of the sublets in which one of the organizations is the association or the group (unordered)."""
    ids = list(organization_ids)
    return sa.select(Sublet).where(sa.or_(Sublet.association_id.in_(ids), Sublet.group_id.in_(ids)))


def of_organizations(organization_ids):
    """The sublets in which one of the organizations is the association or the group, newest first."""
    return _listed(of_organizations_query(organization_ids).order_by(Sublet.starts_on.desc(), Sublet.id.desc()))


def of_lease(lease_id):
    """A lease's sublets, by start."""
    return _listed(sa.select(Sublet).where(Sublet.lease_id == lease_id).order_by(Sublet.starts_on, Sublet.id))
