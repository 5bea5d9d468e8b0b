"""A bounded slow-client probe: a few sockets that send a request's headers one byte at a
time, holding their connections open, while ordinary visitors keep asking for pages.

    python deploy/slow_clients.py http://127.0.0.1:8080 [--sockets 20] [--seconds 8]

Prints how many ordinary requests were answered and the slowest answer. Loopback use only.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass


def _drip(host: str, port: int, until: float, delay: float) -> None:
    request = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nX-Slow: {'x' * 200}\r\n\r\n".encode()
    try:
        with socket.create_connection((host, port), timeout=5) as s:
            for byte in request:
                if time.monotonic() > until:
                    return
                s.sendall(bytes([byte]))
                time.sleep(delay)
    except OSError:
        return  # the server may close a connection that is too slow: that is its right


@dataclass(frozen=True)
class Probe:
    answered: int
    failed: int
    slowest: float


def probe(url: str, sockets: int = 20, seconds: float = 8.0, delay: float = 0.2, path: str = "/healthz") -> Probe:
    """Hold `sockets` slow connections for `seconds` while fetching `path` once a quarter second."""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_drip, args=(host, port, until, delay), daemon=True) for _ in range(sockets)]
    for t in threads:
        t.start()
    time.sleep(min(1.0, seconds / 4))  # let the slow connections occupy whatever they can
    answered = failed = 0
    slowest = 0.0
    while time.monotonic() < until - 0.5:
        start = time.monotonic()
        try:
            with urllib.request.urlopen(url.rstrip("/") + path, timeout=5) as response:
                response.read()
                answered += response.status == 200
                failed += response.status != 200
        except OSError:
            failed += 1
        slowest = max(slowest, time.monotonic() - start)
        time.sleep(0.25)
    for t in threads:
        t.join(timeout=seconds + 5)
    return Probe(answered=answered, failed=failed, slowest=slowest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--sockets", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    result = probe(args.url, args.sockets, args.seconds)
    print(f"answered {result.answered}, failed {result.failed}, slowest {result.slowest:.2f} s "
          f"with {args.sockets} slow clients")
    return 0 if result.failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
