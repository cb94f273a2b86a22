"""Sign in through the form the login page renders, then follow every link of the main menu."""

from html.parser import HTMLParser

from tests.conftest import PASSWORD


class Page(HTMLParser):
    """What a reader of a page sees of it: the form fields, the main menu's links, the h1s."""

    def __init__(self, html: str):
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.menu: list[str] = []
        self.headings: list[str] = []
        self._in_menu = 0
        self._in_h1 = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post" and self.action is None:
            self.action = attrs.get("action")
        elif tag == "input" and attrs.get("name") and self.action is not None:
            self.fields.setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "nav" and attrs.get("aria-label") == "Main menu":
            self._in_menu = 1
        elif tag == "nav" and self._in_menu:
            self._in_menu += 1
        elif tag == "a" and self._in_menu and attrs.get("href", "").startswith("/"):
            self.menu.append(attrs["href"])
        elif tag == "h1":
            self._in_h1 = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_menu:
            self._in_menu -= 1
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.headings[-1] += data.strip()


def test_signing_in_through_the_form_opens_every_page_of_the_main_menu(client, make):
    user = make.user("admin", name="Astrid Administratör")
    form = Page(client.get("/login").get_data(as_text=True))
    assert {"csrf_token", "email", "password"} <= set(form.fields)
    data = form.fields | {"email": user.email, "password": PASSWORD}
    data.pop("remember", None)
    response = client.post(form.action, data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/"

    start = Page(client.get("/", follow_redirects=True).get_data(as_text=True))
    pages = [href for href in start.menu if not href.startswith("/language/")]
    # An admin's menu: the lists, the follow-up list, the indicators, and administration.
    assert len(pages) >= 8, start.menu
    for href in pages:
        response = client.get(href)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, href
        assert len(Page(page).headings) == 1 and Page(page).headings[0], href
        assert "Astrid Administratör" in page, href
