"""The region's Word template (letterhead): checked, kept, and the start of every Word file."""

import copy
import io
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _

from tracker.evidence import (
    LISTING_LIMIT,
    MACRO_SIGNS,
    EvidenceError,
    check_name,
    evidence_dir,
    read_upload,
)

DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
# A letterhead is a few pictures and styles; anything larger is not one.
MAX_BYTES = 5 * 1024 * 1024
FILE = "letterhead.docx"
ABOUT = "letterhead.json"
# The styles the app writes with; a template without one gets the plain template's.
STYLES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Quote",
    "List Number",
    "List Bullet",
    "Table Grid",
)
# A4 in EMU, and 25 mm margins: the plain template's page.
A4_WIDTH, A4_HEIGHT, MARGIN = 7560310, 10692130, 900430


class LetterheadError(EvidenceError):
    """A template that cannot be used; the message tells the administrator why."""


@dataclass
class Letterhead:
    name: str  # the uploaded file's name
    size: int  # bytes
    uploaded_at: str  # ISO time
    uploaded_by: str  # the administrator's name


def _folder() -> Path:
    return evidence_dir()


def check_template(name: str | None, data: bytes) -> str:
    """Check an uploaded template like evidence: a Word document or template without macros."""
    name = _check_template_name(name)
    names, texts, types = _package_listings(data)
    if any("vbaproject" in part for part in names) or any(
        sign in text for text in texts for sign in MACRO_SIGNS
    ):
        raise LetterheadError(_("The template holds macros. Save it without macros as .dotx."))
    if DOCUMENT_MAIN not in types and TEMPLATE_MAIN not in types:
        raise LetterheadError(
            _("The file's content is not a Word template, whatever its name says.")
        )
    try:
        _open(data)
    except Exception:  # noqa: BLE001 - whatever python-docx cannot read is refused
        raise LetterheadError(_("Word could not read this template. Save it again.")) from None
    return name


def _check_template_name(name: str | None) -> str:
    """Return the file's name if it is a plain one of a Word template or document."""
    name = check_name(name)
    if name.lower().endswith((".docm", ".dotm")):
        raise LetterheadError(
            _("Macro-enabled Word files (.docm, .dotm) are refused. Save it as .dotx or .docx.")
        )
    if not name.lower().endswith((".docx", ".dotx")):
        raise LetterheadError(_("Choose a Word template (.dotx) or document (.docx)."))
    return name


def _package_listings(data: bytes) -> tuple[list[str], list[str], str]:
    """Return a Word package's part names and listings in lower case, and its content types."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [info.filename.lower() for info in archive.infolist()]
            listings = [
                info
                for info in archive.infolist()
                if info.filename == "[Content_Types].xml" or info.filename.endswith(".rels")
            ]
            if any(info.file_size > LISTING_LIMIT for info in listings):
                raise LetterheadError(_("The file is not an ordinary Word template."))
            texts = [archive.read(info).decode("utf-8", "replace").lower() for info in listings]
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise LetterheadError(
            _("The file's content is not a Word template, whatever its name says.")
        ) from None
    return names, texts, types


def save_template(stream, name: str | None, *, by: str, now: datetime) -> Letterhead:
    """Check an uploaded template and make it the one every Word file is written into."""
    data = read_upload(stream, MAX_BYTES)
    name = check_template(name, data)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    about = Letterhead(name=name, size=len(data), uploaded_at=now.isoformat(), uploaded_by=by)
    for file, content in ((FILE, data), (ABOUT, json.dumps(about.__dict__).encode())):
        partial = folder / f".{file}.part"
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(content)
        # Appears whole or not at all: a download meanwhile gets the old one.
        os.replace(partial, folder / file)
    return about


def remove_template() -> None:
    """Go back to the built-in plain template."""
    for file in (FILE, ABOUT):
        (_folder() / file).unlink(missing_ok=True)


def current_template() -> Letterhead | None:
    """Return what the uploaded template is, or None when the plain one is in use."""
    try:
        about = json.loads((_folder() / ABOUT).read_text())
    except (OSError, ValueError):
        return None
    if not (_folder() / FILE).is_file():
        return None
    return Letterhead(**about)


def _open(data: bytes | None):
    """Open a template, or python-docx's own, as a document to write into."""
    import docx
    from docx.opc.part import PartFactory
    from docx.parts.document import DocumentPart

    class TemplatePart(DocumentPart):
        """A template's main part, read as a document's: what Word does with File, New."""

        @classmethod
        def load(cls, partname, content_type, blob, package):
            return DocumentPart.load(partname, DOCUMENT_MAIN, blob, package)

    # python-docx's own hook for a content type it does not know.
    PartFactory.part_type_for.setdefault(TEMPLATE_MAIN, TemplatePart)
    return docx.Document(io.BytesIO(data) if data else None)


def new_document():
    """Return an empty document on the region's letterhead, or on the plain A4 template."""
    path = _folder() / FILE
    data = path.read_bytes() if current_template() is not None else None
    document = _open(data)
    if data is None:
        section = document.sections[0]
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        return document
    # The template's own text is an example: its page, header, footer and styles are kept.
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    _add_missing_styles(document)
    _ensure_run_defaults(document)
    return document


def _ensure_run_defaults(document) -> None:
    """Give the styles the default run properties that language settings are written into."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    parent = document.styles.element
    for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"):
        found = parent.find(qn(tag))
        if found is None:
            found = OxmlElement(tag)
            parent.insert(0, found)
        parent = found


def _add_missing_styles(document) -> None:
    """Copy into the document the plain template's styles that the region's lacks."""
    plain = _open(None)
    names = {style.name for style in document.styles}
    for name in STYLES:
        if name not in names:
            document.styles.element.append(copy.deepcopy(plain.styles[name].element))
