"""`/embed?<view>`: one view for another site's iframe, rendered on the server.

The link's parameters are the page's (read by the view registry), so an embed shows exactly
the view its snippet was copied from. Only this route may be framed by other sites
(security.py); the chart is an SVG image, or the table where this server makes no images.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, request

from .domain.errors import BarometerError
from .i18n import translate
from .render.embed import embed_html
from .render.image import SIZES, ImageUnavailable, figure_image
from .render.print_layout import print_figure
from .render.summary import summary_comparison
from .service import Service
from .settings import Config
from .view import View
from .view.links import page_query, parse_page

log = logging.getLogger(__name__)
EMBED_SIZE = "article"


def make_embed_blueprint(service: Service, config: Config) -> Blueprint:
    bp = Blueprint("embed", __name__)

    @bp.get("/embed")
    def embed() -> Any:
        wanted = request.args.get("ds", "")
        ids = service.store.ids()
        ds_id = wanted if wanted in ids else (config.default_dataset if config.default_dataset in ids else "")
        if not ds_id:
            return Response(translate("error.no_datasets", config.default_lang, folder="data"), status=404,
                            mimetype="text/plain")
        try:
            ds = service.store.get(ds_id)
            cb = ds.codebook
            parsed = parse_page("?" + request.query_string.decode("utf-8", "replace"), cb,
                                default_lang=config.default_lang)
            view = View(**{**parsed.view.__dict__, "ds": ds_id})
            xt = service.crosstab(view.query(), view.lang, view.comparison(cb))
            focus = summary_comparison(xt, view.ans)
            if focus is not None:
                xt = service.crosstab(view.query(), view.lang, focus)
        except BarometerError as exc:
            return Response(str(exc), status=400, mimetype="text/plain")
        link = request.host_url.rstrip("/") + "/" + page_query(
            view, cb, default_lang=config.default_lang, default_ds=config.default_dataset)
        size = SIZES[EMBED_SIZE]
        svg: bytes | None = None
        if view.show != "table":
            try:
                figure = print_figure(xt, EMBED_SIZE, link, intervals=view.ci)
                svg = figure_image(figure, "svg", size.width, size.height)
            except ImageUnavailable as exc:
                log.info("embed without a chart image: %s", exc.problem)
        page = embed_html(xt, link, chart_svg=svg, size=(size.width, size.height), intervals=view.ci)
        return Response(page, mimetype="text/html")

    return bp
