"""A full or unusable cache folder: the answers are right, the log has one line (no traceback
per request), and no half-written files are left behind."""

from __future__ import annotations

import json
import logging
import time

from barometer_dash.app_factory import create_app
from barometer_dash.data import cache as cache_module

from .conftest import DEMO, assert_clean, serve

URLS = [f"/api/v1/datasets/demo/crosstab?row=trust_police&col={col}&percent={pct}"
        for col in ("age_group", "gender", "country") for pct in ("column", "row")]
# The server's files may grow to 2 kB: the cache's count file fits, a pickled table does not.
FULL_DISK = ("import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
             "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))")


def _numbers(body: dict) -> dict:
    """The answer without what depends on the request (its host in the view's link, the date)."""
    return {k: v for k, v in body.items() if k not in ("link", "retrieved", "cite")}


def _reference() -> dict[str, object]:
    client = create_app({"cache": "null"}).server.test_client()
    return {url: _numbers(client.get(url).get_json()) for url in URLS}


def test_full_cache_disk_logs_once(tmp_path, record):
    reference = _reference()
    cache_dir = tmp_path / "cache"
    served = serve(DEMO.parent,
                   env={"BAROMETER_CACHE": "filesystem", "BAROMETER_CACHE_DIR": str(cache_dir)}, preexec=FULL_DISK)
    try:
        started = time.perf_counter()
        for _ in range(2):
            for url in URLS:
                status, _, body = served.get(url)
                assert status == 200
                assert_clean(body.decode(), cache_dir)
                assert _numbers(json.loads(body)) == reference[url]
        record["full_cache_disk_12_requests_s"] = round(time.perf_counter() - started, 3)
    finally:
        log = served.stop()
    lines = [line for line in log.splitlines() if "cache unavailable" in line]
    assert len(lines) == 1, log[-3000:]
    assert "File too large" in lines[0]
    assert "Traceback" not in log
    assert [p.name for p in cache_dir.iterdir() if p.name.endswith(".__wz_cache")] == []  # no half-written files


def test_unusable_cache_folder(tmp_path, caplog):
    reference = _reference()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    caplog.set_level(logging.WARNING)
    app = create_app({"cache": "filesystem", "cache_dir": str(blocker / "cache")})  # starts all the same
    client = app.server.test_client()
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200 and _numbers(response.get_json()) == reference[url]
    lines = [r for r in caplog.records if r.name == cache_module.__name__]
    assert len(lines) == 1 and "Not a directory" in lines[0].getMessage() and lines[0].exc_info is None
    assert not [r for r in caplog.records if r.exc_info]
