"""The answer as a Word draft in the region's layout for a yttrande."""

import io
from datetime import datetime

from tracker.documents.letterhead import new_document
from tracker.responses.letter import genitive
from tracker.responses.services import position_label_sv
from tracker.text import printable_copy
from tracker.word_styles import readable_headings

# Word and LibreOffice hyphenate and spell-check by this language.
LANGUAGE = "sv-SE"


def _clean(text: str) -> str:
    # Text pasted from a PDF carries soft hyphens and hard line breaks mid-sentence.
    return " ".join((text or "").replace("\u00ad", "").split())


def _paragraphs(text: str) -> list[str]:
    return [_clean(part) for part in (text or "").split("\n\n") if _clean(part)]


def _field(paragraph, instruction: str) -> None:
    """Add a Word field (such as PAGE) that the reader's program fills in."""
    from docx.oxml import OxmlElement  # python-docx is slow to load: see response_document
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
        if kind == "separate":
            number = OxmlElement("w:t")
            number.text = "1"
            run._r.append(number)


def _language(document) -> None:
    from docx.oxml import OxmlElement  # python-docx is slow to load: see response_document
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), LANGUAGE)
    hyphenation = OxmlElement("w:autoHyphenation")
    document.settings.element.append(hyphenation)


def _restarted_list(document) -> int | None:
    """Return a numbering id for a "List Number" list that starts again at 1.

    None when the letterhead's numbering has no list for the style: numbers are then written.
    """
    try:
        numbering = document.part.numbering_part.element
        style_num = document.styles["List Number"].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
    except (AttributeError, KeyError):
        return None
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _numbered(document, text: str, num_id: int | None, number: int) -> None:
    if num_id is None:
        document.add_paragraph(f"{number}. {text}")
        return
    paragraph = document.add_paragraph(text, style="List Number")
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def _page_numbers(document) -> None:
    """Write "Sida n av m" in the footer, unless the letterhead's footer numbers its pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = document.sections[0].footer
    if "PAGE" in "".join(footer._element.itertext()):
        return
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    if paragraph.text.strip():
        paragraph = footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Sida ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" av ")
    _field(paragraph, "NUMPAGES")


def _measure_line(measure: dict) -> str:
    line = _clean(measure["title"])
    details = [
        f"ansvarig: {measure['owner']}" if measure.get("owner") else "",
        f"klart senast {measure['due']}" if measure.get("due") else "",
        "" if measure.get("promised", True) else "pågående sedan tidigare",
    ]
    details = [part for part in details if part]
    return line + (" – " + ", ".join(details) if details else "")


def _answers(document, snapshot: dict, body: str) -> None:
    for answer in snapshot["answers"]:
        number = answer["number"]
        document.add_heading(f"Rekommendation {number}".strip(), level=2)
        for part in _paragraphs(answer["recommendation"]):
            document.add_paragraph(part, style="Quote")
        position = position_label_sv(answer["position"])
        stance = document.add_paragraph()
        stance.add_run("Ställningstagande: ").bold = True
        stance.add_run(f"{body} {position.lower()}" if position else "Ej angivet")
        for part in _paragraphs(answer["answer"]):
            document.add_paragraph(part)
        if answer["measures"]:
            document.add_heading("Åtgärder", level=3)
            num_id = _restarted_list(document)
            for count, measure in enumerate(answer["measures"], start=1):
                _numbered(document, _measure_line(measure), num_id, count)


def _decision(document, snapshot: dict, body: str) -> None:
    """Write the proposal before adoption; after it, the body's decision as minuted."""
    from docx.shared import Pt

    if not snapshot.get("adopted_on"):
        document.add_heading("Förslag till beslut", level=1)
        for part in _paragraphs(snapshot.get("proposed_decision", "")) or [
            f"{body} beslutar att avge yttrande till revisorerna enligt ovan."
        ]:
            document.add_paragraph(part)
        return
    document.add_heading(f"{genitive(body)} beslut", level=1)
    meeting = document.add_paragraph()
    meeting.add_run(f"Sammanträde {snapshot['adopted_on']}, § {snapshot['paragraph']}").bold = True
    if snapshot.get("dnr"):
        meeting.add_run(f"\nDnr {snapshot['dnr']}")
    for part in _paragraphs(snapshot.get("decision_text", "")) or _paragraphs(
        snapshot.get("proposed_decision", "")
    ):
        document.add_paragraph(part)
    for heading in ("Vid protokollet", "Justeras"):
        lines = document.add_paragraph()
        lines.paragraph_format.space_before = Pt(24)  # room to sign
        lines.add_run(heading).bold = True
        lines.add_run("\n\n" + "_" * 34 + "\n")
    sent = document.add_paragraph()
    sent.add_run("Protokollsutdrag skickas till: ").bold = True
    sent.add_run("Revisorerna")


def response_document(snapshot: dict, *, now: datetime) -> bytes:
    """Return the yttrande as a .docx file on the letterhead, from a response snapshot."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    snapshot = printable_copy(snapshot)  # text stored before control characters were refused
    document = new_document()
    _language(document)
    readable_headings(document)
    document.styles["Normal"].font.size = Pt(11)
    body = snapshot["body"]
    source = snapshot["source"]
    title = f"Yttrande över revisionsrapport {source['title']}"

    properties = document.core_properties
    properties.title = title
    properties.author = body
    properties.created = now.replace(tzinfo=None)
    properties.modified = now.replace(tzinfo=None)
    properties.language = LANGUAGE
    _page_numbers(document)

    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    head.add_run(body).bold = True
    head.add_run(f"\nDatum: {snapshot.get('dated') or ''}")
    dnr = snapshot.get("dnr") or source.get("dnr")
    if dnr:
        head.add_run(f"\nDnr {dnr}")
    # Older snapshots name no auditors: they were all written to this region's.
    auditors = snapshot.get("auditors") or "Revisorerna"
    to = document.add_paragraph()
    to.add_run("Till: ").bold = True
    to.add_run(auditors)

    document.add_heading(title, level=1)
    document.add_paragraph(source.get("reference") or f"Revisionsrapport {source['title']}")
    document.add_paragraph(
        f"{body} har tagit del av revisorernas granskning och lämnar följande svar på "
        "revisorernas rekommendationer."
    )
    if source.get("assessment"):
        document.add_heading("Revisorernas samlade bedömning", level=2)
        for part in _paragraphs(source["assessment"]):
            document.add_paragraph(part, style="Quote")
    _answers(document, snapshot, body)
    _decision(document, snapshot, body)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
