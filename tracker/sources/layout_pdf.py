"""Rebuild a PDF's lines, columns and tables from the positions of its characters.

Runs in the reading child (read_process.py), so it imports nothing of the tracker: only
pdfminer.six, whose interpreter gives every character with its box and every ruled line.
Each page becomes a list of line dicts: text, size (the largest type on the line), bold,
edge (in the top or bottom margin, where headers and footers sit) and, for a table row,
cells (the text of each cell, left to right).
"""

import io
import statistics

# A line whose top is within this share of the page's height from its top or bottom edge.
EDGE_SHARE = 0.065
# A gap between columns: no character within it, at least this wide (points).
GUTTER_MIN = 9.0
# The most pages read; a longer file is refused.
MAX_PAGES = 2000


class LayoutError(Exception):
    """The file cannot be read; args[0] is the reason: "encrypted", "broken", "pages"."""


class Char:
    """A character and its box: what the layout needs of pdfminer's LTChar, made faster."""

    __slots__ = ("text", "x0", "y0", "x1", "y1", "size", "fontname")

    def __init__(self, text, box, size, fontname):
        self.text = text
        self.x0, self.y0, self.x1, self.y1 = box
        self.size = size
        self.fontname = fontname

    def get_text(self) -> str:
        return self.text


def _device(resources):
    """Return a page aggregator that keeps light Char objects instead of LTChar ones."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class Aggregator(PDFPageAggregator):
        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            if font.is_vertical():  # rare in reports: pdfminer's own character
                return super().render_char(
                    matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate
                )
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                # A simple font with no map to Unicode: its bytes are most often Latin-1
                # (WinAnsi), as Swedish letters in a hand-made PDF; a control byte is no text.
                text = chr(cid) if 32 <= cid < 256 and cid != 127 else ""
            advance = font.char_width(cid) * fontsize * scaling
            bottom = font.get_descent() * fontsize + rise
            a, b, c, d, e, f = matrix
            if b == 0 and c == 0:  # upright text: no need for the general transform
                box = (e, f + d * bottom, e + a * advance, f + d * (bottom + fontsize))
            else:
                box = apply_matrix_rect(matrix, (0, bottom, advance, bottom + fontsize))
            x0, y0, x1, y1 = box
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
            self.cur_item.add(Char(text, (x0, y0, x1, y1), y1 - y0, font.fontname))
            return advance

    return Aggregator(resources, laparams=None)


def _walk(objects, chars, segments, images):
    from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage

    for obj in objects:
        if isinstance(obj, (Char, LTChar)):
            chars.append(obj)
        elif isinstance(obj, LTImage):
            images.append(obj)
        elif isinstance(obj, LTFigure):
            _walk(obj, chars, segments, images)
        elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
            segments.append((obj.x0, obj.y0, obj.x1, obj.y1))


def read_pdf(data: bytes) -> dict:
    """Return {"pages": [[line, ...], ...], "scanned": [page numbers with only pictures]}."""
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect as error:
        raise LayoutError("encrypted") from error
    except Exception as error:  # pdfminer raises many kinds on a broken file
        if "encrypt" in type(error).__name__.lower():
            raise LayoutError("encrypted") from error
        raise LayoutError("broken") from error
    resources = PDFResourceManager(caching=True)
    device = _device(resources)
    interpreter = PDFPageInterpreter(resources, device)
    pages, scanned = [], []
    try:
        for number, page in enumerate(PDFPage.create_pages(document), 1):
            if number > MAX_PAGES:
                raise LayoutError("pages")
            interpreter.process_page(page)
            layout = device.get_result()
            chars, segments, images = [], [], []
            _walk(layout, chars, segments, images)
            if not any(char.get_text().strip() for char in chars):
                if images:
                    scanned.append(number)
                pages.append([])
                continue
            pages.append(_page_lines(chars, segments, layout.width, layout.height))
    except (LayoutError, MemoryError):
        raise
    except Exception as error:
        raise LayoutError("memory" if "memory" in str(error).lower() else "broken") from error
    if not pages:
        raise LayoutError("broken")  # no page to read: the page tree is damaged
    return {"pages": pages, "scanned": scanned}


def _rows(chars) -> list[list]:
    """Group characters into rows by their baseline, each row left to right."""
    rows: list[list] = []
    for char in sorted(chars, key=lambda c: (-round(c.y0, 1), c.x0)):
        if rows and abs(rows[-1][0].y0 - char.y0) <= 0.45 * max(char.size, 1):
            rows[-1].append(char)
        else:
            rows.append([char])
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _text(chars) -> str:
    parts, previous = [], None
    for char in chars:
        text = char.get_text()
        gap = previous is not None and char.x0 - previous.x1 > 0.18 * max(char.size, 1)
        if gap and parts and not parts[-1].endswith(" ") and not text.startswith(" "):
            parts.append(" ")
        parts.append(text)
        previous = char
    return " ".join("".join(parts).split())


def _line(chars, height) -> dict:
    top = max(char.y1 for char in chars)
    bottom = min(char.y0 for char in chars)
    return {
        "text": _text(chars),
        "size": round(max(char.size for char in chars), 1),
        "bold": all(
            "bold" in (char.fontname or "").lower() for char in chars if char.get_text().strip()
        ),
        "edge": top > height * (1 - EDGE_SHARE) or bottom < height * EDGE_SHARE,
        "top": top,
    }


def _gutter(rows, width, height) -> float | None:
    """Return the x of a gap that splits the page's body into two columns, or None."""
    body = [row for row in rows if not _line(row, height)["edge"]]
    if len(body) < 6:
        return None
    for length, start in sorted(_gaps(body, width), reverse=True):
        gutter = start + length / 2
        if length >= GUTTER_MIN and _splits(body, gutter):
            return gutter
    return None


def _gaps(body, width) -> list[tuple[float, float]]:
    """Return (length, start) of each gap in the page's middle that no character crosses."""
    spans = sorted((char.x0, char.x1) for row in body for char in row)
    runs, reach = [], spans[0][1]
    for x0, x1 in spans:
        if x0 > reach and reach < width * 0.7 and x0 > width * 0.3:
            start = max(reach, width * 0.3)
            runs.append((min(x0, width * 0.7) - start, start))
        reach = max(reach, x1)
    return runs


def _splits(body, gutter) -> bool:
    """Tell whether enough rows have characters on either side of a gap for two columns."""
    right = sum(1 for row in body if any(char.x0 > gutter for char in row))
    left = sum(1 for row in body if any(char.x1 < gutter for char in row))
    return right >= 2 and left >= 3


def _tables(segments, height) -> list[tuple[list[float], list[float]]]:
    """Return each ruled table as (column edges x, row edges y from the top down)."""
    horizontal, vertical = _rules(segments)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    # Tables one above the other: split the horizontal rules where no vertical rule joins them.
    tables = []
    for group in _stacks(horizontal, vertical):
        xs = _distinct(x for s in vertical if _joins(s, group) for x in (s[0],))
        ys = _distinct(y for s in group for y in (s[1],))
        if len(xs) >= 2 and len(ys) >= 2:
            tables.append((xs, sorted(ys, reverse=True)))
    return tables


def _rules(segments) -> tuple[list[tuple], list[tuple]]:
    """Return the horizontal and the vertical rules, each drawn box's four edges among them."""
    horizontal = [s for s in segments if abs(s[3] - s[1]) < 2.5 and s[2] - s[0] > 8]
    vertical = [s for s in segments if abs(s[2] - s[0]) < 2.5 and s[3] - s[1] > 4]
    for s in segments:  # a cell drawn as a box: its four edges
        if s[2] - s[0] > 8 and s[3] - s[1] > 4:
            horizontal += [(s[0], s[1], s[2], s[1]), (s[0], s[3], s[2], s[3])]
            vertical += [(s[0], s[1], s[0], s[3]), (s[2], s[1], s[2], s[3])]
    return horizontal, vertical


def _joins(vertical, group) -> bool:
    top = max(s[1] for s in group)
    bottom = min(s[1] for s in group)
    return vertical[1] <= top + 2 and vertical[3] >= bottom - 2


def _stacks(horizontal, vertical):
    ordered = sorted(horizontal, key=lambda s: -s[1])
    groups = [[ordered[0]]]
    for s in ordered[1:]:
        previous = groups[-1][-1]
        joined = any(v[1] <= previous[1] + 2 and v[3] >= s[1] - 2 for v in vertical)
        if joined or abs(previous[1] - s[1]) < 2:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def _distinct(values) -> list[float]:
    found: list[float] = []
    for value in sorted(values):
        if not found or value - found[-1] > 2:
            found.append(value)
    return found


def _page_lines(chars, segments, width, height) -> list[dict]:
    chars = [char for char in chars if char.get_text() not in ("", "\n")]
    tables = _tables(segments, height)
    in_table, free = _by_table(chars, tables)
    rows = _rows(free)
    gutter = _gutter(rows, width, height)
    items = []  # (column, -top, line)
    for row in rows:
        items += _row_items(row, gutter, height)
    for index, (xs, ys) in enumerate(tables):
        column = _table_column(xs, gutter)
        for line in _table_rows(in_table[index], xs, ys, height):
            items.append((column, -line["top"], line))
    items.sort(key=lambda item: (item[0], item[1]))
    return [line for _column, _top, line in items if line["text"]]


def _by_table(chars, tables) -> tuple[dict[int, list], list]:
    """Return the characters inside each table, by the table's index, and those outside all."""
    in_table: dict[int, list] = {index: [] for index in range(len(tables))}
    free = []
    for char in chars:
        index = _table_of(char, tables)
        if index is None:
            free.append(char)
        else:
            in_table[index].append(char)
    return in_table, free


def _table_of(char, tables) -> int | None:
    """Return the index of the first table the character's centre is in, or None."""
    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
    for index, (xs, ys) in enumerate(tables):
        if xs[0] <= x <= xs[-1] and ys[-1] <= y <= ys[0]:
            return index
    return None


def _row_items(row, gutter, height) -> list[tuple[int, float, dict]]:
    """Return a row's lines as (column, -top, line): split at the gutter, unless in a margin."""
    if gutter is None:
        return [(0, -row[0].y1, _line(row, height))]
    line = _line(row, height)
    if line["edge"]:
        return [(0 if row[0].y1 > height / 2 else 3, -row[0].y1, line)]
    left = [char for char in row if char.x1 <= gutter]
    right = [char for char in row if char.x1 > gutter]
    return [
        (column, -part[0].y1, _line(part, height))
        for column, part in ((1, left), (2, right))
        if part
    ]


def _table_column(xs, gutter) -> int:
    """Return the column a table sits in: 0 on a one-column page, else 1 or 2 (1 if across)."""
    if gutter is None:
        return 0
    return 1 if xs[-1] <= gutter + 2 else 2 if xs[0] >= gutter else 1


def _table_rows(chars, xs, ys, height) -> list[dict]:
    rows = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        cells = []
        for left, right in zip(xs, xs[1:], strict=False):
            inside = [
                char
                for char in chars
                if left <= (char.x0 + char.x1) / 2 <= right
                and bottom <= (char.y0 + char.y1) / 2 <= top
            ]
            lines = [_text(row) for row in _rows(inside)]
            cells.append(_join_wrapped(lines))
        if any(cells):
            line = _line(
                [char for char in chars if bottom <= (char.y0 + char.y1) / 2 <= top], height
            )
            text = " ".join(cell for cell in cells if cell)
            rows.append({**line, "text": text, "cells": cells, "top": top})
    return rows


def _join_wrapped(lines: list[str]) -> str:
    """Join a cell's lines, mending a word broken at a line's end by a hyphen."""
    text = ""
    for line in lines:
        if text.endswith(("-", "\u00ad")) and line[:1].islower() and text[-2:-1].isalpha():
            text = text[:-1] + line
        else:
            text = f"{text} {line}".strip()
    return text


def body_size(pages: list[list[dict]]) -> float:
    """Return the type size most lines are set in."""
    sizes = [line["size"] for page in pages for line in page if line.get("size")]
    return statistics.median(sizes) if sizes else 0.0
