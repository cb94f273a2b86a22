"""Refuse JSON nested deeper than any of our documents, before anything parses it."""

import re

from flask import request
from flask_babel import gettext as _

from tracker.api.problems import ApiProblem

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
