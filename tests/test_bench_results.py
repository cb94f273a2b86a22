"""The benchmark's results file and table (the benchmark itself runs only in `make bench`)."""

import json

from bench.results import Result, read_json, table, write_json


def test_results_are_written_as_the_issue_names_them_and_shown_as_a_table(tmp_path):
    results = [
        Result("page.start.p50_ms", "sqlite", 0.1, 12.5, "ms"),
        Result("page.start.p50_ms", "sqlite", 1.0, 20.25, "ms"),
        Result("throughput.my_work_rps", "postgresql", 1.0, 1234.0, "req/s"),
    ]
    path = tmp_path / "results.json"
    write_json(results, path, machine={"cores": 2, "note": "shared"})
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["machine"]["note"] == "shared"
    assert document["results"][0] == {
        "name": "page.start.p50_ms",
        "db": "sqlite",
        "scale": 0.1,
        "value": 12.5,
        "unit": "ms",
    }
    assert read_json(path) == results
    lines = table(results).splitlines()
    assert lines[0] == "| measurement | sqlite s0.1 | sqlite s1 | postgresql s1 |"
    assert lines[2] == "| page.start.p50_ms | 12.5 ms | 20.25 ms | – |"
    assert lines[3] == "| throughput.my_work_rps | – | – | 1,234 req/s |"
