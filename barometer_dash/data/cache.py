"""The one cache: flask-caching behind a tiny get-or-compute interface.

Keys are plain strings built from the dataset version and the query, so they are the same in
every worker and on every machine sharing a Redis cache.

A cache is a speed-up, never a dependency: Redis gets short socket timeouts and no retries,
and a circuit breaker skips any backend that failed (a dead or hung Redis, a full or read-only
cache folder) for a cool-off, then tries it again. A failure burst logs one line.
"""

from __future__ import annotations

import logging
import os
import struct
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask_caching import Cache as FlaskCache
from flask_caching.backends.filesystemcache import FileSystemCache

from ..settings import Config

T = TypeVar("T")
log = logging.getLogger(__name__)

REDIS_TIMEOUT = 0.25
"""Seconds to connect to Redis or to wait for its answer; a table is computed in less."""
COOL_OFF = 30.0
"""Seconds a failed cache is left alone before one request tries it again."""


def _redis_options() -> dict[str, Any]:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": REDIS_TIMEOUT,
        "socket_connect_timeout": REDIS_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),  # the breaker decides when to try again
        "health_check_interval": 0,
    }


def cache_config(config: Config) -> dict[str, Any]:
    if config.cache == "redis":
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": config.redis_url,
            "CACHE_DEFAULT_TIMEOUT": config.cache_timeout,
            "CACHE_KEY_PREFIX": "barometer:",
            "CACHE_OPTIONS": _redis_options(),
        }
    if config.cache == "filesystem":
        return {
            "CACHE_TYPE": f"{__name__}.QuietFileSystemCache",
            "CACHE_DIR": config.cache_dir,
            "CACHE_DEFAULT_TIMEOUT": config.cache_timeout,
        }
    if config.cache == "null":
        return {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": config.cache_timeout, "CACHE_THRESHOLD": 2000}


class QuietFileSystemCache(FileSystemCache):
    """flask-caching's filesystem cache, raising `OSError` where it logged a traceback.

    A full or read-only folder then reaches `Cache`, which logs one line and stops trying for
    a while, instead of a traceback on every request. A folder that cannot be made at start is
    reported the same way on first use, not at start-up.
    """

    def __init__(self, cache_dir: str, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(cache_dir, *args, **kwargs)
        except OSError:
            self._threshold = 0  # no file counting in a folder that is not there

    def get(self, key: str) -> Any:
        try:
            with self._safe_stream_open(self._get_filename(key), "rb") as f:
                expires = struct.unpack("I", f.read(4))[0]
                if expires == 0 or expires >= time.time():
                    return self.serializer.load(f)
        except (FileNotFoundError, EOFError, struct.error):
            pass  # not cached, or a damaged entry: a miss
        return None

    def set(self, key: str, value: Any, timeout: Any = None, mgmt_element: bool = False) -> bool:
        if not mgmt_element:
            self._prune()
        filename = self._get_filename(key)
        counted = not mgmt_element and not os.path.isfile(filename)
        fd, tmp = tempfile.mkstemp(suffix=self._fs_transaction_suffix, dir=self._path)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(struct.pack("I", 0 if mgmt_element else self._normalize_timeout(timeout)))
                self.serializer.dump(value, f)
            os.replace(tmp, filename)
            os.chmod(filename, self._mode or 0o600)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        if counted:
            self._update_count(delta=1)
        return True


class Breaker:
    """Closed while the backend works; after a failure, open for `cool_off` seconds."""

    def __init__(self, name: str, cool_off: float = COOL_OFF, clock: Callable[[], float] = time.monotonic):
        self.name = name
        self.cool_off = cool_off
        self.clock = clock
        self.failures = 0
        self._open_until = 0.0
        self._failing = False
        self._lock = threading.Lock()

    def allow(self) -> bool:
        return self.clock() >= self._open_until

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self.failures += 1
            self._open_until = self.clock() + self.cool_off
            first = not self._failing
            self._failing = True
        if first:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            log.warning("%s cache unavailable (%s: %s); computing without it, next try in %.0f s",
                        self.name, type(exc).__name__, reason, self.cool_off)

    def succeeded(self) -> None:
        if not self._failing:
            return
        with self._lock:
            was_failing, self._failing = self._failing, False
        if was_failing:
            log.warning("%s cache is back", self.name)


class Cache:
    """Get-or-compute on string keys; a cache that fails never fails or slows the request for long."""

    def __init__(self, backend: FlaskCache | None = None, name: str = "the"):
        self.backend = backend
        self.breaker = Breaker(name)

    def get_or_compute(self, key: str, compute: Callable[[], T]) -> T:
        if self.backend is None or not self.breaker.allow():
            return compute()
        try:
            hit = self.backend.get(key)
        except Exception as exc:  # noqa: BLE001 - an unreachable cache must not break the page
            self.breaker.failed(exc)
            return compute()
        if hit is not None:
            self.breaker.succeeded()
            return cast(T, hit)
        value = compute()
        try:
            if self.backend.set(key, value) is False:
                raise OSError("the cache did not store the value")
        except Exception as exc:  # noqa: BLE001
            self.breaker.failed(exc)
        else:
            self.breaker.succeeded()
        return value
