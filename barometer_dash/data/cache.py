"""The one cache: flask-caching behind a tiny get-or-compute interface.

Keys are plain strings built from the dataset version and the query, so they are the same in
every worker and on every machine sharing a Redis cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask_caching import Cache as FlaskCache

from ..settings import Config

T = TypeVar("T")


def cache_config(config: Config) -> dict[str, Any]:
    if config.cache == "redis":
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": config.redis_url,
            "CACHE_DEFAULT_TIMEOUT": config.cache_timeout,
            "CACHE_KEY_PREFIX": "barometer:",
        }
    if config.cache == "filesystem":
        return {
            "CACHE_TYPE": "FileSystemCache",
            "CACHE_DIR": config.cache_dir,
            "CACHE_DEFAULT_TIMEOUT": config.cache_timeout,
        }
    if config.cache == "null":
        return {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": config.cache_timeout, "CACHE_THRESHOLD": 2000}


class Cache:
    """Get-or-compute on string keys; a cache that fails never fails the request."""

    def __init__(self, backend: FlaskCache | None = None):
        self.backend = backend

    def get_or_compute(self, key: str, compute: Callable[[], T]) -> T:
        if self.backend is None:
            return compute()
        try:
            hit = self.backend.get(key)
        except Exception:  # noqa: BLE001 - an unreachable cache must not break the page
            hit = None
        if hit is not None:
            return cast(T, hit)
        value = compute()
        with contextlib.suppress(Exception):
            self.backend.set(key, value)
        return value
