"""The report upload and the recommendation drafts shown with the source form."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms import Form as FieldGroup  # a group inside a form: no CSRF token of its own
from wtforms.validators import ValidationError

from tracker.forms import Form, max_length
from tracker.sources.drafts import Draft

# Empty drafts offered under the proposed ones, for recommendations the reading missed.
BLANK_DRAFTS = 1


class ReportUploadForm(Form):
    report = FileField(_l("The auditors' report (PDF or Word .docx)"))


class DraftForm(FieldGroup):
    number = StringField(_l("No."), validators=[max_length(20)])
    text = TextAreaField(
        _l("Recommendation text"), validators=[max_length(10000)], render_kw={"rows": 4}
    )
    page = HiddenField()
    leave_out = BooleanField(_l("Leave this draft out"))

    def validate_text(self, field):
        if self.number.data and not (field.data or "").strip() and not self.leave_out.data:
            raise ValidationError(_l("Write the recommendation's text, or leave the draft out."))


class DraftsForm(Form):
    """The report's hidden reference and its drafts; the source form carries the CSRF token."""

    class Meta:
        csrf = False

    report_file = HiddenField()
    report_name = HiddenField()
    drafts = FieldList(FormField(DraftForm))

    def fill(self, drafts: list[Draft]) -> None:
        """Put the proposed drafts, then blank ones, into the list."""
        for draft in drafts:
            self.drafts.append_entry(
                {"number": draft.number, "text": draft.text, "page": str(draft.page)}
            )
        for _blank in range(BLANK_DRAFTS):
            self.drafts.append_entry()

    def kept(self) -> list[Draft]:
        """Return the drafts to save: those with text and not left out."""
        return [
            Draft(
                number=(entry.number.data or "").strip(),
                text=(entry.text.data or "").strip(),
                page=int(entry.page.data) if (entry.page.data or "").isdigit() else 0,
            )
            for entry in self.drafts
            if (entry.text.data or "").strip() and not entry.leave_out.data
        ]
