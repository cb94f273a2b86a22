"""The archive package of a closed source: an E-ARK SIP that an archivist's checks accept."""

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import date

import pikepdf
from sqlmodel import select

from tests.html_forms import rendered_form
from tracker.config import ROOT
from tracker.followup.services.closing import close_items
from tracker.models import Body, Recommendation, Source
from tracker.seed import load_seed

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"
CSIP = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}"
PREMIS = "{http://www.loc.gov/premis/v3}"


def check_sip(data: bytes) -> dict[str, bytes]:
    """Check a package against the E-ARK CSIP/SIP rules we follow; return its files by path."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    roots = {name.split("/", 1)[0] for name in names}
    assert len(roots) == 1, "one package folder"
    (root,) = roots
    files = {name.split("/", 1)[1]: archive.read(name) for name in names if not name.endswith("/")}
    mets = ET.fromstring(files["METS.xml"])
    # CSIP1-4, SIP: the root METS names the package, its profile and content type.
    assert mets.tag == f"{METS}mets"
    assert mets.get("OBJID") == root
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    assert mets.get(f"{CSIP}CONTENTINFORMATIONTYPE")
    header = mets.find(f"{METS}metsHdr")
    assert header.get(f"{CSIP}OAISPACKAGETYPE") == "SIP" and header.get("CREATEDATE")
    # Every file but the METS itself is in the file section, with its checksum and size.
    listed = {}
    for file_ in mets.iter(f"{METS}file"):
        href = file_.find(f"{METS}FLocat").get(f"{XLINK}href")
        assert file_.get("CHECKSUMTYPE") == "SHA-256"
        assert hashlib.sha256(files[href]).hexdigest() == file_.get("CHECKSUM"), href
        assert int(file_.get("SIZE")) == len(files[href])
        listed[href] = file_.get("ID")
    assert set(listed) == set(files) - {"METS.xml", "manifest-sha256.txt"}
    # The structural map is CSIP's: metadata and representations, pointing at every file.
    struct = mets.find(f"{METS}structMap[@LABEL='CSIP']")
    labels = [div.get("LABEL") for div in struct.find(f"{METS}div")]
    assert labels == ["Metadata", "Representations/rep1"]
    pointers = {ptr.get("FILEID") for ptr in struct.iter(f"{METS}fptr")}
    assert pointers == set(listed.values())
    # Preservation metadata: PREMIS with every data file's fixity.
    premis = ET.fromstring(files["metadata/preservation/premis.xml"])
    digests = {
        obj.find(f".//{PREMIS}objectIdentifierValue").text: obj.find(
            f".//{PREMIS}messageDigest"
        ).text
        for obj in premis.iter(f"{PREMIS}object")
    }
    data_files = {path for path in files if path.startswith("representations/rep1/data/")}
    assert data_files and data_files <= set(digests)
    for path in data_files:
        assert digests[path] == hashlib.sha256(files[path]).hexdigest()
    # The manifest agrees with the files.
    for line in files["manifest-sha256.txt"].decode().splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256(files[path]).hexdigest() == digest
    return files


def assert_pdf_a(data: bytes) -> None:
    """Check a PDF declares PDF/A in its XMP metadata and carries an output intent."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "A"
        assert "/OutputIntents" in pdf.Root


def test_the_closed_000_source_gives_a_package_that_validates(make, login, session, client):
    load_seed(session, ROOT / "seed")
    session.commit()
    source = session.exec(select(Source).where(Source.dnr.contains("00521-2019"))).one()
    secretary = make.user("secretary")
    client.submit("/logout")
    login(secretary)
    refused = client.get(f"/marks/archive/{source.id}")
    assert refused.status_code == 302  # not closed yet: back to the source, with the reason

    board = session.exec(select(Body).where(Body.code == "RS")).one()
    items = session.exec(select(Recommendation).where(Recommendation.source_id == source.id)).all()
    close_items(
        session,
        recommendation_ids=[item.id for item in items],
        outcome="closed",
        body_id=board.id,
        decided_on=date(2020, 2, 4),
        paragraph="12",
        text="Regionstyrelsen godkänner vidtagna åtgärder.",
        user=secretary,
    )
    session.commit()
    page = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert f"/marks/archive/{source.id}" in page
    response = client.get(f"/marks/archive/{source.id}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    files = check_sip(response.data)
    data = "representations/rep1/data"
    assert f"{data}/source.json" in files and f"{data}/changelog.json" in files
    assert any(path.startswith(f"{data}/decisions/decision-") for path in files)
    assert b"00521-2019" in files[f"{data}/source.json"]
    pdfs = [path for path in files if path.endswith(".pdf")]
    assert pdfs
    for path in pdfs:
        assert_pdf_a(files[path])


def test_a_kept_list_the_items_appeared_on_goes_into_the_package(make, login, session, client):
    body = make.body()
    meeting = make.meeting(body)
    source = make.source(title="Granskning av läkemedelshantering", addressee_id=body.id)
    item = make.recommendation(source, text="Säkerställ läkemedelsgenomgångar")
    secretary = make.user("secretary")
    login(secretary)
    page = client.get(f"/follow-up?source={source.id}").get_data(as_text=True)
    form = rendered_form(page, "/follow-up/keep")
    assert client.submit(form.action, form.data(meeting_id=str(meeting.id))).status_code == 302
    close_items(
        session,
        recommendation_ids=[item.id],
        outcome="closed",
        body_id=body.id,
        decided_on=date(2030, 3, 1),
        paragraph="7",
        text="Besvarad.",
        user=secretary,
    )
    session.commit()
    files = check_sip(client.get(f"/marks/archive/{source.id}").data)
    lists = [path for path in files if "/lists/kept-list-" in path]
    assert any(path.endswith(".pdf") for path in lists) and any(p.endswith(".json") for p in lists)
    for path in lists:
        if path.endswith(".pdf"):
            assert_pdf_a(files[path])
