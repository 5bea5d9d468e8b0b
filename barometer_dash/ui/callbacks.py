"""Callbacks: component values -> view -> service -> renderers. Nothing else.

`render_page` builds the page from the link; `sync_view` turns the controls into the view and
the address bar; each `show_*` callback renders one part of the results from that view. Every
input is read through the view registry, so a forged or stale payload falls back to defaults.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

import flask
from dash import ALL, Dash, Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate

from ..data.store import Dataset
from ..domain.crosstab import CrossTab
from ..domain.errors import BarometerError
from ..i18n import LANGUAGES, translate
from ..render.summary import summary, summary_comparison
from ..service import Service
from ..settings import Config
from . import ids, kinds, results
from . import summary as view_line
from .controls import answer_options, breakdown2_options, chart_alt, comparison_options, error_page, page
from .guard import install_guard
from .inputs import chart_width, control_pairs, page_state, text_value, with_uncontrolled
from .state import View, parse, serialise

log = logging.getLogger(__name__)


def _choose_dataset(service: Service, wanted: str, config: Config) -> str:
    ids_ = service.store.ids()
    if wanted in ids_:
        return wanted
    if config.default_dataset in ids_:
        return config.default_dataset
    if not ids_:
        raise BarometerError(translate("error.no_datasets", config.default_lang, folder=config.data_dir.name))
    return ids_[0]


class Views:
    """The view in the page's state store, read back through the registry, and its table."""

    def __init__(self, service: Service, config: Config):
        self.service = service
        self.config = config

    def dataset(self, state: Any) -> Dataset:
        ds_id, _, _ = page_state(state)
        if ds_id not in self.service.store.ids():
            raise PreventUpdate
        return self.service.store.get(ds_id)

    def view(self, state: Any) -> tuple[Dataset, View]:
        ds = self.dataset(state)
        _, search, lang = page_state(state)
        view = parse(search, ds.codebook, default_lang=lang or self.config.default_lang).view
        return ds, View(**{**view.__dict__, "ds": ds.id})

    def table(self, state: Any) -> tuple[Dataset, View, CrossTab | None, str | None]:
        """The view's table, or the message saying why there is none."""
        ds, view = self.view(state)
        try:
            return ds, view, self.service.crosstab(view.query(), view.lang, view.comparison(ds.codebook)), None
        except BarometerError as exc:
            return ds, view, None, translate("error.query", view.lang, problem=str(exc))


def register_callbacks(app: Dash, service: Service, config: Config) -> None:
    views = Views(service, config)
    install_guard(app)
    view_line.register(app, service, config)

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.STATE, "data"),
        Input(ids.URL, "search"),
        State(ids.STATE, "data"),
    )
    def render_page(search: Any, state: Any) -> tuple[Any, Any]:
        """Build the page from the link on load, on back/forward, and on a dataset or language change."""
        search = text_value(search)
        if isinstance(state, dict) and state.get("search") == search and state.get("built"):
            raise PreventUpdate
        from urllib.parse import parse_qs

        wanted = parse_qs(search.lstrip("?")).get("ds", [""])[0]
        try:
            ds_id = _choose_dataset(service, wanted, config)
            ds = service.store.get(ds_id)
        except BarometerError as exc:
            # A missing or broken data folder is the publisher's to fix: say what and where.
            return error_page(str(exc), config.default_lang), {"search": search, "ds": None, "lang": None}
        parsed = parse(search, ds.codebook, default_lang=config.default_lang)
        notices = parsed.notices
        if wanted and wanted != ds_id:
            notices = (("ds", wanted[:40]), *notices)
        view = View(**{**parsed.view.__dict__, "ds": ds_id})
        canonical = serialise(view, ds.codebook, default_lang=config.default_lang,
                              default_ds=config.default_dataset)
        body = page(ds, service.store.available(), view, notices)
        return body, {"search": canonical, "ds": ds_id, "lang": view.lang, "built": True}

    @app.callback(
        output={
            "search": Output(ids.URL, "search"),
            "state": Output(ids.STATE, "data", allow_duplicate=True),
            "nav": Output(ids.NAV, "data"),
            "answers": Output(ids.CMP_ANSWER, "options"),
            "answer": Output(ids.CMP_ANSWER, "value"),
            "cats_a": Output(ids.CMP_A, "options"),
            "a": Output(ids.CMP_A, "value"),
            "cats_b": Output(ids.CMP_B, "options"),
            "b": Output(ids.CMP_B, "value"),
            "pct": Output(ids.PERCENT, "value"),
            "answer_box": Output(ids.ANSWER_BOX, "hidden"),
            "ans_options": Output(ids.ANSWER, "options"),
            "by2_options": Output(ids.BREAKDOWN2, "options"),
            "by2": Output(ids.BREAKDOWN2, "value"),
            "by2_off": Output(ids.BREAKDOWN2, "disabled"),
        },
        inputs={
            "controls": {
                "q": Input(ids.QUESTION, "value"),
                "by": Input(ids.BREAKDOWN, "value"),
                "by2": Input(ids.BREAKDOWN2, "value"),
                "country": Input(ids.COUNTRY, "value"),
                "year": Input(ids.YEAR, "value"),
                "demo": Input({"type": ids.DEMO_FILTER, "var": ALL}, "value"),
                "pct": Input(ids.PERCENT, "value"),
                "missing": Input(ids.SHOW_DK, "value"),
                "show": Input(ids.VIEW, "value"),
                "chart": Input(ids.CHART_KIND, "value"),
                "ans": Input(ids.ANSWER, "value"),
                "level": Input(ids.LEVEL, "value"),
                "ci": Input(ids.SHOW_CI, "value"),
                "cmp_answer": Input(ids.CMP_ANSWER, "value"),
                "cmp_a": Input(ids.CMP_A, "value"),
                "cmp_b": Input(ids.CMP_B, "value"),
                "lang": Input(ids.LANG, "value"),
                "demo_ids": State({"type": ids.DEMO_FILTER, "var": ALL}, "id"),
            },
            "dataset": Input(ids.DATASET, "value"),
            "state": State(ids.STATE, "data"),
            "address": State(ids.URL, "search"),
        },
        prevent_initial_call="initial_duplicate",
    )
    def sync_view(controls: dict[str, Any], dataset: Any, state: Any, address: Any) -> dict[str, Any]:
        """The controls -> the view -> the address bar (and the comparison pickers kept valid)."""
        unchanged = {k: no_update for k in ("search", "state", "nav", "answers", "answer", "cats_a", "a",
                                             "cats_b", "b", "pct", "answer_box", "ans_options", "by2_options", "by2",
                                             "by2_off")}
        ds = views.dataset(state)
        _, _, lang = page_state(state)
        wanted = text_value(dataset)
        if wanted and wanted != ds.id and wanted in service.store.ids():
            params = [("ds", wanted)] + ([("lang", lang)] if lang and lang != config.default_lang else [])
            return {**unchanged, "nav": "/?" + urlencode(params)}
        cb = ds.codebook
        _, current_search, _ = page_state(state)
        current = parse_qsl(current_search.lstrip("?"))
        pairs = with_uncontrolled(control_pairs(controls, cb), current)
        parsed = parse("?" + urlencode(pairs), cb, default_lang=config.default_lang)
        if parsed.notices:
            log.info("page controls ignored: %s", ", ".join(k for k, _ in parsed.notices)[:200])
        view = View(**{**parsed.view.__dict__, "ds": ds.id})
        new_search = serialise(view, cb, default_lang=config.default_lang, default_ds=config.default_dataset)
        if view.lang != lang and view.lang in LANGUAGES:
            return {**unchanged, "nav": "/" + new_search}  # a new language rebuilds the page
        answers, cats = comparison_options(cb, view)
        cmp = view.comparison(cb)
        new_state = {"search": new_search, "ds": ds.id, "lang": view.lang, "built": True}
        return {
            # The address bar gets the canonical link (an old `dk=1` becomes `missing=include`).
            "search": new_search if new_search != text_value(address) else no_update,
            # Unchanged state would re-render every result for nothing.
            "state": new_state if new_state != state else no_update,
            "nav": no_update,
            "answers": answers, "answer": cmp.answer if cmp else None,
            "cats_a": cats, "a": cmp.a if cmp else None,
            "cats_b": cats, "b": cmp.b if cmp else None,
            # The percent base the view settled on (a multiple-response set has column percentages only).
            "pct": view.pct if view.pct != text_value(controls.get("pct")) else no_update,
            "answer_box": view.chart != "trend",
            "ans_options": answer_options(cb, view),
            "by2_options": breakdown2_options(cb, view),
            "by2": (view.by2 or "none") if (view.by2 or "none") != text_value(controls.get("by2")) else no_update,
            "by2_off": view.by is None,
        }

    @app.callback(
        Output(ids.HEADING, "children"), Output(ids.ERROR, "children"), Output(ids.ERROR, "hidden"),
        Input(ids.STATE, "data"),
    )
    def show_heading(state: Any) -> tuple[Any, str, bool]:
        ds, view, xt, error = views.table(state)
        if xt is None:
            return [], error or "", False
        # The summary's difference is the largest one in the table, tested with its own comparison.
        focus = summary_comparison(xt, view.ans)
        told = service.crosstab(view.query(), view.lang, focus) if focus is not None else xt
        return results.heading(xt, summary(told, view.ans)), "", True

    @app.callback(Output(ids.TABLE_BOX, "children"), Input(ids.STATE, "data"))
    def show_table(state: Any) -> Any:
        ds, view, xt, _ = views.table(state)
        if xt is None:
            return []
        try:
            return kinds.table(service, ds, view, xt)
        except BarometerError as exc:
            return html.P(translate("error.query", view.lang, problem=str(exc)), className="result-error")

    @app.callback(
        Output(ids.CHART, "figure"), Output(ids.CHART, "config"), Output(ids.CHART_ALT, "children"),
        Input(ids.STATE, "data"), State(ids.VIEWPORT, "data"),
    )
    def show_chart(state: Any, viewport: Any) -> tuple[Any, Any, Any]:
        ds, view, xt, _ = views.table(state)
        if xt is None:
            return {}, no_update, no_update
        try:
            fig = kinds.figure(service, ds, view, xt, chart_width(viewport, view.show))
        except BarometerError:
            return {}, no_update, no_update  # the table box says why
        return fig, results.chart_config(xt, ds.codebook, int(fig["layout"]["height"])), chart_alt(view)

    @app.callback(
        Output(ids.TEST, "children"), Output(ids.LEGEND, "children"), Output(ids.GRID, "className"),
        Input(ids.STATE, "data"),
    )
    def show_notes(state: Any) -> tuple[Any, Any, str]:
        _, view, xt, _ = views.table(state)
        grid = f"result-grid view-{view.show}"
        if xt is None:
            return [], [], grid
        return results.test_block(xt), results.legend(xt, view.ci), grid

    @app.callback(
        Output(ids.CHANGE_BOX, "hidden"), Output(ids.CHANGE, "children"),
        Input(ids.STATE, "data"),
    )
    def show_comparison(state: Any) -> tuple[bool, str]:
        ds, view, xt, _ = views.table(state)
        if xt is None or view.by is None:
            return True, ""
        if view.pct != "column":
            return False, translate("change.percent_base", view.lang)
        if view.comparison(ds.codebook) is None:
            return True, ""
        return False, results.change(xt)

    @app.callback(
        Output(ids.DOWNLOADS, "children"), Output(ids.SOURCE, "children"),
        Input(ids.STATE, "data"),
    )
    def show_links(state: Any) -> tuple[Any, str]:
        ds, view, xt, _ = views.table(state)
        if xt is None:
            return [], ""
        page_url = flask.request.host_url.rstrip("/") + "/" + serialise(
            view, ds.codebook, default_lang=config.default_lang, default_ds=config.default_dataset)
        return results.downloads(xt, view, ds.codebook, page_url, date.today()), results.source(xt)

    app.clientside_callback(
        "function(_) { return {width: window.innerWidth}; }",
        Output(ids.VIEWPORT, "data"),
        Input(ids.URL, "pathname"),
    )
    app.clientside_callback(
        "function(href) { if (href) { window.location.assign(href); } return window.dash_clientside.no_update; }",
        Output(ids.NAV, "clear_data"),
        Input(ids.NAV, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        """
        function(n) {
            if (!n) { return window.dash_clientside.no_update; }
            navigator.clipboard && navigator.clipboard.writeText(window.location.href);
            return "\u2713";
        }
        """,
        Output(ids.COPY_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
