"""Redis refusing, hung (accepts and never answers) and paused (SIGSTOP): every request is
answered with the right numbers, Redis costs one short timeout per cool-off, one log line."""

from __future__ import annotations

import logging
import os
import signal
import time

import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.data import cache as cache_module
from barometer_dash.settings import load_config

from .conftest import free_port

URLS = [f"/api/v1/datasets/demo/crosstab?row=trust_police&col={col}" for col in ("age_group", "gender", "country")]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    client = create_app({"cache": "null"}).server.test_client()
    return {url: client.get(url).get_json() for url in URLS}


def _app(url: str):  # type: ignore[no-untyped-def]
    app = create_app({"cache": "redis", "redis_url": url})
    clock = Clock()
    app.server.extensions["barometer_service"].cache.breaker.clock = clock
    return app, clock


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == cache_module.__name__]


def _check_all(client, reference) -> None:  # type: ignore[no-untyped-def]
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200
        assert response.get_json() == reference[url]


def test_redis_refused(reference, caplog, record):
    app, _ = _app(f"redis://127.0.0.1:{free_port()}/0")
    client = app.server.test_client()
    caplog.set_level(logging.WARNING)
    started = time.perf_counter()
    for _ in range(5):
        _check_all(client, reference)
    record["redis_refused_15_requests_s"] = round(time.perf_counter() - started, 3)
    lines = _warnings(caplog)
    assert len(lines) == 1 and "ConnectionError" in lines[0].getMessage()
    assert lines[0].exc_info is None  # a line, not a traceback


def test_redis_hung_costs_one_timeout_per_cool_off(reference, hung_server, caplog, record):
    app, clock = _app(f"redis://127.0.0.1:{hung_server.port}/0")
    client = app.server.test_client()
    caplog.set_level(logging.WARNING)
    started = time.perf_counter()
    response = client.get(URLS[0])
    record["redis_hung_first_request_s"] = round(time.perf_counter() - started, 3)
    assert response.status_code == 200 and response.get_json() == reference[URLS[0]]
    assert hung_server.accepted == 1  # one connection, no retries
    started = time.perf_counter()
    for _ in range(5):
        _check_all(client, reference)
    record["redis_hung_next_15_requests_s"] = round(time.perf_counter() - started, 3)
    assert hung_server.accepted == 1  # the breaker is open: Redis is not asked
    clock.now += cache_module.COOL_OFF + 1
    _check_all(client, reference)
    assert hung_server.accepted == 2  # one probe after the cool-off, which fails again
    lines = _warnings(caplog)
    assert len(lines) == 1 and "TimeoutError" in lines[0].getMessage()


def test_redis_paused_then_back(reference, redis_server, caplog, record):
    import redis

    app, clock = _app(redis_server.url)
    client = app.server.test_client()
    spy = redis.Redis(port=redis_server.port, socket_timeout=2)
    _check_all(client, reference)
    stored = spy.dbsize()
    assert stored == len(URLS)
    caplog.set_level(logging.WARNING)
    os.kill(redis_server.proc.pid, signal.SIGSTOP)
    try:
        started = time.perf_counter()
        _check_all(client, reference)
        record["redis_paused_first_3_requests_s"] = round(time.perf_counter() - started, 3)
        assert app.server.extensions["barometer_service"].cache.breaker.failures == 1
    finally:
        os.kill(redis_server.proc.pid, signal.SIGCONT)
    clock.now += cache_module.COOL_OFF + 1
    _check_all(client, reference)
    messages = [r.getMessage() for r in _warnings(caplog)]
    assert len(messages) == 2 and "unavailable" in messages[0] and messages[1].endswith("is back")
    assert spy.dbsize() == stored  # nothing lost while it was paused


def test_redis_client_has_short_timeouts_and_no_retries():
    options = cache_module.cache_config(load_config({"cache": "redis"}))["CACHE_OPTIONS"]
    assert options["socket_timeout"] <= 0.5 and options["socket_connect_timeout"] <= 0.5
    assert options["retry"].get_retries() == 0
