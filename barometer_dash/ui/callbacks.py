"""Callbacks: component values -> View -> Query -> service -> renderers. Nothing else."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from dash import ALL, Dash, Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from ..domain.errors import BarometerError
from ..i18n import LANGUAGES, translate
from ..render.figure import crosstab_figure
from ..service import Service
from ..settings import Config
from . import ids, results, summary
from .controls import CHART_CONFIG, comparison_options, error_page, page
from .state import View, normalise_comparison, parse, serialise


def _chart_width(viewport: dict[str, Any] | None, shape: str) -> int:
    """The chart's width in the page: half the content on a wide screen beside the table."""
    width = int((viewport or {}).get("width") or 1280)
    content = min(width, 1400) - 2 * 12 - 2 * 13
    return max(280, content // 2 - 8 if width >= 1100 and shape == "both" else content)


def _file_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:80] or "chart"


def _choose_dataset(service: Service, wanted: str, config: Config) -> str:
    ids_ = service.store.ids()
    if wanted in ids_:
        return wanted
    if config.default_dataset in ids_:
        return config.default_dataset
    if not ids_:
        raise BarometerError(translate("error.no_datasets", config.default_lang, folder=str(config.data_dir)))
    return ids_[0]


def register_callbacks(app: Dash, service: Service, config: Config) -> None:
    summary.register(app, service, config)
    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.STATE, "data"),
        Input(ids.URL, "search"),
        State(ids.STATE, "data"),
    )
    def render_page(search: str | None, state: dict[str, Any] | None) -> tuple[Any, Any]:
        """Build the page from the URL on load, on back/forward, and on a dataset or language change."""
        search = search or ""
        if state and state.get("search") == search:
            raise PreventUpdate
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
            notices = (("ds", wanted), *notices)
        view = replace(parsed.view, ds=ds_id)
        datasets = service.store.available()
        body = page(ds, datasets, view, notices)
        return body, {"search": search, "ds": ds_id, "lang": view.lang}

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.STATE, "data", allow_duplicate=True),
        Output(ids.HEADING, "children"),
        Output(ids.TABLE_BOX, "children"),
        Output(ids.CHART, "figure"),
        Output(ids.CHART, "config"),
        Output(ids.TEST, "children"),
        Output(ids.LEGEND, "children"),
        Output(ids.CHANGE_BOX, "hidden"),
        Output(ids.CMP_ANSWER, "options"),
        Output(ids.CMP_ANSWER, "value"),
        Output(ids.CMP_A, "options"),
        Output(ids.CMP_A, "value"),
        Output(ids.CMP_B, "options"),
        Output(ids.CMP_B, "value"),
        Output(ids.CHANGE, "children"),
        Output(ids.DOWNLOADS, "children"),
        Output(ids.SOURCE, "children"),
        Output(ids.ERROR, "children"),
        Output(ids.ERROR, "hidden"),
        Output("result-grid", "className"),
        Output(ids.NAV, "data"),
        Input(ids.QUESTION, "value"),
        Input(ids.BREAKDOWN, "value"),
        Input(ids.COUNTRY, "value"),
        Input(ids.YEAR, "value"),
        Input({"type": ids.DEMO_FILTER, "var": ALL}, "value"),
        Input(ids.PERCENT, "value"),
        Input(ids.SHOW_DK, "value"),
        Input(ids.VIEW, "value"),
        Input(ids.CMP_ANSWER, "value"),
        Input(ids.CMP_A, "value"),
        Input(ids.CMP_B, "value"),
        Input(ids.DATASET, "value"),
        Input(ids.LANG, "value"),
        State({"type": ids.DEMO_FILTER, "var": ALL}, "id"),
        State(ids.STATE, "data"),
        State(ids.URL, "search"),
        State(ids.VIEWPORT, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def update(q, by, country, year, demo_values, pct, dk, shape, cmp_answer, cmp_a, cmp_b,
               ds_value, lang_value, demo_ids, state, search, viewport):
        if not state or not q:
            raise PreventUpdate
        ds_id, lang = state["ds"], state["lang"]
        if ds_value and ds_value != ds_id:
            params = [("ds", ds_value)] + ([("lang", lang)] if lang != config.default_lang else [])
            return (*(no_update,) * 21, "/?" + urlencode(params))
        ds = service.store.get(ds_id)
        cb = ds.codebook
        info = cb.dataset
        filters: dict[str, tuple[int, ...]] = {}
        for name, values in [(info.country, country), (info.wave, year)] + [
            (fid["var"], v) for fid, v in zip(demo_ids or [], demo_values or [], strict=False)
        ]:
            if name and values:
                filters[name] = tuple(sorted(int(c) for c in values))
        chosen = (cmp_answer, cmp_a, cmp_b) if None not in (cmp_answer, cmp_a, cmp_b) else None
        view = View(ds=ds_id, q=q, by=None if by in (None, "none") else by,
                    filters=tuple(sorted(filters.items())), pct=pct or "column", dk=bool(dk),
                    lang=lang_value if lang_value in LANGUAGES else lang, view=shape or "both", cmp=chosen)
        view = normalise_comparison(view, cb)
        new_search = serialise(view, cb, default_lang=config.default_lang, default_ds=config.default_dataset)
        if view.lang != lang:
            return (*(no_update,) * 21, "/" + new_search)
        new_state = {**state, "search": new_search}
        grid_class = f"result-grid view-{view.view}"
        comparison = view.comparison(cb)
        try:
            xt = service.crosstab(view.query(), lang, comparison)
        except BarometerError as exc:
            message = translate("error.query", lang, problem=str(exc))
            return (new_search, new_state, [], [], {}, no_update, [], [], True, [], None, [], None, [],
                    None, "", [], "", message, False, grid_class, no_update)
        fig = crosstab_figure(xt, width_px=_chart_width(viewport, view.view))
        stem = _file_stem(f"{ds_id}_{q}" + (f"_by_{view.by}" if view.by else ""))
        config_out = {**CHART_CONFIG, "toImageButtonOptions": {
            "format": "png", "filename": stem, "width": 1200,
            "height": int(fig["layout"]["height"]) + 40, "scale": 2}}
        if comparison is None:
            cmp_out: tuple[Any, ...] = (True, [], None, [], None, [], None, "")
        else:
            opts = comparison_options(cb, view)
            cmp_out = (False, opts[0], comparison.answer, opts[1], comparison.a, opts[1], comparison.b,
                       results.change(xt))
        return (
            new_search, new_state, results.heading(xt), results.table(xt), fig, config_out,
            results.test_block(xt), results.legend(xt), *cmp_out,
            results.downloads(xt), results.source(xt), "", True, grid_class, no_update,
        )

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
        Output("copy-link-status", "children"),
        Input("copy-link", "n_clicks"),
        prevent_initial_call=True,
    )


