"""Fail, listing each one, when a function in tracker/ has a cyclomatic complexity of 15 or more.

`make lint` runs it (radon's measure: one plus each branch, loop, boolean operator and except).
Usage: python scripts/complexity.py [FOLDER_OR_FILE ...]  (default: tracker/)
"""

import sys
from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
# A function at this complexity or above is too many paths to hold in one's head: split it.
LIMIT = 15


def too_complex(path: Path) -> list[tuple[str, int]]:
    """Return each function, method and inner function of a file at or over the limit."""
    found = []
    # A class's own number sums its methods, which radon also lists one by one: skip it.
    blocks = [block for block in cc_visit(path.read_text(encoding="utf-8")) if block.letter != "C"]
    while blocks:
        block = blocks.pop()
        blocks.extend(block.closures)
        if block.complexity >= LIMIT:
            found.append((block.fullname, block.complexity))
    return sorted(found)


def python_files(targets: list[Path]) -> list[Path]:
    """Return the Python files of the given files and folders, in a stable order."""
    files = []
    for target in targets:
        files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return files


def main(arguments: list[str]) -> int:
    """Print every function at or over the limit as FILE:FUNCTION complexity N; 1 if any."""
    targets = [Path(argument) for argument in arguments] or [ROOT / "tracker"]
    offenders = 0
    for path in python_files(targets):
        for name, complexity in too_complex(path):
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"{shown}: {name} has cyclomatic complexity {complexity} (limit: under {LIMIT})")
            offenders += 1
    if offenders:
        print(f"{offenders} functions at cyclomatic complexity {LIMIT} or more: split them.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
