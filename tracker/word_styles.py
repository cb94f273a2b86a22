"""What every Word file the tracker writes needs to be readable: dark headings, a language."""

# Word's built-in headings are blue (#365F91, #4F81BD): 4.0:1 and 3.7:1 on white, short of
# WCAG's 4.5:1. Black is what a board paper uses anyway.
HEADING_COLOUR = "000000"


def readable_headings(document) -> None:
    """Give the title and every heading style black text."""
    from docx.shared import RGBColor  # python-docx is slow to load: only file exports need it

    for style in document.styles:
        name = style.name or ""
        if name == "Title" or name.startswith("Heading"):
            style.font.color.rgb = RGBColor.from_string(HEADING_COLOUR)
