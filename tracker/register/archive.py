"""The archive package of a closed source: an E-ARK SIP (the format FGS 2.0 adopts).

<package>/METS.xml lists every file with its SHA-256 (the manifest); metadata/preservation/
premis.xml holds the files' fixity and the package's events; representations/rep1/data/ holds
the report, the answers, the decisions with their evidence, the change log and the follow-up
lists the items appeared on, the PDFs as PDF/A (README, "The archive package").
"""

import hashlib
import io
import json
import mimetypes
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, render_template
from sqlmodel import Session, or_, select

from tracker import pdf_process
from tracker.evidence import evidence_path
from tracker.followup.services.kept_lists import report_from_snapshot
from tracker.models import (
    CLOSED_RECOMMENDATION_STATUSES,
    ChangeLog,
    ClosedItem,
    ClosingDecision,
    KeptList,
    Recommendation,
    RecommendationMeasure,
    Response,
    ResponsePosition,
    Source,
    SourceAttachment,
    StatusUpdate,
)

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
PREMIS = "http://www.loc.gov/premis/v3"
PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
ET.register_namespace("mets", METS)
ET.register_namespace("xlink", XLINK)
ET.register_namespace("csip", CSIP)
ET.register_namespace("premis", PREMIS)


# The package's folder of data files (E-ARK's first representation).
DATA = "representations/rep1/data"


class NotClosed(ValueError):
    """Only a source whose every item is closed is archived."""


@dataclass
class Entry:
    path: str  # inside the package folder
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.path)[0] or "application/octet-stream"


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _row(row) -> dict:
    return row.model_dump(mode="json")


def package_name(source: Source) -> str:
    """Return the package's name and OBJID: the source's id and registry number."""
    dnr = re.sub(r"[^A-Za-z0-9]+", "-", source.dnr or "").strip("-")
    return f"tracker-source-{source.id}" + (f"-{dnr}" if dnr else "")


def contents(session: Session, source: Source) -> list[Entry]:
    """Gather the source's documents and records as the package's data files."""
    items = list(session.exec(select(Recommendation).where(Recommendation.source_id == source.id)))
    if not items or any(i.status not in CLOSED_RECOMMENDATION_STATUSES for i in items):
        raise NotClosed(source.id)
    ids = [item.id for item in items]
    return [
        *_report_files(session, source),
        _records(session, source, items),
        *_decision_files(session, ids),
        _changelog(session, source, ids),
        Entry(
            f"{DATA}/source.pdf", _pdf("register/archive_source.html", source=source, items=items)
        ),
        *_kept_lists(session, ids),
    ]


def _report_files(session: Session, source: Source) -> list[Entry]:
    """Return the report's files as uploaded, those still in the evidence folder."""
    entries = []
    for attachment in session.exec(
        select(SourceAttachment).where(SourceAttachment.source_id == source.id)
    ):
        path = evidence_path(attachment.file)
        if path and path.exists():
            entries.append(Entry(f"{DATA}/report/{Path(attachment.name).name}", path.read_bytes()))
    return entries


def _records(session: Session, source: Source, items: list[Recommendation]) -> Entry:
    """Return the source, its items, their updates, the answers and their positions as JSON."""
    ids = [item.id for item in items]
    updates = session.exec(select(StatusUpdate).where(StatusUpdate.recommendation_id.in_(ids)))
    responses = list(session.exec(select(Response).where(Response.source_id == source.id)))
    positions = session.exec(
        select(ResponsePosition).where(ResponsePosition.response_id.in_([r.id for r in responses]))
    )
    return Entry(
        f"{DATA}/source.json",
        _json(
            {
                "source": _row(source),
                "items": [_row(i) for i in items],
                "status_updates": [_row(u) for u in updates],
                "answers": [_row(r) for r in responses],
                "positions": [_row(p) for p in positions],
            }
        ),
    )


def _decision_files(session: Session, ids: list[int]) -> list[Entry]:
    """Return each closing decision of the items as JSON, with its evidence file if kept."""
    decisions = session.exec(
        select(ClosingDecision)
        .join(ClosedItem, ClosedItem.decision_id == ClosingDecision.id)
        .where(ClosedItem.recommendation_id.in_(ids))
        .distinct()
    )
    entries = []
    for decision in decisions:
        entries.append(
            Entry(f"{DATA}/decisions/decision-{decision.id}.json", _json(_row(decision)))
        )
        path = decision.evidence_file and evidence_path(decision.evidence_file)
        if path and path.exists():
            name = Path(decision.evidence_name).name or path.name
            entries.append(Entry(f"{DATA}/decisions/{decision.id}-{name}", path.read_bytes()))
    return entries


def _changelog(session: Session, source: Source, ids: list[int]) -> Entry:
    """Return the change log of the source, its items and their measures as JSON."""
    measure_ids = list(
        session.exec(
            select(RecommendationMeasure.measure_id).where(
                RecommendationMeasure.recommendation_id.in_(ids)
            )
        )
    )
    log = session.exec(
        select(ChangeLog)
        .where(
            or_(
                (ChangeLog.entity == "source") & (ChangeLog.entity_id == source.id),
                (ChangeLog.entity == "recommendation") & ChangeLog.entity_id.in_(ids),
                (ChangeLog.entity == "measure") & ChangeLog.entity_id.in_(measure_ids or [0]),
            )
        )
        .order_by(ChangeLog.id)
    )
    return Entry(f"{DATA}/changelog.json", _json([_row(row) for row in log]))


def _kept_lists(session: Session, ids: list[int]) -> list[Entry]:
    """Return each kept follow-up list that shows one of the items, as PDF and as JSON."""
    entries = []
    for kept in session.exec(select(KeptList).order_by(KeptList.id)):
        if any(row.get("id") in ids for row in _snapshot_rows(kept.snapshot)):
            report = report_from_snapshot(kept.snapshot)
            entries.append(
                Entry(
                    f"{DATA}/lists/kept-list-{kept.id}.pdf",
                    _pdf("followup/print.html", report=report),
                )
            )
            entries.append(Entry(f"{DATA}/lists/kept-list-{kept.id}.json", _json(kept.snapshot)))
    return entries


def _snapshot_rows(snapshot: dict) -> list[dict]:
    return [row for group in snapshot.get("groups", []) for row in group.get("rows", [])]


def _pdf(template: str, **context) -> bytes:
    """Render a page as PDF/A-3a, the archival PDF, tagged."""
    static = Path(current_app.static_folder)
    html = render_template(template, **context)
    return pdf_process.render_pdf(
        html, [static / "print.css", static / "followup.css"], variant="pdf/a-3a"
    )


def _premis(entries: list[Entry], now: str) -> bytes:
    root = ET.Element(f"{{{PREMIS}}}premis", {"version": "3.0"})
    for entry in entries:
        obj = ET.SubElement(
            root,
            f"{{{PREMIS}}}object",
            {"{http://www.w3.org/2001/XMLSchema-instance}type": "premis:file"},
        )
        identifier = ET.SubElement(obj, f"{{{PREMIS}}}objectIdentifier")
        ET.SubElement(identifier, f"{{{PREMIS}}}objectIdentifierType").text = "local"
        ET.SubElement(identifier, f"{{{PREMIS}}}objectIdentifierValue").text = entry.path
        characteristics = ET.SubElement(obj, f"{{{PREMIS}}}objectCharacteristics")
        fixity = ET.SubElement(characteristics, f"{{{PREMIS}}}fixity")
        ET.SubElement(fixity, f"{{{PREMIS}}}messageDigestAlgorithm").text = "SHA-256"
        ET.SubElement(fixity, f"{{{PREMIS}}}messageDigest").text = entry.sha256
        ET.SubElement(characteristics, f"{{{PREMIS}}}size").text = str(len(entry.data))
        format_ = ET.SubElement(characteristics, f"{{{PREMIS}}}format")
        designation = ET.SubElement(format_, f"{{{PREMIS}}}formatDesignation")
        ET.SubElement(designation, f"{{{PREMIS}}}formatName").text = entry.mimetype
    event = ET.SubElement(root, f"{{{PREMIS}}}event")
    identifier = ET.SubElement(event, f"{{{PREMIS}}}eventIdentifier")
    ET.SubElement(identifier, f"{{{PREMIS}}}eventIdentifierType").text = "UUID"
    ET.SubElement(identifier, f"{{{PREMIS}}}eventIdentifierValue").text = str(uuid.uuid4())
    ET.SubElement(event, f"{{{PREMIS}}}eventType").text = "creation"
    ET.SubElement(event, f"{{{PREMIS}}}eventDateTime").text = now
    agent = ET.SubElement(root, f"{{{PREMIS}}}agent")
    identifier = ET.SubElement(agent, f"{{{PREMIS}}}agentIdentifier")
    ET.SubElement(identifier, f"{{{PREMIS}}}agentIdentifierType").text = "local"
    ET.SubElement(identifier, f"{{{PREMIS}}}agentIdentifierValue").text = "tracker"
    ET.SubElement(agent, f"{{{PREMIS}}}agentName").text = "tracker"
    ET.SubElement(agent, f"{{{PREMIS}}}agentType").text = "software"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _mets(name: str, source: Source, entries: list[Entry], now: str) -> bytes:
    root = ET.Element(
        f"{{{METS}}}mets",
        {
            "OBJID": name,
            "LABEL": source.title,
            "TYPE": "Other",
            f"{{{CSIP}}}OTHERTYPE": "Audit recommendations follow-up",
            f"{{{CSIP}}}CONTENTINFORMATIONTYPE": "MIXED",
            "PROFILE": PROFILE,
        },
    )
    header = ET.SubElement(
        root,
        f"{{{METS}}}metsHdr",
        {"CREATEDATE": now, "RECORDSTATUS": "NEW", f"{{{CSIP}}}OAISPACKAGETYPE": "SIP"},
    )
    agent = ET.SubElement(
        header, f"{{{METS}}}agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"}
    )
    ET.SubElement(agent, f"{{{METS}}}name").text = "tracker"
    amd = ET.SubElement(root, f"{{{METS}}}amdSec", {"ID": "amd-1"})
    premis = ET.SubElement(amd, f"{{{METS}}}digiprovMD", {"ID": "digiprov-premis"})
    ET.SubElement(
        premis,
        f"{{{METS}}}mdRef",
        {
            "LOCTYPE": "URL",
            "MDTYPE": "PREMIS",
            f"{{{XLINK}}}type": "simple",
            f"{{{XLINK}}}href": "metadata/preservation/premis.xml",
        },
    )
    file_sec = ET.SubElement(root, f"{{{METS}}}fileSec", {"ID": "filesec-1"})
    group = ET.SubElement(
        file_sec, f"{{{METS}}}fileGrp", {"ID": "rep1", "USE": "Representations/rep1"}
    )
    for number, entry in enumerate(entries, start=1):
        file_ = ET.SubElement(
            group,
            f"{{{METS}}}file",
            {
                "ID": f"file-{number}",
                "MIMETYPE": entry.mimetype,
                "SIZE": str(len(entry.data)),
                "CREATED": now,
                "CHECKSUM": entry.sha256,
                "CHECKSUMTYPE": "SHA-256",
            },
        )
        ET.SubElement(
            file_,
            f"{{{METS}}}FLocat",
            {"LOCTYPE": "URL", f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": entry.path},
        )
    struct = ET.SubElement(root, f"{{{METS}}}structMap", {"TYPE": "PHYSICAL", "LABEL": "CSIP"})
    top = ET.SubElement(struct, f"{{{METS}}}div", {"LABEL": name})
    ET.SubElement(top, f"{{{METS}}}div", {"LABEL": "Metadata", "ADMID": "digiprov-premis"})
    rep = ET.SubElement(top, f"{{{METS}}}div", {"LABEL": "Representations/rep1"})
    for number in range(1, len(entries) + 1):
        ET.SubElement(rep, f"{{{METS}}}fptr", {"FILEID": f"file-{number}"})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def archive_package(session: Session, source: Source) -> tuple[str, bytes]:
    """Return the package's file name and the zipped E-ARK SIP of a closed source."""
    name = package_name(source)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    entries = contents(session, source)
    premis = Entry("metadata/preservation/premis.xml", _premis(entries, now))
    described = [*entries, premis]
    mets = _mets(name, source, described, now)
    manifest = "".join(f"{e.sha256}  {e.path}\n" for e in described).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/METS.xml", mets)
        archive.writestr(f"{name}/manifest-sha256.txt", manifest)
        for entry in described:
            archive.writestr(f"{name}/{entry.path}", entry.data)
    return f"{name}.zip", buffer.getvalue()
