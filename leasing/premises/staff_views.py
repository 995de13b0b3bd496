"""Premises, staff side: the register of all buildings, their details, spaces, photos and documents.

Each view: load → authorize → validate → service → commit → flash → redirect, or re-render with 422.
"""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from leasing.authz import authorize
from leasing.errors import NotFound, RuleViolation
from leasing.extensions import db
from leasing.forms import apply_rule_violation
from leasing.i18n import _
from leasing.premises import queries, services
from leasing.premises.blueprint import bp
from leasing.premises.forms import ActionForm, BuildingForm, DocumentForm, PhotoForm, SpaceForm
from leasing.premises.models import Building, BuildingDocument, Photo, Space


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


@bp.get("/staff/buildings")
def manage():
    """The register: every building, drafts and withdrawn ones included, with its status and actions."""
    authorize(current_user, "manage", Building)
    return render_template("premises/manage.html", rows=queries.register_buildings(), action_form=ActionForm())


@bp.get("/staff/buildings/<int:building_id>")
def staff_building(building_id):
    """A building as staff see it: status actions, spaces, photos, documents and recent changes."""
    building = load_building(building_id, "edit")
    events = queries.recent_events(building)
    return render_template("premises/staff_building.html", building=building, events=events, action_form=ActionForm())


@bp.route("/staff/buildings/new", methods=["GET", "POST"])
def new_building():
    """Add a building; it starts as a draft that only staff see."""
    authorize(current_user, "create", Building)
    form = BuildingForm()
    if form.validate_on_submit():
        try:
            building = services.create_building(current_user, form.values())
        except RuleViolation as err:
            return _invalid(form, err, "premises/building_form.html", building=None)
        db.session.commit()
        flash(_("The building was added as a draft."), "success")
        return redirect(url_for(".staff_building", building_id=building.id))
    return _form_page(form, "premises/building_form.html", building=None)


@bp.route("/staff/buildings/<int:building_id>/edit", methods=["GET", "POST"])
def edit_building(building_id):
    """Change a building's details."""
    building = load_building(building_id, "edit")
    form = BuildingForm(obj=building)
    if form.validate_on_submit():
        try:
            services.update_building(current_user, building, form.values())
        except RuleViolation as err:
            return _invalid(form, err, "premises/building_form.html", building=building)
        db.session.commit()
        flash(_("The building's details were saved."), "success")
        return redirect(url_for(".staff_building", building_id=building.id))
    return _form_page(form, "premises/building_form.html", building=building)


@bp.post("/staff/buildings/<int:building_id>/publish")
def publish_building(building_id):
    """Show a draft or withdrawn building on the public list as vacant."""
    return _change_status(building_id, "publish", _("The building is now public and listed as vacant."))


@bp.post("/staff/buildings/<int:building_id>/withdraw")
def withdraw_building(building_id):
    """Take a building off the public list."""
    return _change_status(building_id, "withdraw", _("The building was withdrawn from the public list."))


def _change_status(building_id, action, message):
    building = load_building(building_id, "edit")
    if ActionForm().validate_on_submit():
        services.change_status(current_user, building, action)
        db.session.commit()
        flash(message, "success")
    else:
        flash(_("The form expired. Try again."), "error")
    return redirect(url_for(".staff_building", building_id=building.id))


@bp.route("/staff/buildings/<int:building_id>/spaces/new", methods=["GET", "POST"])
def new_space(building_id):
    """Add a space to a building."""
    building = load_building(building_id, "edit")
    return _space_form(building, None, SpaceForm())


@bp.route("/staff/spaces/<int:space_id>/edit", methods=["GET", "POST"])
def edit_space(space_id):
    """Change a space, its features and its opening hours."""
    space = load_part(Space, space_id)
    form = SpaceForm(data=_space_data(space))
    return _space_form(space.building, space, form)


def _space_data(space):
    data = {name: getattr(space, name) for name in services.SPACE_FIELDS}
    data["features"] = [f.feature.value for f in space.features]
    for hours in space.opening_hours:
        data[f"hours-{hours.weekday}-opens"], data[f"hours-{hours.weekday}-closes"] = hours.opens, hours.closes
    return data


def _space_form(building, space, form):
    if form.validate_on_submit():
        try:
            space = services.save_space(current_user, building, form.values(), space)
        except RuleViolation as err:
            return _invalid(form, err, "premises/space_form.html", building=building, space=space)
        db.session.commit()
        flash(_("The space “%(name)s” was saved.", name=space.name), "success")
        return redirect(url_for(".staff_building", building_id=building.id, _anchor="spaces"))
    return _form_page(form, "premises/space_form.html", building=building, space=space)


@bp.post("/staff/spaces/<int:space_id>/delete")
def delete_space(space_id):
    """Remove a space."""
    space = load_part(Space, space_id)
    return _delete(space, services.delete_space, _("The space was removed."))


@bp.route("/staff/buildings/<int:building_id>/photos/new", methods=["GET", "POST"])
def new_photo(building_id):
    """Upload a photo with its text alternative."""
    building = load_building(building_id, "edit")
    form = PhotoForm()
    add = lambda: services.add_photo(current_user, building, form.photo.data.stream, form.alt_text.data.strip())  # noqa: E731
    return _upload(building, form, add, "photo", _("The photo was added."))


@bp.post("/staff/photos/<int:photo_id>/delete")
def delete_photo(photo_id):
    """Remove a photo."""
    photo = load_part(Photo, photo_id)
    return _delete(photo, services.delete_photo, _("The photo was removed."))


@bp.route("/staff/buildings/<int:building_id>/documents/new", methods=["GET", "POST"])
def new_document(building_id):
    """Upload a PDF document, such as a floor plan."""
    building = load_building(building_id, "edit")
    form = DocumentForm()
    add = lambda: services.add_document(current_user, building, form.document.data.stream, form.title.data.strip())  # noqa: E731
    return _upload(building, form, add, "document", _("The document was added."))


def _upload(building, form, add, kind, done):
    """The shape of both upload pages: validate, store through ``add``, or show the form with errors."""
    if form.validate_on_submit():
        try:
            add()
        except RuleViolation as err:
            return _invalid(form, err, "premises/upload_form.html", building=building, kind=kind)
        db.session.commit()
        flash(done, "success")
        return redirect(url_for(".staff_building", building_id=building.id, _anchor=f"{kind}s"))
    return _form_page(form, "premises/upload_form.html", building=building, kind=kind)


@bp.post("/staff/documents/<int:document_id>/delete")
def delete_document(document_id):
    """Remove a document."""
    document = load_part(BuildingDocument, document_id)
    return _delete(document, services.delete_document, _("The document was removed."))


def _delete(obj, service, message):
    building_id = obj.building_id
    if ActionForm().validate_on_submit():
        service(current_user, obj)
        db.session.commit()
        flash(message, "success")
    else:
        flash(_("The form expired. Try again."), "error")
    return redirect(url_for(".staff_building", building_id=building_id))


def _form_page(form, template, **context):
    """The form page: 200 when first shown, 422 when a submission had errors."""
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template(template, form=form, **context), status


def _invalid(form, err, template, **context):
    """Re-render after a service said no: nothing was written, the message sits next to its field."""
    db.session.rollback()
    apply_rule_violation(form, err)
    return render_template(template, form=form, **context), 422
