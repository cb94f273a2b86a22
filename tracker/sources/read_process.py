"""Read an uploaded report's layout in a child process with memory and time limits.

A crafted file (a Word file that unpacks to gigabytes, a PDF whose content stream loops)
can take a parser far past what a web worker has. The child runs this file as a script,
`python -P read_process.py pdf|docx` with the file on stdin, sets its own limits and imports
only its layout module: the worker waits for its JSON answer, or learns why there is none.
"""

import json
import subprocess
import sys
from pathlib import Path

# The child's address space: the parsers and a 200-page report fit well within it.
MEMORY_BYTES = 1024 * 1024 * 1024
# CPU seconds the child may use, and the wall-clock seconds the worker waits (a busy machine).
CPU_SECONDS = 30
WALL_SECONDS = 60

# Why a file was not read, as the child or the limits tell it.
REASONS = ("encrypted", "broken", "pages", "unpacked", "memory", "time")


class ChildError(Exception):
    """The child read nothing; args[0] is one of REASONS."""


def read_layout(data: bytes, kind: str) -> dict:
    """Return the layout the child read from a "pdf" or "docx" file, or raise ChildError."""
    try:
        finished = subprocess.run(
            [sys.executable, "-P", __file__, kind, str(MEMORY_BYTES), str(CPU_SECONDS)],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
        )
    except subprocess.TimeoutExpired as error:  # run() has killed the child
        raise ChildError("time") from error
    if finished.returncode != 0:
        # SIGXCPU or SIGKILL at the CPU limit; anything else failed for want of memory.
        reason = "time" if finished.returncode in (-24, -9) else "memory"
        answer = _answer(finished.stdout)
        raise ChildError(answer.get("error", reason) if answer else reason)
    answer = _answer(finished.stdout)
    if answer is None:
        raise ChildError("broken")
    if "error" in answer:
        raise ChildError(answer["error"])
    return answer


def _answer(stdout: bytes) -> dict | None:
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def _limit(memory: int, cpu: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _main() -> None:
    kind, memory, cpu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    _limit(memory, cpu)
    # The layout modules sit beside this file and import nothing of the tracker.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import logging

    logging.disable(logging.WARNING)  # pdfminer logs every operator at debug level
    data = sys.stdin.buffer.read()
    try:
        if kind == "pdf":
            import layout_pdf as layout
        else:
            import layout_docx as layout
        result = layout.read_pdf(data) if kind == "pdf" else layout.read_docx(data)
    except MemoryError:
        result = {"error": "memory"}
    except RecursionError:
        result = {"error": "broken"}
    except Exception as error:
        reason = error.args[0] if error.args and error.args[0] in REASONS else "broken"
        result = {"error": reason}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    _main()
