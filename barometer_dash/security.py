"""Response headers and request limits for every route, and no versions in pages or headers.

- Content-Security-Policy: scripts only from this server plus the hashes of Dash's own inline
  scripts (`app.csp_hashes()`), so an injected inline script does not run. Styles may be
  inline: plotly.js and Dash's components set style attributes.
- `frame-ancestors 'self'` everywhere except the embed route, which any site may frame.
- Bodies over `MAX_BODY_BYTES` get 413 and URLs over `MAX_URL_LENGTH` get 414, before any
  view reads them: JSON under /api/, a plain sentence elsewhere (Dash's callback route too).
- The Dash page config loses its Python, Dash and plotly versions; script URLs keep a cache key
  but not the package version in it; the development server's `Server` header names no versions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from dash import Dash
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, RequestURITooLarge
from werkzeug.serving import WSGIRequestHandler

from .limits import MAX_BODY_BYTES, MAX_URL_LENGTH

EMBED_PATH = "/embed"
SERVER_NAME = "Barometer Dash"
# Keys of Dash's page config that only say which versions run here.
VERSION_KEYS = ("dash_version", "python_version", "dash_version_url", "ddk_version", "plotly_version")
# Dash's script URLs carry `.v<package version>m<mtime>.`; it accepts any `v<word>m<hex>` there.
FINGERPRINT = re.compile(r"(/_dash-component-suites/[^\"'\s]*?)\.v[\w-]+?m(\d+)\.")
FAVICON_VERSION = re.compile(r"(_favicon\.ico)\?v=[^\"']*")

STATIC_POLICY = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def is_embed(path: str) -> bool:
    return path == EMBED_PATH or path.startswith(EMBED_PATH + "/")


def content_security_policy(script_hashes: list[str], path: str) -> str:
    policy = dict(STATIC_POLICY)
    policy["script-src"] = " ".join(["'self'", *script_hashes])
    policy["frame-ancestors"] = "*" if is_embed(path) else "'self'"
    return "; ".join(f"{k} {v}" for k, v in policy.items())


def _opaque(match: re.Match[str]) -> str:
    # Same cache key as before for the same package file, without the version readable in it.
    key = hashlib.sha256(match.group(0).encode()).hexdigest()[:12]
    return f"{match.group(1)}.v{key}m{match.group(2)}."


def strip_versions(html: str) -> str:
    """The index page with package versions taken out of script and icon URLs."""
    return FAVICON_VERSION.sub(r"\1", FINGERPRINT.sub(_opaque, html))


class QuietRequestHandler(WSGIRequestHandler):
    """The development server's handler, with a `Server` header that names no versions."""

    def version_string(self) -> str:
        return SERVER_NAME


def _too_large(exc: HTTPException, message: str) -> Response:
    status = exc.code or 400
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"parameter": None, "message": message}})
    else:
        response = Response(message + "\n", mimetype="text/plain")
    response.status_code = status
    return response


def install(app: Dash) -> None:
    """Register the limits, headers and version scrubbing on `app` (after its callbacks)."""
    server: Flask = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    hashes: list[str] = []

    @server.before_request
    def limits() -> None:
        url_length = len(request.environ.get("PATH_INFO", "")) + len(request.environ.get("QUERY_STRING", ""))
        if url_length > MAX_URL_LENGTH:
            raise RequestURITooLarge()
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise RequestEntityTooLarge()
        if request.content_length is None and request.environ.get("wsgi.input_terminated"):
            # A chunked body: werkzeug cuts it at the cap silently; refuse it if more follows.
            data = request.get_data(cache=True)
            if len(data) >= MAX_BODY_BYTES and request.environ["wsgi.input"].read(1):
                raise RequestEntityTooLarge()

    @server.errorhandler(RequestEntityTooLarge)
    def body_too_large(exc: RequestEntityTooLarge) -> Response:
        return _too_large(exc, f"request body too large: the limit is {MAX_BODY_BYTES:,} bytes")

    @server.errorhandler(RequestURITooLarge)
    def url_too_long(exc: RequestURITooLarge) -> Response:
        return _too_large(exc, f"URL too long: the limit is {MAX_URL_LENGTH:,} characters")

    @server.after_request
    def headers(response: Response) -> Response:
        if not hashes:
            # Computed on first use: Dash adds its last inline scripts when it sets up.
            hashes.extend(app.csp_hashes())
        response.headers["Content-Security-Policy"] = content_security_policy(hashes, request.path)
        if not is_embed(request.path):
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response

    original_config: Callable[[], dict[str, Any]] = app._config  # noqa: SLF001 - the page config has no hook

    def config_without_versions() -> dict[str, Any]:
        config = original_config()
        for key in VERSION_KEYS:
            config.pop(key, None)
        config["disable_version_check"] = True
        return config

    original_index = app.interpolate_index

    def index_without_versions(**kwargs: str) -> str:
        return strip_versions(original_index(**kwargs))

    original_run = app.run

    def run(*args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("request_handler", QuietRequestHandler)
        original_run(*args, **kwargs)

    # Instance attributes, so this app (and no other in the process) is changed.
    app._config = config_without_versions  # type: ignore[method-assign]  # noqa: SLF001
    app.interpolate_index = index_without_versions  # type: ignore[method-assign,assignment]
    app.run = run  # type: ignore[method-assign]
