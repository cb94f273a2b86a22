"""Time the report reader on a 200-page PDF: `python -m bench.report_reading [--pages 200]`.

The PDF is the corpus's long reports put together (tests/corpus/cases), read as an upload is:
in the limited child process. Prints the seconds of each run and the child's peak memory.
"""

import argparse
import io
import resource
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from tracker.evidence import PDF
from tracker.sources.reading import read_report

CASES = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "cases"


def long_pdf(pages: int) -> bytes:
    """Return a PDF of the given number of pages, taken from the corpus's reports in turn."""
    writer = PdfWriter()
    readers = [PdfReader(path) for path in sorted(CASES.glob("*/report.pdf"))]
    readers.sort(key=lambda reader: -len(reader.pages))
    while len(writer.pages) < pages:
        for reader in readers:
            for page in reader.pages:
                if len(writer.pages) < pages:
                    writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from tracker import create_app

    data = long_pdf(args.pages)
    with create_app().test_request_context():
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            text = read_report(data, PDF[0])
            seconds = time.perf_counter() - started
            print(f"run {run}: {text.pages} pages, {len(text.lines)} lines in {seconds:.1f} s")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children.ru_utime + children.ru_stime) / args.runs
    print(
        f"file {len(data) / 1024:.0f} KiB; the child's CPU time {cpu:.1f} s a run "
        f"(the wall time on an idle machine); its peak memory {children.ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
