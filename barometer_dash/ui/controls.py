"""The page body for one dataset in one language: header, notices, controls, result slots."""

from __future__ import annotations

from typing import Any, cast

from dash import dcc, html

from ..data.store import Dataset
from ..domain.codebook import Codebook, Variable
from ..domain.query import MEAN
from ..i18n import LANGUAGES, number, translate
from . import ids
from .state import View, comparison_choices
from .summary import CONTROLS, CONTROLS_BODY, SUMMARY, SUMMARY_TEXT, summary_text


def _attrs(**values: str) -> dict[str, Any]:
    """aria-*/data-* attributes, which Dash takes as extra keyword arguments."""
    return {k.replace("_", "-"): v for k, v in values.items()}


def question_options(cb: Codebook, lang: str) -> list[dict[str, Any]]:
    """Questions grouped by topic: a disabled heading per topic, then its questions."""
    by_topic: dict[str, list[Variable]] = {}
    for v in cb.questions:
        by_topic.setdefault(v.topic, []).append(v)
    order = [t.id for t in cb.topics] + [t for t in by_topic if t not in {t.id for t in cb.topics}]
    options: list[dict[str, Any]] = []
    for topic in order:
        if topic not in by_topic:
            continue
        heading = cb.topic_label(topic, lang) if topic else translate("controls.other_questions", lang)
        options.append({"label": f"\u2014 {heading} \u2014", "value": f"__topic__{topic}", "disabled": True})
        for v in by_topic[topic]:
            wording = v.label.get(lang)
            short = (v.short or v.label).get(lang)
            options.append({"label": short, "value": v.name, "title": wording,
                            "search": f"{short} {wording} {v.name} {heading}"})
    return options


def breakdown_options(cb: Codebook, lang: str) -> list[dict[str, Any]]:
    opts: list[dict[str, Any]] = [{"label": translate("controls.no_breakdown", lang), "value": "none"}]
    first = [n for n in (cb.dataset.country, cb.dataset.wave) if n]
    rest = [v.name for v in cb.breakdowns if v.name not in first]
    for name in first + rest:
        v = cb.by_name[name]
        opts.append({"label": (v.short or v.label).get(lang), "value": name})
    return opts


def breakdown2_options(cb: Codebook, view: View) -> list[dict[str, Any]]:
    """A second breakdown: any breakdown but the first (and the question)."""
    lang = view.lang
    opts = [o for o in breakdown_options(cb, lang)[1:] if o["value"] not in (view.by, view.q)]
    return [{"label": translate("controls.no_breakdown2", lang), "value": "none"}, *opts]


def value_options(var: Variable, lang: str) -> list[dict[str, Any]]:
    return [{"label": v.label.get(lang), "value": v.code} for v in var.valid_values]


def _field(label: str, control: Any, for_id: str, class_name: str = "field") -> html.Div:
    return html.Div([html.Label(label, htmlFor=for_id), control], className=class_name)


def _multi(component_id: Any, var: Variable, view: View, lang: str, placeholder: str) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=component_id,
        options=value_options(var, lang),
        value=list(view.filter_codes(var.name)),
        multi=True,
        placeholder=placeholder,
        searchable=False,
    )


def header(ds: Dataset, datasets: list[Dataset], view: View) -> html.Header:
    lang = view.lang
    info = ds.codebook.dataset
    picker = dcc.Dropdown(
        id=ids.DATASET,
        options=[{"label": d.codebook.dataset.title.get(lang), "value": d.id} for d in datasets],
        value=ds.id,
        clearable=False,
        searchable=False,
    )
    lang_picker = dcc.RadioItems(
        id=ids.LANG,
        options=[{"label": name, "value": code} for code, name in LANGUAGES.items()],
        value=lang,
        inline=True,
        className="lang-picker",
    )
    source, title = info.source.get(lang), info.title.get(lang)
    return html.Header(
        [
            html.Div(
                [
                    html.H1(translate("app.title", lang)),
                    html.P(translate("app.tagline", lang), className="tagline"),
                ],
                className="brand",
            ),
            html.Div(
                [
                    html.Div([html.Label(translate("controls.dataset", lang), htmlFor=ids.DATASET), picker],
                             className="field dataset-field", hidden=len(datasets) < 2),
                    html.Div(lang_picker, role="group", **_attrs(aria_label=translate("controls.language", lang))),
                ],
                className="header-tools",
            ),
            html.Div(
                [
                    html.Strong(info.title.get(lang)),
                    html.Span(" \u00b7 " + source) if source != title else None,
                    html.Span(" \u00b7 " + translate("dataset.license", lang, license=info.license))
                    if info.license else None,
                ],
                className="dataset-info",
            ),
            about(ds, lang),
        ],
        className="site-header",
    )


def about(ds: Dataset, lang: str) -> html.Details:
    """What the data is, how to cite it, and how the estimates are made."""
    info = ds.codebook.dataset
    design = translate("about.design_weights", lang) if info.weight else translate("about.design_none", lang)
    if info.strata or info.psu:
        design = translate("about.design_full", lang)
    items: list[Any] = [html.Summary(translate("about.title", lang))]
    if info.description:
        items.append(html.P(info.description.get(lang)))
    items += [
        html.P([html.Strong(translate("about.citation", lang) + " "), info.citation.get(lang) or info.title.get(lang)]),
        html.P([html.Strong(translate("about.size", lang) + " "),
                translate("about.size_text", lang, n=number(ds.n, lang, 0),
                          questions=len(ds.codebook.questions))]),
        html.P(design),
        html.P(translate("about.method", lang)),
    ]
    return html.Details(items, className="about", id="about")


def synthetic_banner(cb: Codebook, lang: str) -> html.Div | None:
    if not cb.dataset.synthetic:
        return None
    return html.Div(
        [html.Strong(translate("synthetic.title", lang) + " "),
         html.Span(translate("synthetic.body", lang), className="synthetic-body")],
        id=ids.SYNTHETIC,
        className="synthetic-notice",
        role="note",
    )


def notices(items: tuple[tuple[str, str], ...], lang: str) -> html.Div:
    if not items:
        return html.Div(id=ids.NOTICE, hidden=True)
    text = "; ".join(f"{k}={v!r}" if v else k for k, v in items)
    return html.Div(translate("notice.ignored", lang, params=text), id=ids.NOTICE, className="url-notice",
                    role="status")


def controls(cb: Codebook, view: View) -> html.Section:
    lang = view.lang
    info = cb.dataset
    fields: list[Any] = [
        _field(translate("controls.question", lang),
               dcc.Dropdown(id=ids.QUESTION, options=question_options(cb, lang), value=view.q,
                            clearable=False, optionHeight=44, maxHeight=420),
               ids.QUESTION, "field field-question"),
        _field(translate("controls.breakdown", lang),
               dcc.Dropdown(id=ids.BREAKDOWN, options=breakdown_options(cb, lang), value=view.by or "none",
                            clearable=False, searchable=False),
               ids.BREAKDOWN),
        _field(translate("controls.breakdown2", lang),
               dcc.Dropdown(id=ids.BREAKDOWN2, options=breakdown2_options(cb, view), value=view.by2 or "none",
                            clearable=False, searchable=False, disabled=view.by is None),
               ids.BREAKDOWN2),
    ]
    for role, component_id, key in ((info.country, ids.COUNTRY, "controls.country"),
                                    (info.wave, ids.YEAR, "controls.year")):
        if role:
            fields.append(_field(translate(key, lang),
                                 _multi(component_id, cb.by_name[role], view, lang, translate("controls.all", lang)),
                                 component_id))
        else:
            # Callbacks take these as inputs, so a dataset without the column still has them, hidden.
            fields.append(html.Div(dcc.Dropdown(id=component_id, options=[], value=[], multi=True), hidden=True))
    demo = [v for v in cb.breakdowns if v.name not in (info.country, info.wave)]
    more = html.Details(
        [
            html.Summary(translate("controls.more_filters", lang)),
            html.Div(
                [
                    _field((v.short or v.label).get(lang),
                           _multi(ids.demo_filter(v.name), v, view, lang, translate("controls.all", lang)),
                           f"filter-{v.name}")
                    for v in demo
                ],
                className="filter-grid",
            ),
        ],
        className="more-filters",
        open=any(view.filter_codes(v.name) for v in demo),
    )
    options = html.Div(
        [
            _field(translate("controls.percent", lang),
                   dcc.RadioItems(id=ids.PERCENT, value=view.pct, inline=True,
                                  options=[{"label": translate(f"percent.{p}", lang), "value": p}
                                           for p in ("column", "row", "total")]),
                   ids.PERCENT),
            dcc.Checklist(id=ids.SHOW_DK, value=["dk"] if view.dk else [], inline=True,
                          options=[{"label": translate("controls.show_dk", lang), "value": "dk"}],
                          className="field"),
            _field(translate("controls.view", lang),
                   dcc.RadioItems(id=ids.VIEW, value=view.show, inline=True,
                                  options=[{"label": translate(f"view.{v}", lang), "value": v}
                                           for v in ("both", "table", "chart")]),
                   ids.VIEW),
            *chart_controls(cb, view),
        ],
        className="options-row",
    )
    # On a phone the controls fold behind one line that says what is shown; CSS shows them
    # unfolded on wider screens.
    toggle = html.Button(
        [html.Span(summary_text(cb, view), id=SUMMARY_TEXT, className="view-summary-text"),
         html.Span(translate("controls.change", lang), className="view-summary-change")],
        id=SUMMARY, className="view-summary", n_clicks=0, type="button",
        **_attrs(aria_expanded="false", aria_controls=CONTROLS_BODY),
    )
    return html.Section(
        [toggle, html.Div([html.Div(fields, className="controls-grid"), more, options],
                          id=CONTROLS_BODY, className="controls-body")],
        id=CONTROLS,
        className="controls",
        **_attrs(aria_label=translate("controls.label", lang)),
    )


# Only the image download: no modebar button may send the chart anywhere but the visitor's disk.
CHART_CONFIG: dict[str, Any] = {"displaylogo": False, "modeBarButtons": [["toImage"]], "showSendToCloud": False,
                                "showEditInChartStudio": False, "showLink": False}


def answer_options(cb: Codebook, view: View) -> list[dict[str, Any]]:
    """What a trend can follow: the question's nets, then its answers."""
    qvar = cb.by_name.get(view.q)
    if qvar is None or qvar.kind == "multi":
        return []
    options = [{"label": n.label.get(view.lang), "value": n.key} for n in qvar.all_nets]
    return options + [{"label": v.label.get(view.lang), "value": v.url_key} for v in qvar.valid_values]


def chart_controls(cb: Codebook, view: View) -> list[Any]:
    """Chart kind (with the answer a trend follows), confidence level and intervals in the table."""
    lang = view.lang
    kinds = ["bars"] + (["trend"] if cb.dataset.wave else []) + (["countries"] if cb.dataset.country else [])
    answers = answer_options(cb, view)
    return [
        _field(translate("controls.chart", lang),
               dcc.RadioItems(id=ids.CHART_KIND, value=view.chart, inline=True,
                              options=[{"label": translate(f"chart.kind.{k}", lang), "value": k} for k in kinds]),
               ids.CHART_KIND),
        html.Div(_field(translate("controls.answer", lang),
                        dcc.Dropdown(id=ids.ANSWER, options=answers, value=view.ans, clearable=True,
                                     searchable=False, placeholder=answers[0]["label"] if answers else ""),
                        ids.ANSWER), hidden=view.chart != "trend", className="trend-answer", id=ids.ANSWER_BOX),
        _field(translate("controls.level", lang),
               dcc.RadioItems(id=ids.LEVEL, value=str(view.level), inline=True,
                              options=[{"label": f"{round(x * 100)}%", "value": str(x)} for x in (0.9, 0.95, 0.99)]),
               ids.LEVEL),
        dcc.Checklist(id=ids.SHOW_CI, value=["ci"] if view.ci else [], inline=True,
                      options=[{"label": translate("controls.show_ci", lang), "value": "ci"}], className="field"),
    ]


def comparison_options(cb: Codebook, view: View) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Options of the answer and category pickers of the comparison box."""
    choices = comparison_choices(cb, view)
    if choices is None or view.by is None:
        return [], []
    qvar, byvar = cb.by_name[view.q], cb.by_name[view.by]
    nets = {n.key: n for n in qvar.all_nets}
    answers = [{"label": translate("table.mean", view.lang) if c == MEAN else
                (nets[c].label if isinstance(c, str) else qvar.value(c).label).get(view.lang), "value": c}
               for c in choices.answers]
    cats = [{"label": byvar.value(c).label.get(view.lang), "value": c} for c in choices.categories]
    return answers, cats


def chart_alt(view: View) -> str:
    """The chart's text alternative: it points to the table, which holds the same numbers."""
    if view.chart in ("trend", "countries"):
        return translate(f"chart.alt_{view.chart}", view.lang)
    return translate("chart.alt_ci" if view.ci else "chart.alt", view.lang)


def results(cb: Codebook, view: View) -> html.Section:
    lang = view.lang
    answer_opts, cat_opts = comparison_options(cb, view)
    cmp = view.comparison(cb)
    return html.Section(
        [
            # A change of view is announced by its heading (question, base, breakdown), not the whole table.
            html.Div(id=ids.HEADING, className="result-heading", **_attrs(aria_live="polite")),
            html.Div(id=ids.ERROR, className="result-error", hidden=True),
            html.Div(
                [
                    # assets/overflow.js marks a table wider than its box; CSS then shows data-hint.
                    html.Div(id=ids.TABLE_BOX, className="table-box", tabIndex="0", role="region",
                             **_attrs(aria_label=translate("table.scroll_label", lang),
                                      data_hint=translate("table.scroll_hint", lang))),
                    html.Figure(
                        [dcc.Graph(id=ids.CHART, config=cast(Any, CHART_CONFIG), className="chart"),
                         html.Figcaption(chart_alt(view), id=ids.CHART_ALT, className="sr-only")],
                        className="chart-box",
                        # The box holds whichever table goes with the chart kind (cross-tab or trend).
                        **_attrs(aria_describedby=ids.TABLE_BOX),
                    ),
                ],
                className=f"result-grid view-{view.show}",
                id=ids.GRID,
            ),
            html.Div(id=ids.TEST, className="table-test"),
            html.Div(id=ids.LEGEND, className="legend"),
            html.Div(
                [
                    html.H3(translate("change.heading", lang)),
                    html.Div(
                        [
                            _field(translate("change.answer", lang),
                                   dcc.Dropdown(id=ids.CMP_ANSWER, options=answer_opts,
                                                value=cmp.answer if cmp else None, clearable=False,
                                                searchable=False),
                                   ids.CMP_ANSWER),
                            _field(translate("change.from", lang),
                                   dcc.Dropdown(id=ids.CMP_A, options=cat_opts, value=cmp.a if cmp else None,
                                                clearable=False, searchable=False), ids.CMP_A),
                            _field(translate("change.to", lang),
                                   dcc.Dropdown(id=ids.CMP_B, options=cat_opts, value=cmp.b if cmp else None,
                                                clearable=False, searchable=False), ids.CMP_B),
                        ],
                        className="change-controls",
                    ),
                    html.P(id=ids.CHANGE, className="change-sentence", **_attrs(aria_live="polite")),
                ],
                id=ids.CHANGE_BOX,
                className="change-box",
                hidden=True,
            ),
            html.Div(id=ids.DOWNLOADS, className="downloads"),
            html.P(id=ids.SOURCE, className="source-line"),
        ],
        id=ids.RESULTS,
        className="results",
        tabIndex="-1",
    )


def page(
    ds: Dataset, datasets: list[Dataset], view: View, notice_items: tuple[tuple[str, str], ...]
) -> list[Any]:
    cb = ds.codebook
    return [
        html.A(translate("a11y.skip", view.lang), href=f"#{ids.RESULTS}", className="skip-link"),
        header(ds, datasets, view),
        synthetic_banner(cb, view.lang),
        notices(notice_items, view.lang),
        html.Main([controls(cb, view), results(cb, view)], className="main"),
        html.Footer(
            [
                html.A(translate("footer.api", view.lang), href="/api/v1/openapi.json"),
                " \u00b7 ",
                html.Span(translate("footer.about", view.lang)),
            ],
            className="site-footer",
        ),
    ]


def error_page(message: str, lang: str) -> list[Any]:
    return [
        html.Header(html.Div(html.H1(translate("app.title", lang)), className="brand"), className="site-header"),
        html.Div([html.Strong(translate("error.title", lang) + " "), message], id=ids.ERROR_PAGE,
                 className="result-error", role="alert"),
    ]
