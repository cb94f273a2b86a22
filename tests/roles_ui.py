"""Who may call the routes of issue 6: the accessibility statement and search."""

from tests.roles import PUBLIC, SIGNED_IN, Rule

RULES = {
    "home.accessibility": Rule(get=PUBLIC),
    "search.results": Rule(get=SIGNED_IN),
}
