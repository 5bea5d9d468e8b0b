"""Error bars for confidence intervals, in colours a reader can see.

An error bar is a graphical object that carries meaning, so WCAG 2.1 (1.4.11) asks for a 3:1
contrast with what is next to it: the white background beyond the bar's end and the bar itself
for the part of the whisker drawn over it. A single grey is picked per bar colour to keep both.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

WHITE = "#ffffff"
MIN_CONTRAST = 3.0  # WCAG 2.1 1.4.11, non-text contrast


def luminance(colour: str) -> float:
    """WCAG relative luminance of a `#rrggbb` colour."""
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@lru_cache(maxsize=256)
def whisker_colour(bar: str) -> str:
    """The grey that stands out best against both the bar and the white background."""
    greys = [f"#{v:02x}{v:02x}{v:02x}" for v in range(0, 256)]
    return max(greys, key=lambda g: (min(contrast(g, WHITE), contrast(g, bar)), -int(g[1:3], 16)))


@lru_cache(maxsize=64)
def on_white(colour: str) -> str:
    """`colour`, darkened just enough to stand out on white (a line chart's whiskers keep their series' hue)."""
    if contrast(colour, WHITE) >= MIN_CONTRAST:
        return colour
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    for step in range(1, 101):
        f = 1 - step / 100
        out = f"#{round(r * f):02x}{round(g * f):02x}{round(b * f):02x}"
        if contrast(out, WHITE) >= MIN_CONTRAST:
            return out
    return "#000000"


def interval_arms(
    estimates: Sequence[float | None], lows: Sequence[float | None], highs: Sequence[float | None]
) -> tuple[list[float | None], list[float | None]]:
    """Plotly's asymmetric error arrays (above, below the estimate); None where there is no
    interval to draw (a suppressed cell draws neither bar nor whisker)."""
    plus: list[float | None] = []
    minus: list[float | None] = []
    for x, lo, hi in zip(estimates, lows, highs, strict=True):
        if x is None or lo is None or hi is None:
            plus.append(None)
            minus.append(None)
        else:
            plus.append(hi - x)
            minus.append(x - lo)
    return plus, minus


def error_bars(
    estimates: Sequence[float | None], lows: Sequence[float | None], highs: Sequence[float | None], colour: str
) -> dict[str, Any]:
    """An `error_x`/`error_y` entry: the interval of each estimate, drawn in `colour`."""
    plus, minus = interval_arms(estimates, lows, highs)
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, "color": colour,
            "thickness": 1.5, "width": 4, "visible": True}
