"""Print a before/after Markdown table of two results files: `python -m bench.compare A B`."""

import sys
from pathlib import Path

from bench.results import read_json, shown


def compare(before: list, after: list) -> str:
    """Return one row per measurement and column pair (database, scale): before → after."""
    old = {(r.name, r.db, r.scale): r for r in before}
    new = {(r.name, r.db, r.scale): r for r in after}
    columns = sorted({(db, scale) for _n, db, scale in new}, key=lambda c: (c[0] != "sqlite", c))
    names = list(dict.fromkeys(name for name, _db, _scale in new))
    header = ["measurement"] + [f"{db} s{scale:g}: before → after" for db, scale in columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        cells = []
        for db, scale in columns:
            was, now = old.get((name, db, scale)), new.get((name, db, scale))
            cells.append(f"{shown(was) if was else '–'} → {shown(now) if now else '–'}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(compare(read_json(Path(sys.argv[1])), read_json(Path(sys.argv[2]))))
