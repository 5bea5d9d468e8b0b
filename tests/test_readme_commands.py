"""The README's first command, run as a newcomer runs it: with Debian's own /usr/bin/python3.

`bash scripts/test.sh` (the second command) is what CI runs with PYTHON=/usr/bin/python3, so
reaching this test at all shows that one works; this test starts the app with the first.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def system_python() -> str:
    if not SYSTEM_PYTHON.exists():
        pytest.fail("/usr/bin/python3 is missing: the README's commands are for a Debian machine")
    return str(SYSTEM_PYTHON)


def test_run_script_serves_the_demo_with_the_system_python(system_python, tmp_path):
    port = _free_port()
    log = tmp_path / "run.log"
    env = {**os.environ, "PYTHON": system_python}
    env.pop("VIRTUAL_ENV", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(["bash", "scripts/run.sh", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, log.read_text(errors="replace")[-3000:]
        assert b"demo" in body
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert b"react-entry-point" in page
        venv_python = (ROOT / ".venv" / "pyvenv.cfg").read_text()
        assert "/usr/bin" in venv_python, "the .venv was not made from the system python3"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_venv_script_is_idempotent(system_python):
    env = {**os.environ, "PYTHON": system_python}
    started = time.monotonic()
    ran = subprocess.run(["bash", "-c", "source scripts/venv.sh test && python -c 'import barometer_dash'"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr[-3000:]
    # A second run reuses the environment: no pip install, so it takes seconds, not minutes.
    assert "Collecting" not in ran.stdout + ran.stderr
    assert time.monotonic() - started < 60
