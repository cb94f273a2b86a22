"""Render the first page of the seeded follow-up list's Word and PDF documents as PNG pictures.

Run `.venv/bin/python scripts/followup_pictures.py` (needs soffice and pdftoppm): it seeds a
throw-away SQLite database, downloads the list of RS 2017-12-19 (document 003) as a Swedish
secretary would, converts the Word file with LibreOffice, and writes docs/followup-word.png and
docs/followup-pdf.png.
"""

import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "pictures-only-password"


def render(pdf: Path, picture: Path) -> None:
    """Write the PDF's first page as a PNG picture, 80 dots per inch."""
    stem = picture.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, stem],
        check=True,
    )


def main() -> None:
    from tracker import create_app
    from tracker.auth.services import create_user
    from tracker.cli import run_migrations
    from tracker.db import session_scope
    from tracker.seed import load_all

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{work}/pictures.db", "SECRET_KEY": "pictures"}
        )
        with app.app_context():
            run_migrations()
            with session_scope() as session:
                load_all(session, ROOT / "seed")
                create_user(
                    session,
                    email="pictures@region.example",
                    name="Sara Sekreterare",
                    role="secretary",
                    password=PASSWORD,
                    language="sv",
                )
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        client.post("/login", data={"email": "pictures@region.example", "password": PASSWORD})
        with app.app_context():
            from sqlmodel import select

            from tracker.db import get_session
            from tracker.models import Body, Meeting

            session = get_session()
            meeting = session.exec(
                select(Meeting)
                .join(Body, Body.id == Meeting.body_id)
                .where(Body.code == "RS", Meeting.held_on == "2017-12-19")
            ).one()
        for fmt in ("docx", "pdf"):
            response = client.get(f"/follow-up?meeting={meeting.id}&format={fmt}")
            assert response.status_code == 200, response.status_code
            (work / f"list.{fmt}").write_bytes(response.data)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work / "word",
                work / "list.docx",
            ],
            check=True,
            capture_output=True,
        )
        render(work / "word" / "list.pdf", ROOT / "docs" / "followup-word.png")
        render(work / "list.pdf", ROOT / "docs" / "followup-pdf.png")


if __name__ == "__main__":
    main()
