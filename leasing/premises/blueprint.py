"""The premises blueprint, and the load-and-authorize helper its public and staff views share."""

from flask import Blueprint
from flask_login import current_user

from leasing.authz import authorize
from leasing.errors import NotFound
from leasing.extensions import db
from leasing.premises.models import Building

bp = Blueprint("premises", __name__)


def load_building(building_id, action="view"):
    """The building with ``building_id`` if the current user may ``action`` it.

    :raise NotFound: no such building, or a draft the user may not know about.
    :raise LoginRequired: anonymous user and an action beyond viewing.
    :raise PermissionDenied: a signed-in user who may not.
    """
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound()
    authorize(current_user, "view", building, hide=True)
    if action != "view":
        authorize(current_user, action, building)
    return building


def load_part(model, object_id):
    """A space, photo or document the current user may edit (through its building).

    :raise NotFound: no such object, or it belongs to a draft the user may not know about.
    """
    obj = db.session.get(model, object_id)
    if obj is None:
        raise NotFound()
    load_building(obj.building_id, "edit")
    return obj
