"""Unit administration (admins)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from tracker import labels
from tracker.auth.permissions import Action, require
from tracker.auth.services import names_of
from tracker.db import get_session
from tracker.edit_page import edit_page, editable
from tracker.editing import saving
from tracker.models import Unit
from tracker.units import forms, services

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.get("/")
@login_required
def index():
    """List the units of the organisation tree."""
    session = get_session()
    units = services.list_units(session)
    names = {unit.id: unit.name for unit in units}
    # Only the managers named, not every user.
    managers = names_of(session, [unit.manager_id for unit in units])
    return render_template("units/index.html", units=units, names=names, managers=managers)


def _form(unit: Unit | None) -> forms.UnitForm:
    session = get_session()
    form = forms.UnitForm(obj=unit if request.method == "GET" else None)
    form.kind.choices = labels.choices(labels.UNIT_KINDS)
    form.parent_id.choices = [("", _("None"))] + [
        choice for choice in services.unit_choices(session) if not unit or choice[0] != unit.id
    ]
    return form


def _check(form: forms.UnitForm, unit: Unit | None) -> bool:
    session = get_session()
    ok = form.validate_on_submit()
    if ok and services.name_taken(session, form.name.data, except_id=unit.id if unit else None):
        form.name.errors.append(_("Another unit already has this name."))
        ok = False
    if ok and unit and services.would_loop(session, unit.id, form.parent_id.data):
        form.parent_id.errors.append(_("A unit cannot be part of itself."))
        ok = False
    return ok


def _values(form: forms.UnitForm) -> dict:
    values = {key: getattr(form, key).data for key in ("kind", "parent_id", "manager_id")}
    values["name"] = form.name.data.strip()
    return values


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a unit to the organisation tree."""
    require(Action.ADMIN)
    form = _form(None)
    if _check(form, None):
        session = get_session()
        with saving(session, form):
            services.create_unit(session, values=_values(form))
        flash(_("The unit is created."), "success")
        return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=None), 400 if form.errors else 200


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(unit_id: int):
    """Change a unit; a form read before someone else saved is shown as a conflict."""
    unit = editable(Unit, unit_id, Action.ADMIN)
    form = _form(unit)
    return edit_page(
        form,
        template="units/form.html",
        check=lambda: _check(form, unit),
        save=lambda _checked: services.update_unit(
            get_session(), unit, version=form.version.data, values=_values(form)
        ),
        saved=_("The unit is saved."),
        then=url_for("units.index"),
        unit=unit,
    )
