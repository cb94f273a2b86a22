"""The search page, and `flask search reindex`."""

import click
from flask import Blueprint, render_template, request
from flask_login import login_required

from tracker.db import get_session, session_scope
from tracker.search import services
from tracker.search.index import KINDS

bp = Blueprint("search", __name__, cli_group="search")

PAGE_SIZE = 20


@bp.get("/search")
@login_required
def results():
    """Search what the user may see and show the hits, a page at a time."""
    session = get_session()
    query = (request.args.get("q") or "").strip()[:200]
    kind = request.args.get("kind") or None
    found = services.search(
        session, query=query, kind=kind, page=request.args.get("page", 1, type=int), size=PAGE_SIZE
    )
    services.link_hits(session, found.hits)
    args = {key: value for key, value in {"q": query, "kind": kind}.items() if value}
    return render_template(
        "search/results.html", query=query, kind=kind, found=found, kinds=KINDS, args=args
    )


@bp.cli.command("reindex")
def reindex():
    """Rebuild the search index from every indexed row (after adding a kind)."""
    with session_scope() as session:
        count = services.rebuild_index(session)
    click.echo(f"indexed {count} rows")
