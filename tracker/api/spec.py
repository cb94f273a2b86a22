"""The OpenAPI 3.1 description, made by spectree from the pydantic models of tracker/api/schemas."""

import copy

from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree

from tracker.api.problems import MEDIA_TYPE, from_validation
from tracker.api.schemas import Problem


def _refuse_invalid(_request, _response, error, _instance, _adapter) -> None:
    # Raised rather than answered here, so that the blueprint's handler writes a problem.
    if error is not None:
        raise from_validation(error)


spec = SpecTree(
    "flask",
    title="Tracker API",
    version="1",
    description=(
        "Bodies, meetings, sources, recommendations, measures, status updates, indicators "
        "and outcomes of the tracker. Send a personal API token (made on the settings page) "
        "as `Authorization: Bearer <token>`; the token's user's role decides what it may do."
    ),
    path="api/v1/spectree",  # spectree's own pages are not registered: see openapi()
    mode="strict",
    # Plain names in the description: "Measure", not spectree's default "Measure.a481ba1".
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    annotations=True,
    before=_refuse_invalid,
    validation_error_model=Problem,
    security_schemes=[
        SecurityScheme(name="bearer", data=SecuritySchemeData(type="http", scheme="bearer"))
    ],
    security={"bearer": []},
)

# The answers every operation can give besides its own.
COMMON = {"HTTP_401": Problem, "HTTP_429": Problem}


def answers(*codes: int, **models) -> Response:
    """Return an operation's responses: its own models, problems for the codes, and COMMON."""
    problems = {f"HTTP_{code}": Problem for code in codes}
    return Response(**COMMON, **problems, **models)


def openapi() -> dict:
    """Return the description, with errors as application/problem+json."""
    description = copy.deepcopy(spec.spec)
    for operations in description["paths"].values():
        for operation in operations.values():
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if int(code) >= 400 and "application/json" in content:
                    content[MEDIA_TYPE] = content.pop("application/json")
    return description
