"""What a reminder may tell its recipient: the visibility rule, applied to each person told.

The scheduler reads every open item (it works for the system), so each reminder and digest
is checked against its recipient with `hidden_sources`, the rule every page uses: a restricted
source's items reach only the people who may see that source (decision 0028).
"""

from collections import defaultdict
from dataclasses import replace

from sqlalchemy import literal, union_all
from sqlmodel import Session

from tracker.auth.visibility import hidden_sources


class Readers:
    """The sources each recipient may not see, read for everyone told in a few queries."""

    def __init__(self, session: Session, users):
        """Read, for each of the users, the sources hidden from them: one query per 200."""
        self.hidden: dict[int, frozenset[int]] = {}
        queries = []
        for user in {user.id: user for user in users}.values():
            query = hidden_sources(user)
            if query is None:
                self.hidden[user.id] = frozenset()
            else:
                queries.append((user.id, query.add_columns(literal(user.id).label("viewer"))))
        for start in range(0, len(queries), 200):
            batch = queries[start : start + 200]
            found: dict[int, set[int]] = defaultdict(set)
            for source_id, viewer in session.exec(union_all(*(query for _id, query in batch))):
                found[viewer].add(source_id)
            for user_id, _query in batch:
                self.hidden[user_id] = frozenset(found[user_id])

    def hidden_from(self, user) -> frozenset[int]:
        """Return the ids of the sources the user may not see."""
        return self.hidden[user.id]


def told(item, hidden: frozenset[int]):
    """Return the item as someone who may not see the hidden sources may be told it, or None."""
    if not item.source_ids & hidden:
        return item
    if item.type != "meeting":
        return None
    # A meeting's papers: only the lines of the items the person may see.
    papers = {
        owner: [line for line in lines if item.paper_sources.get(line[0]) not in hidden]
        for owner, lines in item.papers.items()
    }
    papers = {owner: lines for owner, lines in papers.items() if lines}
    return replace(item, papers=papers, source_ids=item.source_ids - hidden) if papers else None


def _told_digest(digest, hidden: frozenset[int]):
    """Return the digest without the items of hidden sources."""
    return replace(
        digest,
        **{
            part: [shown for item in getattr(digest, part) if (shown := told(item, hidden))]
            for part in ("overdue", "due_soon", "later")
        },
    )


def for_readers(session: Session, dues: list) -> list:
    """Return the reminders as each recipient may read them: a hidden item is left out."""
    readers = Readers(session, [due.recipient for due in dues])
    result = []
    for due in dues:
        hidden = readers.hidden_from(due.recipient)
        if not hidden:
            result.append(due)
        elif due.item is not None:
            item = told(due.item, hidden)
            if item is not None:
                result.append(replace(due, item=item))
        else:
            digest = _told_digest(due.digest, hidden)
            if not digest.empty:
                result.append(replace(due, digest=digest))
    return result
