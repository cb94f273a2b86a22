"""Measure pages of two checkouts as before/after pairs in one run: `python -m bench.pairs`.

On a machine shared with other work single numbers swing with the load, so both versions are
served at once on the same database and each page is loaded with wrk in turns (before, after,
before, after …); each side's p50 and p95 is the median over its turns. The load average is
printed before, between and after the pages. Writes two results files for `bench.compare`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.compare import compare
from bench.results import Result, write_json
from bench.run import (
    BIN,
    PASSWORD,
    ROOT,
    SECRETARY,
    _free_port,
    facts,
    machine,
    pages,
    request,
    sign_in,
    wait_until_up,
    wrk,
)


def load() -> str:
    """Return the 1, 5 and 15-minute load averages, as uptime shows them."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


@contextmanager
def serve(tree: Path, url: str):
    """Serve one checkout's app with gunicorn (2 workers) on loopback; yield its port."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),  # this checkout's code, not the installed one
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SECRET_KEY": "bench",
        "BENCH_BIND": f"127.0.0.1:{port}",
    }
    command = [str(BIN / "gunicorn"), "-c", str(tree / "bench" / "gunicorn_conf.py")]
    process = subprocess.Popen([*command, "tracker:create_app()"], env=env, cwd=tree)
    try:
        wait_until_up(port, process, f"gunicorn for {tree}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def cpu_pairs(sides: dict[str, Path], args, chosen) -> dict[str, dict[str, float]]:
    """Return each page's median CPU ms per side, the sides' runs taken in turns."""
    taken: dict[str, list[dict]] = {side: [] for side in sides}
    paths = [path for _name, _who, path in chosen]
    for _round in range(args.rounds):
        for side, tree in sides.items():
            output = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "cpu.py"), args.url, SECRETARY, PASSWORD]
                + paths
                + ["--times", str(args.cpu_times)],
                env={**os.environ, "PYTHONPATH": str(tree)},
                cwd=tree,
                capture_output=True,
                text=True,
                timeout=900,
                check=True,
            ).stdout
            taken[side].append(json.loads(output.strip().splitlines()[-1]))
    return {
        f"page.{name}.cpu_ms": {
            side: round(statistics.median(run[path] for run in taken[side]), 1) for side in sides
        }
        for name, _who, path in chosen
    }


def main(argv: list[str] | None = None) -> int:
    """Measure the chosen pages of both checkouts in turns; print the pairs and the load."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="the checkout measured as before")
    parser.add_argument("--after", default=str(ROOT), help="default: this checkout")
    parser.add_argument("--url", required=True, help="the database, filled by demo-data")
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--pages", default="start,followup_200,search,recommendation")
    parser.add_argument("--rounds", type=int, default=3, help="turns per page and side")
    parser.add_argument(
        "--seconds", type=float, default=3, help="length of each wrk run; 0: no wrk runs"
    )
    parser.add_argument(
        "--cpu-times", type=int, default=0, help="also CPU time in the app, N requests a turn"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "pairs"))
    args = parser.parse_args(argv)
    wanted = args.pages.split(",")
    chosen = [page for page in pages(facts(args.url)) if page[0] in wanted]
    sides = {"before": Path(args.before).resolve(), "after": Path(args.after).resolve()}
    results: dict[str, list[Result]] = {side: [] for side in sides}
    print(f"load {load()} at the start", flush=True)
    with ExitStack() as stack:
        ports = {side: stack.enter_context(serve(tree, args.url)) for side, tree in sides.items()}
        cookies = {side: sign_in(port, SECRETARY) for side, port in ports.items()}
        for name, _who, path in chosen:
            taken: dict[str, list[dict]] = {side: [] for side in sides}
            for side, port in ports.items():
                status, headers, body = request(port, path, cookie=cookies[side], timeout=120)
                if status != 200:
                    raise RuntimeError(f"{side} {path} answered {status}")
                queries = int(headers["x-query-count"][0])
                results[side].append(
                    Result(f"page.{name}.queries", args.db, args.scale, queries, "queries")
                )
                size = round(len(body) / 1024, 2)
                results[side].append(
                    Result(f"page.{name}.size_kb", args.db, args.scale, size, "KB")
                )
            for _round in range(args.rounds if args.seconds > 0 else 0):
                for side, port in ports.items():
                    taken[side].append(
                        wrk(port, path, cookie=cookies[side], clients=1, seconds=args.seconds)
                    )
            for side in sides:
                for field in ("p50", "p95"):
                    values = [run[f"{field}_us"] / 1000 for run in taken[side] if run["requests"]]
                    if not values:  # no wrk runs, or no request ended inside one
                        continue
                    value = round(statistics.median(values), 1)
                    results[side].append(
                        Result(f"page.{name}.{field}_ms", args.db, args.scale, value, "ms")
                    )
            print(f"load {load()} after {name}", flush=True)
    if args.cpu_times:
        for name, value in cpu_pairs(sides, args, chosen).items():
            for side in sides:
                results[side].append(Result(name, args.db, args.scale, value[side], "ms"))
        print(f"load {load()} after the CPU times", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    note = f"pairs in one run; load {load()} at the end"
    for side in sides:
        write_json(results[side], out / f"{side}.json", machine=machine(note))
    print(compare(results["before"], results["after"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
