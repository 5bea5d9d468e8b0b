"""The cache backends for real: a Redis server shared by two app instances, and the filesystem."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.domain.query import Query

QUERY = Query(dataset="demo", row="trust_police", col="age_group", filters=(("country", (2,)),))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    assert server, "redis-server is installed by scripts/test.sh"
    port = _free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", client
    proc.terminate()
    proc.wait(timeout=10)


def _service(app):
    return app.server.extensions["barometer_service"]


def test_two_instances_share_tables_through_redis(redis_url):
    url, client = redis_url
    first = _service(create_app({"cache": "redis", "redis_url": url}))
    second = _service(create_app({"cache": "redis", "redis_url": url}))
    assert client.dbsize() == 0
    table = first.crosstab(QUERY)
    assert client.dbsize() == 1
    calls = []
    original = second._compute
    second._compute = lambda *a, **k: calls.append(1) or original(*a, **k)  # type: ignore[method-assign]
    assert second.crosstab(QUERY) == table
    assert calls == []  # served from the shared cache, not computed again


def test_unreachable_redis_still_answers():
    service = _service(create_app({"cache": "redis", "redis_url": f"redis://127.0.0.1:{_free_port()}/0"}))
    assert service.crosstab(QUERY).bases[0].n > 0


def test_filesystem_cache(tmp_path):
    service = _service(create_app({"cache": "filesystem", "cache_dir": str(tmp_path)}))
    table = service.crosstab(QUERY)
    assert any(tmp_path.iterdir())
    fresh = _service(create_app({"cache": "filesystem", "cache_dir": str(tmp_path)}))
    fresh._compute = lambda *a, **k: pytest.fail("should come from the cache")  # type: ignore[method-assign]
    assert fresh.crosstab(QUERY) == table
