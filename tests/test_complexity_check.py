"""The lint step's complexity check: it names each function at 15 or more, and fails."""

import subprocess
import sys

from tracker.config import ROOT

SCRIPT = ROOT / "scripts" / "complexity.py"


def _branches(name: str, count: int, indent: str = "") -> str:
    # One plus one per `if`: count branches give a complexity of count + 1.
    lines = [f"def {name}(x):"]
    lines += [f"    if x == {number}:\n        return {number}" for number in range(count)]
    lines.append("    return -1\n")
    return "".join(f"{indent}{line}\n" for line in "\n".join(lines).splitlines())


def test_a_method_at_15_fails_the_check_and_those_at_14_pass(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "\n".join(
            [
                _branches("simple", 13),
                "class Holder:",
                _branches("tangled", 14, indent="    "),
                _branches("plain", 13, indent="    "),
            ]
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(source)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0] == f"{source}: Holder.tangled has cyclomatic complexity 15 (limit: under 15)"
    assert lines[1:] == ["1 functions at cyclomatic complexity 15 or more: split them."]


def test_a_file_under_the_limit_passes(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(_branches("simple", 13), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(source)], capture_output=True, text=True, check=False
    )
    assert (run.returncode, run.stdout) == (0, "")
