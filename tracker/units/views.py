"""Unit administration (admins)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlmodel import select

from tracker import labels
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving, update_row
from tracker.models import Unit, User
from tracker.units import forms, services

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.get("/")
@login_required
def index():
    """List the units and their managers."""
    session = get_session()
    units = services.list_units(session)
    names = {unit.id: unit.name for unit in units}
    # Only the managers named, not every user.
    managers = dict(
        session.exec(select(User.id, User.name).where(User.id.in_(select(Unit.manager_id)))).all()
    )
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


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a unit, for an administrator."""
    require(Action.ADMIN)
    form = _form(None)
    if _check(form, None):
        session = get_session()
        with saving(session, form):
            unit = Unit(
                name=form.name.data.strip(),
                kind=form.kind.data,
                parent_id=form.parent_id.data,
                manager_id=form.manager_id.data,
            )
            session.add(unit)
        flash(_("The unit is created."), "success")
        return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=None), 400 if form.errors else 200


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(unit_id: int):
    require(Action.ADMIN)
    session = get_session()
    unit = session.get(Unit, unit_id) or abort(404)
    form = _form(unit)
    conflict = None
    if _check(form, unit):
        values = {key: getattr(form, key).data for key in ("kind", "parent_id", "manager_id")}
        values["name"] = form.name.data.strip()
        with saving(session, form) as attempt:
            update_row(session, unit, version=form.version.data, values=values)
        conflict = attempt.conflict
        if conflict is None:
            flash(_("The unit is saved."), "success")
            return redirect(url_for("units.index"))
    status = form_status(form, conflict)
    return render_template("units/form.html", form=form, unit=unit, conflict=conflict), status
