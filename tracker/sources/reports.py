"""Register a source from its report file: check and keep the file, read it, propose, save."""

import re
import time
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker import evidence
from tracker.models import Body, ClosingDecision, RecommendationKind, Source, SourceAttachment
from tracker.recommendations.services import create_recommendation
from tracker.sources.drafts import Draft
from tracker.sources.proposing import BodyName, Proposal, propose
from tracker.sources.reading import ReadError, ReportText, read_report

REPORT_TYPES = (evidence.PDF, evidence.DOCX)
# The names store_evidence gives the files it keeps.
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:pdf|docx)")
# A report uploaded and not saved with a source within this time is removed.
UNSAVED_HOURS = 24


class ReportError(evidence.EvidenceError):
    """A report file that cannot be taken or read; the message tells the user why."""


@dataclass
class ReadReport:
    stored: evidence.StoredEvidence
    text: ReportText
    proposal: Proposal


def _body_names(session: Session) -> list[BodyName]:
    rows = session.exec(select(Body.id, Body.code, Body.name).order_by(Body.id))
    return [BodyName(*row) for row in rows]


def _read(session: Session, data: bytes, media_type: str) -> tuple[ReportText, Proposal]:
    try:
        text = read_report(data, media_type)
    except ReadError as error:
        raise ReportError(str(error)) from error
    return text, propose(text.lines, _body_names(session))


def _report_type(data: bytes) -> tuple[str, str]:
    kind = evidence.detect_type(data)
    if kind not in REPORT_TYPES:
        raise ReportError(
            _("The file's content is not PDF or Word (.docx), whatever its name says.")
        )
    return kind


def receive_report(session: Session, name: str | None, stream) -> ReadReport:
    """Check an uploaded report like an evidence file, keep it, read it and propose."""
    data = evidence.read_upload(stream, evidence.max_bytes())
    name = evidence.check_name(name)
    media_type, _extension = _report_type(data)
    text, proposal = _read(session, data, media_type)
    stored = evidence.store_evidence(name, data)
    remove_unsaved(session)
    return ReadReport(stored, text, proposal)


def remove_unsaved(session: Session) -> int:
    """Remove report files uploaded over UNSAVED_HOURS ago and never saved; return how many."""
    folder = evidence.evidence_dir()
    cutoff = time.time() - UNSAVED_HOURS * 3600
    old = [
        path.name
        for path in folder.iterdir()
        if STORED_NAME.fullmatch(path.name) and path.stat().st_mtime < cutoff
    ]
    if not old:
        return 0
    # Closing decisions keep their evidence files in the same folder.
    kept = set(session.exec(select(SourceAttachment.file).where(SourceAttachment.file.in_(old))))
    kept |= set(
        session.exec(
            select(ClosingDecision.evidence_file).where(ClosingDecision.evidence_file.in_(old))
        )
    )
    unsaved = [name for name in old if name not in kept]
    for name in unsaved:
        (folder / name).unlink(missing_ok=True)
    return len(unsaved)


def reread_report(session: Session, file: str, name: str) -> ReadReport:
    """Read again a report kept by receive_report and not yet attached to anything."""
    path = evidence.evidence_path(file) if STORED_NAME.fullmatch(file or "") else None
    taken = session.exec(select(SourceAttachment.id).where(SourceAttachment.file == file)).first()
    used = session.exec(
        select(ClosingDecision.id).where(ClosingDecision.evidence_file == file)
    ).first()
    if path is None or taken is not None or used is not None:
        raise ReportError(_("The uploaded report is no longer here. Upload it again."))
    data = path.read_bytes()
    media_type, _extension = _report_type(data)
    text, proposal = _read(session, data, media_type)
    stored = evidence.StoredEvidence(
        name=evidence.check_name(name), file=file, media_type=media_type, size=len(data)
    )
    return ReadReport(stored, text, proposal)


def attach_report(
    session: Session, source: Source, report: ReadReport, *, user_id: int | None
) -> SourceAttachment:
    """Keep the report file and its text with the source, with what was proposed from it."""
    attachment = SourceAttachment(
        source_id=source.id,
        name=report.stored.name,
        file=report.stored.file,
        media_type=report.stored.media_type,
        size=report.stored.size,
        pages=report.text.pages,
        text=report.text.text,
        proposal=report.proposal.as_json(),
        uploaded_by_id=user_id,
    )
    session.add(attachment)
    session.flush()
    return attachment


def add_recommendations(session: Session, source: Source, drafts: list[Draft]) -> int:
    """Create the source's recommendations from the drafts the secretary kept; return how many."""
    for draft in drafts:
        create_recommendation(
            session,
            values={
                "source_id": source.id,
                "number": draft.number,
                "kind": RecommendationKind.RECOMMENDATION,
                "text": draft.text,
            },
            references=[],
        )
    return len(drafts)


def attachments(session: Session, source_id: int) -> list[SourceAttachment]:
    """Return the report files kept with a source."""
    query = select(SourceAttachment).where(SourceAttachment.source_id == source_id)
    return list(session.exec(query.order_by(SourceAttachment.id)))
