"""The scale-out topology on loopback: nginx, two app instances, one shared Redis.

Started once for the module by deploy/local.py; the last test stops an instance.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"deploy_{name}", ROOT / "deploy" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


local = _load("local")
slow_clients = _load("slow_clients")


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    data = tmp_path_factory.mktemp("deploy-data")
    shutil.copytree(ROOT / "data" / "demo", data / "demo", ignore=shutil.ignore_patterns("serving", ".*"))
    top = local.Topology(data).start()
    try:
        yield top
    finally:
        top.stop()


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_requests_spread_over_both_instances(topology) -> None:  # type: ignore[no-untyped-def]
    upstreams = []
    for _ in range(8):
        status, headers, _ = _get(f"{topology.url}/api/v1/datasets")
        assert status == 200
        upstreams.append(headers["X-Upstream"])
    assert set(upstreams) == {f"127.0.0.1:{p}" for p in topology.app_ports}


def test_a_table_computed_by_one_instance_is_served_by_the_other_from_redis(topology) -> None:  # type: ignore[no-untyped-def]
    r = redis.Redis.from_url(topology.redis_url)
    query = "row=trust_police&col=age_group&filter=gender:1&filter=year:2023"
    a, b = (f"http://127.0.0.1:{p}/api/v1/datasets/demo/crosstab?{query}" for p in topology.app_ports)

    def counts() -> tuple[int, int, int]:
        stats = r.info("stats")
        sets = r.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
        return int(stats["keyspace_hits"]), int(stats["keyspace_misses"]), int(sets)

    keys_before = set(r.keys("barometer:tab:demo:*"))
    hits0, misses0, sets0 = counts()
    status, _, first = _get(a)
    assert status == 200
    hits1, misses1, sets1 = counts()
    assert (misses1 - misses0, sets1 - sets0) == (1, 1), "instance A computed the table and stored it"
    new_keys = set(r.keys("barometer:tab:demo:*")) - keys_before
    assert len(new_keys) == 1 and b"trust_police" in next(iter(new_keys))
    status, _, second = _get(b)
    assert status == 200
    hits2, misses2, sets2 = counts()
    assert (hits2 - hits1, misses2 - misses1, sets2 - sets1) == (1, 0, 0), "instance B read it, computed nothing"
    # The same numbers; only the view's link (and the citation quoting it) names the instance's port.
    same = [{k: v for k, v in json.loads(x).items() if k not in ("link", "cite")} for x in (first, second)]
    assert same[0] == same[1]


def test_slow_clients_do_not_stop_other_visitors(topology) -> None:  # type: ignore[no-untyped-def]
    result = slow_clients.probe(topology.url, sockets=24, seconds=6.0, delay=0.2)
    assert result.failed == 0
    assert result.answered >= 10, result
    # Both app instances still answer directly too: the slow sockets never reached them.
    for port in topology.app_ports:
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200


def test_stopping_one_instance_loses_no_request(topology) -> None:  # type: ignore[no-untyped-def]
    urls = [f"{topology.url}/api/v1/datasets/demo/crosstab?row=trust_army&col=country",
            f"{topology.url}/api/v1/datasets",
            f"{topology.url}/healthz"]
    results: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        i = 0
        while not stop.is_set():
            try:
                results.append(_get(urls[i % len(urls)])[0])
            except OSError:
                results.append(-1)
            i += 1

    workers = [threading.Thread(target=hammer) for _ in range(3)]
    for w in workers:
        w.start()
    time.sleep(1.0)
    before = len(results)
    topology.stop_instance(0)
    time.sleep(1.5)
    stop.set()
    for w in workers:
        w.join(timeout=20)
    assert len(results) > before + 10, "traffic kept flowing after the stop"
    assert [s for s in results if s != 200] == []
    status, headers, _ = _get(f"{topology.url}/api/v1/datasets")
    assert status == 200 and headers["X-Upstream"] == f"127.0.0.1:{topology.app_ports[1]}"


def test_a_port_taken_meanwhile_starts_the_topology_on_other_ports(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Between choosing a free port and an instance binding it, another program may take it:
    # the instance exits, and the topology starts again on other ports.
    import socket

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "demo", data / "demo", ignore=shutil.ignore_patterns("serving", ".*"))
    real, calls = local.free_ports, []
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()

        def first_app_port_taken(k: int) -> list[int]:
            ports = real(k)
            if not calls:
                ports[2] = taken.getsockname()[1]
            calls.append(ports)
            return ports

        monkeypatch.setattr(local, "free_ports", first_app_port_taken)
        top = local.Topology(data).start()
        try:
            assert len(calls) == 2 and calls[0][2] not in top.app_ports
            assert _get(f"{top.url}/healthz")[0] == 200
        finally:
            top.stop()
