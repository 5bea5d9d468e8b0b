"""Serving large surveys: this code against an earlier revision and a plain mmap baseline.

    python benchmarks/bench_scale.py [--sizes 1000000 10000000] [--before 788b8f0] [--seconds 5]
                                     [--checkpoints 50 100 150 200 250]

For each size a synthetic dataset (int8 answers to 60 questions, 6 breakdowns, weight,
300 strata, ~10 respondents per PSU, rows in random order; 70 columns) is written into a
temporary data folder. Each variant runs as gunicorn with two workers on loopback:

- before: the `--before` revision (`git archive`) with its own gunicorn.conf.py; a revision
  from before that file is started as its Dockerfile did (`--preload --workers 2`, sync
  workers, reading responses.parquet);
- after: this tree with gunicorn.conf.py (BAROMETER_WORKERS=2), serving copy prepared first.

Measured per variant: the first request answered by each worker (cold), warm uncached and
cached API requests (median), each worker's memory (/proc/PID/smaps_rollup: PSS, its anonymous,
file and shmem parts, RSS, private dirty) and memo bytes after each checkpoint of varied
requests, and requests per second from 4 client threads (cached, uncached). The baseline maps
serving/responses.arrow in one process and counts with numpy.bincount. The answers of both
variants to the same queries are compared number by number (1e-12).
Prints two markdown tables. Heavy at 10M: the two cores are shared, run it once.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
BREAKDOWNS = {"country": 3, "year": 4, "gender": 2, "age_group": 6, "education": 4, "region": 10}
N_QUESTIONS = 60
WRAPPER = '''
import itertools, os
from barometer_dash.app_factory import create_app

server = create_app().server
served = itertools.count(1)


def _memo_bytes():
    service = server.extensions.get("barometer_service")
    memo = getattr(getattr(service, "store", None), "memo", None)
    return str(getattr(memo, "used", -1))


def app(environ, start_response):
    def respond(status, headers, exc_info=None):
        extra = [("X-Worker", str(os.getpid())), ("X-Served", str(next(served))), ("X-Memo-Bytes", _memo_bytes())]
        return start_response(status, headers + extra, exc_info)
    return server(environ, respond)


app.extensions = server.extensions
'''


# --- data --------------------------------------------------------------------------------


def _values(n: int) -> list[dict]:
    return [{"code": c, "label": {"en": f"Category {c}"}} for c in range(1, n + 1)]


def write_dataset(folder: Path, n: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    cols: dict[str, np.ndarray] = {}
    for name, k in BREAKDOWNS.items():
        cols[name] = rng.integers(1, k + 1, n, dtype=np.int8)
    cols["year"] = (cols["year"].astype(np.int16) + 2020).astype(np.int16)
    stratum = rng.integers(0, 300, n).astype(np.int16)
    cols["stratum"] = stratum
    cols["psu"] = (stratum.astype(np.int32) * 10_000 + rng.integers(0, max(n // 3000, 2), n)).astype(np.int32)
    cols["weight"] = rng.gamma(4.0, 0.25, n)
    arrays = {k: pa.array(v) for k, v in cols.items()}
    variables = [{"name": name, "label": {"en": name}, "kind": "demographic",
                  "values": ([{"code": 2020 + c, "label": {"en": str(2020 + c)}} for c in range(1, 5)]
                             if name == "year" else _values(k))}
                 for name, k in BREAKDOWNS.items()]
    for i in range(1, N_QUESTIONS + 1):
        name = f"q{i:02d}"
        answer = rng.integers(1, 6, n, dtype=np.int8)
        answer[rng.random(n) < 0.05] = 98
        mask = None
        if i % 12 == 0:  # not asked in one country: empty cells
            mask = cols["country"] == 3
        arrays[name] = pa.array(answer, mask=mask)
        variables.append({"name": name, "label": {"en": f"Question {i}"}, "kind": "single",
                          "values": _values(5) + [{"code": 98, "label": {"en": "Don't know"}}], "missing": [98]})
    codebook = {"dataset": {"id": folder.name, "title": {"en": "Synthetic benchmark survey"},
                            "source": {"en": "Random numbers"}, "citation": "synthetic", "license": "CC0-1.0",
                            "weight": "weight", "strata": "stratum", "psu": "psu", "country": "country",
                            "wave": "year", "synthetic": True},
                "variables": variables}
    pq.write_table(pa.table(arrays), folder / "responses.parquet", compression="zstd")
    (folder / "codebook.json").write_text(json.dumps(codebook), encoding="utf-8")


def queries(seed: int) -> list[str]:
    """Distinct crosstab query strings in a fixed random order."""
    qs = [f"q{i:02d}" for i in range(1, N_QUESTIONS + 1)]
    bys = [None, *BREAKDOWNS]
    filters = [[], ["country:1"], ["country:2,3"], ["year:2023"], ["year:2023,2024", "gender:1"],
               ["age_group:1,2"], ["region:1,2,3"]]
    out = []
    for q, by, f in itertools.product(qs, bys, filters):
        if by is not None and any(x.startswith(by + ":") for x in f):
            continue
        parts = [f"row={q}"] + ([f"col={by}"] if by else []) + [f"filter={x}" for x in f]
        out.append("&".join(parts))
    random.Random(seed).shuffle(out)
    return out


# --- servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path, port: int, log: Path):
        self.name, self.port = name, port
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self, seconds: float = 600) -> float:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return time.monotonic() - self.started
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(self.name)

    def workers(self) -> list[int]:
        text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


SMAPS = ("Pss", "Pss_Anon", "Pss_File", "Pss_Shmem", "Rss", "Private_Dirty")


def smaps(pid: int) -> dict[str, float]:
    """MB of the process's memory, from /proc/PID/smaps_rollup (fields in SMAPS)."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in SMAPS:
            out[name] = int(rest.split()[0]) / 1024
    return out


def pss_mb(pid: int) -> float:
    return smaps(pid).get("Pss", float("nan"))


def get(url: str) -> tuple[float, str, bytes]:
    seconds, headers, body = get_with_headers(url)
    return seconds, headers.get("X-Worker", ""), body


def get_with_headers(url: str) -> tuple[float, dict[str, str], bytes]:
    start = time.monotonic()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
        return time.monotonic() - start, dict(response.headers.items()), body


def api(server: Server, query: str) -> str:
    return server.url(f"/api/v1/datasets/big/crosstab?{query}")


def cold(server: Server, qs: list[str], workers: int) -> dict[str, float]:
    """Seconds of the first answer from each worker: two concurrent requests at a time.

    A gthread worker may take both requests of a pair (fast tables at 1M): pairs go on until
    every worker has answered once."""
    first: dict[str, float] = {}
    pairs = iter(zip(qs[::2], qs[1::2], strict=False))
    while len(first) < workers:
        pair = next(pairs, None)
        if pair is None:
            raise RuntimeError(f"{server.name}: not every worker answered {len(qs)} requests")
        results: list[tuple[float, str, bytes]] = []

        def one(q: str, out: list[tuple[float, str, bytes]] = results) -> None:
            out.append(get(api(server, q)))

        threads = [threading.Thread(target=one, args=(q,)) for q in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for seconds, worker, _ in sorted(results):
            first.setdefault(worker, seconds)
    return first


def rate(server: Server, urls: list[str], seconds: float, clients: int = 4) -> float:
    done = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def run(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            get(urls[i % len(urls)])
            i += clients
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.monotonic() - start)


def measure(server: Server, qs: list[str], args: argparse.Namespace) -> dict[str, object]:
    out: dict[str, object] = {"ready_s": server.wait()}
    pos = 0

    def take(k: int) -> list[str]:
        nonlocal pos
        chunk = qs[pos:pos + k]
        pos += k
        return chunk

    first = cold(server, take(40), args.workers)
    out["cold_s"] = sorted(first.values())
    warm = [get(api(server, q))[0] for q in take(args.warm)]
    out["uncached_ms"] = 1000 * statistics.median(warm)
    fixed = api(server, qs[0])
    for _ in range(4):
        get(fixed)
    out["cached_ms"] = 1000 * statistics.median(get(fixed)[0] for _ in range(args.warm))
    done = 0
    seen: dict[str, dict[str, str]] = {}  # each worker's last answer headers
    memory: list[dict[str, object]] = []
    for mark in args.checkpoints:
        for q in take(mark - done):
            _, headers, _ = get_with_headers(api(server, q))
            seen[headers.get("X-Worker", "")] = headers
            done += 1
            if done % 10 == 0 and max(pss_mb(p) for p in server.workers()) > args.cap_mb:
                break  # the machine is shared: stop a variant whose memory keeps growing
        memory.append({"requests": done, "workers": {p: {**smaps(p), "memo": _memo_mb(seen.get(str(p))),
                                                         "served": int(seen.get(str(p), {}).get("X-Served", 0))}
                                                     for p in server.workers()}})
        if done < mark:
            break
    out["memory"] = memory
    out["pss_first"] = [w["Pss"] for w in memory[0]["workers"].values()]  # type: ignore[attr-defined]
    out["pss_last"] = [w["Pss"] for w in memory[-1]["workers"].values()]  # type: ignore[attr-defined]
    out["requests"] = done
    if max(out["pss_last"]) > args.cap_mb:  # type: ignore[arg-type]
        return out
    out["rps_uncached"] = rate(server, [api(server, q) for q in qs[pos:pos + 4000]], args.seconds)
    cached = [api(server, q) for q in qs[:8]]
    for u in cached:
        get(u)
        get(u)
    out["rps_cached"] = rate(server, cached, args.seconds)
    return out


def _memo_mb(headers: dict[str, str] | None) -> float:
    value = int((headers or {}).get("X-Memo-Bytes", -1))
    return value / 2**20 if value >= 0 else float("nan")


def answers(server: Server, qs: list[str]) -> list[dict]:
    """The answers, without the server's own address (links and citations name it)."""
    origin = server.url("").encode()
    return [json.loads(get(api(server, q))[2].replace(origin, b"")) for q in qs]


def max_difference(a: object, b: object) -> float:
    """Largest |a - b| over all numbers, relative above 1; inf when the shapes differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return math.inf
        return max((max_difference(a[k], b[k]) for k in a), default=0.0)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return math.inf
        return max((max_difference(x, y) for x, y in zip(a, b, strict=True)), default=0.0)
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(a - b) / max(1.0, abs(a))
    return 0.0 if a == b else math.inf


# --- baseline ----------------------------------------------------------------------------

BASELINE = '''
import sys, time, numpy as np, pyarrow as pa, pyarrow.ipc as ipc
t0 = time.monotonic()
table = ipc.open_file(pa.memory_map(sys.argv[1], "r")).read_all()
w = table.column("weight").chunk(0).to_numpy()
def query(q, by, f):
    a = table.column(q).chunk(0).to_numpy(zero_copy_only=False)
    b = table.column(by).chunk(0).to_numpy()
    fv = table.column("gender").chunk(0).to_numpy()
    keep = (a < 98) & (fv == f)
    cell = a[keep].astype(np.intp) * 16 + b[keep]
    return np.bincount(cell, weights=w[keep], minlength=256)
query("q01", "age_group", 1)
first = time.monotonic() - t0
times = []
for i in range(2, 22):
    t = time.monotonic(); query(f"q{i:02d}", "region", 1 + i % 2); times.append(time.monotonic() - t)
pss = [l for l in open("/proc/self/smaps_rollup") if l.startswith("Pss:")][0].split()[1]
print(first, sorted(times)[10], int(pss) / 1024)
'''


def baseline(arrow: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", BASELINE, str(arrow)], capture_output=True, text=True, check=True)
    first, warm, pss = (float(x) for x in out.stdout.split())
    return {"cold": first, "warm_ms": 1000 * warm, "pss": pss}


# --- main --------------------------------------------------------------------------------


def start(variant: str, data: Path, work: Path, before_tree: Path, workers: int) -> Server:
    port = free_port()
    (work / "benchwrap.py").write_text(WRAPPER)
    env = {**os.environ, "BAROMETER_DATA_DIR": str(data), "BAROMETER_CACHE": "simple",
           "BAROMETER_DEFAULT_DATASET": "big"}
    tree = before_tree if variant == "before" else ROOT
    env["PYTHONPATH"] = f"{tree}:{work}"
    if (tree / "gunicorn.conf.py").is_file():
        env.update({"BAROMETER_BIND": f"127.0.0.1:{port}", "BAROMETER_WORKERS": str(workers),
                    "BAROMETER_TIMEOUT": "600", "BAROMETER_MAX_REQUESTS": "0"})
        argv = [sys.executable, "-m", "gunicorn", "-c", str(tree / "gunicorn.conf.py"), "benchwrap:app"]
    else:  # a revision from before gunicorn.conf.py, started as its Dockerfile did
        argv = [sys.executable, "-m", "gunicorn", "benchwrap:app", "--preload", "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}", "--timeout", "600"]
    return Server(variant, argv, env, work, port, work / f"{variant}.log")


def _fmt(values: object) -> str:
    if isinstance(values, list):
        return " / ".join(f"{v:.0f}" if v > 20 else f"{v:.2f}" for v in values)
    assert isinstance(values, float)
    return f"{values:.0f}" if values > 20 else f"{values:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--before", default="788b8f0", help="git revision to compare against ('' to skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each requests/s run")
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--checkpoints", type=int, nargs="+", default=[50, 100, 150, 200, 250],
                        help="read each worker's memory after this many varied requests (in total)")
    parser.add_argument("--cap-mb", type=float, default=4000,
                        help="stop adding varied requests once a worker's PSS passes this (MB)")
    args = parser.parse_args()
    first, last = args.checkpoints[0], args.checkpoints[-1]
    work = Path(tempfile.mkdtemp(prefix="barometer-bench-"))
    rows = []
    try:
        before_tree = work / "before"
        if args.before:
            before_tree.mkdir()
            paths = ["barometer_dash"]
            if subprocess.run(["git", "cat-file", "-e", f"{args.before}:gunicorn.conf.py"], cwd=ROOT).returncode == 0:
                paths.append("gunicorn.conf.py")
            archive = subprocess.run(["git", "archive", args.before, *paths], cwd=ROOT,
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(before_tree)], input=archive, check=True)
        for n in args.sizes:
            data = work / f"data-{n}"
            t = time.monotonic()
            write_dataset(data / "big", n)
            gen = time.monotonic() - t
            t = time.monotonic()
            subprocess.run([sys.executable, "-m", "barometer_dash", "prepare", "--data-dir", str(data)],
                           cwd=ROOT, check=True, capture_output=True)
            prep = time.monotonic() - t
            parquet_mb = (data / "big" / "responses.parquet").stat().st_size / 2**20
            arrow_mb = (data / "big" / "serving" / "responses.arrow").stat().st_size / 2**20
            print(f"# {n:,} respondents: generated in {gen:.1f} s ({parquet_mb:.0f} MB Parquet); "
                  f"prepare {prep:.1f} s ({arrow_mb:.0f} MB Arrow)", file=sys.stderr, flush=True)
            qs = queries(n)
            check = qs[-12:]
            got: dict[str, list[dict]] = {}
            for variant in (["before"] if args.before else []) + ["after"]:
                server = start(variant, data, work, before_tree, args.workers)
                try:
                    result = measure(server, qs[:-12], args)
                    got[variant] = answers(server, check)
                finally:
                    server.stop()
                print(f"# {variant}: {result}", file=sys.stderr, flush=True)
                rows.append((n, variant, result))
            base = baseline(data / "big" / "serving" / "responses.arrow")
            rows.append((n, "mmap Arrow + bincount (1 process)", base))
            if "before" in got:
                diff = max(max_difference(a, b) for a, b in zip(got["before"], got["after"], strict=True))
                rows.append((n, "answers", {"diff": diff}))
            shutil.rmtree(data)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| respondents | variant | ready (s) | first request per worker (s) | uncached (ms) | cached (ms) "
          f"| PSS/worker after {first} (MB) | after {last} (MB) | req/s uncached | req/s cached |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, variant, r in rows:
        if variant == "answers":
            d = r["diff"]
            print(f"| {n:,} | answers after vs before | max difference {d:.1e} "
                  f"({'identical to 1e-12' if d <= 1e-12 else 'DIFFERENT'}) | | | | | | | |")
        elif variant.startswith("mmap"):
            print(f"| {n:,} | {variant} | | {r['cold']:.2f} | {r['warm_ms']:.0f} (counts only) | | "
                  f"{r['pss']:.0f} | | | |")
        else:
            after = _fmt(r["pss_last"])
            if r["requests"] < last:
                after += f" (stopped after {r['requests']} requests: over {args.cap_mb:.0f} MB)"
            rps = (f"{_fmt(r['rps_uncached'])} | {_fmt(r['rps_cached'])}" if "rps_uncached" in r
                   else "not run (memory) | not run (memory)")
            print(f"| {n:,} | {variant} | {_fmt(r['ready_s'])} | {_fmt(r['cold_s'])} | {_fmt(r['uncached_ms'])} | "
                  f"{_fmt(r['cached_ms'])} | {_fmt(r['pss_first'])} | {after} | {rps} |")
    print()
    print_memory(rows)
    return 0


def print_memory(rows: list[tuple[int, str, dict]]) -> None:
    """Each worker's memory at every checkpoint (values per worker, "a / b"), in MB."""
    print("| respondents | variant | varied requests | answered per worker | PSS | Pss_Anon | Pss_File "
          "| Pss_Shmem | Rss | Private_Dirty | memo |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, variant, r in rows:
        for point in r.get("memory", []):
            workers = list(point["workers"].values())
            served = " / ".join(str(w["served"]) for w in workers)
            cells = " | ".join(" / ".join(f"{w.get(k, math.nan):.0f}" for w in workers) for k in (*SMAPS, "memo"))
            print(f"| {n:,} | {variant} | {point['requests']} | {served} | {cells} |")


if __name__ == "__main__":
    raise SystemExit(main())
