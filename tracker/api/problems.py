"""Errors as application/problem+json (RFC 9457), naming the fields in error."""

from flask import jsonify
from flask_babel import gettext as _

MEDIA_TYPE = "application/problem+json"


class ApiProblem(Exception):
    """An error the API answers with a problem document."""

    def __init__(self, status: int, title: str, *, detail: str = "", errors=(), current=None):
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = [{"field": field, "message": message} for field, message in errors]
        self.current = current


def invalid(errors: list[tuple[str, str]]) -> ApiProblem:
    """Return the 422 problem for fields in error."""
    return ApiProblem(
        422, _("The request has fields in error."), detail=errors[0][1], errors=errors
    )


def response(problem: ApiProblem):
    """Return the problem as a response."""
    body = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "errors": problem.errors,
    }
    if problem.current is not None:
        body["current"] = problem.current
    result = jsonify(body)
    result.status_code = problem.status
    result.mimetype = MEDIA_TYPE
    if problem.status == 401:
        result.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return result


def from_validation(error) -> ApiProblem:
    """Turn pydantic's validation errors into a 422 problem naming each field."""
    errors = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        errors.append((".".join(location) or "body", item.get("msg", "")))
    return invalid(errors or [("body", _("The request could not be read."))])
