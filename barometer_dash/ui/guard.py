"""The callback endpoint's guard: a request whose shape Dash cannot read is a 400, not a 500.

Dash indexes into the posted JSON before any callback runs, so a forged body (a string where a
list of pattern-matching inputs belongs) would fail inside Dash. Values are the callbacks' to
check (they read them through the view registry); this checks the shape, and turns anything
that still goes wrong while running a callback into one log line and a 400.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..limits import MAX_BODY_BYTES

log = logging.getLogger(__name__)
UPDATE = "_dash-update-component"


def _entry_ok(item: Any) -> bool:
    if isinstance(item, list):
        return all(isinstance(i, dict) and "id" in i and isinstance(i.get("property"), str) for i in item)
    return isinstance(item, dict) and "id" in item and isinstance(item.get("property"), str)


def shape_problem(body: Any) -> str | None:
    """What is wrong with a callback request's shape, or None."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    if not isinstance(body.get("output"), str):
        return "'output' is missing"
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not isinstance(items, list) or not all(_entry_ok(i) for i in items):
            return f"'{key}' is not a list of component values"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' is not a list of names"
    outputs = body.get("outputs")
    if not (isinstance(outputs, dict) or (isinstance(outputs, list) and all(isinstance(o, dict) for o in outputs))):
        return "'outputs' is not a list of components"
    return None


def _refuse(problem: str) -> tuple[Response, int]:
    return jsonify({"error": {"parameter": None, "message": f"callback request refused: {problem}"}}), 400


def install_guard(app: Dash) -> None:
    server = app.server

    @server.before_request
    def check_shape() -> Any:
        if request.method != "POST" or not request.path.endswith(UPDATE):
            return None
        if request.content_length is None or request.content_length > MAX_BODY_BYTES:
            return None  # the body cap answers first (413); a streamed body is caught below if it fails
        problem = shape_problem(request.get_json(silent=True))
        if problem is not None:
            log.warning("callback request refused: %s", problem)
            return _refuse(problem)
        return None

    @server.errorhandler(Exception)
    def callback_failure(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return exc
        if request.path.endswith(UPDATE):
            # Values no control can send: the view falls back, the log gets one line, not a traceback.
            log.warning("callback failed on forged or stale input: %s: %s", type(exc).__name__, str(exc)[:200])
            return _refuse("these values cannot be shown")
        log.exception("unexpected error on %s", request.path)
        return jsonify({"error": {"parameter": None, "message": "internal error"}}), 500
