"""CrossTab -> a semantic banner table: answers as rows, breakdown categories as columns."""

from __future__ import annotations

from ..domain.crosstab import Cell, CrossTab
from ..i18n import number, translate
from .dom import El, el
from .json_export import suppressed_reason
from .text import filter_text

UP, DOWN = "\u25b2", "\u25bc"


def _cell(xt: CrossTab, cell: Cell, col: int, show_ci: bool = False) -> El:
    lang = xt.lang
    if cell.suppressed or cell.percent is None:
        why = suppressed_reason(xt, col)
        return el("td", "\u2013", class_="num suppressed", title=why)
    text = number(cell.percent, lang, 1)
    title = None
    interval = None
    if show_ci and cell.ci_low is not None and cell.ci_high is not None:
        interval = el("span", f" ({number(cell.ci_low, lang, 1)}\u2013{number(cell.ci_high, lang, 1)})",
                      class_="ci")
    if cell.ci_low is not None and cell.ci_high is not None:
        title = translate(
            "table.ci_title",
            lang,
            level=number(xt.level * 100, lang, 0),
            low=number(cell.ci_low, lang, 1),
            high=number(cell.ci_high, lang, 1),
            n="\u2013" if cell.n is None else number(cell.n, lang, 0),
        )
    cls = "num" + (" sig-up" if cell.sig > 0 else " sig-down" if cell.sig < 0 else "")
    return el("td", text, interval, *_marker(cell.sig, lang), class_=cls, title=title)


def _marker(sig: int, lang: str) -> tuple[El, ...]:
    # The arrow is for the eye; screen readers get the words.
    if sig > 0:
        return (el("span", UP, class_="sig", aria_hidden="true"),
                el("span", " " + translate("sig.higher", lang), class_="sr-only"))
    if sig < 0:
        return (el("span", DOWN, class_="sig", aria_hidden="true"),
                el("span", " " + translate("sig.lower", lang), class_="sr-only"))
    return ()


def _mean_cell(xt: CrossTab, j: int, show_ci: bool) -> El:
    """A column's mean, marked where it differs significantly from the other columns' mean."""
    lang = xt.lang
    means = xt.numbers.means if xt.numbers is not None else None
    m = means[j] if means is not None else None
    if m is None:
        return el("td", "\u2013", class_="num mean")
    interval = None
    if show_ci and m.ci_low is not None and m.ci_high is not None:
        interval = el("span", f" ({number(m.ci_low, lang, 2)}\u2013{number(m.ci_high, lang, 2)})", class_="ci")
    cls = "num mean" + (" sig-up" if m.sig > 0 else " sig-down" if m.sig < 0 else "")
    return el("td", number(m.mean, lang, 2), interval, *_marker(m.sig, lang), class_=cls)


def _base_cell(xt: CrossTab, index: int) -> El:
    base = xt.bases[index]
    n = number(base.n, xt.lang, 0)
    if base.suppressed:
        return el("td", n, el("sup", "\u2021" if base.secondary else "\u2020"), class_="num base suppressed",
                  title=suppressed_reason(xt, index))
    if base.flagged:
        return el("td", n, el("sup", "*"), class_="num base flagged",
                  title=translate("table.flagged_title", xt.lang, flag=xt.flag_base))
    return el("td", n, class_="num base")


def caption(xt: CrossTab) -> El:
    pct = translate(f"percent.{xt.query.percent}", xt.lang)
    return el(
        "caption",
        el("span", xt.question, class_="caption-question"),
        el("span", f"{pct} \u00b7 {translate('filters.label', xt.lang)}: "
           + filter_text(xt),
           class_="caption-meta"),
    )


def _head(xt: CrossTab) -> list[El]:
    """One header row; nested columns get a second, under their outer category's cell."""
    answer = translate("table.answer", xt.lang)
    if not xt.nested:
        return [el("tr", el("th", answer, scope="col"),
                   *[el("th", c.label, scope="col", class_="num") for c in xt.cols])]
    top = [el("th", answer, scope="col", rowspan="2"), el("th", xt.cols[0].label, scope="col", rowspan="2",
                                                          class_="num")]
    for group, span in _groups(xt):
        top.append(el("th", xt.cols[group].group_label, scope="colgroup", colspan=str(span), class_="group-head"))
    inner = [el("th", c.short, scope="col", class_="num" + (" group-total" if c.code is None else ""))
             for c in xt.cols[1:]]
    return [el("tr", *top), el("tr", *inner)]


def _groups(xt: CrossTab) -> list[tuple[int, int]]:
    """(first column, number of columns) of each outer category, after the overall Total."""
    out: list[tuple[int, int]] = []
    for j in range(1, len(xt.cols)):
        if out and xt.cols[j].group == xt.cols[out[-1][0]].group:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((j, 1))
    return out


def _colgroups(xt: CrossTab) -> list[El]:
    """Column groups, which the group headers' scope="colgroup" refers to."""
    if not xt.nested:
        return []
    return [el("colgroup", span="2"), *[el("colgroup", span=str(span), class_="nested-group")
                                        for _, span in _groups(xt)]]


def crosstab_table(xt: CrossTab, table_id: str = "crosstab-table", *, show_ci: bool = False) -> El:
    """The table; with `show_ci` each percentage carries its interval, e.g. 40.0 (36.9–43.2)."""
    lang = xt.lang
    head = _head(xt)
    body = []
    first_net = next((i for i, r in enumerate(xt.rows) if r.net), None)
    for i, r in enumerate(xt.rows):
        label = r.label
        row_class = ("net-row" + (" net-first" if i == first_net else "")) if r.net else None
        body.append(
            el(
                "tr",
                el("th", label, scope="row", class_="missing-row" if r.missing else None),
                *[_cell(xt, xt.cell(i, j), j, show_ci) for j in range(len(xt.cols))],
                class_=row_class,
            )
        )
    if xt.means is not None:
        body.append(el("tr", el("th", translate("table.mean", lang), scope="row"),
                       *[_mean_cell(xt, j, show_ci) for j in range(len(xt.cols))], class_="mean-row"))
    foot = [
        el(
            "tr",
            el("th", translate("table.unweighted_base", lang), scope="row"),
            *[_base_cell(xt, j) for j in range(len(xt.cols))],
            class_="base-row",
        ),
        el(
            "tr",
            el("th", translate("table.weighted_base", lang), scope="row"),
            *[el("td", number(b.weighted, lang, 0), class_="num") for b in xt.bases],
            class_="weighted-base-row",
        ),
    ]
    return el(
        "table",
        caption(xt),
        *_colgroups(xt),
        el("thead", *head),
        el("tbody", *body),
        el("tfoot", *foot),
        id=table_id,
        class_="crosstab",
    )
