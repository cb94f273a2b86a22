"""What the yttrande says: the answer as data, from the sender's and the auditors' own rows."""

import re
from datetime import date

from sqlmodel import Session, select

from tracker.dates import SWEDISH_MONTHS
from tracker.models import Body, Meeting, Response, Source, User
from tracker.responses.positions import answers_of


def genitive(name: str) -> str:
    """Return a Swedish name in the genitive: "Regionstyrelsens", "Hälso- och sjukvårdsnämndens"."""
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


def possessive(name: str) -> str:
    """Return a body's name as its owner in the current language: "Regionstyrelsens"."""
    from flask_babel import get_locale

    return genitive(name) if str(get_locale()).startswith("sv") else f"{name}'s"


def letter_date(session: Session, response: Response) -> date | None:
    """Return the yttrande's date: as chosen, else the meeting that adopted it or will."""
    if response.dated or response.adopted_on:
        return response.dated or response.adopted_on
    if response.response_due is None:
        return None
    # The body's last meeting before the answer is due is the one that adopts it.
    return session.exec(
        select(Meeting.held_on)
        .where(Meeting.body_id == response.body_id, Meeting.held_on <= response.response_due)
        .order_by(Meeting.held_on.desc())
    ).first()


def auditors_of(session: Session, source: Source) -> str:
    """Return who the answer goes to: the auditors the report names, else its issuer."""
    if source.auditors:
        return source.auditors
    issuer = source.issuer_id and session.get(Body, source.issuer_id)
    return issuer.name if issuer else ""


def reference_of(source: Source) -> str:
    """Return the reference line: the auditors' letter, its report and firm, its month."""
    parts = [f"Revisionsrapport {source.title}"]
    if source.firm:
        parts.append(source.firm)
    if source.issued_on:
        parts.append(f"{SWEDISH_MONTHS[source.issued_on.month - 1]} {source.issued_on.year}")
    line = ", ".join(parts)
    if source.issued_on:
        line = f"Revisorernas skrivelse {source.issued_on.isoformat()}: {line}"
    return line


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def snapshot_of(session: Session, response: Response) -> dict:
    """Return the answer as plain JSON data: what the body adopts, and the letter around it."""
    source = session.get(Source, response.source_id)
    body = session.get(Body, response.body_id)
    drafter = response.responsible_id and session.get(User, response.responsible_id)
    return {
        "source": {
            "title": source.title,
            "dnr": source.dnr,
            "issued_on": _iso(source.issued_on),
            "firm": source.firm,
            "assessment": source.assessment,
            "reference": reference_of(source),
        },
        "body": body.name,
        "auditors": auditors_of(session, source),
        "dated": _iso(letter_date(session, response)),
        "drafter": drafter.name if drafter else "",
        "response_due": _iso(response.response_due),
        "answers": [
            {
                "number": answer.recommendation.number,
                "recommendation": answer.recommendation.text,
                "position": answer.position.position if answer.position else "",
                "answer": answer.position.answer if answer.position else "",
                "measures": [
                    {
                        "title": linked.measure.title,
                        "owner": linked.owner,
                        "due": _iso(linked.measure.due_date),
                        "status": linked.measure.status,
                        "promised": linked.promised,
                    }
                    for linked in answer.measures
                ],
            }
            for answer in answers_of(session, response)
        ],
        "proposed_decision": response.proposed_decision,
        "adopted_on": _iso(response.adopted_on),
        "paragraph": response.paragraph,
        "dnr": response.dnr,
        "decision_text": response.decision_text,
    }


def file_name(snapshot: dict) -> str:
    """Return the Word file's name from the ärende's dnr and the report's title."""
    dnr = snapshot.get("dnr") or snapshot["source"].get("dnr") or ""
    words = f"Yttrande {dnr} {snapshot['source']['title']}"
    return re.sub(r"[^\w]+", "-", words, flags=re.UNICODE).strip("-")[:150] + ".docx"
