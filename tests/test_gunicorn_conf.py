"""gunicorn.conf.py: numbers from the settings, datasets opened before the fork, one BLAS thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, runpy, types
import numpy  # loaded first, with two BLAS threads, as in a master that imported it early
from threadpoolctl import threadpool_info
before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
conf = runpy.run_path("gunicorn.conf.py")
conf["post_fork"](types.SimpleNamespace(app=types.SimpleNamespace(wsgi=lambda: None)), None)
names = ("bind", "workers", "threads", "worker_class", "timeout", "graceful_timeout", "max_requests",
         "max_requests_jitter", "preload_app", "wsgi_app")
print(json.dumps({"conf": {n: conf[n] for n in names},
                  "before": before,
                  "blas": [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]}))
"""


def _run(env: dict[str, str]) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BAROMETER_", "OPENBLAS", "OMP_", "MKL_"))}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**clean, **env}, capture_output=True,
                         text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_settings_drive_the_server_and_blas_gets_one_thread() -> None:
    got = _run({"OPENBLAS_NUM_THREADS": "2", "BAROMETER_WORKERS": "3", "BAROMETER_THREADS": "6",
                "BAROMETER_WORKER_CLASS": "sync", "BAROMETER_TIMEOUT": "45", "BAROMETER_MAX_REQUESTS": "500",
                "BAROMETER_BIND": "0.0.0.0:9000"})
    conf = got["conf"]
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (3, 6, "sync")
    assert (conf["timeout"], conf["graceful_timeout"]) == (45, 45)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (500, 50)
    assert conf["bind"] == "0.0.0.0:9000" and conf["preload_app"] is True and conf["wsgi_app"] == "app:server"
    assert set(got["before"]) == {2}
    assert got["blas"] and set(got["blas"]) == {1}


def test_defaults_are_the_documented_ones() -> None:
    conf = _run({})["conf"]
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (2, 4, "gthread")
    assert conf["bind"] == "127.0.0.1:8050"


def test_datasets_are_opened_in_the_master_before_the_fork(tmp_path: Path) -> None:
    probe = """
import runpy, types
conf = runpy.run_path("gunicorn.conf.py")
from barometer_dash.app_factory import create_app
app = create_app().server
lines = []
server = types.SimpleNamespace(app=types.SimpleNamespace(wsgi=lambda: app),
                               log=types.SimpleNamespace(info=lambda *a: lines.append(a[0] % a[1:])))
conf["when_ready"](server)
store = app.extensions["barometer_service"].store
print(lines[-1], sorted(store._loaded))
"""
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "BAROMETER_DATA_DIR": str(ROOT / "data")}, check=True)
    assert "datasets opened before forking: demo" in out.stdout and "['demo']" in out.stdout


MAP_IN = """
import runpy, threading, types
conf = runpy.run_path("gunicorn.conf.py")
from barometer_dash.app_factory import create_app
app = create_app().server
lines = []
server = types.SimpleNamespace(app=types.SimpleNamespace(wsgi=lambda: app),
                               log=types.SimpleNamespace(info=lambda *a: lines.append(a[0] % a[1:])))
conf["post_fork"](server, None)
for thread in threading.enumerate():
    if thread.name == "map-in":
        thread.join()
ds = app.extensions["barometer_service"].store.get("demo")
print(lines, ds.map_in())
"""


def _map_in(value: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BAROMETER_MAP_AT_START"}
    if value is not None:
        env["BAROMETER_MAP_AT_START"] = value
    return subprocess.run([sys.executable, "-c", MAP_IN], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**env, "BAROMETER_DATA_DIR": str(ROOT / "data")})


def test_each_worker_maps_in_the_serving_copies_when_it_starts() -> None:
    out = _map_in(None)
    assert out.returncode == 0, out.stderr
    lines, size = out.stdout.rsplit("]", 1)
    assert f"mapped in {int(size) / 2**20:.0f} MB of serving copies" in lines and int(size) > 10**6


def test_mapping_in_at_start_can_be_turned_off_and_takes_only_1_or_0() -> None:
    off = _map_in("0")
    assert off.returncode == 0 and off.stdout.startswith("[] "), off.stdout + off.stderr
    bad = _map_in("yes")
    assert bad.returncode != 0 and "BAROMETER_MAP_AT_START='yes': use 1 or 0" in bad.stderr
