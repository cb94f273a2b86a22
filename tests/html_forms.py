"""Read the forms a page rendered, as a browser would submit them."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class RenderedForm:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what a submit sends
    files: list[str] = field(default_factory=list)  # names of file inputs
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons
    boxes: list[tuple[str, str]] = field(default_factory=list)  # every checkbox, ticked or not
    formactions: list[str] = field(default_factory=list)  # where its buttons send it instead
    id: str = ""
    multiple: set[str] = field(default_factory=set)  # names of multiple selects

    def value(self, name: str) -> str | None:
        """Return the value a submit would send for a field, or None."""
        return next((value for key, value in self.fields if key == name), None)

    def values(self, name: str) -> list[str]:
        """Return every value a submit would send for a field (a multiple select sends several)."""
        return [value for key, value in self.fields if key == name]

    def data(self, **changes: str | None) -> dict[str, str | list[str]]:
        """Return the fields to send, with some changed (None: not sent, like an unticked box).

        A multiple select gives a list (empty, which sends nothing, when none is chosen), as
        does any name sent more than once; any other field its one value.
        """
        data: dict = {name: [] for name in self.multiple}
        for key, value in self.fields:
            data.setdefault(key, []).append(value)
        data = {
            key: values if key in self.multiple or len(values) > 1 else values[0]
            for key, values in data.items()
        }
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return data


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[RenderedForm] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._multiple = False
        self._options: list[tuple[str, bool]] = []
        self._owned: list[tuple[str, str, dict]] = []  # controls outside their form

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                RenderedForm(
                    action=attributes.get("action", ""),
                    method=attributes.get("method", "get").lower(),
                    enctype=attributes.get("enctype", ""),
                    id=attributes.get("id", ""),
                )
            )
            return
        if tag in ("input", "button") and attributes.get("form"):
            # Tied to a form by its id (form="…"), wherever it stands on the page.
            self._owned.append((attributes["form"], tag, attributes))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attributes.get("name")
        if tag in ("input", "button"):
            _add_control(form, tag, attributes)
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select, self._options = name, []
            self._multiple = "multiple" in attributes
            if self._multiple:
                form.multiple.add(name)
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value", ""), "selected" in attributes))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            # A newline right after <textarea> is not part of its value.
            self.forms[-1].fields.append((name, _drop_first_newline("".join(parts))))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if self._multiple:
                # A multiple select sends each chosen option, and nothing when none is.
                self.forms[-1].fields.extend((self._select, value) for value in chosen)
            else:
                first = [value for value, _selected in self._options[:1]]
                self.forms[-1].fields.append((self._select, (chosen or first or [""])[0]))
            self._select = None


def _add_control(form: RenderedForm, tag: str, attributes: dict) -> None:
    """Add an input or button to what its form sends or offers."""
    name = attributes.get("name")
    kind = attributes.get("type", "text" if tag == "input" else "submit")
    if tag == "button" or kind == "submit":
        if "formaction" in attributes:
            form.formactions.append(attributes["formaction"])
        if name:
            form.buttons.append((name, attributes.get("value", "")))
    elif not name:
        return
    elif kind == "file":
        form.files.append(name)
    elif kind in ("checkbox", "radio"):
        form.boxes.append((name, attributes.get("value", "on")))
        if "checked" in attributes:
            form.fields.append((name, attributes.get("value", "on")))
    else:
        form.fields.append((name, attributes.get("value", "")))


def _drop_first_newline(text: str) -> str:
    return text[2:] if text.startswith("\r\n") else text.removeprefix("\n")


def rendered_forms(html: str) -> list[RenderedForm]:
    """Return every form on a page."""
    parser = _Parser()
    parser.feed(html)
    by_id = {form.id: form for form in parser.forms if form.id}
    for form_id, tag, attributes in parser._owned:
        if form_id in by_id:
            _add_control(by_id[form_id], tag, attributes)
    return parser.forms


def rendered_form(html: str, action: str) -> RenderedForm:
    """Return the one form on a page whose action's path ends so."""
    forms = [form for form in rendered_forms(html) if form.action.split("?")[0].endswith(action)]
    assert len(forms) == 1, f"{len(forms)} forms posting to …{action}"
    return forms[0]
