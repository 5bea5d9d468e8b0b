"""Costs under faults and at size: the dataset endpoint with many variables, Redis hung.

    python benchmarks/bench_faults.py [--variables 1000 10000]

A synthetic dataset of 200 respondents and N single-choice variables is written to a temporary
data folder; GET /api/v1/datasets/<id> is timed cold (the dataset is opened) and warm. Then an
app whose Redis accepts connections and never answers serves three tables: the first request
pays one socket timeout, the next ones none (the circuit breaker is open).

Measured on the 2-core development machine (shared), 10,000 variables: GET dataset warm 0.76 s
(80.1 s before the endpoint stopped scanning the question list once per variable), cold 6.4 s
(68.5 s before); Redis hung: first request 0.39 s (0.25 s socket timeout + the table), the next
ones 0.009 s, as without a cache.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from barometer_dash.app_factory import create_app
from barometer_dash.data.write import write_dataset
from barometer_dash.domain.codebook import parse_codebook


def wide_dataset(data_dir: Path, n_vars: int, n_rows: int = 200) -> str:
    rng = np.random.default_rng(1)
    values = [{"code": c, "label": f"answer {c}"} for c in (1, 2, 3)]
    raw = {
        "dataset": {"id": "wide", "title": "Wide synthetic", "synthetic": True},
        "variables": [{"name": f"q{i}", "label": f"Question {i}", "kind": "single", "values": values}
                      for i in range(n_vars)],
    }
    table = pa.table({f"q{i}": rng.integers(1, 4, n_rows).astype(np.int8) for i in range(n_vars)})
    write_dataset(table, parse_codebook(raw), data_dir)
    return "wide"


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bench_wide(sizes: list[int]) -> None:
    print("| variables | write s | GET dataset cold s | GET dataset warm s | body MB |")
    print("|---:|---:|---:|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            write_s = timed(lambda: wide_dataset(data, n))  # noqa: B023
            client = create_app({"data_dir": data, "cache": "null", "default_dataset": "wide"}).server.test_client()
            url = "/api/v1/datasets/wide"
            cold = timed(lambda: client.get(url))  # noqa: B023
            response = client.get(url)
            assert response.status_code == 200
            warm = timed(lambda: client.get(url))  # noqa: B023
            print(f"| {n:,} | {write_s:.2f} | {cold:.2f} | {warm:.3f} | {len(response.get_data()) / 1e6:.1f} |")


def bench_hung_redis() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held = []
    threading.Thread(target=lambda: [held.append(sock.accept()) for _ in range(100)], daemon=True).start()
    client = create_app({"cache": "redis", "redis_url": f"redis://127.0.0.1:{sock.getsockname()[1]}/0"}
                        ).server.test_client()
    baseline = create_app({"cache": "null"}).server.test_client()
    urls = [f"/api/v1/datasets/demo/crosstab?row=trust_police&col={c}" for c in ("age_group", "gender", "country")]
    print("\n| request (Redis hung) | seconds | same request, no cache |")
    print("|---|---:|---:|")
    for i, url in enumerate(urls):
        t = timed(lambda: client.get(url))  # noqa: B023
        b = timed(lambda: baseline.get(url))  # noqa: B023
        print(f"| {i + 1} ({url.rsplit('=', 1)[1]}) | {t:.3f} | {b:.3f} |")
    sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variables", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    bench_wide(args.variables)
    bench_hung_redis()


if __name__ == "__main__":
    main()
