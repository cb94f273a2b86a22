"""Make a PDF in a child process: WeasyPrint's memory goes back when the child ends.

Rendering a long list takes hundreds of megabytes that a web worker would otherwise keep.
The child runs this file as a script, `python -P pdf_process.py PAGE_CSS STYLESHEET...` with the
HTML on stdin, and imports WeasyPrint alone: importing the tracker (Flask, SQLAlchemy, the
models) would add a second or more to every PDF.
"""

import os
import subprocess
import sys
from pathlib import Path

TIMEOUT_SECONDS = 600


def page_css(*, landscape: bool = False) -> str:
    """Return the PDF's page rule: A4, portrait unless asked, "Page n of m" at the foot."""
    # Imported here: the child process that runs this file imports WeasyPrint alone.
    from flask_babel import gettext as _

    counter = _("Page %(page)s of %(pages)s", page='" counter(page) "', pages='" counter(pages) "')
    orientation = "landscape" if landscape else "portrait"
    return (
        f"@page {{ size: A4 {orientation}; margin: 1.8cm 1.5cm 2cm;"
        f' @bottom-right {{ content: "{counter}"; font: 8pt "DejaVu Sans", sans-serif; }} }}'
    )


def render_pdf(
    html: str, stylesheets: list[Path], *, landscape: bool = False, variant: str = ""
) -> bytes:
    """Return the HTML as PDF, made by write_pdf in a child process; variant: WeasyPrint's
    pdf_variant, "pdf/a-3b" for the archive."""
    finished = subprocess.run(
        [
            sys.executable,
            # -P: the script's folder is not put on the path, so its modules shadow nothing.
            "-P",
            __file__,
            page_css(landscape=landscape),
            *(str(path) for path in stylesheets),
        ],
        input=html.encode("utf-8"),
        env={**os.environ, "TRACKER_PDF_VARIANT": variant},
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=True,
    )
    return finished.stdout


def write_pdf(html: str, stylesheets: list[Path], page: str, variant: str = "") -> bytes:
    """Return the HTML as PDF, styled by local style sheets and a page rule only."""
    from weasyprint import CSS, HTML

    # No base URL: the document fetches nothing; its style sheets are read from disk.
    sheets = [CSS(filename=str(path)) for path in stylesheets]
    # PDF/UA-1 by default: tagged (headings, tables and lists reach a screen reader), with the
    # language of <html lang> and the title of <title> shown as the window's title (WCAG 2.1,
    # EN 301 549). The archive asks for PDF/A-3a: archival and tagged too.
    return HTML(string=html).write_pdf(
        stylesheets=[*sheets, CSS(string=page)],
        pdf_variant=variant or "pdf/ua-1",
        pdf_tags=True,
    )


def _main() -> None:
    page, *sheets = sys.argv[1:]
    html = sys.stdin.buffer.read().decode("utf-8")
    variant = os.environ.get("TRACKER_PDF_VARIANT", "")
    sys.stdout.buffer.write(write_pdf(html, [Path(sheet) for sheet in sheets], page, variant))


if __name__ == "__main__":
    _main()
