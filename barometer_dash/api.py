"""The JSON API: a Flask blueprint beside the Dash app, reading numbers from the service.

Every parameter is checked here before the service is called, so bad input is a 400 naming
the parameter (or a 404 for an unknown dataset or variable), never a 500. The document at
/api/v1/openapi.json (openapi.py) describes exactly what these routes accept and return.
"""

from __future__ import annotations

import logging
import math
from typing import Any, cast

from flask import Blueprint, Response, jsonify, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from .data.store import Dataset
from .domain.codebook import Codebook, Variable, codebook_to_json
from .domain.crosstab import CrossTab
from .domain.errors import BarometerError, CodebookError, DatasetNotFound, QueryError, VariableNotFound
from .domain.query import PERCENTS, Percent, Query
from .i18n import LANGUAGES, translate
from .limits import MAX_FILTER_CODES, MAX_QUERY_VARIABLES, clip, quoted
from .openapi import openapi_document
from .render.export import XLSX_MIME, crosstab_csv, crosstab_xlsx, export_filename, suppressed_reason
from .service import Service
from .settings import Config

log = logging.getLogger(__name__)

CROSSTAB_PARAMS = ("row", "col", "filter", "percent", "missing", "lang", "format")
MISSING = ("exclude", "include")
FORMATS = ("json", "csv", "xlsx")
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


def _num(x: float | None) -> float | None:
    return x if x is None or math.isfinite(x) else None


# --- parameters --------------------------------------------------------------------------


def _one(args: MultiDict[str, str], name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, name, "give this parameter once")
    return values[0] if values else None


def _choice(args: MultiDict[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = _one(args, name)
    if value is None:
        return default
    if value not in choices:
        raise ApiError(400, name, f"use one of {', '.join(choices)}")
    return value


def _lang(args: MultiDict[str, str]) -> str:
    return _choice(args, "lang", tuple(LANGUAGES), "en")


def _only(args: MultiDict[str, str], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise ApiError(400, unknown[0], f"unknown parameter {quoted(unknown[0])}; this endpoint takes "
                       f"{', '.join(allowed) or 'no parameters'}")


def _variable(cb: Codebook, name: str, parameter: str) -> Variable:
    var = cb.by_name.get(name)
    if var is None:
        raise ApiError(404, parameter, f"dataset '{cb.dataset.id}' has no variable {quoted(name)}")
    return var


def _filters(args: MultiDict[str, str], cb: Codebook) -> tuple[tuple[str, tuple[int, ...]], ...]:
    chosen: dict[str, set[int]] = {}
    raws = args.getlist("filter")
    if len(raws) > MAX_QUERY_VARIABLES:
        raise ApiError(400, "filter", f"too many filters ({len(raws)}); the limit is {MAX_QUERY_VARIABLES} variables")
    n_codes = 0
    for raw in raws:
        name, sep, codes_text = raw.partition(":")
        if not sep or not name:
            raise ApiError(400, "filter", f"{quoted(raw)}: write VARIABLE:code,code")
        var = _variable(cb, name, "filter")
        if var.kind == "multi" or not var.values:
            raise ApiError(400, "filter", f"{quoted(name)} cannot filter a table (it has no single answer codes)")
        keys = [k.strip() for k in codes_text.split(",") if k.strip()]
        if not keys:
            raise ApiError(400, "filter", f"{quoted(raw)}: list at least one code after the colon")
        n_codes += len(keys)
        if n_codes > MAX_FILTER_CODES:
            raise ApiError(400, "filter", f"too many filter codes; the limit is {MAX_FILTER_CODES} in all")
        for key in keys:
            code = var.code_for_key(key)
            if code is None:
                raise ApiError(400, "filter", f"{quoted(name)} has no code {quoted(key)}")
            chosen.setdefault(name, set()).add(code)
    return tuple(sorted((name, tuple(sorted(codes))) for name, codes in chosen.items()))


def parse_crosstab(args: MultiDict[str, str], cb: Codebook) -> tuple[Query, str, str]:
    """The query, language and format a crosstab request asks for; `ApiError` if it is not valid."""
    _only(args, CROSSTAB_PARAMS)
    lang = _lang(args)
    fmt = _choice(args, "format", FORMATS, "json")
    percent = cast(Percent, _choice(args, "percent", PERCENTS, "column"))
    include_missing = _choice(args, "missing", MISSING, "exclude") == "include"
    row = _one(args, "row")
    if not row:
        raise ApiError(400, "row", "required: the name of the variable to tabulate")
    rvar = _variable(cb, row, "row")
    codes = [v for v in rvar.values if include_missing or v.code not in rvar.missing]
    if not codes:
        raise ApiError(400, "row", f"'{row}' has no answer categories to tabulate")
    col = _one(args, "col")
    if col is not None:
        if not col:
            raise ApiError(400, "col", "leave the parameter out for no breakdown")
        cvar = _variable(cb, col, "col")
        if cvar.kind == "multi" or not cvar.valid_values:
            raise ApiError(400, "col", f"'{col}' cannot split a table (it has no single answer codes)")
        if cvar.name == rvar.name:
            raise ApiError(400, "col", "the breakdown must differ from the row variable")
    filters = _filters(args, cb)
    named = {row, col, *(name for name, _ in filters)} - {None}
    if len(named) > MAX_QUERY_VARIABLES:
        raise ApiError(400, "filter", f"the query names {len(named)} variables; the limit is {MAX_QUERY_VARIABLES}")
    query = Query(dataset=cb.dataset.id, row=row, col=col, filters=filters, percent=percent,
                  include_missing=include_missing)
    return query, lang, fmt


# --- JSON shapes -------------------------------------------------------------------------


def dataset_summary(ds: Dataset, lang: str = "en") -> dict[str, Any]:
    info = ds.codebook.dataset
    return {
        "id": info.id,
        "title": info.title.get(lang),
        "titles": info.title.to_json(),
        "citation": info.citation,
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


def crosstab_json(xt: CrossTab, ds: Dataset) -> dict[str, Any]:
    """The table as JSON: the service's numbers, suppressed cells empty with the reason."""
    info = ds.codebook.dataset
    q = xt.query
    reason = suppressed_reason(xt)
    cells = []
    for i, r in enumerate(xt.rows):
        for j, c in enumerate(xt.cols):
            cell = xt.cell(i, j)
            hide = cell.suppressed
            cells.append({
                "row": cell.row, "col": cell.col, "row_label": r.label, "col_label": c.label,
                "n": None if hide else cell.n, "weighted": None if hide else _num(cell.weighted),
                "percent": _num(cell.percent), "se": _num(cell.se), "ci_low": _num(cell.ci_low),
                "ci_high": _num(cell.ci_high), "deff": _num(cell.deff), "sig": cell.sig,
                "suppressed": hide, "reason": reason if hide else None,
            })
    test = None
    if xt.test is not None and all(math.isfinite(x) for x in (xt.test.statistic, xt.test.df1, xt.test.df2, xt.test.p)):
        test = {"statistic": xt.test.statistic, "df1": xt.test.df1, "df2": xt.test.df2, "p": xt.test.p}
    return {
        "dataset": {"id": info.id, "title": xt.dataset_title, "citation": xt.citation, "license": info.license,
                    "synthetic": xt.synthetic, "version": xt.version},
        "query": {"row": q.row, "col": q.col, "filters": [{"variable": n, "codes": list(c)} for n, c in q.filters],
                  "percent": q.percent, "missing": "include" if q.include_missing else "exclude",
                  "lang": xt.lang, "level": xt.level},
        "question": {"name": xt.row_name, "label": xt.question, "short": xt.question_short, "kind": xt.kind},
        "breakdown": {"name": xt.col_name, "label": xt.col_title} if xt.col_name else None,
        "rows": [{"code": r.code, "key": r.key, "label": r.label, "missing": r.missing} for r in xt.rows],
        "cols": [{"code": c.code, "key": c.key, "label": c.label} for c in xt.cols],
        "cells": cells,
        "bases": [{"col": b.col, "col_label": c.label, "n": b.n, "weighted": _num(b.weighted),
                   "suppressed": b.suppressed, "flagged": b.flagged} for b, c in zip(xt.bases, xt.cols, strict=True)],
        "means": None if xt.means is None else [_num(m) for m in xt.means],
        "test": test,
        "df": xt.df,
        "level": xt.level,
        "rules": {"min_base": xt.min_base, "flag_base": xt.flag_base, "suppressed": reason,
                  "flagged": translate("table.flagged_title", xt.lang, flag=xt.flag_base)},
        "filters": [{"variable": name, "labels": labels} for name, labels in xt.filters],
        "notes": list(xt.notes),
        "notice": (translate("synthetic.title", xt.lang) + " " + translate("synthetic.body", xt.lang))
        if xt.synthetic else None,
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

    @bp.get("/datasets/<dataset_id>/crosstab")
    def crosstab(dataset_id: str) -> Any:
        ds = _dataset(service, dataset_id)
        query, lang, fmt = parse_crosstab(request.args, ds.codebook)
        try:
            xt = service.crosstab(query, lang)
        except BarometerError as exc:
            raise _service_error(exc) from None
        if fmt == "json":
            return jsonify(crosstab_json(xt, ds))
        license = ds.codebook.dataset.license
        body, mime = (crosstab_csv(xt, license=license), "text/csv; charset=utf-8") if fmt == "csv" \
            else (crosstab_xlsx(xt, license=license), XLSX_MIME)
        return Response(body, content_type=mime,
                        headers={"Content-Disposition": f'attachment; filename="{export_filename(xt, fmt)}"'})

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
