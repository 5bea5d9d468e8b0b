"""The one-line summary of the view that stands for the folded controls on a phone."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from ..domain.codebook import Codebook
from ..domain.errors import BarometerError
from ..i18n import translate
from ..service import Service
from ..settings import Config
from . import ids
from .inputs import page_state
from .state import View, parse

SUMMARY, SUMMARY_TEXT, CONTROLS_BODY, CONTROLS = ids.VIEW_LINE, ids.VIEW_LINE_TEXT, ids.CONTROLS_BODY, ids.CONTROLS


def summary_text(cb: Codebook, view: View) -> str:
    """e.g. "Police · by Age · Kosovo · 2022": question, breakdown, then the chosen filters."""
    lang = view.lang
    parts: list[str] = []
    if view.q in cb.by_name:
        q = cb.by_name[view.q]
        parts.append((q.short or q.label).get(lang))
    if view.by and view.by in cb.by_name:
        by = cb.by_name[view.by]
        outer = (by.short or by.label).get(lang)
        if view.by2 and view.by2 in cb.by_name:
            by2 = cb.by_name[view.by2]
            parts.append(translate("heading.by_nested", lang, inner=(by2.short or by2.label).get(lang), outer=outer))
        else:
            parts.append(translate("heading.by", lang, breakdown=outer))
    for name, codes in view.filters:
        var = cb.by_name.get(name)
        if var is None:
            continue
        labels = []
        for code in codes:
            try:
                labels.append(var.value(code).label.get(lang))
            except KeyError:
                continue
        if labels:
            parts.append(", ".join(labels))
    return " \u00b7 ".join(parts)


def register(app: Dash, service: Service, config: Config) -> None:
    @app.callback(Output(SUMMARY_TEXT, "children"), Input(ids.STATE, "data"))
    def update_summary(state: object) -> str:
        ds_id, search, _ = page_state(state)
        if not ds_id:
            raise PreventUpdate
        try:
            cb = service.store.get(ds_id).codebook
        except BarometerError:
            raise PreventUpdate from None
        return summary_text(cb, parse(search, cb, default_lang=config.default_lang).view)

    # Open and close the controls on a phone; on wider screens they are always shown.
    app.clientside_callback(
        """
        function(n, cls) {
            const open = (n || 0) % 2 === 1;
            const base = (cls || 'controls').replace(/\\s*is-open/g, '');
            return [open ? base + ' is-open' : base, open ? 'true' : 'false'];
        }
        """,
        Output(CONTROLS, "className"),
        Output(SUMMARY, "aria-expanded"),
        Input(SUMMARY, "n_clicks"),
        State(CONTROLS, "className"),
        prevent_initial_call=True,
    )
