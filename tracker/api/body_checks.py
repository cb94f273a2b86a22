"""Bodies the API refuses before anything reads them: too deeply nested, or control characters."""

import re

from flask import request
from flask_babel import gettext as _

from tracker.api.problems import ApiProblem, invalid
from tracker.forms import CONTROL_MESSAGE
from tracker.text import has_control

MAX_DEPTH = 32  # our deepest document is three levels; Python's parsers recurse per level
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def depth(body: bytes) -> int:
    """Return how deep a JSON text's arrays and objects nest (brackets in strings ignored)."""
    deepest = level = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub(b"", body)):
        level += 1 if bracket[0] in b"[{" else -1
        deepest = max(deepest, level)
    return deepest


def refuse_deep_json() -> None:
    """Answer 400 problem+json to a body nested deeper than MAX_DEPTH."""
    if request.method in ("POST", "PATCH", "PUT") and depth(request.get_data()) > MAX_DEPTH:
        raise ApiProblem(
            400,
            _("The request could not be read."),
            detail=_("JSON nested deeper than %(depth)d levels is refused.", depth=MAX_DEPTH),
        )


def _control_characters(value, path: str):
    """Yield the path of every string (or key) in a JSON value holding a control character."""
    if isinstance(value, str):
        if has_control(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield from [where] if has_control(str(key)) else _control_characters(item, where)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _control_characters(item, f"{path}.{position}" if path else str(position))


def refuse_control_characters() -> None:
    """Answer 422 naming each field whose text holds control characters, as the forms do."""
    if request.method in ("POST", "PATCH", "PUT") and request.is_json:
        fields = list(_control_characters(request.get_json(silent=True), ""))
        if fields:
            raise invalid([(field, str(CONTROL_MESSAGE)) for field in fields])
