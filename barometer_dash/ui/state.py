"""URL = state, for the page: read a link into a view and write a view back, defaults left out.

The rules live in the view registry (barometer_dash/view); this module binds them to the page.
Unknown or invalid parameters never fail: they fall back to the default and add a notice.
"""

from __future__ import annotations

from ..domain.codebook import Codebook
from ..view import View, comparison_choices, valid_comparison
from ..view.links import Parsed, default_view, normalise, page_query, parse_page

__all__ = ["Parsed", "View", "comparison_choices", "default_view", "normalise", "parse", "serialise",
           "valid_comparison"]


def parse(search: str, cb: Codebook, *, default_lang: str = "en") -> Parsed:
    return parse_page(search, cb, default_lang=default_lang)


def serialise(view: View, cb: Codebook, *, default_lang: str = "en", default_ds: str = "demo") -> str:
    return page_query(view, cb, default_lang=default_lang, default_ds=default_ds)
