"""What a screen reader says of a page before anything is typed: its title and its fields."""

import html
import re

import lxml.html


def title_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(
        re.search(r"<title>(.*?)</title>", response.get_data(as_text=True)).group(1)
    )


def test_each_edit_page_has_a_title_of_its_own(make, login):
    first, second = make.source(title="Granskning av remisser"), make.source(title="Stabsplan")
    items = [
        make.recommendation(first, text="Säkerställ uppföljningen", number="1"),
        make.recommendation(first, text="Inför kvartalsrapporter", number="2"),
    ]
    measures = [make.measure(title="Ny telefoni"), make.measure(title="Rekrytera läkare")]
    bodies = [make.body("RS", "Regionstyrelsen"), make.body("HSN", "Hälso- och sjukvårdsnämnden")]
    units = [make.unit("Hälsocentral Kiruna"), make.unit("Hälsocentral Luleå")]
    client = login(make.user("admin"))
    pages = {
        "source": [f"/sources/{s.id}/edit" for s in (first, second)],
        "item": [f"/recommendations/{r.id}/edit" for r in items],
        "measure": [f"/measures/{m.id}/edit" for m in measures],
        "body": [f"/bodies/{b.id}/edit" for b in bodies],
        "meeting": [f"/meetings/{make.meeting(b).id}/edit" for b in bodies],
        "unit": [f"/units/{u.id}/edit" for u in units],
    }
    titles = {kind: [title_of(client, url) for url in urls] for kind, urls in pages.items()}
    assert titles["source"][0].startswith("Edit source: Granskning av remisser")
    assert titles["item"][1].startswith("Edit: Recommendation 2: Inför kvartalsrapporter")
    assert titles["measure"][0].startswith("Edit measure: Ny telefoni")
    assert titles["body"][1].startswith("Edit body: Hälso- och sjukvårdsnämnden")
    assert titles["unit"][0].startswith("Edit Hälsocentral Kiruna")
    every = [title for pair in titles.values() for title in pair]
    assert len(set(every)) == len(every), every


def test_a_required_select_is_not_invalid_before_anything_is_chosen(make, login):
    make.body("RS", "Regionstyrelsen")
    client = login(make.user("admin"))
    page = lxml.html.fromstring(client.get("/meetings/new").data)
    (body,) = page.xpath("//select[@name='body_id']")
    # An empty select with `required` is :invalid, which Chromium reports as "invalid entry".
    assert body.get("required") is None
    assert body.get("aria-required") == "true" and body.get("aria-invalid") is None
    assert page.xpath("//form[@novalidate]//*[@required]") == []

    response = client.submit("/meetings/new", {"body_id": "", "held_on": ""})
    assert response.status_code == 400
    page = lxml.html.fromstring(response.data)
    (body,) = page.xpath("//select[@name='body_id']")
    assert body.get("aria-invalid") == "true"
