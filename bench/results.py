"""Collect measurements, print them as a table and write bench/results.json."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str  # "page.start.p50_ms", "export.pdf_s", "worker.peak_rss_mb", ...
    db: str  # "sqlite" or "postgresql"
    scale: float
    value: float
    unit: str  # "ms", "s", "req/s", "MB", "KB", "queries", "ratio"


def write_json(results: list[Result], path: Path, *, machine: dict) -> None:
    """Write the results as a list of objects, with the machine they ran on beside them."""
    document = {"machine": machine, "results": [asdict(result) for result in results]}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> list[Result]:
    """Read back results written by write_json."""
    return [Result(**row) for row in json.loads(path.read_text(encoding="utf-8"))["results"]]


def table(results: list[Result]) -> str:
    """Return a Markdown table: one row per measurement, one column per database and scale."""
    columns = sorted({(r.db, r.scale) for r in results}, key=lambda c: (c[0] != "sqlite", c))
    names = list(dict.fromkeys(r.name for r in results))
    cells = {(r.name, r.db, r.scale): r for r in results}
    header = ["measurement"] + [f"{db} s{scale:g}" for db, scale in columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        row = [name]
        for db, scale in columns:
            result = cells.get((name, db, scale))
            row.append(shown(result) if result else "–")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def shown(result: Result) -> str:
    """Return a value with its unit, thousands separated."""
    value = result.value
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} {result.unit}"
