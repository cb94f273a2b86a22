"""What the API reads and writes: pydantic models, from which the OpenAPI description is made.

The shapes of rows sent out are made from the SQLModel tables themselves, so that a new
column shows up in the API and its description without a second list of fields.
"""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlmodel import SQLModel

from tracker.models import (
    Body,
    DateMove,
    ImplementationGrade,
    Indicator,
    Judgement,
    Measure,
    MeasureStatus,
    Meeting,
    Outcome,
    Period,
    Perspective,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    Source,
    SourceKind,
    StatusUpdate,
)

# Ids fit PostgreSQL's integer; text carries no NUL, which PostgreSQL cannot store.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
NO_NUL = r"^[^\x00]*$"
SOME_TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"


def chars(limit: int, *, required: bool = False):
    """Return a string type of at most limit characters, not blank when required."""
    return Annotated[str, Field(max_length=limit, pattern=SOME_TEXT if required else NO_NUL)]


Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]


# Problems (RFC 9457).


class FieldProblem(BaseModel):
    field: str = Field(description="The field in error, dotted for nested ones: 'title'.")
    message: str


class Problem(BaseModel):
    """An error, as application/problem+json."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldProblem] = Field(default_factory=list)
    current: dict[str, Any] | None = Field(
        default=None, description="On a 409: the row as it is saved now, with its version."
    )


# Rows sent out.


class Row(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def row_model(table: type[SQLModel], *, name: str | None = None, **extra: Any) -> type[Row]:
    """Return the model of a table's rows as sent out: every column, and extra fields."""
    fields: dict[str, Any] = {}
    for key, info in table.model_fields.items():
        annotation = int if key == "id" else info.annotation
        fields[key] = (annotation, ...)
    fields.update(extra)
    return create_model(name or table.__name__, __base__=Row, **fields)


class DecisionReferenceOut(BaseModel):
    body_id: int
    body_code: str
    decided_on: date
    paragraph: str
    dnr: str = Field(default="", description="The decision's registry number, when given.")
    text: str = Field(description="As the region writes it: 'RS 170301 § 52, dnr …'.")


class AnswerOut(BaseModel):
    body_id: int = Field(description="The addressee whose response this is.")
    response_id: int
    response_status: str = Field(description="not_started, drafting, sent_for_input, adopted, sent")
    position: str = Field(description="agrees, partly_agrees, disagrees; empty until taken")
    answer: str
    measure_ids: list[int] = Field(description="The measures the answer promises.")


GradeOut = row_model(ImplementationGrade, name="GradeOut")
DateMoveOut = row_model(DateMove, name="DateMoveOut")
BodyOut = row_model(Body)
MeetingOut = row_model(Meeting)
SourceOut = row_model(Source)
RecommendationOut = row_model(
    Recommendation,
    decision_references=(list[DecisionReferenceOut], ...),
    answers=(
        list[AnswerOut],
        Field(description="Each addressee's response to an audit report's recommendation."),
    ),
    deadline=(date | None, Field(description="due_date, else the due meeting's date")),
    deadline_words=(
        str,
        Field(
            description="The deadline as the documents give it in words: 'våren 2018', "
            "'Årligen', 'Vid varje sammanträde'; empty when only a date is given"
        ),
    ),
    deadline_assumed=(
        bool,
        Field(description="The deadline's date is one the seed had to assume ('antaget')"),
    ),
    overdue=(bool, ...),
    grades=(
        list[GradeOut],
        Field(description="The latest grade by the board and by the auditors (grader)."),
    ),
    date_moves=(
        list[DateMoveOut],
        Field(description="Each move of the deadline, oldest first; original_due_date stays."),
    ),
)
MeasureOut = row_model(
    Measure,
    recommendation_ids=(list[int], ...),
    indicator_ids=(list[int], ...),
    overdue=(bool, ...),
    date_moves=(list[DateMoveOut], Field(description="Each move of the due date, oldest first.")),
)
StatusUpdateOut = row_model(StatusUpdate)
IndicatorOut = row_model(Indicator)
OutcomeOut = row_model(Outcome)


def page_model(item: type[BaseModel]) -> type[BaseModel]:
    """Return the model of one page of a list of items."""
    return create_model(
        f"{item.__name__}Page",
        items=(list[item], ...),
        total=(int, Field(description="Rows that match, on all pages.")),
        page=(int, ...),
        pages=(int, ...),
        next=(str | None, Field(description="The next page's URL; null on the last page.")),
    )


# Query strings: the filters of the list pages.


class Paging(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=50, ge=1, le=200)


class MeetingQuery(Paging):
    body: Id | None = None


class SourceQuery(Paging):
    body: Id | None = None
    kind: SourceKind | None = None
    q: chars(200) | None = None


class RecommendationQuery(Paging):
    body: Id | None = None
    source: Id | None = None
    kind: RecommendationKind | None = None
    theme: chars(100) | None = None
    status: RecommendationStatus | None = None
    responsible: Id | None = None
    unit: Id | None = None
    overdue: bool = False


class MeasureQuery(Paging):
    status: MeasureStatus | None = None
    owner: Id | None = None
    unit: Id | None = None
    theme: chars(100) | None = None
    source: Id | None = None
    overdue: bool = False


class StatusUpdateQuery(Paging):
    recommendation: Id | None = None
    measure: Id | None = None


class IndicatorQuery(Paging):
    perspective: Perspective | None = None


class OutcomeQuery(Paging):
    indicator: Id | None = None
    year: int | None = Field(default=None, ge=1900, le=2200)
    period: Period | None = None
    unit: Id | None = None


# Bodies of writes.


class Write(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceIn(Write):
    kind: SourceKind
    title: chars(300, required=True)
    dnr: chars(50) = ""
    issuer_id: Id | None = None
    addressee_id: Id | None = None
    meeting_id: Id | None = None
    paragraph: chars(20) = ""
    issued_on: date | None = None
    auditors: chars(300) = ""
    firm: chars(200) = ""
    response_due: date | None = None
    summary: chars(10000) = ""


DecisionReferenceText = Annotated[
    str, Field(max_length=40, pattern=NO_NUL, examples=["RS 170301 § 52"])
]


class RecommendationChange(Write):
    """The fields a recommendation's write may set."""

    number: chars(20) = ""
    kind: RecommendationKind = RecommendationKind.RECOMMENDATION
    text: chars(10000, required=True)
    theme: chars(100) = ""
    responsible_id: Id | None = None
    unit_id: Id | None = None
    status: RecommendationStatus = RecommendationStatus.OPEN
    due_date: date | None = None
    due_meeting_id: Id | None = None
    decision_references: list[DecisionReferenceText] = Field(default_factory=list, max_length=20)


class RecommendationIn(RecommendationChange):
    source_id: Id


class MeasureChange(Write):
    """The fields a measure's write may set."""

    number: chars(20) = ""
    title: chars(300, required=True)
    description: chars(10000) = ""
    goal: chars(1000) = ""
    theme: chars(100) = ""
    owner_id: Id | None = None
    unit_id: Id | None = None
    start_date: date | None = None
    due_date: date | None = None
    status: MeasureStatus = MeasureStatus.PLANNED
    judgement: Judgement | None = None
    recommendation_ids: list[Id] = Field(default_factory=list, max_length=100)
    indicator_ids: list[Id] = Field(default_factory=list, max_length=100)


class MeasureIn(MeasureChange):
    """A new measure."""


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def patch_model(change: type[Write], name: str, **extra: Any) -> type[Write]:
    """Return a model of a partial change: every field optional, and the version read."""
    fields: dict[str, Any] = {}
    for key, info in change.model_fields.items():
        # The constraints (length, pattern) ride along in the field's metadata.
        kept = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        # Left out means unchanged: the default is not validated, so null stays refused
        # where the column takes no null.
        fields[key] = (kept, Field(default=None, json_schema_extra=_no_default))
    fields["version"] = (
        int,
        Field(ge=1, le=MAX_ID, description="The version read; a stale one answers 409."),
    )
    fields.update(extra)
    return create_model(name, __base__=Write, **fields)


# A set deadline that moves needs both: the original, the reason and who agreed are kept.
DATE_MOVE = {
    "due_date_reason": (chars(1000), Field(default="", description="Why a set date moves.")),
    "due_date_agreed_by": (
        chars(300),
        Field(default="", description="Who agreed to the move, or the decision that moved it."),
    ),
}
RecommendationPatch = patch_model(RecommendationIn, "RecommendationPatch", **DATE_MOVE)
MeasurePatch = patch_model(MeasureChange, "MeasurePatch", **DATE_MOVE)


class StatusUpdateIn(Write):
    recommendation_id: Id | None = Field(default=None, description="This, or measure_id.")
    measure_id: Id | None = Field(default=None, description="This, or recommendation_id.")
    text: chars(10000, required=True)
    status: RecommendationStatus | MeasureStatus = Field(
        description="The status it sets: a recommendation's or a measure's."
    )
    judgement: Judgement | None = Field(default=None, description="Measures only.")
    reported_on: date | None = Field(default=None, description="Today if left out.")


class OutcomeIn(Write):
    indicator_id: Id
    year: int = Field(ge=1900, le=2200)
    period: Period
    unit_id: Id | None = Field(default=None, description="null: the outcome overall.")
    value: Number | None = None
    women: Number | None = None
    men: Number | None = None
    note: chars(500) = ""
