"""The administrator's pages of sign-in: the provider's groups, and the sign-in log."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import SelectField, StringField

from tracker import labels
from tracker.auth import identity
from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import saving
from tracker.forms import Form, IdSelectField, max_length, required
from tracker.meetings.services import body_choices
from tracker.models import GroupMapping, Role
from tracker.units.services import unit_choices

bp = Blueprint("identity", __name__)


class GroupForm(Form):
    group = StringField(
        _l("Group at the identity provider"),
        validators=[required(), max_length(200)],
        description=_l("As the provider names it: Entra ID sends the group's object id."),
    )
    role = SelectField(_l("Role"))
    body_id = IdSelectField(_l("Body"))
    unit_id = IdSelectField(_l("Unit"))


def _form() -> GroupForm:
    session = get_session()
    form = GroupForm()
    form.role.choices = labels.choices(labels.ROLES)
    form.body_id.choices = [("", _("No body"))] + body_choices(session)
    form.unit_id.choices = [("", _("No unit"))] + unit_choices(session)
    return form


@bp.route("/users/groups", methods=["GET", "POST"])
@login_required
def groups():
    """List the identity provider's group mappings and add one."""
    require(Action.ADMIN)
    session = get_session()
    form = _form()
    if form.validate_on_submit():
        if form.body_id.data and form.role.data not in (Role.SECRETARY, Role.ELECTED):
            form.body_id.errors.append(
                _("Only a secretary's or an elected member's group names a body.")
            )
        else:
            with saving(session):
                identity.add_mapping(
                    session,
                    group=form.group.data,
                    role=form.role.data,
                    body_id=form.body_id.data,
                    unit_id=form.unit_id.data,
                )
            flash(_("The group %(group)s is mapped.", group=form.group.data), "success")
            return redirect(url_for("identity.groups"))
    return render_template(
        "auth/groups.html", form=form, mappings=identity.list_mappings(session)
    ), 400 if form.errors else 200


@bp.post("/users/groups/<int:mapping_id>/delete")
@login_required
def delete_group(mapping_id: int):
    """Stop a group at the identity provider giving access."""
    require(Action.ADMIN)
    session = get_session()
    mapping = session.get(GroupMapping, mapping_id) or abort(404)
    with saving(session):
        identity.remove_mapping(session, mapping)
    flash(_("The group %(group)s no longer gives access.", group=mapping.group_name), "success")
    return redirect(url_for("identity.groups"))


@bp.get("/users/sign-ins")
@login_required
def sign_ins():
    """List the recent sign-ins through the identity provider."""
    require(Action.ADMIN)
    return render_template("auth/sign_ins.html", rows=identity.sign_ins(get_session()))


OUTCOMES = {
    "signed_in": _l("Signed in"),
    "wrong_password": _l("Wrong e-mail or password"),
    "bad_token": _l("The provider's answer failed the checks"),
    "no_group": _l("In no mapped group"),
    "deactivated": _l("Deactivated"),
    "no_email": _l("No e-mail address from the provider"),
}
METHODS = {"password": _l("Password"), "oidc": _l("Identity provider")}


@bp.app_template_filter("sign_in_word")
def sign_in_word(code: str) -> str:
    """Return the words for a sign-in's outcome or method."""
    return str(OUTCOMES.get(code) or METHODS.get(code) or code)
