"""The application factory: one Dash app (with its Flask server) per call, no work at import."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dash import Dash
from flask_caching import Cache as FlaskCache

from .api import make_blueprint
from .data.cache import Cache, cache_config
from .data.health import check as check_health
from .data.store import Store
from .embed import make_embed_blueprint
from .security import install as install_security
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
    service = Service(store, Cache(flask_cache, name=config.cache),
                      Rules(min_base=config.min_base, flag_base=config.flag_base))
    server.config["BAROMETER"] = config
    server.extensions["barometer_service"] = service
    app.layout = shell()
    register_callbacks(app, service, config)
    server.register_blueprint(make_blueprint(service, config))
    server.register_blueprint(make_embed_blueprint(service, config))

    @server.get("/healthz")
    def healthz() -> tuple[dict[str, object], int]:
        # Every dataset must open: a broken one makes this worker (and every other) say so.
        health = check_health(store)
        return health.to_json(), 200 if health.healthy else 503

    install_security(app)  # last: it hashes the inline scripts the callbacks added

    return app
