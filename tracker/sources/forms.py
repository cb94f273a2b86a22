"""The source form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import (
    IdSelectField,
    IsoDateField,
    NotBefore,
    VersionedForm,
    max_length,
    required,
)

FIELDS = (
    "kind",
    "title",
    "dnr",
    "issuer_id",
    "meeting_id",
    "paragraph",
    "issued_on",
    "auditors",
    "firm",
    "response_due",
    "summary",
    "assessment",
    "follows_id",
    "restricted",
)


class SourceForm(VersionedForm):
    kind = SelectField(_l("Kind"))
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    dnr = StringField(_l("Registry number (Dnr)"), validators=[max_length(50)])
    issuer_id = IdSelectField(_l("Issued by"))
    addressees = SelectMultipleField(_l("Addressed to"), coerce=int)
    meeting_id = IdSelectField(_l("Meeting (for a decision)"))
    paragraph = StringField(_l("Paragraph (§)"), validators=[max_length(20)])
    issued_on = IsoDateField(_l("Date of the report or decision"))
    auditors = StringField(_l("Auditors"), validators=[max_length(300)])
    firm = StringField(_l("Audit firm"), validators=[max_length(200)])
    response_due = IsoDateField(
        _l("Response due by"), validators=[Optional(), NotBefore("issued_on")]
    )
    follows_id = IdSelectField(_l("Follows up the earlier report"))
    summary = TextAreaField(
        _l("Summary or overall assessment"), validators=[max_length(10000)], render_kw={"rows": 5}
    )
    assessment = TextAreaField(
        _l("The auditors' overall assessment, in their words"),
        validators=[max_length(4000)],
        render_kw={"rows": 4},
    )
    restricted = BooleanField(
        _l("Restricted (begränsad): only its bodies' people and the auditors see it")
    )
