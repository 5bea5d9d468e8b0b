"""The application factory: one Dash app (with its Flask server) per call, no work at import."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dash import Dash
from flask_caching import Cache as FlaskCache

from .api import make_blueprint
from .codebook_page import make_codebook_blueprint
from .data.cache import Cache, cache_config
from .data.store import Store
from .service import Rules, Service
from .settings import Config, load_config
from .ui.callbacks import register_callbacks
from .ui.layout import shell

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def create_app(test_config: Mapping[str, object] | None = None) -> Dash:
    """Build the app; `test_config` overrides settings (e.g. {"data_dir": tmp_path})."""
    config: Config = load_config(test_config)
    app = Dash(
        __name__,
        title="Barometer Dash",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        update_title="",
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Cross-tabulate public-opinion survey results."},
        ],
    )
    server = app.server
    flask_cache = FlaskCache(server, config=cache_config(config))
    store = Store(config.data_dir)
    service = Service(store, Cache(flask_cache), Rules(min_base=config.min_base, flag_base=config.flag_base))
    server.config["BAROMETER"] = config
    server.extensions["barometer_service"] = service
    app.layout = shell()
    register_callbacks(app, service, config)
    server.register_blueprint(make_blueprint(service, config))
    server.register_blueprint(make_codebook_blueprint(service, config))

    @server.get("/healthz")
    def healthz() -> tuple[dict[str, object], int]:
        datasets = store.ids()
        return {"status": "ok" if datasets else "no datasets", "datasets": datasets}, 200 if datasets else 503

    return app
