"""Fault-suite helpers: free loopback ports, a real Redis, a Redis that never answers, the
app as a real server in a subprocess, and a record of measured figures.

Everything runs on 127.0.0.1 and is bounded: each server is stopped by the fixture that
started it, and every wait has a deadline.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
FIGURES = ROOT / "test-artifacts" / "faults.json"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_clean(text: str, *paths: Path) -> None:
    """No traceback and none of the server's paths in a response body."""
    text = text.replace("\\u002f", "/")  # Dash's JSON writes '/' as \u002f
    assert not TRACEBACK.search(text), text[:500]
    for p in (ROOT, *paths):
        assert str(p) not in text, f"server path {p} in response"


@pytest.fixture(scope="session")
def record() -> Iterator[dict[str, object]]:
    """Measured figures: printed at the end of the run and written to test-artifacts/faults.json."""
    figures: dict[str, object] = {}
    yield figures
    if figures:
        FIGURES.parent.mkdir(exist_ok=True)
        old = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
        FIGURES.write_text(json.dumps({**old, **figures}, indent=1, sort_keys=True) + "\n")
        print("\nfault figures:", json.dumps(figures, sort_keys=True))


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A data folder holding a copy of the demo dataset (safe to break)."""
    data = tmp_path / "data"
    shutil.copytree(DEMO, data / "demo")
    return data


@dataclass
class Redis:
    url: str
    port: int
    proc: subprocess.Popen[bytes]


@pytest.fixture
def redis_server() -> Iterator[Redis]:
    server = shutil.which("redis-server")
    assert server, "redis-server is installed by scripts/test.sh"
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield Redis(f"redis://127.0.0.1:{port}/0", port, proc)
    proc.kill()  # also when it was left stopped (SIGKILL ends a stopped process)
    proc.wait(timeout=10)


@dataclass
class HungServer:
    """Accepts TCP connections and never answers, like a Redis stuck on a full disk or paused."""

    port: int
    accepted: int = 0
    _sock: socket.socket = field(default_factory=socket.socket)
    _conns: list[socket.socket] = field(default_factory=list)

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.accepted += 1
            self._conns.append(conn)


@pytest.fixture
def hung_server() -> Iterator[HungServer]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    hung = HungServer(port=sock.getsockname()[1], _sock=sock)
    thread = threading.Thread(target=hung.serve, daemon=True)
    thread.start()
    yield hung
    sock.close()
    for conn in hung._conns:
        conn.close()
    thread.join(timeout=5)


@dataclass
class Served:
    url: str
    proc: subprocess.Popen[str]

    def get(self, path: str, data: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def stop(self) -> str:
        """Stop the server; its standard error (the log)."""
        if self.proc.poll() is None:
            self.proc.terminate()
        _, err = self.proc.communicate(timeout=20)
        return err


def serve(data_dir: Path, env: dict[str, str] | None = None, preexec: str = "") -> Served:
    """The app on its development server in a subprocess (`barometer serve`), ready to answer."""
    port = free_port()
    code = (f"{preexec}\nfrom barometer_dash.cli import main\n"
            f"raise SystemExit(main(['serve', '--port', '{port}', '--data-dir', {str(data_dir)!r}]))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    served = Served(f"http://127.0.0.1:{port}", proc)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, f"server exited: {proc.communicate()[1][-2000:]}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return served
        except OSError:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
