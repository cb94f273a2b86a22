"""Forms for signing in, the user's own settings, and user administration."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Email, EqualTo, Length, Optional

from tracker.forms import Form, IdSelectField, VersionedForm, max_length, required
from tracker.i18n import LANGUAGES

LANGUAGE_CHOICES = [("sv", "Svenska"), ("en", "English")]
assert [code for code, _ in LANGUAGE_CHOICES] == list(LANGUAGES)


class LoginForm(Form):
    # autocomplete (WCAG 1.3.5): browsers and password managers fill in the right values.
    email = EmailField(
        _l("E-mail"),
        validators=[required(), max_length(254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(), max_length(200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this computer"))


class SettingsForm(VersionedForm):
    name = StringField(
        _l("Name"), validators=[required(), max_length(200)], render_kw={"autocomplete": "name"}
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    digest = BooleanField(_l("Send me a weekly digest of my open, due and overdue items"))
    current_password = PasswordField(
        _l("Current password"),
        validators=[max_length(200)],
        render_kw={"autocomplete": "current-password"},
    )
    escalation_copies = BooleanField(
        _l("Send me a copy of escalations about the bodies I am secretary of")
    )
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(min=10, max=200, message=_l("10 to 200 characters."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class UserForm(VersionedForm):
    email = EmailField(
        _l("E-mail"),
        validators=[required(), max_length(254), Email(message=_l("Not an e-mail address."))],
    )
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    role = SelectField(_l("Role"))
    unit_id = IdSelectField(_l("Unit"))
    bodies = SelectMultipleField(_l("Bodies"), coerce=int)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    active = BooleanField(_l("Active (may sign in)"), default=True)
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=10, max=200, message=_l("10 to 200 characters."))],
        render_kw={"autocomplete": "new-password"},  # another person's: never the admin's own
    )
