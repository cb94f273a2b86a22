"""Make a PDF in a child process: WeasyPrint's memory goes back when the child ends.

Rendering a long list takes hundreds of megabytes that a web worker would otherwise keep.
Run as `python -m tracker.followup.pdf_process [--landscape] STYLESHEET...` with the HTML on stdin.
"""

import subprocess
import sys
from pathlib import Path

TIMEOUT_SECONDS = 600


def render_pdf(html: str, stylesheets: list[Path], *, landscape: bool = False) -> bytes:
    """Return the HTML as PDF, made by exports.to_pdf in a child process."""
    orientation = ["--landscape"] if landscape else []
    finished = subprocess.run(
        [sys.executable, "-m", __name__, *orientation, *(str(path) for path in stylesheets)],
        input=html.encode("utf-8"),
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=True,
    )
    return finished.stdout


def _main() -> None:
    from tracker.followup.exports import to_pdf

    arguments = sys.argv[1:]
    landscape = "--landscape" in arguments
    sheets = [Path(arg) for arg in arguments if arg != "--landscape"]
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(to_pdf(html, sheets, landscape=landscape))


if __name__ == "__main__":
    _main()
