"""A secretary registers document 004 from its Word file in the browser, in both languages."""

import pytest

from tests.browser.conftest import sign_in
from tests.report_files import EXPECTED, report_docx, seed_lines

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["sv", "en"])
def test_document_004_is_registered_from_its_file(open_page, server, tmp_path, language):
    page, check = open_page(language)
    sign_in(page, server, server.user("secretary", language))
    report = tmp_path / "revisionsrapport-1177.docx"
    report.write_bytes(report_docx(seed_lines("004")))

    page.goto(server.url + "/sources/new")
    page.set_input_files("#report", str(report))
    page.click("main input[type=submit]")
    check("proposal from the report")
    title = f"Granskning av regionens arbete med 1177 ({language})"
    assert page.locator("#response_due").input_value() == "2021-05-20"
    assert page.locator("#addressees").input_value() == server.body_ids()["RS"]
    texts = [page.locator(f"#drafts-{n}-text").input_value() for n in range(4)]
    assert texts == [" ".join(text.split()) for _n, text in EXPECTED["004"]["recommendations"]]
    # The secretary corrects the title and leaves the last draft out.
    page.fill("#title", title)
    page.check("#drafts-3-leave_out")
    page.locator("main form button[type=submit]").first.click()
    check("source registered from its file")
    assert page.locator("h1").inner_text() == title
    numbers = page.locator("main table").first.locator("tbody tr td:first-child")
    assert numbers.all_inner_texts() == ["1", "2", "3"]
    assert page.locator("#report-file a").inner_text() == "revisionsrapport-1177.docx"
