"""Hostile report files: each is refused with a clear 400, read in a child within its limits."""

import io
import resource
import zipfile
import zlib

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter
from sqlmodel import func, select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tracker.models import Source
from tracker.sources import read_process


@pytest.fixture
def secretary(make, login):
    make.body(code="RS", name="Regionstyrelsen")
    return login(make.user("secretary"))


@pytest.fixture
def tight(monkeypatch):
    """Limits low enough that a hostile file meets them within seconds."""
    monkeypatch.setattr(read_process, "MEMORY_BYTES", 512 * 1024 * 1024)
    monkeypatch.setattr(read_process, "CPU_SECONDS", 3)
    monkeypatch.setattr(read_process, "WALL_SECONDS", 20)


def _upload(client, name: str, data: bytes):
    page = client.get("/sources/new")
    form = rendered_form(page.get_data(as_text=True), "/sources/new/report")
    payload = form.data() | {"report": (io.BytesIO(data), name)}
    return client.post(form.action, data=payload, content_type="multipart/form-data")


def _packed(chunk: bytes, times: int) -> bytes:
    """Return chunk repeated times, Flate-compressed without holding it all in memory."""
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(chunk) for _ in range(times)) + packer.flush()


def _pdf(content: bytes, *, extra: list[bytes] = (), resources: bytes = b"", times=1) -> bytes:
    """Return a one-page PDF whose (Flate-compressed) content stream is content * times."""
    packed = _packed(content, times)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> "
        + resources
        + b" >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        *extra,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _inflating_docx() -> bytes:
    """A Word file of a few MB whose document part unpacks to about 50 MB of paragraphs."""
    base = io.BytesIO()
    Document().save(base)
    paragraph = b"<w:p><w:r><w:t>Vi rekommenderar</w:t></w:r></w:p>"
    body = paragraph * (50_000_000 // len(paragraph))
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                head, _sep, tail = data.partition(b"<w:body>")
                data = head + b"<w:body>" + body + tail
            zip_.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def _bomb_docx() -> bytes:
    """A Word file that says it unpacks to gigabytes (a zip bomb)."""
    out = io.BytesIO()
    Document().save(out)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zip_,
        zip_.open("word/media/filler.bin", "w", force_zip64=True) as filler,
    ):
        for _chunk in range(400):
            filler.write(bytes(1_000_000))
    return out.getvalue()


def _worker_memory() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _refused(client, session, name: str, data: bytes, *messages: str) -> str:
    before = _worker_memory()
    response = _upload(client, name, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html[:500]
    assert 'id="report-error"' in html and any(message in html for message in messages)
    # The parsing ran in the child: the worker itself grew by no more than a few pages' worth.
    assert _worker_memory() - before < 150 * 1024
    assert fresh(session).exec(select(func.count()).select_from(Source)).one() == 0
    return html


def test_a_word_file_whose_text_inflates_is_refused_before_it_is_parsed(secretary, session):
    data = _inflating_docx()
    assert len(data) < 3 * 1024 * 1024
    _refused(secretary, session, "stor.docx", data, "unpacks to far more than a report holds")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(secretary, session):
    data = _bomb_docx()
    assert len(data) < 2 * 1024 * 1024
    _refused(secretary, session, "bomb.docx", data, "unpacks to far more than a report holds")


def test_a_pdf_with_a_huge_content_stream_is_stopped_at_the_time_limit(secretary, session, tight):
    data = _pdf(b"BT /F1 1 Tf 10 10 Td (x) Tj ET q Q " * 1000, times=2000)
    assert len(data) < 200 * 1024
    _refused(secretary, session, "loop.pdf", data, "took longer than", "more memory than")


def test_a_pdf_whose_drawing_calls_itself_is_answered(secretary, session, tight):
    # A form XObject that draws itself: a loop a naive reader follows forever. pdfminer
    # draws it once, so the page is read (no text in it) and the form is offered.
    loop = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] "
        b"/Resources << /XObject << /X 5 0 R >> >> /Length 5 >>\nstream\n/X Do\nendstream"
    )
    data = _pdf(b"/X Do", extra=[loop], resources=b"/XObject << /X 5 0 R >>")
    response = _upload(secretary, "self.pdf", data)
    assert response.status_code == 200
    assert "Nothing the form asks for was found" in response.get_data(as_text=True)


def test_a_pdf_whose_stream_unpacks_hugely_is_stopped(secretary, session, tight):
    # pypdf's LimitReachedError case: a small stream that decompresses to hundreds of MB.
    data = _pdf(b" " * 1_000_000, times=700)
    assert len(data) < 1024 * 1024
    _refused(secretary, session, "bomb.pdf", data, "took longer than", "more memory than")


def test_an_encrypted_pdf_says_it_is_locked(secretary, session):
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(_pdf(b"BT /F1 12 Tf 72 720 Td (Hemlig) Tj ET"))).pages[0])
    writer.encrypt("hemligt")
    out = io.BytesIO()
    writer.write(out)
    _refused(secretary, session, "last.pdf", out.getvalue(), "locked with a password")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n",
        b"%PDF-1.4\n" + b"[" * 100_000,
    ],
    ids=["pages-loop", "deep-nesting"],
)
def test_a_broken_pdf_says_it_cannot_be_read(secretary, session, tight, data):
    _refused(secretary, session, "trasig.pdf", data, "could not be read", "took longer")
