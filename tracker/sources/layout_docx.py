"""Read a Word file's paragraphs, list numbers and tables from the document's structure.

Runs in the reading child (read_process.py), so it imports nothing of the tracker. A list
item's number is not in its text but in the numbering part (numPr -> num -> abstractNum):
it is counted here as Word counts it and put before the text ("1. …", "a) …", "• …").
Each page becomes a list of line dicts like layout_pdf's: text, heading, and cells for a
table row.
"""

import io
import re
import zipfile

# The most a Word file may hold once unpacked, pictures included, and the most of it that is
# XML (parsed into a tree many times its size); a larger one is refused before it is parsed.
# A 200-page report's XML is a few megabytes.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_XML_BYTES = 25 * 1024 * 1024

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


class LayoutError(Exception):
    """The file cannot be read; args[0] is the reason: "broken", "unpacked"."""


def check_package(data: bytes) -> None:
    """Refuse a Word file that is not a zip package or that unpacks to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise LayoutError("broken") from error
    total = sum(info.file_size for info in infos)
    xml = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
    if total > MAX_UNPACKED_BYTES or xml > MAX_XML_BYTES:
        raise LayoutError("unpacked")


def _format(value: int, kind: str) -> str:
    if kind in ("lowerLetter", "upperLetter"):
        letter = _LETTERS[(value - 1) % 26]
        return letter.upper() if kind == "upperLetter" else letter
    if kind in ("lowerRoman", "upperRoman"):
        text, rest = "", value
        for amount, digits in _ROMAN:
            while rest >= amount:
                text, rest = text + digits, rest - amount
        return text.upper() if kind == "upperRoman" else text
    return str(value)


class Numbering:
    """Word's list numbering: each paragraph's marker, counted per list and level."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts = {}
        for abstract in root.iter(qn("w:abstractNum")):
            levels = {}
            for level in abstract.iter(qn("w:lvl")):
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    self._val(level, "w:numFmt") or "decimal",
                    self._val(level, "w:lvlText") or "%1.",
                    int(self._val(level, "w:start") or 1),
                )
            abstracts[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iter(qn("w:num")):
            levels = dict(abstracts.get(self._val(num, "w:abstractNumId"), {}))
            for override in num.iter(qn("w:lvlOverride")):
                level = int(override.get(qn("w:ilvl"), "0"))
                start = self._val(override, "w:startOverride")
                if start and level in levels:
                    kind, text, _start = levels[level]
                    levels[level] = (kind, text, int(start))
            for level, value in levels.items():
                self.levels[(num.get(qn("w:numId")), level)] = value

    def _val(self, element, tag: str) -> str | None:
        found = element.find(self.qn(tag))
        return None if found is None else found.get(self.qn("w:val"))

    def marker(self, paragraph, style_numbering) -> str | None:
        """Return the list marker Word shows before a paragraph, or None."""
        numbering = paragraph.find(f"{self.qn('w:pPr')}/{self.qn('w:numPr')}")
        if numbering is None:
            numbering = style_numbering
        if numbering is None:
            return None
        num = self._val(numbering, "w:numId")
        level = int(self._val(numbering, "w:ilvl") or 0)
        if num in (None, "0") or (num, level) not in self.levels:
            return None
        kind, text, start = self.levels[(num, level)]
        for deeper in [key for key in self.counters if key[0] == num and key[1] > level]:
            del self.counters[deeper]  # a deeper level starts again under each item
        count = self.counters.get((num, level), start - 1) + 1
        self.counters[(num, level)] = count
        if kind == "bullet":
            return "•"
        if kind == "none":
            return None
        return re.sub(r"%\d", _format(count, kind), text)


def _text(element, qn) -> str:
    parts = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:noBreakHyphen"), qn("w:p")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:noBreakHyphen"):
            parts.append("-")
        elif node.tag != qn("w:p") or parts:
            parts.append(" ")
    return " ".join("".join(parts).replace("\u00ad", "").split())


def read_docx(data: bytes) -> dict:
    """Return {"pages": [[line, ...], ...], "scanned": []} for a Word file."""
    check_package(data)
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a broken package
        # lxml says "Memory allocation failed" when the child's memory limit is met.
        reason = "memory" if "memory" in str(error).lower() else "broken"
        raise LayoutError(reason) from error
    numbering = Numbering(document)
    styles = {}
    for style in document.styles.element.iter(qn("w:style")):
        numbering_of_style = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        name = style.find(qn("w:name"))
        styles[style.get(qn("w:styleId"))] = (
            (name.get(qn("w:val")) if name is not None else "").casefold(),
            numbering_of_style,
        )
    pages: list[list[dict]] = [[]]
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            _paragraph(block, pages, numbering, styles, qn)
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = [_text(cell, qn) for cell in row.iter(qn("w:tc"))]
                if any(cells):
                    text = " ".join(cell for cell in cells if cell)
                    pages[-1].append({"text": text, "cells": cells, "heading": False})
    return {"pages": pages, "scanned": []}


def _paragraph(paragraph, pages, numbering, styles, qn) -> None:
    breaks = [
        node
        for node in paragraph.iter(qn("w:br"), qn("w:lastRenderedPageBreak"))
        if node.tag == qn("w:lastRenderedPageBreak") or node.get(qn("w:type")) == "page"
    ]
    before = paragraph.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}")
    if (breaks or before is not None) and pages[-1]:
        pages.append([])
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    name, style_numbering = styles.get(
        style.get(qn("w:val")) if style is not None else None, ("", None)
    )
    text = _text(paragraph, qn)
    marker = numbering.marker(paragraph, style_numbering)
    if text:
        line = f"{marker} {text}" if marker else text
        heading = name.startswith(("heading", "rubrik", "title", "titel"))
        pages[-1].append({"text": line, "heading": heading})
