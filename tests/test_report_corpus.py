"""The report reader on the corpus of letters and reports it was not built from."""

import io
import zipfile
from pathlib import Path

import yaml

from tests.corpus import build
from tests.corpus.measure import CORPUS, cases, measure, report
from tracker.evidence import DOCX, PDF
from tracker.sources.reading import read_report


def test_the_halves_split_every_case_once():
    halves = [cases("tuning"), cases("held-back"), cases("held-back-2")]
    everything = sorted(path.name for path in (CORPUS / "cases").iterdir() if path.is_dir())
    assert sorted(sum(halves, [])) == everything and len(everything) >= 24
    assert len(cases("held-back")) >= 12 and len(cases("tuning")) >= 12
    for name in everything:
        expected = yaml.safe_load((CORPUS / "cases" / name / "expected.yaml").read_text("utf-8"))
        assert expected["recommendations"] and expected["title"]
        for kind in ("pdf", "docx"):
            assert (CORPUS / "cases" / name / f"report.{kind}").stat().st_size > 1000


def test_the_held_back_half_meets_the_thresholds(app):
    """Issue 26's done-when, on cases no rule was tuned on (read as PDF and as Word)."""
    with app.test_request_context():
        tallies = measure(cases("held-back"))
    printed = io.StringIO()
    report(tallies, printed)
    recommendations = tallies["recommendations"]
    assert recommendations.expected >= 70, printed.getvalue()
    assert recommendations.recall() >= 0.95, printed.getvalue()
    assert recommendations.precision() >= 0.95, printed.getvalue()
    for key in ("title", "issued_on", "dnr", "response_due"):
        assert tallies[key].recall() >= 0.90, printed.getvalue()
        assert tallies[key].precision() >= 0.90, printed.getvalue()
    # No other organisation's auditors (nor any wrong body) proposed as the issuer.
    assert tallies["issuer"].misses == []


def _lines(data: bytes, media_type: str) -> list[str]:
    return [line.text for line in read_report(data, media_type, child=False).lines]


def test_the_build_script_reproduces_a_committed_case(app, tmp_path):
    built = build.build(["c09"], out=tmp_path)  # two columns, Word's own numbering
    docx, pdf = built["c09"]
    committed = CORPUS / "cases" / "c09"
    with app.test_request_context():
        assert _lines(pdf, PDF[0]) == _lines((committed / "report.pdf").read_bytes(), PDF[0])
        assert _lines(docx, DOCX[0]) == _lines((committed / "report.docx").read_bytes(), DOCX[0])
    assert Path(tmp_path / "report.pdf").exists()


def test_a_scanned_page_among_text_pages_is_named(app):
    data = (CORPUS / "cases" / "c11" / "report.pdf").read_bytes()
    with app.test_request_context():
        text = read_report(data, PDF[0])  # as an upload is read: in the child
    assert text.pages == 2 and text.scanned_pages == [2] and not text.scanned
    assert all(line.page == 1 for line in text.lines)


def test_word_list_numbers_come_from_the_numbering_part(app):
    data = (CORPUS / "cases" / "c01" / "report.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"1. s\xc3\xa4kerst\xc3\xa4lla" not in package.read("word/document.xml")
    with app.test_request_context():
        lines = _lines(data, DOCX[0])
    assert [line[:14] for line in lines if line[:2] in ("1.", "2.", "3.")] == [
        "1. säkerställa",
        "2. tydliggöra ",
        "3. följa upp k",
    ]


def test_a_ruled_table_in_a_pdf_is_read_cell_by_cell(app):
    data = (CORPUS / "cases" / "c15" / "report.pdf").read_bytes()
    with app.test_request_context():
        text = read_report(data, PDF[0], child=False)
    rows = [line.cells for line in text.lines if line.cells]
    assert rows[0] == ["Nr", "Rekommendation", "Prioritet"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"] and rows[1][2] == "Hög"
