"""The Swedish catalogue follows docs/glossary.md: it uses none of the words to avoid."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
CATALOGUE = ROOT / "tracker" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"


def allowed_phrases() -> list[str]:
    """Return the glossary's own terms: a word avoided elsewhere is right inside one of them."""
    phrases = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("Swedish term", "---"):
            phrases += [term.strip().lower() for term in cells[0].split(",") if " " in term.strip()]
    return phrases


def _without_allowed(text: str) -> str:
    lowered = text.lower()
    for phrase in allowed_phrases():
        lowered = lowered.replace(phrase, " ")
    return lowered


def avoided() -> list[tuple[str, re.Pattern]]:
    """Return each avoided word of the glossary with the pattern that finds it."""
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("Swedish term", "---"):
            continue
        for word in filter(None, (w.strip() for w in cells[3].split(";"))):
            if word.startswith('"'):
                terms.append((word, re.compile(rf"^{re.escape(word.strip(chr(34)))}$")))
            else:
                # A whole word: no letter or hyphen on either side ("post", not "e-post").
                terms.append((word, re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.I)))
    return terms


def swedish_texts() -> list[tuple[str, str]]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    texts = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        english = message.id if isinstance(message.id, str) else message.id[0]
        texts += [(english, text) for text in strings]
    return texts


def test_the_glossary_lists_words_to_avoid():
    words = [word for word, _ in avoided()]
    assert "tidsgräns" in words and "underlag" in words and '"Ditt"' in words


def test_the_swedish_catalogue_uses_no_avoided_word():
    found = [
        (english, text, word)
        for english, text in swedish_texts()
        for word, pattern in avoided()
        if pattern.search(text if word.startswith('"') else _without_allowed(text))
    ]
    assert found == [], "\n".join(f"{w!r} in {t!r} (for {e!r})" for e, t, w in found)


def test_the_pattern_finds_whole_words_only():
    patterns = dict(avoided())
    assert patterns["post"].search("Inga poster") is None  # "poster" is its own entry
    assert patterns["poster"].search("Inga poster matchar")
    assert patterns["post"].search("E-post") is None
    assert patterns['"Ditt"'].search("Lämna tomt för att behålla ditt lösenord.") is None
    assert patterns['"Ditt"'].search("Ditt")


def test_a_term_of_the_glossary_may_hold_a_word_avoided_elsewhere():
    patterns = dict(avoided())
    assert patterns["underlag"].search(_without_allowed("Välj ett underlag"))
    assert not patterns["underlag"].search(_without_allowed("Underlag till yttrandet senast"))
