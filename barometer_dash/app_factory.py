"""The application factory: one Dash app (with its Flask server) per call, no work at import."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dash import Dash
from flask import Response, request
from flask_caching import Cache as FlaskCache

from .api import make_blueprint
from .codebook_page import make_codebook_blueprint
from .data.cache import Cache, cache_config
from .data.health import check as check_health
from .data.store import Store
from .embed import make_embed_blueprint
from .i18n import LANGUAGES
from .security import install as install_security
from .service import Rules, Service
from .settings import Config, load_config
from .ui.callbacks import register_callbacks
from .ui.layout import shell

ASSETS = Path(__file__).resolve().parent.parent / "assets"
# The page draws no DataTable, yet Dash lists its bundle on every page.
_UNUSED_BUNDLE = re.compile(r'<script src="[^"]*/dash_table/[^"]*"></script>\s*')
YEAR = 365 * 24 * 3600


class BarometerDash(Dash):
    """Dash with the page's language on <html> and without unused component bundles."""

    default_lang = "en"

    def interpolate_index(self, metas: Any = "", title: Any = "", css: Any = "", config: Any = "",
                          scripts: Any = "", app_entry: Any = "", favicon: Any = "", renderer: Any = "") -> Any:
        page: str = super().interpolate_index(
            metas=metas, title=title, css=css, config=config, scripts=_UNUSED_BUNDLE.sub("", scripts),
            app_entry=app_entry, favicon=favicon, renderer=renderer)
        lang = request.args.get("lang", "")
        lang = lang if lang in LANGUAGES else self.default_lang
        return page.replace("<html>", f'<html lang="{lang}">', 1)


def _asset_headers(response: Response) -> Response:
    """Assets are linked with their modification time (?m=...): a new file has a new address,
    so browsers may keep each one for a year (Dash does the same for component bundles).
    Flask streams files, which flask-compress does not gzip; reading them first lets it."""
    if request.path.startswith("/assets/") and response.status_code == 200:
        if response.direct_passthrough:
            response.direct_passthrough = False
            response.set_data(response.get_data())
        if "m" in request.args:
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
    return response


def create_app(test_config: Mapping[str, object] | None = None) -> Dash:
    """Build the app; `test_config` overrides settings (e.g. {"data_dir": tmp_path})."""
    config: Config = load_config(test_config)
    app = BarometerDash(
        __name__,
        title="Barometer Dash",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        update_title="",
        # gzip (brotli where the browser takes it) through flask-compress. The partial plotly.js
        # bundle in assets/ (npm plotly.js-basic-dist-min: bar, scatter, pie) defines window.Plotly,
        # so dcc.Graph never fetches Dash's full one.
        compress=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Cross-tabulate public-opinion survey results."},
        ],
    )
    app.default_lang = config.default_lang
    server = app.server
    server.after_request(_asset_headers)
    flask_cache = FlaskCache(server, config=cache_config(config))
    store = Store(config.data_dir)
    service = Service(store, Cache(flask_cache, name=config.cache),
                      Rules(min_base=config.min_base, flag_base=config.flag_base))
    server.config["BAROMETER"] = config
    server.extensions["barometer_service"] = service
    app.layout = shell()
    register_callbacks(app, service, config)
    server.register_blueprint(make_blueprint(service, config))
    server.register_blueprint(make_embed_blueprint(service, config))
    server.register_blueprint(make_codebook_blueprint(service, config))

    @server.get("/healthz")
    def healthz() -> tuple[dict[str, object], int]:
        # Every dataset must open: a broken one makes this worker (and every other) say so.
        health = check_health(store)
        return health.to_json(), 200 if health.healthy else 503

    install_security(app)  # last: it hashes the inline scripts the callbacks added

    return app
