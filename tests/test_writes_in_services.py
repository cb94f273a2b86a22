"""Writes live in services: no page adds, deletes or updates a row itself, so the page and the
API that save the same thing call the same function."""

import ast

from tests.test_one_way_to_commit import _view_modules

WRITES = {"add", "add_all", "delete", "merge"}


def _session(node: ast.expr) -> bool:
    """Tell whether an expression is the database session: a name or get_session()."""
    if isinstance(node, ast.Name):
        return "session" in node.id
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get_session"
    )


def _write(func: ast.expr) -> bool:
    """Tell whether a called function writes a row: session.add/delete/merge, or update_row."""
    if isinstance(func, ast.Attribute):
        return func.attr in WRITES and _session(func.value)
    return isinstance(func, ast.Name) and func.id == "update_row"


def _writes(tree: ast.Module) -> list[int]:
    """Return the lines that write a row."""
    return [
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and _write(node.func)
    ]


def test_the_scan_finds_a_write_in_a_page():
    page = "def page():\n    session = get_session()\n    session.add(Unit())\n"
    assert _writes(ast.parse(page)) == [3]
    assert _writes(ast.parse("def page():\n    get_session().delete(row)\n")) == [2]
    assert _writes(ast.parse("def page():\n    update_row(s, row, version=1, values={})\n")) == [2]
    assert _writes(ast.parse("def page():\n    drafts.add(x)\n    services.save(s)\n")) == []


def test_no_page_writes_a_row_itself():
    found = {name: lines for name, tree in _view_modules().items() if (lines := _writes(tree))}
    assert found == {}
