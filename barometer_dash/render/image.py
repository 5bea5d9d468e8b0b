"""Plotly figures -> PNG and SVG bytes, drawn by the machine's Chromium through kaleido.

kaleido 1.x drives an installed Chromium; it never downloads one here. Its sync server is
started once per process (a forked worker starts its own), which makes an image cost a few
hundred milliseconds instead of seconds. Without Chromium, `ImageUnavailable` says what to
install, and only images are affected.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..domain.errors import BarometerError

ImageFormat = Literal["png", "svg"]
FORMATS: tuple[ImageFormat, ...] = ("png", "svg")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# plotly.js's cartesian bundle: kaleido reloads plotly.js after every image, and this one parses
# several times faster than the full bundle (see render/js/README.md).
PLOTLY_JS = Path(__file__).resolve().parent / "js" / "plotly-cartesian.min.js"
CARTESIAN_TRACES = frozenset({"bar", "scatter", "box", "histogram", "heatmap", "contour", "pie", "violin"})


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int


SIZES: dict[str, Size] = {
    s.name: s
    for s in (
        Size("article", 1200, 800),
        Size("social", 1200, 675),
        Size("square", 1080, 1080),
        Size("phone", 1080, 1350),
    )
}
DEFAULT_SIZE = "article"


class ImageUnavailable(BarometerError):
    """Static images cannot be made on this machine (no Chromium); the rest of the app works."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(
            f"{problem}. Chart images need Chromium on the server: install the Debian package "
            "'chromium' (apt-get install chromium), or set BROWSER_PATH to a Chromium or Chrome executable."
        )


def chromium_path() -> str | None:
    """The browser kaleido should drive: BROWSER_PATH when set, else Chromium on the PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


_lock = threading.Lock()
_server_pid: int | None = None
TIMEOUT = 30.0  # seconds an image may take before the server making it is given up


def _kaleido_server() -> Any:
    from kaleido import _global_server

    return _global_server


def _ensure_server(path: str) -> None:
    """Start kaleido's sync server for this process, once; again if its thread has died (its
    Chromium went away), since kaleido would otherwise wait on it forever."""
    global _server_pid
    import kaleido

    server = _kaleido_server()
    thread = getattr(server, "_thread", None)
    if _server_pid == os.getpid() and server.is_running() and thread is not None and thread.is_alive():
        return
    server._initialized = False  # a dead or foreign server: kaleido's own state says it still runs
    # mathjax=False: no formulas here, and no fetch from a CDN.
    bundle = {"plotlyjs": str(PLOTLY_JS)} if PLOTLY_JS.is_file() else {}
    kaleido.start_sync_server(path=path, n=1, mathjax=False, silence_warnings=True, **bundle)
    _server_pid = os.getpid()


def _calc(figure: dict[str, Any], opts: dict[str, Any]) -> bytes:
    """kaleido's calc_fig on the running server, waiting at most TIMEOUT seconds."""
    global _server_pid
    from kaleido._sync_server import Task

    server = _kaleido_server()
    server._task_queue.put(Task("calc_fig", (figure,), {"opts": opts}))
    try:
        result = server._return_queue.get(timeout=TIMEOUT)
    except queue.Empty:
        server._initialized = False  # abandon it; the next image starts a new one
        _server_pid = None
        raise ImageUnavailable(f"the image server did not answer within {TIMEOUT:.0f} s") from None
    if isinstance(result, BaseException):
        # Its Chromium went away mid-image: drop this server, the next call starts a new one.
        server._initialized = False
        _server_pid = None
        raise ImageUnavailable(f"the image server failed ({type(result).__name__})")
    return bytes(result)


def stop_server() -> None:
    """Stop this process's kaleido server (tests; a worker's server stops with the worker)."""
    global _server_pid
    import kaleido

    with _lock:
        if _server_pid == os.getpid():
            kaleido.stop_sync_server(silence_warnings=True)
        _server_pid = None


def figure_image(figure: dict[str, Any], fmt: ImageFormat, width: int, height: int) -> bytes:
    """The figure (plotly's JSON) as PNG or SVG bytes of exactly `width` x `height` pixels."""
    if fmt not in FORMATS:
        raise ValueError(f"image format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    other = {t.get("type", "scatter") for t in figure.get("data", [])} - CARTESIAN_TRACES
    if other:
        raise ValueError(f"images draw cartesian traces only; this figure has {', '.join(sorted(other))}")
    path = chromium_path()
    if path is None:
        where = os.environ.get("BROWSER_PATH")
        raise ImageUnavailable(f"no browser at BROWSER_PATH={where!r}" if where else "Chromium is not installed")
    from choreographer.errors import ChromeNotFoundError

    opts = {"format": fmt, "width": width, "height": height, "scale": 1}
    with _lock:
        try:
            _ensure_server(path)
            try:
                data = _calc(figure, opts)
            except ImageUnavailable:
                _ensure_server(path)  # once more, on a new server
                data = _calc(figure, opts)
        except ChromeNotFoundError as exc:
            raise ImageUnavailable(f"Chromium could not be started ({exc})") from None
    return data
