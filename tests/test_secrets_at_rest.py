"""Secrets at rest: one whole secret key for every worker, private files and folders."""

import io
import multiprocessing
import stat
import zipfile
from pathlib import Path

import docx

from tracker import create_app
from tracker.config import load_config
from tracker.evidence import detect_type

WORKERS = 4


def _read_key(folder, start, keys):
    start.wait()
    keys.put(load_config(Path(folder))["SECRET_KEY"])


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_workers_starting_at_once_make_one_whole_private_key(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    context = multiprocessing.get_context("fork")
    for attempt in range(10):
        folder = tmp_path / f"instance{attempt}"
        start, keys = context.Barrier(WORKERS), context.Queue()
        workers = [
            context.Process(target=_read_key, args=(folder, start, keys)) for _ in range(WORKERS)
        ]
        for worker in workers:
            worker.start()
        found = {keys.get(timeout=30) for _ in workers}
        for worker in workers:
            worker.join(timeout=30)
        assert len(found) == 1 and len(found.pop()) == 64
        key_file = folder / "secret_key"
        assert _mode(key_file) == 0o600
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no partial files left


def test_a_new_sqlite_database_is_private(tmp_path):
    database = tmp_path / "tracker.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "x"})
    with app.app_context():
        from tracker.cli import run_migrations

        run_migrations()
    app.extensions["tracker.engine"].dispose()
    assert _mode(database) == 0o600


def test_evidence_folder_and_files_are_private(make, session, login, app, tmp_path):
    folder = tmp_path / "evidence"
    app.config["EVIDENCE_DIR"] = str(folder)
    item = make.recommendation(text="Stängs")
    body = make.body()
    client = login(make.user("secretary"))
    word = io.BytesIO()
    docx.Document().save(word)
    word.seek(0)
    url = f"/follow-up/close?item={item.id}"
    page = client.get(url).get_data(as_text=True)
    assert page
    response = client.submit(
        url,
        {
            "item": item.id,
            "body_id": body.id,
            "decided_on": "2030-03-01",
            "paragraph": "12",
            "outcome": "closed",
            "text": "Punkten är genomförd.",
            "evidence": (word, "beslut.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert _mode(folder) == 0o700
    (stored,) = list(folder.iterdir())
    assert _mode(stored) == 0o600


def _office(content_types: str, parts: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_macros_are_found_by_content_type_and_relationship_not_by_part_name():
    word = io.BytesIO()
    docx.Document().save(word)
    with zipfile.ZipFile(word) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    content_types = parts.pop("[Content_Types].xml").decode()
    assert detect_type(_office(content_types, parts))[1] == ".docx"

    renamed = content_types.replace(
        "</Types>",
        '<Override PartName="/word/payload.bin" '
        'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    assert detect_type(_office(renamed, parts | {"word/payload.bin": b"VBA"})) is None

    rels = (
        parts["word/_rels/document.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdX" Type="http://schemas.microsoft.com/office/2006/relationships/'
            'vbaProject" Target="payload.bin"/></Relationships>',
        )
    )
    relation = parts | {"word/_rels/document.xml.rels": rels, "word/payload.bin": b"VBA"}
    assert detect_type(_office(content_types, relation)) is None

    enabled = content_types.replace(
        "wordprocessingml.document.main+xml", "wordprocessingml.document.macroEnabled.main+xml"
    ).replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.macroEnabled",
        "application/vnd.ms-word.document.macroEnabled",
    )
    assert detect_type(_office(enabled, parts)) is None
