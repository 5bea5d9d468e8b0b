"""The page's chart kinds (the view's `chart`): the figure and the table that goes with it.

`bars` draws the table itself (render.charts chooses by question kind and percent base);
`trend` follows one answer or net over the waves, its table listing the same points;
`countries` repeats the table as one panel per country.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..data.store import Dataset
from ..domain.crosstab import CrossTab
from ..render.dom import El, el
from ..render.figure import crosstab_figure
from ..render.panels import country_panels
from ..render.table import crosstab_table
from ..render.trend import trend_figure, trend_table
from ..service import Service
from ..trends import trend
from ..view import View
from .dom import to_dash


def _trend(service: Service, ds: Dataset, view: View) -> Any:
    cb = ds.codebook
    # Lines per breakdown category. Years by age (`by` the waves, `by2` age) is a line per age; a
    # breakdown by the waves alone means the default lines (countries).
    by = (view.by2 or "") if view.by == cb.dataset.wave else view.by
    return trend(service, ds.id, view.q, answer=view.ans, by=by, filters=view.filters, lang=view.lang,
                 include_missing=view.dk, level=view.level)


def _country_tables(service: Service, ds: Dataset, view: View) -> list[CrossTab]:
    cb = ds.codebook
    country = cb.dataset.country
    assert country is not None
    chosen = view.filter_codes(country) or tuple(v.code for v in cb.by_name[country].valid_values)
    # Countries by gender (`by` the country, `by2` gender) is a panel per country, by gender.
    by = view.by2 if view.by == country else view.by
    query = replace(view.query(), col=by, col2=None)
    return [service.crosstab(query.with_filter(country, (c,)), view.lang) for c in chosen]


def figure(service: Service, ds: Dataset, view: View, xt: CrossTab, width_px: int) -> dict[str, Any]:
    if view.chart == "trend":
        return trend_figure(_trend(service, ds, view), width_px=width_px, intervals=view.ci)
    if view.chart == "countries":
        return country_panels(_country_tables(service, ds, view), width_px=width_px, intervals=view.ci)
    return crosstab_figure(xt, width_px=width_px, intervals=view.ci)


def table(service: Service, ds: Dataset, view: View, xt: CrossTab) -> Any:
    if view.chart == "trend":
        return to_dash(_trend_table(trend_table(_trend(service, ds, view))))
    return to_dash(crosstab_table(xt, show_ci=view.ci))


def _trend_table(tt: Any) -> El:
    head = el("tr", *[el("th", h, scope="col") for h in tt.header])
    body = [el("tr", el("th", r[0], scope="row"), *[el("td", v, class_="num") for v in r[1:]]) for r in tt.rows]
    foot = [el("caption", tt.caption)]
    notes = [el("p", n, class_="question-note") for n in tt.notes]
    return el("div", el("table", *foot, el("thead", head), el("tbody", *body), id="trend-table",
                        class_="crosstab trend-table"), *notes)
