"""The JSON API: a Flask blueprint beside the Dash app, reading numbers from the service."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from .service import Service
from .settings import Config


def _dataset_summary(service: Service, dataset_id: str) -> dict[str, Any]:
    ds = service.store.get(dataset_id)
    info = ds.codebook.dataset
    return {
        "id": info.id,
        "title": info.title.to_json(),
        "citation": info.citation,
        "license": info.license,
        "synthetic": info.synthetic,
        "respondents": ds.n,
        "variables": len(ds.codebook.variables),
        "version": ds.version,
    }


def make_blueprint(service: Service, config: Config) -> Blueprint:
    bp = Blueprint("api", __name__, url_prefix="/api/v1")

    @bp.get("/datasets")
    def datasets() -> Any:
        return jsonify({"datasets": [_dataset_summary(service, d.id) for d in service.store.available()]})

    return bp
