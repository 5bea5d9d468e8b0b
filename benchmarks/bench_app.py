"""Callback round trip on the demo data through the Flask test client: cold and cached.

    python benchmarks/bench_app.py [--repeat 30]

Each request is what the browser posts when a control changes; "uncached" uses a new query each
time (a different filter), "cached" repeats one query.
"""

from __future__ import annotations

import argparse
import statistics
import time

from barometer_dash.app_factory import create_app

QUESTIONS = ["trust_police", "trust_army", "trust_courts", "trust_parliament", "trust_government",
             "trust_eu", "trust_nato", "eu_support", "safe_walk_night", "threats"]
BREAKDOWNS = ["age_group", "gender", "education", "country", "year", "settlement"]


def _body(dep: dict, q: str, by: str, years: list[int]) -> dict:
    values = {"question": q, "breakdown": by, "country-filter": [], "year-filter": years, "percent": "column",
              "show-dk": [], "view": "both", "cmp-answer": None, "cmp-a": None, "cmp-b": None,
              "dataset": "demo", "lang": "en"}
    inputs = [[] if not isinstance(i["id"], str) else {"id": i["id"], "property": i["property"],
                                                        "value": values.get(i["id"])} for i in dep["inputs"]]
    state_values = {"view-state": {"search": "", "ds": "demo", "lang": "en"}, "url": ""}
    state = [[] if not isinstance(s["id"], str) else {"id": s["id"], "property": s["property"],
                                                       "value": state_values.get(s["id"])} for s in dep["state"]]
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in dep["output"].strip(".").split("...")]
    return {"output": dep["output"], "outputs": outputs, "inputs": inputs, "state": state,
            "changedPropIds": ["question.value"]}


def _time(client, body: dict) -> float:
    t0 = time.perf_counter()
    resp = client.post("/_dash-update-component", json=body)
    elapsed = (time.perf_counter() - t0) * 1000
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    app = create_app({"cache": "simple"})
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].lstrip(".").startswith("url.search"))
    # Warm-up: the first request loads the dataset and builds the design.
    t0 = time.perf_counter()
    _time(client, _body(dep, "trust_police", "age_group", []))
    first = (time.perf_counter() - t0) * 1000
    uncached = []
    combos = [(q, by, years) for q in QUESTIONS for by in BREAKDOWNS for years in ([], [2024], [2021, 2022])]
    for q, by, years in combos[: args.repeat]:
        uncached.append(_time(client, _body(dep, q, by, years)))
    cached = [_time(client, _body(dep, "trust_police", "age_group", [])) for _ in range(args.repeat)]
    print("| request | runs | median ms | p90 ms |")
    print("|---|---:|---:|---:|")
    print(f"| first (loads data) | 1 | {first:.1f} | |")
    for name, xs in (("uncached", uncached), ("cached", cached)):
        xs_sorted = sorted(xs)
        p90 = xs_sorted[int(0.9 * (len(xs) - 1))]
        print(f"| {name} | {len(xs)} | {statistics.median(xs):.1f} | {p90:.1f} |")


if __name__ == "__main__":
    main()
