"""Swedish-looking words and sentences for the demo data: invented, never the documents'."""

import random

FIRST_NAMES = [
    "Anna",
    "Maria",
    "Eva",
    "Karin",
    "Sara",
    "Lena",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Malin",
    "Johanna",
    "Sofia",
    "Linnea",
    "Elin",
    "Ida",
    "Lars",
    "Anders",
    "Johan",
    "Per",
    "Erik",
    "Karl",
    "Nils",
    "Jan",
    "Mikael",
    "Peter",
    "Fredrik",
    "Jonas",
    "Mats",
    "Olof",
    "Henrik",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindström",
    "Lindqvist",
    "Lundberg",
    "Berglund",
    "Sandberg",
    "Forsberg",
    "Öberg",
    "Nyström",
    "Holmberg",
    "Lundgren",
    "Bergström",
    "Wikström",
    "Isaksson",
    "Sundqvist",
    "Nordin",
    "Marklund",
    "Hedlund",
]
PLACES = [
    "Björkby",
    "Granträsk",
    "Älvsund",
    "Myrheden",
    "Tallnäs",
    "Sjöbacka",
    "Lövholmen",
    "Forsnäs",
    "Bergvik",
    "Åsträsk",
    "Kallviken",
    "Rödön",
    "Storberg",
    "Lillmyran",
    "Hedenäs",
    "Norrfors",
    "Söderfjärd",
    "Vitvattnet",
    "Ängesby",
    "Råneå",
]
THEMES = (
    "Tillgänglighet",
    "Patientsäkerhet",
    "Digitalisering",
    "Kompetensförsörjning",
    "Ekonomi i balans",
    "Styrning och uppföljning",
    "Intern kontroll",
    "Samverkan",
    "Arbetsmiljö",
    "Läkemedel",
    "Jämlik vård",
    "Kvalitet",
)
SUBJECTS = (
    "Regionstyrelsen",
    "Hälso- och sjukvårdsnämnden",
    "Divisionen",
    "Verksamhetsområdet",
    "Hälsocentralen",
    "Förvaltningen",
    "Ledningsgruppen",
)
VERBS = (
    "bör säkerställa",
    "behöver utveckla",
    "ska följa upp",
    "bör förtydliga",
    "behöver stärka",
    "ska ta fram",
    "bör se över",
    "ska införa",
)
TITLE_VERBS = (
    "Säkerställa",
    "Utveckla",
    "Följa upp",
    "Förtydliga",
    "Stärka",
    "Ta fram",
    "Se över",
    "Införa",
)
OBJECTS = (
    "rutinerna för uppföljning av vårdgarantin",
    "tillgängligheten till primärvården",
    "den interna kontrollen av inköp",
    "arbetet med patientsäkerhet",
    "kompetensförsörjningen inom vården",
    "styrningen av digitala vårdtjänster",
    "rapporteringen till nämnden",
    "samverkan med kommunerna",
    "uppföljningen av läkemedelskostnader",
    "dokumentationen i journalsystemet",
    "arbetsmiljön för sjuksköterskor",
    "den ekonomiska uppföljningen per enhet",
    "väntetiderna till specialistvård",
    "introduktionen av nyanställda",
)
CLAUSES = (
    "så att beslut kan fattas på ett tillförlitligt underlag",
    "i enlighet med gällande lagstiftning",
    "och rapportera resultatet till regionstyrelsen",
    "med tydlig ansvarsfördelning mellan enheterna",
    "för att minska skillnaderna mellan länets delar",
    "inom ramen för befintlig budget",
    "och återrapportera senast vid årets sista sammanträde",
    "med särskilt fokus på tillgänglighet för äldre patienter",
)
UPDATE_OPENINGS = (
    "Arbetet pågår enligt plan.",
    "En arbetsgrupp har tillsatts.",
    "Rutinen är framtagen och förankrad i ledningsgruppen.",
    "Utbildning av personalen har genomförts under perioden.",
    "Arbetet är försenat på grund av vakanser.",
    "En första uppföljning visar förbättrad tillgänglighet.",
    "Mätningen har gjorts på samtliga hälsocentraler.",
    "Åtgärden är genomförd och följs upp i ordinarie verksamhetsuppföljning.",
    "Dialog har förts med berörda verksamhetsområden.",
    "Underlaget har lämnats till nämnden.",
)
SOURCE_PREFIXES = (
    "Granskning av",
    "Fördjupad granskning av",
    "Uppföljande granskning av",
    "Beslut om",
    "Handlingsplan för",
)
FIRMS = ("PwC", "KPMG", "EY", "Deloitte", "")


def sentence(rng: random.Random) -> str:
    """Return one recommendation-like sentence."""
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CLAUSES)}."
    )


def paragraph(rng: random.Random, sentences: int) -> str:
    """Return a few sentences, the first recommendation-like and the rest status-like."""
    parts = [sentence(rng)]
    parts += [rng.choice(UPDATE_OPENINGS) for _ in range(sentences - 1)]
    return " ".join(parts)


def update_text(rng: random.Random) -> str:
    """Return a status update's text of one to three sentences."""
    return " ".join(rng.choice(UPDATE_OPENINGS) for _ in range(rng.randint(1, 3)))


def title(rng: random.Random) -> str:
    """Return a measure's short title."""
    return f"{rng.choice(TITLE_VERBS)} {rng.choice(OBJECTS)}"


def person(rng: random.Random) -> str:
    """Return a Swedish-looking full name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
