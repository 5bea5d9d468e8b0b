"""The scale-out topology with plain processes on loopback: nginx in front of two app
instances that share one Redis, everything under one temporary folder.

    python deploy/local.py [--data-dir DIR] [--workers 2]     # runs until Ctrl-C, then stops all

The same layout as deploy/compose.yaml without containers; the tests (tests/test_deploy.py)
start it, send traffic through nginx, stop one instance and watch nothing get lost.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
{body}
}}
"""


def nginx_http_body(upstreams: list[str], listen: str) -> str:
    """The part of nginx.conf that deploy/nginx.conf shares: upstreams, buffering, retries."""
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    return f"""\
    # A slow client is nginx's to wait for: it reads the whole request (headers and body)
    # before an app worker sees it, and takes the whole answer so the worker is free at once.
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 30s;
    client_max_body_size 1m;
    upstream barometer {{
{servers}
    }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://barometer;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            # An instance that is stopping refuses connections: try the other one.
            proxy_next_upstream error timeout http_502 http_503;
            add_header X-Upstream $upstream_addr always;
        }}
    }}"""


def free_ports(k: int) -> list[int]:
    """``k`` distinct free ports: every socket stays bound until all are chosen, so the system
    cannot hand the same port out twice."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(k)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]


def wait_http(url: str, seconds: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {seconds:.0f} s")


@dataclass
class Topology:
    """nginx on `port`, app instances on `app_ports`, Redis on `redis_port`."""

    data_dir: Path
    workers: int = 1
    threads: int = 2
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="barometer-deploy-")))
    port: int = 0
    app_ports: list[int] = field(default_factory=list)
    redis_port: int = 0
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{name}.log").open("ab")
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        return proc

    def start(self, attempts: int = 3) -> Topology:
        """Start everything; when a process exits before it answers (a port taken by another
        program between choosing it and binding it), start again on other ports."""
        for _ in range(attempts - 1):
            try:
                return self._start()
            except RuntimeError:
                pass
        return self._start()

    def _start(self) -> Topology:
        self.procs = {}
        self.tmp.mkdir(parents=True, exist_ok=True)  # a failed start removed it
        self.redis_port, self.port, *self.app_ports = free_ports(4)
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no", "--dir", str(self.tmp)])
        for i, port in enumerate(self.app_ports):
            env = {**os.environ, "BAROMETER_DATA_DIR": str(self.data_dir), "BAROMETER_CACHE": "redis",
                   "BAROMETER_REDIS_URL": self.redis_url, "BAROMETER_BIND": f"127.0.0.1:{port}",
                   "BAROMETER_WORKERS": str(self.workers), "BAROMETER_THREADS": str(self.threads)}
            self._spawn(f"app{i}", [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")], env)
        conf = self.tmp / "nginx.conf"
        upstreams = [f"127.0.0.1:{p}" for p in self.app_ports]
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, body=nginx_http_body(upstreams, f"127.0.0.1:{self.port}")))
        try:
            for i, port in enumerate(self.app_ports):
                wait_http(f"http://127.0.0.1:{port}/healthz", proc=self.procs[f"app{i}"])
            self._spawn("nginx", [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(self.tmp),
                                  "-e", str(self.tmp / "nginx-error.log")])
            wait_http(f"{self.url}/healthz", proc=self.procs["nginx"])
        except Exception:
            self.stop()
            raise
        return self

    def stop_instance(self, i: int, timeout: float = 30.0) -> None:
        """Stop one app instance gracefully (SIGTERM: requests in flight are finished)."""
        proc = self.procs.pop(f"app{i}")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=timeout)

    def stop(self) -> None:
        for name in ("nginx", "app0", "app1", "redis"):
            proc = self.procs.pop(name, None)
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "data"), help="folder of datasets")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    args = parser.parse_args()
    top = Topology(Path(args.data_dir).resolve(), workers=args.workers).start()
    print(f"nginx {top.url}/  ->  app 127.0.0.1:{top.app_ports[0]}, 127.0.0.1:{top.app_ports[1]};  "
          f"redis {top.redis_url};  logs in {top.tmp}  (Ctrl-C stops everything)", flush=True)
    stop = False

    def _quit(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, _quit)
    signal.signal(signal.SIGTERM, _quit)
    try:
        while not stop and all(p.poll() is None for p in top.procs.values()):
            time.sleep(0.5)
    finally:
        top.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
