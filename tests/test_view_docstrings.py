"""Every page and endpoint says in one imperative line what it does."""

import inspect
import re

# "Shows", "Returning", "This view ...": a description, not a command.
NOT_IMPERATIVE = re.compile(r"^(\w+(?<!s)s|\w+ing|This|The|A|An)\b")


def _problem(view) -> str | None:
    doc = inspect.getdoc(inspect.unwrap(view))
    if not doc:
        return "no docstring"
    if "\n" in doc:
        return "more than one line"
    if not doc[0].isupper() or not doc.endswith("."):
        return "not a sentence"
    if NOT_IMPERATIVE.match(doc):
        return "not imperative"
    return None


def test_every_view_has_a_one_line_imperative_docstring(app):
    ours = {
        endpoint: view
        for endpoint, view in app.view_functions.items()
        if inspect.unwrap(view).__module__.startswith("tracker")
    }
    assert len(ours) > 100  # the walk found the routes
    problems = {endpoint: _problem(view) for endpoint, view in sorted(ours.items())}
    assert {endpoint: problem for endpoint, problem in problems.items() if problem} == {}


def test_the_check_refuses_what_it_should():
    def described():
        """Shows the page."""

    def two_lines():
        """Show the page.

        And more.
        """

    def fine():
        """Show the page, or post its form."""

    def missing():
        pass

    assert _problem(described) == "not imperative"
    assert _problem(two_lines) == "more than one line"
    assert _problem(fine) is None
    assert _problem(missing) == "no docstring"
