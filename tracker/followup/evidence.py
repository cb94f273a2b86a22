"""Evidence files of closing decisions: checked by content, stored outside the web root."""

import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _


class EvidenceError(ValueError):
    """A file that cannot be kept as evidence; the message tells the user why."""


@dataclass
class StoredEvidence:
    name: str  # the name it was uploaded with, checked
    file: str  # its name in the evidence folder
    media_type: str
    size: int


# (media type, extension) of each kind of file taken, read from its first bytes.
PDF = ("application/pdf", ".pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PNG = ("image/png", ".png")
JPEG = ("image/jpeg", ".jpg")
GIF = ("image/gif", ".gif")
WEBP = ("image/webp", ".webp")
# Characters that make a name a path (or a Windows drive) rather than a file name.
PATH_PARTS = set("/\\:")


def evidence_dir() -> Path:
    """Return the folder of evidence files: EVIDENCE_DIR, else instance/evidence."""
    configured = current_app.config.get("EVIDENCE_DIR")
    if configured:
        return Path(configured)
    instance = current_app.config.get("INSTANCE_DIR") or current_app.instance_path
    return Path(instance) / "evidence"


def max_bytes() -> int:
    """Return the size cap of an evidence file."""
    return int(current_app.config.get("EVIDENCE_MAX_BYTES") or 10 * 1024 * 1024)


def check_name(name: str | None) -> str:
    """Return the uploaded file's name if it is a plain file name; raise EvidenceError if not."""
    name = name or ""
    if any(char in PATH_PARTS for char in name) or name.strip() in ("", ".", ".."):
        raise EvidenceError(
            _("The file name must be a plain name without folders (no / \\ or :). Rename it.")
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise EvidenceError(_("The file name has control characters. Rename the file."))
    if len(name) > 200:
        raise EvidenceError(_("The file name is longer than 200 characters. Rename the file."))
    return name.strip()


def _office_kind(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macros: not taken as evidence
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect_type(data: bytes) -> tuple[str, str] | None:
    """Return (media type, extension) read from a file's content, or None if not taken."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def read_upload(stream, limit: int) -> bytes:
    """Read an upload up to the cap; raise EvidenceError if it is larger."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise EvidenceError(
            _(
                "The file is larger than %(size)s MB. Make it smaller or split it.",
                size=f"{limit / (1024 * 1024):g}",
            )
        )
    if not data:
        raise EvidenceError(_("The file is empty."))
    return data


def check_evidence(name: str | None, data: bytes) -> tuple[str, tuple[str, str]]:
    """Check a file's name and content; return its name and (media type, extension)."""
    name = check_name(name)
    kind = detect_type(data)
    if kind is None:
        raise EvidenceError(
            _(
                "The file's content is not PDF, Word (.docx), Excel (.xlsx) or an image "
                "(PNG, JPEG, GIF, WebP), whatever its name says."
            )
        )
    return name, kind


def store_evidence(name: str | None, data: bytes) -> StoredEvidence:
    """Check and save an evidence file under a name of our own; return what was stored."""
    name, (media_type, extension) = check_evidence(name, data)
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}{extension}"
    partial = folder / f".{stored}.part"
    partial.write_bytes(data)
    # Appears whole or not at all.
    os.replace(partial, folder / stored)
    # The download name says what the content is, whatever the upload's name said.
    if not name.lower().endswith(extension) and not (
        extension == ".jpg" and name.lower().endswith(".jpeg")
    ):
        name = f"{Path(name).stem or 'evidence'}{extension}"
    return StoredEvidence(name=name, file=stored, media_type=media_type, size=len(data))


def discard(stored: StoredEvidence | None) -> None:
    """Remove a stored file whose decision was not saved."""
    if stored is not None:
        (evidence_dir() / stored.file).unlink(missing_ok=True)


def evidence_path(file: str) -> Path | None:
    """Return the path of a stored file, or None if it is missing or outside the folder."""
    folder = evidence_dir().resolve()
    path = (folder / file).resolve()
    if not file or path.parent != folder or not path.is_file():
        return None
    return path
