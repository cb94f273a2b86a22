"""The accessibility statement: public, in both languages, linked from every page."""

import pytest


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_statement_is_public_and_says_what_the_law_asks(app, language):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get("/tillganglighet")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    assert "DIGG" in page and "https://www.digg.se/" in page  # the supervisory authority
    assert "WCAG 2.1" in page and "tracker@localhost" in page  # how accessible; where to report


def test_every_page_links_to_the_statement(app, make, login):
    assert 'href="/tillganglighet"' in app.test_client().get("/login").get_data(as_text=True)
    page = login(make.user("viewer")).get("/").get_data(as_text=True)
    footer = page[page.index("<footer") :]
    assert 'href="/tillganglighet"' in footer
