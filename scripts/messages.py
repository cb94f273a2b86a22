"""Extract the marked strings, update both catalogues, and fill English from the msgids.

Run with `make messages` after adding or changing user-facing strings; then translate the
new entries in tracker/translations/sv/LC_MESSAGES/messages.po.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "tracker" / "translations"
TEMPLATE = ROOT / "build" / "messages.pot"


def pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", *args], check=True, cwd=ROOT
    )


def main() -> None:
    TEMPLATE.parent.mkdir(exist_ok=True)
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--omit-header",
        "--sort-output",
        "-o",
        str(TEMPLATE),
        ".",
    )
    for language in ("sv", "en"):
        po = CATALOGUES / language / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        pybabel(
            command,
            "-i",
            str(TEMPLATE),
            "-d",
            str(CATALOGUES),
            "-l",
            language,
            *(["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []),
        )
    # The msgids are English: the English catalogue repeats them, so it is complete by itself.
    english = CATALOGUES / "en" / "LC_MESSAGES" / "messages.po"
    with english.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if (
            message.id
            and not message.string
            or (isinstance(message.id, tuple) and not all(message.string))
        ):
            message.string = message.id if not isinstance(message.id, tuple) else message.id
        message.flags.discard("fuzzy")
    with english.open("wb") as handle:
        write_po(handle, catalogue, omit_header=False, sort_output=True)


if __name__ == "__main__":
    main()
