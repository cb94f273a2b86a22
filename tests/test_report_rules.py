"""The reading rules (tracker/sources/report_rules.py): what each phrase and pattern catches."""

from datetime import date

import pytest

from tracker.sources import report_rules
from tracker.sources.proposing import BodyName, find_dates, match_body, propose
from tracker.sources.reading import Line, drop_repeated_edges, mend_hyphens

BODIES = [
    BodyName(1, "RS", "Regionstyrelsen"),
    BodyName(2, "HSN", "Hälso- och sjukvårdsnämnden"),
    BodyName(3, "REV", "Region Norrbottens revisorer"),
]


def lines(text: str, page: int = 1) -> list[Line]:
    return [Line(line.strip(), page) for line in text.strip().splitlines() if line.strip()]


@pytest.mark.parametrize(
    "text",
    [
        "20 maj 2021",
        "2021-05-20",
        "20/5 2021",
        "20.5.2021",
        "den 20 Maj 2021",
        "20 maj. 2021",
    ],
)
def test_swedish_date_formats(text):
    assert find_dates(f"Vi önskar svar senast {text}.") == [date(2021, 5, 20)]


def test_every_month_name_and_no_impossible_day():
    for name, number in report_rules.MONTHS.items():
        assert find_dates(f"1 {name} 2022") == [date(2022, number, 1)]
    assert find_dates("31/2 2021 och 2021-13-01") == []
    assert find_dates("februari 2021") == []  # a month is not a day


def test_the_response_date_and_not_the_report_date():
    proposal = propose(
        lines(
            """
            Till regionstyrelsen
            Datum: 15 februari 2021
            Granskning av ledning och styrning
            Vi önskar svar senast 20/5 2021.
            """
        ),
        BODIES,
    )
    assert proposal.values["issued_on"].value == date(2021, 2, 15)
    assert proposal.values["response_due"].value == date(2021, 5, 20)


def test_a_place_and_date_line_dates_the_report():
    proposal = propose(lines("Rapport\nLuleå den 3 mars 2022\nText."), BODIES)
    assert proposal.values["issued_on"].value == date(2022, 3, 3)


@pytest.mark.parametrize(
    ("text", "dnr"),
    [
        ("Dnr 00521-2019", "00521-2019"),
        ("Diarienummer: HSN-00002-2023", "HSN-00002-2023"),
        ("Vår beteckning REV 2021/14", "REV 2021/14"),
        ("dnr. 2021/14", "2021/14"),
        ("Dnr REV\n12-2021", "REV 12-2021"),  # the number split over two lines
        ("Diarienr: REV/2022:07", "REV/2022:07"),
        ("Dnr: KS 2023/145", "KS 2023/145"),
    ],
)
def test_registry_numbers(text, dnr):
    found = propose(lines(text), BODIES).values.get("dnr")
    assert (found.value if found else None) == dnr


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Revisionsrapport\nUppföljande granskning av IT-säkerhet\n",
            "Uppföljande granskning av IT-säkerhet",
        ),
        ("Revisionsrapport: Granskning av läkemedel\n", "Granskning av läkemedel"),
        (
            "Vi har genomfört en granskning av regionens arbete med 1177. Syftet",
            "Granskning av regionens arbete med 1177",
        ),
    ],
)
def test_titles(text, title):
    assert propose(lines(text), BODIES).values["title"].value == title


def test_addressees_are_matched_to_bodies_and_the_others_named():
    proposal = propose(
        lines("Till regionstyrelsen, hälso- och sjukvårdsnämnden och kulturnämnden\nText."),
        BODIES,
    )
    assert [(a.name, a.body_id) for a in proposal.addressees] == [
        ("regionstyrelsen", 1),
        ("hälso- och sjukvårdsnämnden", 2),
        ("kulturnämnden", None),
    ]
    assert proposal.values["addressees"].value == [1, 2]


def test_a_body_is_matched_by_its_letters_or_its_code():
    assert match_body("Regionsty.relsen", BODIES).code == "RS"
    assert match_body("HSN", BODIES).code == "HSN"
    assert match_body("Kommunfullmäktige", BODIES) is None


def test_issuer_auditors_and_firm():
    proposal = propose(
        lines("Vi har biträtts av EY.\nFör Region Norrbottens revisorer\nAnna Andersson"), BODIES
    )
    assert proposal.values["auditors"].value == "Region Norrbottens revisorer"
    assert proposal.values["firm"].value == "EY"
    assert proposal.values["issuer_id"].value == 3


@pytest.mark.parametrize(
    "text",
    [
        "Vi rekommenderar RS att:\n1. Se över rutinerna.\n2. Följa upp\nutfallet.\nSlut.",
        "Revisorerna rekommenderar\n1) Se över rutinerna.\n2) Följa upp utfallet.\nÖvrigt.",
        "Vi lämnar följande rekommendationer:\n• Se över rutinerna.\n• Följa upp utfallet.\nSlut.",
        "Rekommendationer\nNr Text\n1\nSe över rutinerna.\n2\nFölja upp utfallet.\nSlut.",
    ],
)
def test_recommendation_lists_after_each_lead_phrase(text):
    drafts = propose(lines(text), BODIES).recommendations
    assert [(d.number, d.text) for d in drafts] == [
        ("1", "Se över rutinerna."),
        ("2", "Följa upp utfallet."),
    ]


def test_lettered_items_keep_their_letters():
    text = "Vi rekommenderar styrelsen att\na) se över rutinerna,\nb) följa upp.\nSlut."
    drafts = propose(lines(text), BODIES).recommendations
    assert [(d.number, d.text) for d in drafts] == [
        ("a", "se över rutinerna,"),
        ("b", "följa upp."),
    ]


def test_one_recommendation_in_the_sentence_itself():
    text = "Vi rekommenderar regionstyrelsen att säkerställa en samlad uppföljning. Vidare ser vi"
    drafts = propose(lines(text), BODIES).recommendations
    assert [(d.number, d.text) for d in drafts] == [("1", "säkerställa en samlad uppföljning.")]


def test_hyphens_at_line_ends_are_mended_but_not_before_och():
    mended = mend_hyphens(
        lines("tydlig ansvars-\nfördelning och primär-\noch sekundärvård, IT-\nSäkerhet")
    )
    assert [line.text for line in mended] == [
        "tydlig ansvarsfördelning och primär-",
        "och sekundärvård, IT-",
        "Säkerhet",
    ]


def test_repeated_headers_and_page_numbers_are_dropped():
    body = {
        n: [
            f"{word} stycke på sida {['ett', 'två', 'tre'][n - 1]}."
            for word in ["Första", "Andra", "Tredje", "Fjärde"]
        ]
        for n in (1, 2, 3)
    }
    pages = [["Region Norrbotten Revisorerna", *body[n], f"Sida {n} av 3"] for n in (1, 2, 3)]
    assert drop_repeated_edges(pages) == [body[1], body[2], body[3]]


def test_a_line_on_one_page_only_is_kept():
    pages = [["Rubrik", "Text."], ["Annat", "Text två."]]
    assert drop_repeated_edges(pages) == pages


def test_control_characters_read_from_a_file_are_dropped():
    from tracker.sources.reading import from_layout

    layout = {"pages": [[{"text": "Vi\x00 rekommenderar\x0b att\x1f", "size": 11}]], "scanned": []}
    assert [line.text for line in from_layout(layout).lines] == ["Vi rekommenderar att"]
