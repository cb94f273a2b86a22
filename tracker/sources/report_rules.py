"""How an auditors' report is read: the phrases, patterns and date formats, as data.

A region whose auditors write differently adds its phrasing here; tests/test_report_rules.py
shows what each rule is meant to catch. Patterns are matched case-insensitively against the
report's text with its lines joined by single spaces, unless a rule says it works on lines.
Case matters unless a pattern starts with (?i); {date} in a pattern stands for any of
DATE_FORMATS.
"""

# Swedish month names and their usual abbreviations.
MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_NAMES = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"

# Each date format: groups day, month (a number or a name in MONTHS) and year.
DATE_FORMATS = (
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})",  # 2021-05-20
    rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_NAMES})\.?\s+(?P<year>\d{{4}})",  # 20 maj 2021
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})\s+(?P<year>\d{4})",  # 20/5 2021
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})",  # 20.5.2021
)

# Where the report's own date is written (on lines).
REPORT_DATE_PATTERNS = (
    r"(?i)\bDatum:?\s*{date}",  # "Datum: 2021-02-15"
    r"^[A-ZÅÄÖ][a-zåäö]+(?:\s+den)?\s+{date}\s*$",  # a line "Luleå den 15 februari 2021"
    r"^{date}\s*$",  # a line holding only a date
)
# Lines from the top of the report in which a date on a line of its own is taken as its date.
REPORT_DATE_TOP_LINES = 15

# The date by which the addressees must answer.
RESPONSE_DATE_PATTERNS = (
    r"(?i)\b(?:svar|yttrande|besvara|besvarad|återkoppling)\b.{0,150}?\bsenast(?:\s+den)?\s+{date}",
    r"(?i)\bsenast(?:\s+den)?\s+{date}.{0,60}?\b(?:svar|yttrande)\b",
)

# The registry number: group "dnr".
DNR_PATTERNS = (
    r"(?i)\b(?:Dnr|Diarienr|Diarienummer|Vårt dnr|Vår beteckning)\.?:?\s*"
    r"(?P<dnr>(?:[A-ZÅÄÖ]{1,6}[ /-]?)?\d[\w./:-]*\d)",
)

# The title: a line that starts like one (lines), else a phrase in the text (group "title").
TITLE_LINE_PATTERNS = (
    r"^(?:Uppföljande |Fördjupad |Grundläggande |Förstudie[: ]*)?(?:Tema)?granskning\b.{3,}$",
    r"^Revisionsrapport:?\s+\S.{3,}$",
)
TITLE_PHRASE_PATTERNS = (
    r"(?i)\bgenomfört en (?P<title>(?:uppföljande |fördjupad )?granskning av [^.]{3,200})\.",
)
# Words before the title on its line, dropped from it ("Återrapportering Revisionsrapport …").
TITLE_PREFIXES = ("Revisionsrapport:", "Revisionsrapport", "Rapport:")

# Who signs for the auditors: group "auditors".
AUDITORS_PATTERNS = (
    # A line "För X revisorer" or "För revisorerna i X".
    r"^För (?P<auditors>.{0,120}?revisorer(?:na)?(?: i [A-ZÅÄÖ][\wåäöÅÄÖ ]{2,60})?)\s*$",
    r"\b(?P<auditors>[A-ZÅÄÖ][\wåäö]+(?: [A-ZÅÄÖ][\wåäö]+)*s revisorer)\b",
)
# Words in the name of the body that issues audit reports: the issuer proposed.
ISSUER_BODY_WORDS = ("revisor", "revision")

# Audit firms that assist the elected auditors.
FIRMS = (
    "PwC",
    "PricewaterhouseCoopers",
    "EY",
    "Ernst & Young",
    "KPMG",
    "Deloitte",
    "Grant Thornton",
    "BDO",
    "Forvis Mazars",
    "Mazars",
)

# The bodies the report is addressed to: group "names", split on commas and "och".
# Names found by ADDRESSEE_LINE_PATTERNS are proposed even when no body has that name
# (shown as unmatched); names found by the other patterns only when a body matches.
ADDRESSEE_LINE_PATTERNS = (r"^Till:?\s+(?P<names>.{3,200})$",)
ADDRESSEE_PATTERNS = (
    r"(?i)\brekommenderar (?:vi )?(?P<names>[\wåäöÅÄÖ -]{3,80}?) att\b",
    r"(?i)\b(?:yttrande|svar) från (?P<names>[\wåäöÅÄÖ -]{3,80}?)\s+(?:senast|inom|före)\b",
    r"(?:^|[.:•\uf0b7] )(?P<names>[A-ZÅÄÖ][\wåäö -]{3,60}?) bör\b",
)
# How many of the first lines may hold the addressed body alone (a letter's address field).
ADDRESS_FIELD_LINES = 6
# A name ending so is a board's; the general words alone are not a name.
BODY_NAME_ENDINGS = ("nämnden", "styrelsen", "fullmäktige", "nämnd", "styrelse", "utskottet")
GENERIC_BODY_NAMES = ("nämnden", "styrelsen", "nämnderna", "styrelserna", "fullmäktige")

# The organisation a report is from (group "org"): a region or a municipality, maybe genitive.
ORGANISATION_PATTERNS = (
    r"(?P<org>Region [A-ZÅÄÖ][\wåäö]+(?:[ -][A-ZÅÄÖ][\wåäö]+)?(?: läns?)?)",
    r"(?P<org>[A-ZÅÄÖ][\wåäö]+ kommuns?)\b",
)

# The auditors' overall assessment: the sentence that starts so (group "assessment").
ASSESSMENT_PATTERNS = (
    r"(?P<assessment>(?:Vår|Revisorernas) (?:samlade|sammanfattande|övergripande) bedömning "
    r"är att [^.]{5,400}\.)",
    r"(?P<assessment>(?:Sammantaget|Sammanfattningsvis|Sammanfattande) "
    r"(?:bedömer vi|gör vi bedömningen|gör revisorerna bedömningen) att [^.]{5,400}\.)",
    r"(?P<assessment>(?:Vi|Revisorerna) bedömer (?:sammantaget )?att [^.]{5,400}\.)",
)

# After the auditors' "För …" line: how many lines may name those who sign, and what a
# person's name and a role look like.
SIGNATORY_LINES = 8
_NAME = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?"
PERSON_NAME = rf"{_NAME}(?: {_NAME}){{1,2}}"
ROLE_WORDS = (
    "ordförande",
    "viceordförande",
    "revisor",
    "förtroendevaldrevisor",
    "sammankallande",
    "revisorsordförande",
)

# The title: the first heading near the top that is not one of these (a cover's kind word,
# a chapter heading).
TITLE_TOP_LINES = 40
NOT_TITLE = (
    r"(?i)^(?:\d+(?:\.\d+)*\.?\s|granskningsrapport$|revisionsrapport$|rapport$|sammanfattning|"
    r"innehåll|bilaga|missiv|revisorerna$)"
)

# Phrases after which the recommendations follow.
RECOMMENDATION_LEADS = (
    r"(?i)\bvi rekommenderar(?: [\wåäöÅÄÖ -]{0,80}? att)?",
    r"(?i)\brekommenderar vi(?: [\wåäöÅÄÖ -]{0,80}? att)?",
    r"(?i)\brevisorerna rekommenderar(?: [\wåäöÅÄÖ -]{0,80}? att)?",
    r"(?i)\bvi lämnar följande rekommendation(?:er)?",
    r"(?i)\bföljande rekommendation(?:er)?",
    r"(?i)\bsammanfattar (?:våra|revisorernas) rekommendationer",
    r"(?:^|\s)Rekommendationer:?(?=\s|$)",
)
# A lead ending in "att" may carry one recommendation inline: "Vi rekommenderar RS att …".
INLINE_LEAD_END = "att"

# What starts a recommendation in a list: a bullet, or a number (group "number").
BULLETS = "•\uf0b7\uf0a7▪●○◦‣–-*"
NUMBER_MARKERS = (
    r"^(?P<number>\d{1,2})[.)]\s+",  # "1. " or "1) "
    r"^(?P<number>\d{1,2})\s*$",  # a number alone (a table's first column)
    r"^(?P<number>\d{1,2})\s+(?=[A-ZÅÄÖ])",  # "1 Att …": a table row read as one line
    r"^(?P<number>[a-h])\)\s+",  # "a) "
    r"^Rekommendation (?P<number>\d{1,2})[:.]\s+",  # "Rekommendation 1: …"
)
# A table row's first cell that numbers the row.
TABLE_NUMBER = r"\d{1,2}[.):]?|[a-h][.)]?"
# Lines that start an unmarked item (a bullet lost when the PDF was made): "Att …", "X bör …".
ITEM_STARTS = (r"^Att\s", r"^[A-ZÅÄÖ][\wåäö-]*(?: [\wåäö-]+){0,5} bör\s")
# Punctuation that ends an item when the next line starts no new one.
ITEM_END = ".!?"

# Words before which a hyphen at a line's end is kept ("primär- och sekundärprevention").
KEEP_HYPHEN_BEFORE = ("och", "eller", "samt", "respektive", "resp", "till", "som")

# A header or footer line is one found at a page's edge on at least this share of pages.
REPEATED_LINE_SHARE = 0.5
# How many lines at the top and bottom of a page count as its edge.
PAGE_EDGE_LINES = 3
# A line set this much larger than most of the text is a heading (a title, a chapter).
HEADING_SIZE = 1.15
# A margin line holding only a page number ("3", "Sida 3", "3 (12)", "Sida 3 av 12").
PAGE_NUMBER = r"(?i)(?:sida\s+)?\d{1,4}(?:\s*(?:\(\d{1,4}\)|av\s+\d{1,4}))?"
