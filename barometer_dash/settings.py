"""Settings, each declared once with its default and help text, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .domain.codebook import LANGUAGES

_REPO_DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("BAROMETER_DATA_DIR", str(_REPO_DATA), "Folder holding one sub-folder per dataset."),
    Setting("BAROMETER_DEFAULT_DATASET", "demo", "Dataset shown when the URL names none."),
    Setting("BAROMETER_CACHE", "simple", "Cache backend: simple (per process), filesystem or redis."),
    Setting("BAROMETER_CACHE_DIR", "/tmp/barometer-cache", "Folder for the filesystem cache."),
    Setting("BAROMETER_REDIS_URL", "redis://localhost:6379/0", "Redis URL when BAROMETER_CACHE=redis."),
    Setting("BAROMETER_CACHE_TIMEOUT", "3600", "Seconds a computed table stays cached."),
    Setting("BAROMETER_MEMO_BYTES", str(64 * 2**20),
            "Bytes each process may keep of arrays derived from the data (indexes, filter masks); "
            "least recently used go first."),
    Setting("BAROMETER_MIN_BASE", "30", "Cells whose unweighted base is below this are suppressed."),
    Setting("BAROMETER_FLAG_BASE", "100", "Bases below this (and at least the minimum) are flagged."),
    Setting("BAROMETER_DEFAULT_LANG", "en", "Interface language when the URL names none: en, sq, sr or sr-Cyrl."),
    # Read by gunicorn.conf.py (production server), not by the app.
    Setting("BAROMETER_BIND", "127.0.0.1:8050", "Address gunicorn listens on (HOST:PORT)."),
    Setting("BAROMETER_WORKERS", "2", "gunicorn worker processes (about one per core)."),
    Setting("BAROMETER_THREADS", "4", "Threads per worker with the gthread worker class."),
    Setting("BAROMETER_WORKER_CLASS", "gthread", "gunicorn worker class: gthread, or sync behind a buffering proxy."),
    Setting("BAROMETER_TIMEOUT", "60", "Seconds before a silent worker is restarted; also the graceful stop."),
    Setting("BAROMETER_MAX_REQUESTS", "2000", "Requests before a worker is replaced (with 10% jitter); 0 never."),
    Setting("BAROMETER_MAP_AT_START", "1",
            "1: each worker maps in every serving copy when it starts (in the background), so its memory "
            "is flat from the first requests; 0: pages come in as tables first read them."),
)


def setting(name: str) -> str:
    """One setting from the environment, else its default (for gunicorn.conf.py)."""
    declared = {s.name: s.default for s in SETTINGS}
    return os.environ.get(name, declared[name])


@dataclass(frozen=True)
class Config:
    data_dir: Path
    default_dataset: str
    cache: str
    cache_dir: str
    redis_url: str
    cache_timeout: int
    memo_bytes: int
    min_base: int
    flag_base: int
    default_lang: str


def _int(env: Mapping[str, str], name: str) -> int:
    raw = env[name]
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"setting {name}={raw!r}: must be a whole number") from None


def load_config(overrides: Mapping[str, object] | None = None) -> Config:
    """Defaults, then the environment, then explicit overrides (used by tests and the CLI)."""
    env = {s.name: os.environ.get(s.name, s.default) for s in SETTINGS}
    for key, value in (overrides or {}).items():
        name = key if key.startswith("BAROMETER_") else f"BAROMETER_{key.upper()}"
        if name not in env:
            raise KeyError(f"unknown setting {key}")
        env[name] = str(value)
    cache = env["BAROMETER_CACHE"]
    if cache not in ("simple", "filesystem", "redis", "null"):
        raise SystemExit(f"setting BAROMETER_CACHE={cache!r}: use simple, filesystem or redis")
    lang = env["BAROMETER_DEFAULT_LANG"]
    if lang not in LANGUAGES:
        raise SystemExit(f"setting BAROMETER_DEFAULT_LANG={lang!r}: use one of {', '.join(LANGUAGES)}")
    return Config(
        data_dir=Path(env["BAROMETER_DATA_DIR"]),
        default_dataset=env["BAROMETER_DEFAULT_DATASET"],
        cache=cache,
        cache_dir=env["BAROMETER_CACHE_DIR"],
        redis_url=env["BAROMETER_REDIS_URL"],
        cache_timeout=_int(env, "BAROMETER_CACHE_TIMEOUT"),
        memo_bytes=_int(env, "BAROMETER_MEMO_BYTES"),
        min_base=_int(env, "BAROMETER_MIN_BASE"),
        flag_base=_int(env, "BAROMETER_FLAG_BASE"),
        default_lang=lang,
    )
