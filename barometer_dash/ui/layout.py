"""The static shell; the page body is built by a callback from the URL."""

from __future__ import annotations

from dash import dcc, html

from . import ids


def shell() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            # A language or dataset change loads the page afresh, so every label is rebuilt at once.
            dcc.Store(id=ids.NAV),
            dcc.Store(id=ids.VIEWPORT),
            dcc.Store(id=ids.STATE),
            dcc.Loading(html.Div(id=ids.PAGE, className="page"), type="dot", delay_show=400,
                        overlay_style={"visibility": "visible"}),
        ]
    )
