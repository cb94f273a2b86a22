"""Evidence files of closing decisions: checked by content, stored outside the web root."""

import io
import logging
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from tracker.files import write_atomically

log = logging.getLogger(__name__)


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


# Signs of macros in an Office package, wherever its parts are and whatever they are called:
# the content type of a VBA project or of a macro-enabled main part, or a relationship to one.
MACRO_SIGNS = ("vbaproject", "macroenabled", "application/vnd.ms-office.vbaproject")
MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# The package's own listings are small; a larger one is not an ordinary document.
LISTING_LIMIT = 1024 * 1024


def _office_kind(data: bytes) -> tuple[str, str] | None:
    texts = _listings(data)
    if texts is None:
        return None
    if any(sign in text for text in texts.values() for sign in MACRO_SIGNS):
        return None  # macros: not taken as evidence
    content_types = texts["[Content_Types].xml"]
    for main, kind in MAIN_PARTS.items():
        if f'contenttype="{main}"' in content_types:
            return kind
    return None


def _listings(data: bytes) -> dict[str, str] | None:
    """Return an Office package's listings in lower case by name; None if not a small package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            listings = [
                info
                for info in archive.infolist()
                if info.filename == "[Content_Types].xml" or info.filename.endswith(".rels")
            ]
            if not any(info.filename == "[Content_Types].xml" for info in listings):
                return None
            if any(info.file_size > LISTING_LIMIT for info in listings):
                return None
            return {
                info.filename: archive.read(info).decode("utf-8", "replace").lower()
                for info in listings
            }
    except (zipfile.BadZipFile, ValueError, OSError):
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
    # Only the app's own user may read evidence: the folder 0700, each file 0600.
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = f"{uuid.uuid4().hex}{extension}"
    try:
        write_atomically(folder / stored, data)
    except OSError as error:
        # A full or read-only disk: the form is shown again with everything typed kept.
        log.error("evidence file not stored: %s", error)
        raise EvidenceError(
            _(
                "The file could not be saved: the server's disk is full or cannot be written. "
                "Nothing was recorded and your text is kept below. Try again later, or save "
                "without the file and add it when the disk has room."
            )
        ) from error
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
