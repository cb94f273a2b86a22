"""Forms for a response: the answer, a promised measure, the adoption, a review finding."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker import labels
from tracker.forms import Form, IdSelectField, IsoDateField, VersionedForm, max_length, required


class ResponseForm(VersionedForm):
    """Who drafts, the dates, the proposed decision; the answers are added per recommendation."""

    status = SelectField(_l("Status"))
    responsible_id = IdSelectField(_l("Drafted by (responsible)"))
    input_contact_id = IdSelectField(_l("Contact for the division's input"))
    input_due = IsoDateField(_l("Input to the draft due by"))
    response_due = IsoDateField(_l("Response to the auditors due by"))
    dnr = StringField(_l("The matter's registry number (Dnr)"), validators=[max_length(50)])
    dated = IsoDateField(_l("Date of the response"))
    proposed_decision = TextAreaField(
        _l("Proposed decision"), validators=[max_length(4000)], render_kw={"rows": 3}
    )


def answer_form(recommendations: list[tuple[int, str]], data=None, obj_values=None) -> ResponseForm:
    """Return a response form with a position and an answer field per (id, number)."""

    class AnswerForm(ResponseForm):
        pass

    for id_, number in recommendations:
        setattr(
            AnswerForm,
            f"position_{id_}",
            RadioField(
                _l("Position on recommendation %(number)s", number=number),
                choices=[("", _l("Not decided yet"))] + labels.choices(labels.POSITIONS),
                default="",
                validators=[Optional()],
            ),
        )
        setattr(
            AnswerForm,
            f"answer_{id_}",
            TextAreaField(
                _l("Answer to recommendation %(number)s", number=number),
                validators=[max_length(10000)],
                render_kw={"rows": 4},
            ),
        )
    return AnswerForm(formdata=data, data=obj_values)


class PromiseForm(Form):
    """A measure the answer promises."""

    recommendation_id = IdSelectField(_l("Answers recommendation"), validators=[required()])
    title = StringField(_l("Measure"), validators=[required(), max_length(300)])
    owner_id = IdSelectField(_l("Responsible"), validators=[required()])
    due_date = IsoDateField(_l("Done by"), validators=[required()])


class AdoptForm(Form):
    """The body's decision that adopts the answer."""

    adopted_on = IsoDateField(_l("Meeting date"), validators=[required()])
    paragraph = StringField(_l("Paragraph (§)"), validators=[required(), max_length(20)])
    dnr = StringField(_l("Registry number (Dnr)"), validators=[required(), max_length(50)])
    decision_text = TextAreaField(
        _l("Decision text"), validators=[required(), max_length(4000)], render_kw={"rows": 3}
    )


class FindingForm(Form):
    """The auditors' assessment, in a follow-up review, of an earlier recommendation."""

    recommendation_id = IdSelectField(_l("Earlier recommendation"), validators=[required()])
    assessment = SelectField(_l("The auditors' assessment"), validators=[required()])
    text = TextAreaField(
        _l("What the auditors found"), validators=[max_length(4000)], render_kw={"rows": 3}
    )
