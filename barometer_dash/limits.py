"""Request limits, in one place: what the server accepts before it refuses a request.

The numbers are far above anything the page or a sensible API call sends, and low enough that
a hostile request costs little work and gets a short answer.
"""

from __future__ import annotations

MAX_BODY_BYTES = 1_000_000
"""Request bodies (Dash callbacks, anything posted) larger than this get 413."""

MAX_URL_LENGTH = 4096
"""Path plus query string, in characters; longer gets 414 (gunicorn's own request-line cap is 4094)."""

MAX_FILTER_CODES = 200
"""Codes across all filters of one query (a filter lists the codes it keeps)."""

MAX_QUERY_VARIABLES = 12
"""Distinct variables one query names: the row, the breakdown and every filtered variable."""

MAX_QUOTED = 40
"""Characters of an offending value an error message quotes; the rest is cut."""

MAX_MESSAGE = 400
"""Characters of any error message sent back, whatever it quotes."""


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """`value` in quotes for an error message, cut to `limit` characters so input is never echoed whole."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + f"… ({len(text)} characters)"
    return f"'{text}'"


def clip(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message cut to `limit` characters (a last guard: messages quote with `quoted`)."""
    return message if len(message) <= limit else message[: limit - 1] + "…"
