"""One way to commit: a view saves in a saving() block or calls a service that commits."""

import ast
from functools import cache

import pytest
from sqlmodel import select

from tests.conftest import fresh
from tracker.config import ROOT
from tracker.editing import saving
from tracker.models import Unit

ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _routes(tree: ast.Module) -> bool:
    """Tell whether a module defines a page: a function under a blueprint's route decorator."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
                    return True
    return False


def _commits(tree: ast.Module) -> list[int]:
    """Return the lines that call something's commit()."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]


@cache
def _view_modules() -> dict[str, ast.Module]:
    modules = {}
    for path in (ROOT / "tracker").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(ROOT).as_posix()
        if _routes(tree) or "views" in name:
            modules[name] = tree
    return modules


def test_the_scan_finds_the_view_modules_and_a_commit_in_them():
    modules = _view_modules()
    # Pages that are not in a views.py and a views package are found by their routes.
    for name in ("tracker/home.py", "tracker/followup/views.py", "tracker/api/token_views.py"):
        assert name in modules
    assert any(name.startswith("tracker/indicators/views/") for name in modules)
    assert _commits(ast.parse("def page():\n    get_session().commit()\n")) == [2]


def test_no_view_module_calls_commit_itself():
    found = {name: lines for name, tree in _view_modules().items() if (lines := _commits(tree))}
    assert found == {}


def test_a_refusal_inside_saving_keeps_nothing_it_flushed(session):
    with pytest.raises(LookupError), saving(session):
        session.add(Unit(name="Halv ändring"))
        session.flush()  # written to the transaction, then refused
        raise LookupError("refused")
    with saving(session):
        session.add(Unit(name="Hel ändring"))
    names = set(fresh(session).exec(select(Unit.name)))
    assert "Hel ändring" in names
    assert "Halv ändring" not in names
