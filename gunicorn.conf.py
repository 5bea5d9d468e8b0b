"""Production server: `gunicorn -c gunicorn.conf.py` (the Dockerfile and deploy/ use it).

Settings come from the BAROMETER_* environment variables (README, "Settings"). The app and
its datasets are opened in the master before the workers fork, so every worker shares the
memory-mapped serving copies; each worker then runs its linear algebra on one BLAS thread
(the matrices are small, and several threads per worker on a few cores only contend).
"""

import os
import threading
import time

# Before numpy is imported by the app: no BLAS thread pool in the master to inherit.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from barometer_dash.settings import setting  # noqa: E402

wsgi_app = "app:server"
bind = setting("BAROMETER_BIND")
workers = int(setting("BAROMETER_WORKERS"))
# gthread keeps serving while a slow client holds one connection: the socket waits in a
# poller, not in a worker. Behind nginx (deploy/) requests arrive already buffered anyway.
worker_class = setting("BAROMETER_WORKER_CLASS")
threads = int(setting("BAROMETER_THREADS"))
timeout = int(setting("BAROMETER_TIMEOUT"))
graceful_timeout = timeout
keepalive = 5
max_requests = int(setting("BAROMETER_MAX_REQUESTS"))
max_requests_jitter = max_requests // 10
preload_app = True
_map_at_start = setting("BAROMETER_MAP_AT_START")
if _map_at_start not in ("0", "1"):
    raise SystemExit(f"setting BAROMETER_MAP_AT_START={_map_at_start!r}: use 1 or 0")
accesslog = "-"
# Several instances may run on one machine (deploy/local.py): no shared control socket.
control_socket_disable = True
# Requests are small: cap the request line and headers well below gunicorn's defaults.
limit_request_line = 8190
limit_request_fields = 100


def when_ready(server):  # type: ignore[no-untyped-def]
    """In the master, after the app is loaded: open every dataset before the fork."""
    app = server.app.wsgi()
    service = getattr(app, "extensions", {}).get("barometer_service")
    if service is None:
        return
    opened = [ds.id for ds in service.store.available()]
    server.log.info("datasets opened before forking: %s", ", ".join(opened) or "none")


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    _return_freed_memory()
    if _map_at_start == "1":
        # In the background: a large copy not yet in the page cache is read from disk, and a
        # worker that has not started its loop within the timeout is killed.
        threading.Thread(target=map_in, args=(server,), name="map-in", daemon=True).start()


def map_in(server):  # type: ignore[no-untyped-def]
    """In a worker: map in every page of the serving copies that tables read. A worker's memory
    is then the same after its first requests as after its thousandth (pages first read by
    later questions would otherwise come in then); those pages are the file's, shared by all
    workers, so each worker's share (PSS) falls as workers are added."""
    service = getattr(server.app.wsgi(), "extensions", {}).get("barometer_service")
    if service is None:
        return
    start = time.monotonic()
    done = sum(ds.map_in() for ds in service.store.available())
    server.log.info("worker %d mapped in %.0f MB of serving copies in %.2f s",
                    os.getpid(), done / 2**20, time.monotonic() - start)


def _return_freed_memory():  # type: ignore[no-untyped-def]
    """glibc keeps freed blocks under 32 MB in per-thread arenas, so a worker's memory creeps
    up with the temporaries of large tables; hand blocks of 4 MB and more back at once."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
        libc.mallopt(-3, 4 * 2**20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune
