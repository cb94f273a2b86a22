"""Who may call each route of registering a source from its report file: tests/test_roles.py."""

from tests.roles import EDITORS, SIGNED_IN, UNSEEN, Rule
from tracker import evidence
from tracker.models import SourceAttachment

RULES = {
    # Reading a report proposes a source; saving it is the "New source" form's POST.
    "sources.read_report": Rule(post=EDITORS),
    "sources.attachment": Rule(get=SIGNED_IN, unseen=UNSEEN),
}


def add_to_world(*, make, session, users, args):
    """Keep a report file with the test world's source."""
    stored = evidence.store_evidence("revisionsrapport.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = SourceAttachment(
        source_id=args["source_id"],
        name=stored.name,
        file=stored.file,
        media_type=stored.media_type,
        size=stored.size,
        text="Vi rekommenderar regionstyrelsen att följa upp.",
    )
    session.add(attachment)
    session.commit()
    return {"attachment_id": attachment.id}
