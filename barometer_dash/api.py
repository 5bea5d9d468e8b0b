"""The JSON API: a Flask blueprint beside the Dash app, reading numbers from the service.

Parameters are read through the view registry (view/), the same definitions as the page's
links, so bad input is a 400 naming the parameter (or a 404 for an unknown dataset or
variable), never a 500. The document at /api/v1/openapi.json (openapi.py) describes exactly
what these routes accept and return.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from .data.store import Dataset
from .domain.codebook import Codebook, Variable, codebook_to_json
from .domain.errors import BarometerError, CodebookError, DatasetNotFound, QueryError, VariableNotFound
from .i18n import LANGUAGES, translate
from .limits import MAX_QUERY_VARIABLES, clip, quoted
from .openapi import openapi_document
from .render.formats import FORMATS, context_for, file_name
from .render.image import ImageUnavailable
from .render.print_layout import image_filename
from .render.tabbook import tabbook_xlsx
from .service import Service
from .settings import Config
from .tabbook import tabbook_tables
from .view import ParamError, View
from .view.links import page_query, parse_api

log = logging.getLogger(__name__)

# The service names parameters as the page's URL does; the API's names differ.
SERVICE_PARAMS = {"q": "row", "by": "col", "pct": "percent"}


class ApiError(Exception):
    """A request the API refuses: the HTTP status, the parameter at fault, and why."""

    def __init__(self, status: int, parameter: str | None, message: str):
        super().__init__(message)
        self.status = status
        self.parameter = parameter
        self.message = message


def _error(status: int, parameter: str | None, message: str) -> tuple[Response, int]:
    # Messages quote input through `quoted`; `clip` is the last guard against echoing it whole.
    return jsonify({"error": {"parameter": parameter and clip(parameter, 60), "message": clip(message)}}), status


# --- parameters --------------------------------------------------------------------------


def _lang(args: MultiDict[str, str]) -> str:
    values = args.getlist("lang")
    if len(values) > 1:
        raise ApiError(400, "lang", "give this parameter once")
    if values and values[0] not in LANGUAGES:
        raise ApiError(400, "lang", f"use one of {', '.join(LANGUAGES)}")
    return values[0] if values else "en"


def _only(args: MultiDict[str, str], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise ApiError(400, unknown[0], f"unknown parameter {quoted(unknown[0])}; this endpoint takes "
                       f"{', '.join(allowed) or 'no parameters'}")


def parse_crosstab(args: MultiDict[str, str], cb: Codebook) -> View:
    """The view a crosstab request asks for; `ApiError` if it is not valid."""
    try:
        return parse_api(args.items(multi=True), cb)
    except ParamError as exc:
        status = 404 if "has no variable" in exc.problem else 400
        raise ApiError(status, exc.name, exc.problem) from None


# --- JSON shapes -------------------------------------------------------------------------


def dataset_summary(ds: Dataset, lang: str = "en") -> dict[str, Any]:
    info = ds.codebook.dataset
    return {
        "id": info.id,
        "title": info.title.get(lang),
        "titles": info.title.to_json(),
        "citation": info.citation.get(lang),
        "citations": info.citation.to_json(),
        "license": info.license,
        "synthetic": info.synthetic,
        "respondents": ds.n,
        "variables": len(ds.codebook.variables),
        "questions": len(ds.codebook.questions),
        "version": ds.version,
        "url": f"/api/v1/datasets/{info.id}",
    }


def _variable_json(var: Variable, cb: Codebook, lang: str, questions: set[str], breakdowns: set[str]) -> dict[str, Any]:
    roles = {cb.dataset.country: "country", cb.dataset.wave: "wave"}
    return {
        "name": var.name,
        "label": var.label.get(lang),
        "short": (var.short or var.label).get(lang),
        "kind": var.kind,
        "topic": var.topic or None,
        "role": roles.get(var.name),
        "question": var.name in questions,
        "breakdown": var.name in breakdowns,
        "values": [
            {"code": v.code, "key": v.url_key, "label": v.label.get(lang), "missing": v.code in var.missing}
            for v in var.values
        ],
        "missing": sorted(var.missing),
        "columns": list(var.columns),
        "asked_in": None if var.asked_in is None else [{"country": c, "wave": w} for c, w in var.asked_in],
        "notes": var.notes.get(lang) if var.notes else None,
    }


def dataset_detail(ds: Dataset, lang: str) -> dict[str, Any]:
    cb = ds.codebook
    info = cb.dataset
    questions = {v.name for v in cb.questions}
    breakdowns = {v.name for v in cb.breakdowns}
    summary = dataset_summary(ds, lang)
    summary.update({
        "source": info.source.get(lang),
        "description": info.description.get(lang) if info.description else None,
        "weight": info.weight, "strata": info.strata, "psu": info.psu,
        "country": info.country, "wave": info.wave,
    })
    return {
        "dataset": summary,
        "lang": lang,
        "topics": [{"id": t.id, "label": t.label.get(lang)} for t in cb.topics],
        # The sets are built once: a scan of cb.questions per variable was quadratic.
        "variables": [_variable_json(v, cb, lang, questions, breakdowns) for v in cb.variables],
        "codebook": codebook_to_json(cb),
    }


# --- routes ------------------------------------------------------------------------------


def _dataset(service: Service, dataset_id: str) -> Dataset:
    try:
        return service.store.get(dataset_id)
    except DatasetNotFound:
        raise ApiError(404, "id", f"no dataset {quoted(dataset_id)}") from None
    except CodebookError as exc:
        # One line, not a traceback: `barometer validate` and /healthz say more.
        log.warning("dataset %s does not load: %s", dataset_id, exc)
        raise ApiError(404, "id", f"dataset '{dataset_id}' is not available") from None


def _service_error(exc: BarometerError) -> ApiError:
    if isinstance(exc, QueryError):
        param = "filter" if exc.param.startswith("f.") else SERVICE_PARAMS.get(exc.param, exc.param)
        return ApiError(400, param, exc.problem)
    if isinstance(exc, VariableNotFound):
        return ApiError(404, None, str(exc))
    if isinstance(exc, DatasetNotFound):
        return ApiError(404, "id", str(exc))
    return ApiError(400, None, str(exc))


def make_blueprint(service: Service, config: Config) -> Blueprint:
    bp = Blueprint("api", __name__, url_prefix="/api/v1")

    @bp.errorhandler(ApiError)
    def api_error(exc: ApiError) -> tuple[Response, int]:
        return _error(exc.status, exc.parameter, exc.message)

    @bp.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response, int]:
        if isinstance(exc, HTTPException):
            return _error(exc.code or 500, None, exc.description or exc.name)
        log.exception("API error on %s", request.full_path)
        return _error(500, None, "internal error")

    @bp.get("/datasets")
    def datasets() -> Any:
        _only(request.args, ("lang",))
        lang = _lang(request.args)
        return jsonify({"datasets": [dataset_summary(d, lang) for d in service.store.available()]})

    @bp.get("/datasets/<dataset_id>")
    def dataset(dataset_id: str) -> Any:
        _only(request.args, ("lang",))
        lang = _lang(request.args)
        return jsonify(dataset_detail(_dataset(service, dataset_id), lang))

    @bp.get("/datasets/<dataset_id>/tabbook")
    def tabbook(dataset_id: str) -> Any:
        """Every question against a banner (`col`, repeatable) as one workbook, as `barometer tabbook`."""
        ds = _dataset(service, dataset_id)
        _only(request.args, ("col", "col2", "filter", "question", "lang"))
        lang = _lang(request.args)
        banner = request.args.getlist("col")
        if not banner:
            raise ApiError(400, "col", "required: the banner variable(s) across the columns")
        if len(banner) + len(request.args.getlist("filter")) > MAX_QUERY_VARIABLES:
            raise ApiError(400, "col", f"the limit is {MAX_QUERY_VARIABLES} variables")
        try:
            book = tabbook_tables(service, ds.id, banner, questions=request.args.getlist("question") or None,
                                  filters=request.args.getlist("filter"), lang=lang,
                                  by2=request.args.get("col2"))
        except BarometerError as exc:
            raise _service_error(exc) from None
        name = f"{ds.id}_tabbook_by_{'_'.join(banner)}" + (f"_within_{request.args['col2']}" if request.args.get(
            "col2") else "") + ".xlsx"
        return Response(tabbook_xlsx(book), content_type=FORMATS["xlsx"].media_type,
                        headers={"Content-Disposition": f'attachment; filename="{quoted(name, 120)[1:-1]}"'})

    @bp.get("/datasets/<dataset_id>/crosstab")
    def crosstab(dataset_id: str) -> Any:
        ds = _dataset(service, dataset_id)
        cb = ds.codebook
        view = parse_crosstab(request.args, cb)
        try:
            xt = service.crosstab(view.query(), view.lang, view.comparison(cb))
        except BarometerError as exc:
            raise _service_error(exc) from None
        fmt = FORMATS[view.fmt]
        link = request.host_url.rstrip("/") + "/" + page_query(
            view, cb, default_lang=config.default_lang, default_ds=config.default_dataset)
        try:
            body = fmt.write(xt, context_for(cb, link=link, date=date.today().isoformat(), size=view.size,
                                             intervals=view.ci))
        except ImageUnavailable as exc:
            # Images need the system's Chromium; everything else works without it.
            raise ApiError(503, "format", translate("image.unavailable", view.lang, problem=exc.problem)) from None
        disposition = "attachment" if fmt.attachment else "inline"
        name = (image_filename(xt, view.size, fmt.extension, cb, intervals=view.ci) if fmt.image
                else file_name(xt, cb, fmt.extension))
        return Response(body, content_type=fmt.media_type, headers={
            "Content-Disposition": f'{disposition}; filename="{name}"'})

    @bp.get("")
    @bp.get("/")
    @bp.get("/<path:rest>")
    def unknown(rest: str = "") -> Any:
        # Without this, the page's catch-all route would answer unknown API URLs with HTML.
        return _error(404, None, f"no such API endpoint: {quoted('/api/v1/' + rest)}; "
                                 "start at /api/v1/datasets or /api/v1/openapi.json")

    @bp.get("/openapi.json")
    def openapi() -> Any:
        _only(request.args, ())
        return jsonify(openapi_document(service.store.available()))

    return bp
