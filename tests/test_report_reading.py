"""Reports written as Word files and PDFs (by LibreOffice) give back what the documents say."""

from dataclasses import dataclass

import pytest

from tests.report_files import EXPECTED, report_docx, scanned_pdf, seed_lines, to_pdf
from tracker.evidence import DOCX, PDF
from tracker.sources.proposing import BodyName, propose
from tracker.sources.reading import read_report

BODIES = [
    BodyName(1, "RS", "Regionstyrelsen"),
    BodyName(2, "HSN", "Hälso- och sjukvårdsnämnden"),
    BodyName(3, "REV", "Region Norrbottens revisorer"),
]
HEADER = "Region Norrbotten · Revisorerna · Granskningsrapport"


@dataclass
class Report:
    docx: bytes
    pdf: bytes
    expected: dict


def _table_version(lines: list[str]) -> tuple[list[str], int]:
    """Return document 004 without its bulleted list, and the line the table follows."""
    lead = next(i for i, line in enumerate(lines) if "sammanfattar våra rekommendationer" in line)
    end = next(i for i, line in enumerate(lines) if line.startswith("Revisorerna överlämnar"))
    return lines[: lead + 1] + lines[end:], lead


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> dict[str, Report]:
    """Write every test report as Word, then turn them all into PDF in one LibreOffice run."""
    lines_000, lines_004 = seed_lines("000"), seed_lines("004")
    without_list, lead = _table_version(lines_004)
    words = {
        "000": (report_docx(lines_000), EXPECTED["000"]),
        "004": (report_docx(lines_004), EXPECTED["004"]),
        # Larger type, so that the header and the page number recur on several pages.
        "000-header": (report_docx(lines_000, header=HEADER, size=13), EXPECTED["000"]),
        "004-header": (report_docx(lines_004, header=HEADER, size=14), EXPECTED["004"]),
        "004-columns": (report_docx(lines_004, columns=2), EXPECTED["004"]),
        "000-columns": (report_docx(lines_000, columns=2, size=12), EXPECTED["000"]),
        "004-table": (
            report_docx(without_list, table=EXPECTED["004"]["recommendations"], table_after=lead),
            EXPECTED["004"],
        ),
    }
    folder = tmp_path_factory.mktemp("reports")
    pdfs = to_pdf({name: docx for name, (docx, _expected) in words.items()}, folder)
    return {
        name: Report(docx=docx, pdf=pdfs[name], expected=expected)
        for name, (docx, expected) in words.items()
    }


def _read(report: Report, kind: str):
    data, media_type = (report.pdf, PDF[0]) if kind == "pdf" else (report.docx, DOCX[0])
    text = read_report(data, media_type)
    return text, propose(text.lines, BODIES)


def _normalised(text: str) -> str:
    return " ".join(text.split())


NAMES = ["000", "004", "000-header", "004-header", "004-columns", "000-columns", "004-table"]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("name", NAMES)
def test_each_report_gives_back_its_recommendations_and_dates(app, reports, name, kind):
    report = reports[name]
    with app.test_request_context():
        text, proposal = _read(report, kind)
    expected = report.expected
    found = [(draft.number, _normalised(draft.text)) for draft in proposal.recommendations]
    assert found == [(number, _normalised(text)) for number, text in expected["recommendations"]]
    values = {key: str(found.value) for key, found in proposal.values.items()}
    assert values.get("issued_on") == expected["issued_on"]
    assert values.get("response_due") == expected["response_due"]
    assert values.get("title") == expected["title"]
    assert values.get("dnr") == expected["dnr"]
    # The board is the addressee, the auditors the issuer.
    assert values["addressees"] == "[1]" and values["issuer_id"] == "3"
    assert all(1 <= draft.page <= text.pages for draft in proposal.recommendations)


def test_document_004_names_its_auditors_firm_and_addressee(app, reports):
    with app.test_request_context():
        _text, proposal = _read(reports["004"], "pdf")
    assert proposal.values["auditors"].value == "Region Norrbottens revisorer"
    assert proposal.values["firm"].value == "PwC"
    # "Regionsty.relsen", as the letter's address field reads, is the board.
    assert [(a.name, a.body_id) for a in proposal.addressees] == [("Regionsty.relsen", 1)]


def test_line_break_hyphens_are_mended(app, reports):
    with app.test_request_context():
        text, _proposal = _read(reports["000"], "pdf")
    assert "digitalisering såsom webbtidbok" in text.text
    assert "Temagranskning Primärvården del 2" in text.text  # "Temagransk-" + "ning"
    assert "primär- och sekundärprevention" in text.text  # a hyphen before "och" is kept
    assert "digitali-" not in text.text


@pytest.mark.parametrize("name", ["000-header", "004-header"])
def test_a_header_and_page_number_on_every_page_are_dropped(app, reports, name):
    with app.test_request_context():
        text, proposal = _read(reports[name], "pdf")
    assert text.pages >= 2
    lines = [line.text for line in text.lines]
    assert HEADER not in lines
    assert not [line for line in lines if line.startswith("Sida ")]
    assert not any(HEADER in draft.text for draft in proposal.recommendations)


def test_recommendations_on_a_later_page_say_so(app, reports):
    with app.test_request_context():
        text, proposal = _read(reports["004-header"], "pdf")
    pages = [draft.page for draft in proposal.recommendations]
    assert pages == sorted(pages) and pages[-1] > 1


def test_a_scanned_pdf_is_said_to_have_no_text(app, reports, tmp_path):
    scan = scanned_pdf(reports["004"].pdf, tmp_path)
    with app.test_request_context():
        text = read_report(scan, PDF[0])
    assert text.scanned and text.lines == [] and text.pages == 1


def test_a_report_without_known_phrases_proposes_nothing(app, tmp_path):
    docx = report_docx(["Minnesanteckningar från mötet.", "Inget särskilt att rapportera."])
    pdf = to_pdf({"plain": docx}, tmp_path)["plain"]
    with app.test_request_context():
        text = read_report(pdf, PDF[0])
        proposal = propose(text.lines, BODIES)
    assert not text.scanned and "Inget särskilt att rapportera." in text.text
    assert proposal.values == {} and proposal.recommendations == []


def test_extraction_accuracy_is_printed(app, reports, capsys):
    present = found = exact = 0
    for name in NAMES:
        for kind in ("pdf", "docx"):
            with app.test_request_context():
                _text, proposal = _read(reports[name], kind)
            expected = [_normalised(text) for _n, text in reports[name].expected["recommendations"]]
            got = [_normalised(draft.text) for draft in proposal.recommendations]
            present += len(expected)
            found += min(len(got), len(expected))
            exact += sum(1 for text in got if text in expected)
    with capsys.disabled():
        print(
            f"\nReport reading accuracy over {len(NAMES) * 2} files: recommendations found "
            f"{found}/{present}, exact text {exact}/{present}"
        )
    assert found == present and exact == present
