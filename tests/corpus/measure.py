"""Measure the report reader on the corpus: precision and recall per field.

    .venv/bin/python -m tests.corpus.measure --half held-back   (or tuning, or all)

Each case is read from its PDF and from its Word file, as an upload is (the same layout code,
here in this process), and proposed against a register of Region Norrbotten's bodies. A value
counts as right when it equals the expected one (case and spacing aside); a recommendation
when its number and its text, spacing aside, are exact.
"""

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracker.evidence import DOCX, PDF
from tracker.sources.proposing import BodyName, propose
from tracker.sources.reading import read_report

CORPUS = Path(__file__).resolve().parent
# The register the letters are read against: our region's bodies, and its own auditors.
BODIES = [
    BodyName(1, "RS", "Regionstyrelsen"),
    BodyName(2, "HSN", "Hälso- och sjukvårdsnämnden"),
    BodyName(3, "REV", "Region Norrbottens revisorer"),
    BodyName(4, "RUN", "Regionala utvecklingsnämnden"),
    BodyName(5, "KTN", "Kollektivtrafiknämnden"),
]
OUR_REGION = "Region Norrbotten"
SCALARS = ("title", "issued_on", "dnr", "response_due", "auditors", "firm", "assessment")
LISTS = ("addressees", "signatories")


@dataclass
class Tally:
    expected: int = 0
    proposed: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.right / self.proposed if self.proposed else 1.0

    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def cases(half: str) -> list[str]:
    """Return the names of the cases in a half ("tuning", "held-back") or "all"."""
    halves = yaml.safe_load((CORPUS / "halves.yaml").read_text("utf-8"))
    return sorted(sum(halves.values(), [])) if half == "all" else halves[half]


def expected_of(name: str) -> dict:
    return yaml.safe_load((CORPUS / "cases" / name / "expected.yaml").read_text("utf-8"))


def _same(value) -> str:
    return " ".join(str(value).split()).casefold().strip(" .;:")


def _exact(text: str) -> str:
    return " ".join(text.split())


def measure(names: list[str]) -> dict[str, Tally]:
    """Read every case as PDF and as Word and count what was proposed right."""
    tallies = {name: Tally() for name in (*SCALARS, *LISTS, "recommendations", "page", "issuer")}
    tallies["issuer"].misses = []
    for name in names:
        expected = expected_of(name)
        folder = CORPUS / "cases" / name
        for kind, media_type in (("pdf", PDF[0]), ("docx", DOCX[0])):
            text = read_report((folder / f"report.{kind}").read_bytes(), media_type, child=False)
            proposal = propose(text.lines, BODIES)
            found = proposal.flat()
            where = f"{name}.{kind}"
            for key in SCALARS:
                _count(tallies[key], expected.get(key), found.get(key), where)
            for key in LISTS:
                want = {_same(value) for value in expected.get(key) or []}
                got = {_same(value) for value in found.get(key) or []}
                tally = tallies[key]
                tally.expected += len(want)
                tally.proposed += len(got)
                tally.right += len(want & got)
                if want != got:
                    tally.misses.append(f"{where}: {sorted(got)} != {sorted(want)}")
            want = [(r["number"], _exact(r["text"])) for r in expected["recommendations"]]
            got = [(d.number, _exact(d.text)) for d in proposal.recommendations]
            tally = tallies["recommendations"]
            tally.expected += len(want)
            tally.proposed += len(got)
            tally.right += sum(1 for item in got if item in want)
            tally.misses += [f"{where}: proposed {item}" for item in got if item not in want]
            tally.misses += [f"{where}: missed {item}" for item in want if item not in got]
            if kind == "pdf":
                pages = {
                    (r["number"], _exact(r["text"])): r["page"] for r in expected["recommendations"]
                }
                tally = tallies["page"]
                for draft in proposal.recommendations:
                    if (draft.number, _exact(draft.text)) in pages:
                        tally.expected += 1
                        tally.proposed += 1
                        tally.right += draft.page == pages[(draft.number, _exact(draft.text))]
            _issuer(tallies["issuer"], expected, proposal, where)
    return tallies


def _count(tally: Tally, want, got, where: str) -> None:
    tally.expected += want is not None
    tally.proposed += got is not None
    if want is not None and got is not None and _same(want) == _same(got):
        tally.right += 1
    elif want is not None or got is not None:
        tally.misses.append(f"{where}: {got!r} != {want!r}")


def _issuer(tally: Tally, expected: dict, proposal, where: str) -> None:
    """Count issuers: right, and wrong ones proposed with no warning (misses)."""
    want = 3 if expected["organisation"] == OUR_REGION else None
    got = proposal.values.get("issuer_id")
    got = got.value if got else None
    tally.expected += want is not None
    tally.proposed += got is not None
    tally.right += got is not None and got == want
    if got is not None and got != want:
        tally.misses.append(f"{where}: wrong issuer {got} proposed without a warning")


def report(tallies: dict[str, Tally], out=sys.stdout, *, misses: bool = False) -> None:
    """Print precision and recall per field."""
    print(
        f"{'field':<16}{'expected':>9}{'proposed':>9}{'right':>7}{'precision':>11}{'recall':>8}",
        file=out,
    )
    for key, tally in tallies.items():
        print(
            f"{key:<16}{tally.expected:>9}{tally.proposed:>9}{tally.right:>7}"
            f"{tally.precision():>10.0%}{tally.recall():>8.0%}",
            file=out,
        )
        if misses:
            for miss in tally.misses:
                print(f"    {miss}", file=out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--half", choices=("tuning", "held-back", "held-back-2", "all"), default="held-back"
    )
    parser.add_argument("--misses", action="store_true", help="list what was missed or wrong")
    args = parser.parse_args()
    from tracker import create_app

    app = create_app()
    with app.test_request_context():
        names = cases(args.half)
        print(f"{args.half}: {len(names)} cases, each as PDF and as Word")
        report(measure(names), misses=args.misses)


if __name__ == "__main__":
    main()
