"""Read a form out of a page as a browser would submit it, to post what was really rendered."""

import lxml.html


def form_values(page: str, action: str | None = None) -> dict:
    """Return the named fields of the page's form (the one posting to action) and their values."""
    document = lxml.html.fromstring(page)
    forms = [f for f in document.forms if action is None or (f.action or "").startswith(action)]
    assert forms, f"no form posting to {action}"
    values = {}
    for name, value in forms[0].form_values():
        if value.startswith("\n") and forms[0].inputs[name].tag == "textarea":
            value = value[1:]  # a browser drops the newline that follows <textarea>
        if name in values:
            existing = values[name]
            values[name] = (existing if isinstance(existing, list) else [existing]) + [value]
        else:
            values[name] = value
    return values
