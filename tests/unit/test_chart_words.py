"""The chart's text alternative follows the chart kind, and the hover hint goes when the table
already writes the intervals."""

from __future__ import annotations

from pathlib import Path

from barometer_dash import Barometer
from barometer_dash.i18n import translate
from barometer_dash.ui.controls import chart_alt
from barometer_dash.ui.results import legend
from barometer_dash.view.links import parse_page

DATA = Path(__file__).resolve().parents[2] / "data"


def _texts(items: list) -> str:
    out = []
    for item in items:
        children = item.children if isinstance(item.children, list) else [item.children]
        out += [c if isinstance(c, str) else _texts([c]) for c in children]
    return " ".join(out)


def test_chart_alternative_names_the_chart_kind() -> None:
    cb = Barometer(DATA).codebook("demo")
    for search, key in (("?chart=trend", "chart.alt_trend"), ("?chart=countries", "chart.alt_countries"),
                        ("?ci=1", "chart.alt_ci"), ("?", "chart.alt")):
        for lang in ("en", "sq", "sr-Cyrl"):
            view = parse_page(search + f"&lang={lang}", cb).view
            assert chart_alt(view) == translate(key, lang)
    assert "Line chart" in translate("chart.alt_trend", "en")


def test_hover_hint_only_without_intervals_in_the_table() -> None:
    xt = Barometer(DATA).crosstab("demo", "trust_police", by="country")
    hint = translate("legend.ci", "en")
    assert hint in _texts(legend(xt))
    assert hint not in _texts(legend(xt, intervals_shown=True))
    assert "significantly higher" in _texts(legend(xt, intervals_shown=True))
