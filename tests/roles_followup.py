"""Who may call each route of the follow-up list: see tests/test_roles.py."""

from datetime import date

from flask import current_app

from tests.roles import SIGNED_IN, Rule, acting
from tracker import evidence
from tracker.auth.permissions import Action
from tracker.followup.services.closing import close_items
from tracker.followup.services.criteria import Criteria
from tracker.followup.services.kept_lists import keep_list
from tracker.followup.services.report import build_report
from tracker.models import Body, Meeting

RULES = {
    # The list and its exports (?format=docx|pdf|xlsx|csv) are for every signed-in role.
    "followup.index": Rule(get=SIGNED_IN),
    "followup.kept": Rule(get=SIGNED_IN),
    "followup.decision": Rule(get=SIGNED_IN),
    "followup.evidence_file": Rule(get=SIGNED_IN),
    # Keeping the record of what a board saw, and recording its decisions.
    "followup.keep": acting(Action.KEEP_FOLLOWUP_LIST, get=False, targeted=False),
    # A decision is a new row: its body and items are checked where the form names them.
    "followup.close": acting(Action.CLOSE_ITEMS, targeted=False),
    # The one-click "reported" an item suggests when its measures are all done.
    "followup.mark_reported": acting(Action.MARK_REPORTED, get=False),
    # Bulk changes of the ticked items; each row is then checked in its body's scope.
    "followup_bulk.show": acting(Action.EDIT_RECOMMENDATION, post=False, targeted=False),
    "followup_bulk.change": acting(Action.EDIT_RECOMMENDATION, get=False, targeted=False),
    # The measures of the list's items as the workbook to edit; the upload checks each row.
    "followup_bulk.measure_workbook": Rule(get=SIGNED_IN),
}


def add_to_world(*, make, session, users, args):
    """Add a kept list and a closing decision with an evidence file to the test world."""
    # The services name things in the request's language.
    with current_app.test_request_context():
        return _make_world(make=make, session=session, users=users, args=args)


def _make_world(*, make, session, users, args):
    meeting = session.get(Meeting, args["meeting_id"])
    report = build_report(session, criteria=Criteria(meeting_id=meeting.id), grouping="theme")
    kept = keep_list(
        session, report=report, meeting_id=meeting.id, params={}, user=users["secretary"]
    )
    closed = make.recommendation(text="Redan avslutad punkt")
    stored = evidence.store_evidence("protokoll.pdf", b"%PDF-1.4\n%%EOF\n")
    decision = close_items(
        session,
        recommendation_ids=[closed.id],
        outcome="closed",
        body_id=session.get(Body, args["body_id"]).id,
        decided_on=date(2030, 3, 1),
        paragraph="12",
        text="Regionstyrelsen beslutar att godkänna vidtagna åtgärder.",
        user=users["secretary"],
        evidence=stored,
    )
    session.commit()
    return {"kept_id": kept.id, "decision_id": decision.id}
