"""The answer as a Word draft in the region's layout for a yttrande."""

import io
from datetime import date, datetime

from tracker.responses.services import position_label_sv
from tracker.text import printable_copy

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


def _restarted_list(document) -> int:
    """Return a numbering id for a "List Number" list that starts again at 1."""
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _numbered(document, text: str, num_id: int) -> None:
    paragraph = document.add_paragraph(text, style="List Number")
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def response_document(snapshot: dict, *, dated: date, now: datetime) -> bytes:
    """Return the yttrande as a .docx file, from a response snapshot."""
    # python-docx takes ~0.2 s to import: only this download needs it, not every start.
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    snapshot = printable_copy(snapshot)  # text stored before control characters were refused
    document = docx.Document()
    _language(document)
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

    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Sida ")
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")

    head = document.add_paragraph()
    head.add_run(body).bold = True
    head.add_run(f"\nDatum: {dated.isoformat()}")
    dnr = snapshot.get("dnr") or source.get("dnr")
    if dnr:
        head.add_run(f"\nDnr {dnr}")

    document.add_heading(title, level=1)
    document.add_paragraph("Till: Region Norrbottens revisorer")
    report = f"Revisionsrapport: {source['title']}"
    if source.get("issued_on"):
        report += f", daterad {source['issued_on']}"
    document.add_paragraph(report)
    document.add_paragraph(
        f"{body} har tagit del av revisionsrapporten och lämnar följande svar på "
        "revisorernas rekommendationer."
    )

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
            for measure in answer["measures"]:
                line = _clean(measure["title"])
                details = [
                    f"ansvarig: {measure['owner']}" if measure["owner"] else "",
                    f"klart senast {measure['due']}" if measure["due"] else "",
                ]
                details = [part for part in details if part]
                if details:
                    line += " – " + ", ".join(details)
                _numbered(document, line, num_id)

    document.add_heading("Förslag till beslut", level=1)
    for part in _paragraphs(snapshot.get("proposed_decision", "")) or [
        f"{body} beslutar att avge yttrande till revisorerna enligt ovan."
    ]:
        document.add_paragraph(part)
    if snapshot.get("adopted_on"):
        decision = f"Antaget av {body} {snapshot['adopted_on']}"
        if snapshot.get("paragraph"):
            decision += f", § {snapshot['paragraph']}"
        document.add_paragraph(decision + ".")

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
