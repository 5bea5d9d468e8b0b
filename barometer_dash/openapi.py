"""The OpenAPI 3.1 description of /api/v1, as a Python dict served at /api/v1/openapi.json.

The schemas are strict (required fields, no extra fields) so that a schema-driven test run can
check every response the API gives. Examples come from the datasets being served, so the
document shows calls that work on this server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .data.store import Dataset
from .domain.query import PERCENTS
from .i18n import LANGUAGES
from .limits import MAX_BODY_BYTES, MAX_FILTER_CODES, MAX_QUERY_VARIABLES, MAX_URL_LENGTH
from .render.formats import FORMATS
from .view import REGISTRY

NAME_PATTERN = r"^[^,:/?#&=\"'<> ]+$"


CELL_REQUIRED = ["row", "col", "row_label", "col_label", "n", "weighted", "percent", "se", "ci_low", "ci_high",
                 "deff", "sig", "suppressed", "reason"]


def _obj(properties: dict[str, Any], required: Sequence[str] | None = None) -> dict[str, Any]:
    """An object schema with every property required unless listed otherwise, nothing extra."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
OPT_STR = {"type": ["string", "null"]}
OPT_INT = {"type": ["integer", "null"]}
OPT_NUM = {"type": ["number", "null"]}
TEXT = {"type": "object", "additionalProperties": STR, "description": "Text by language code (en, sq, sr)."}

SCHEMAS: dict[str, Any] = {
    "Error": _obj({"error": _obj({
        "parameter": {**OPT_STR, "description": "The request parameter at fault, when there is one."},
        "message": STR,
    })}),
    "DatasetSummary": _obj({
        "id": STR, "title": STR, "titles": TEXT, "citation": STR, "citations": TEXT, "license": STR, "synthetic": BOOL,
        "respondents": {"type": "integer", "minimum": 1}, "variables": {"type": "integer", "minimum": 1},
        "questions": {"type": "integer", "minimum": 0}, "version": STR, "url": STR,
    }),
    "DatasetList": _obj({"datasets": {"type": "array", "items": _ref("DatasetSummary")}}),
    "Value": _obj({"code": INT, "key": STR, "label": STR, "missing": BOOL}),
    "Variable": _obj({
        "name": STR, "label": STR, "short": STR,
        "kind": {"enum": ["single", "multi", "numeric", "demographic"]},
        "topic": OPT_STR, "role": {"enum": ["country", "wave", None]},
        "question": {**BOOL, "description": "Can be the row variable of a table."},
        "breakdown": {**BOOL, "description": "Can be the column variable or a filter."},
        "values": {"type": "array", "items": _ref("Value")},
        "missing": {"type": "array", "items": INT},
        "columns": {"type": "array", "items": STR, "description": "A multiple-response set's 0/1 columns."},
        "asked_in": {"type": ["array", "null"], "items": _obj({"country": INT, "wave": INT})},
        "notes": OPT_STR,
    }),
    "DatasetDetail": _obj({
        "dataset": _obj({
            "id": STR, "title": STR, "titles": TEXT, "citation": STR, "citations": TEXT, "license": STR,
            "synthetic": BOOL,
            "respondents": INT, "variables": INT, "questions": INT, "version": STR, "url": STR,
            "source": STR, "description": OPT_STR, "weight": OPT_STR, "strata": OPT_STR, "psu": OPT_STR,
            "country": OPT_STR, "wave": OPT_STR,
        }),
        "lang": {"enum": list(LANGUAGES)},
        "topics": {"type": "array", "items": _obj({"id": STR, "label": STR})},
        "variables": {"type": "array", "items": _ref("Variable")},
        "codebook": {
            "type": "object", "required": ["dataset", "variables"],
            "description": "The codebook JSON with every language (format in docs/codebook.md).",
        },
    }),
    "Cell": _obj({
        "row": {"type": ["integer", "string"], "description": "The answer's code, or a net's key."},
        "col": {**OPT_INT, "description": "Code of the column; null for the Total column."},
        "group": {**OPT_INT, "description": "With `col2`: the outer category's code; null for the overall Total."},
        "row_label": STR, "col_label": STR,
        "n": {**OPT_INT, "description": "Unweighted respondents in the cell; null when suppressed."},
        "weighted": OPT_NUM,
        "percent": {**OPT_NUM, "description": "Weighted percentage; null when suppressed."},
        "se": OPT_NUM, "ci_low": OPT_NUM, "ci_high": OPT_NUM, "deff": OPT_NUM,
        "sig": {"enum": [-1, 0, 1], "description": "Significantly below (-1) or above (1) the other columns."},
        "suppressed": BOOL, "reason": OPT_STR,
    }, required=CELL_REQUIRED),
    "Base": _obj({
        "col": OPT_INT, "group": OPT_INT, "col_label": STR, "n": {"type": "integer", "minimum": 0}, "weighted": OPT_NUM,
        "suppressed": BOOL, "flagged": BOOL,
        "secondary": {**BOOL, "description": "Hidden though large enough, so that a smaller hidden column "
                                              "cannot be worked out from the Total and the others."},
    }, required=["col", "col_label", "n", "weighted", "suppressed", "flagged", "secondary"]),
    "Test": _obj({"statistic": NUM, "df1": NUM, "df2": NUM, "p": {"type": "number", "minimum": 0, "maximum": 1}}),
    "CrossTab": _obj({
        "dataset": _obj({"id": STR, "title": STR, "citation": STR, "license": STR, "synthetic": BOOL, "version": STR}),
        "query": _obj({
            "row": STR, "col": OPT_STR, "col2": STR,
            "filters": {"type": "array", "items": _obj({"variable": STR, "codes": {"type": "array", "items": INT}})},
            "percent": {"enum": list(PERCENTS)}, "missing": {"enum": ["exclude", "include"]},
            "lang": {"enum": list(LANGUAGES)}, "level": NUM,
        }, required=["row", "col", "filters", "percent", "missing", "lang", "level"]),
        "question": _obj({"name": STR, "label": STR, "short": STR, "kind": STR}),
        "breakdown": {"oneOf": [{"type": "null"}, _obj({"name": STR, "label": STR})]},
        "breakdown2": {**_obj({"name": STR, "label": STR}),
                       "description": "With `col2`: the second breakdown, nested in each category of the first."},
        "group_tests": {"type": "array", "items": _obj({"group": INT, "label": STR,
                                                         "test": {"oneOf": [{"type": "null"}, _ref("Test")]}}),
                        "description": "With `col2`: each outer category's test of the question by `col2`."},
        "rows": {"type": "array", "items": _obj({
            "code": {**OPT_INT, "description": "The answer's code; null for a net."}, "key": STR, "label": STR,
            "missing": BOOL, "net": {**BOOL, "description": "Answers reported together, after the answers."}})},
        "cols": {"type": "array", "minItems": 1, "items": _obj({
            "code": OPT_INT, "key": STR, "label": STR, "group": OPT_INT, "group_label": STR, "short": STR},
            required=["code", "key", "label"])},
        "cells": {"type": "array", "items": _ref("Cell"), "description": "Row-major: rows x cols."},
        "bases": {"type": "array", "items": _ref("Base"), "description": "One per column, Total first."},
        "means": {"type": ["array", "null"], "items": OPT_NUM},
        "mean_ci": {"type": ["array", "null"], "items": {"oneOf": [{"type": "null"}, _obj({
            "low": OPT_NUM, "high": OPT_NUM, "sig": {"enum": [-1, 0, 1]}})]},
            "description": "Numeric questions: each mean's interval, and whether it is significantly below (-1) "
                           "or above (1) the other columns' mean."},
        "test": {"oneOf": [{"type": "null"}, _ref("Test")],
                 "description": "Rao-Scott second-order corrected chi-square (F form); null without a breakdown."},
        "change": {"oneOf": [{"type": "null"}, _obj({
            "variable": STR, "answer": {"type": ["integer", "string"],
                                        "description": "An answer's code, a net's key, or `mean`."},
            "mean": {**BOOL, "description": "A numeric question's means: a_percent and b_percent are means."},
            "a": INT, "b": INT, "a_percent": NUM, "b_percent": NUM,
            "estimate": NUM, "se": NUM, "ci_low": NUM, "ci_high": NUM, "p": NUM, "significant": BOOL,
            "sentence": OPT_STR})],
            "description": "The comparison the page shows under the table (`cmp`, or its default)."},
        "df": INT, "level": NUM,
        "rules": _obj({"min_base": INT, "flag_base": INT, "suppressed": STR, "flagged": STR}),
        "filters": {"type": "array", "items": _obj({"variable": STR, "labels": STR})},
        "notes": {"type": "array", "items": STR},
        "protection": {"type": "array", "items": {"enum": ["secondary", "perturbed"]},
                       "description": "Disclosure rules applied to this table (see the README)."},
        "cite": {**_obj({"text": STR, "bibtex": STR, "ris": STR}),
                 "description": "How to cite this view: as text in the request's language, BibTeX and RIS."},
        "design": {"type": "object", "additionalProperties": STR,
                   "description": "The weight, strata and PSU columns used."},
        "link": {**OPT_STR, "description": "The page showing this view."},
        "retrieved": {**OPT_STR, "description": "The date the numbers were served (ISO 8601)."},
        "notice": {**OPT_STR, "description": "The warning shown with synthetic data."},
    }),
}


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(schema)}}

# Present only with a second breakdown (`col2`).
SCHEMAS["CrossTab"]["required"] = [k for k in SCHEMAS["CrossTab"]["required"] if k not in ("breakdown2", "group_tests")]


def _error_response(text: str) -> dict[str, Any]:
    return {"description": text, "content": _json("Error")}


LANG = {"name": "lang", "in": "query", "required": False, "schema": {"enum": list(LANGUAGES), "default": "en"},
        "description": "Language of labels and wording (missing translations fall back to English)."}


def _crosstab_params(row: str | None, col: str | None, rows: list[str], cols: list[str]) -> list[dict[str, Any]]:
    """The crosstab endpoint's query parameters, one per API entry of the view registry."""

    def name(example: str | None, names: list[str]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": NAME_PATTERN}
        if names:
            schema = {"type": "string", "enum": names}
        return {**schema, "example": example} if example else schema

    out: list[dict[str, Any]] = []
    for p in REGISTRY:
        if p.api is None:
            continue
        entry: dict[str, Any] = {"name": p.api, "in": "query", "required": p.field == "q", "description": p.help}
        if p.field == "q":
            entry["schema"] = name(row, rows)
        elif p.field == "by":
            entry["schema"] = name(col, cols)
        elif p.field == "filters":
            entry.update(style="form", explode=True, schema={
                "type": "array", "items": {"type": "string", "pattern": r"^[^:]+:.*[^ ,].*$"}})
            entry["description"] = "VARIABLE:code,code (codes or value keys); repeat for several variables. " + p.help
        elif p.field == "cmp":
            entry["schema"] = {"type": "string", "pattern": r"^[^,]+,[^,]+,[^,]+$"}
        elif p.choices is not None:
            entry["schema"] = {"enum": p.choices(None)}
            if p.api_default_text is not None:
                entry["schema"]["default"] = p.api_default_text
        else:
            entry["schema"] = {"type": "string", "minLength": 1, "maxLength": 64}
        out.append(entry)
    return out


def openapi_document(datasets: Sequence[Dataset] = ()) -> dict[str, Any]:
    """The OpenAPI document; examples are taken from the first dataset served, if any."""
    example_id = row = col = None
    if datasets:
        cb = datasets[0].codebook
        example_id = cb.dataset.id
        row = cb.questions[0].name if cb.questions else None
        col = next((v.name for v in cb.breakdowns if v.name != row), None)
    # What this server accepts: ids of its datasets, names of variables that can be tabulated.
    ids = sorted(d.id for d in datasets)
    rows = sorted({v.name for d in datasets for v in d.codebook.variables if v.values})
    cols = sorted({v.name for d in datasets for v in d.codebook.variables if v.kind != "multi" and v.valid_values})
    id_schema: dict[str, Any] = {"type": "string", "enum": ids} if ids else {"type": "string"}
    dataset_id: dict[str, Any] = {"name": "dataset_id", "in": "path", "required": True, "schema": id_schema,
                                  "description": "A dataset id, as listed by /api/v1/datasets."}
    if example_id:
        dataset_id["schema"]["example"] = example_id
    not_found = _error_response("No such dataset, or no such variable (the error names the parameter).")
    bad = _error_response(f"A parameter is not valid (the error names it), or a limit is passed: at most "
                          f"{MAX_QUERY_VARIABLES} variables and {MAX_FILTER_CODES} filter codes per query.")
    # Every route refuses an over-long URL or an oversized body before reading it.
    limits = {"413": _error_response(f"The request body is larger than {MAX_BODY_BYTES:,} bytes."),
              "414": _error_response(f"The URL is longer than {MAX_URL_LENGTH:,} characters.")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Barometer Dash API",
            "version": "1.0.0",
            "description": "Weighted cross-tabulations of survey data with design-based standard errors, "
                           "confidence intervals and Rao-Scott tests: the same numbers as the web page.",
        },
        "paths": {
            "/api/v1/datasets": {"get": {
                "operationId": "listDatasets", "summary": "The datasets served",
                "parameters": [LANG],
                "responses": {"200": {"description": "Datasets", "content": _json("DatasetList")}, "400": bad,
                              **limits},
            }},
            "/api/v1/datasets/{dataset_id}": {"get": {
                "operationId": "getDataset", "summary": "A dataset's codebook: variables, wording, codes",
                "parameters": [dataset_id, LANG],
                "responses": {"200": {"description": "The codebook", "content": _json("DatasetDetail")},
                              "400": bad, "404": not_found, **limits},
            }},
            "/api/v1/datasets/{dataset_id}/crosstab": {"get": {
                "operationId": "crosstab", "summary": "A weighted cross-tab, as JSON, CSV or XLSX",
                "parameters": [dataset_id, *_crosstab_params(row, col, rows, cols)],
                "responses": {
                    "200": {"description": "The table", "content": {
                        f.media_type.split(";")[0]: {"schema": _ref("CrossTab")} if f.name == "json"
                        else {"schema": {"type": "string", "format": "binary"}} for f in FORMATS.values()
                    }},
                    "400": bad,
                    "404": not_found,
                    "503": _error_response("A chart image was asked for and this server cannot make images "
                                           "(the message names what to install)."),
                    **limits,
                },
            }},
            "/api/v1/datasets/{dataset_id}/tabbook": {"get": {
                "operationId": "tabbook", "summary": "Every question against a banner, as one Excel workbook",
                "parameters": [
                    dataset_id,
                    {"name": "col", "in": "query", "required": True, "style": "form", "explode": True,
                     "schema": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                     "description": "Banner variables, side by side after the Total column."},
                    {"name": "col2", "in": "query", "required": False,
                     "schema": {"type": "string", "minLength": 1},
                     "description": "A second breakdown nested in each banner variable (gender within each "
                                    "country)."},
                    {"name": "filter", "in": "query", "required": False, "style": "form", "explode": True,
                     "schema": {"type": "array", "items": {"type": "string", "pattern": r"^[^:]+:.*[^ ,].*$"}},
                     "description": "VARIABLE:code,code, as for the crosstab."},
                    {"name": "question", "in": "query", "required": False, "style": "form", "explode": True,
                     "schema": {"type": "array", "items": {"type": "string", "minLength": 1}},
                     "description": "Questions (or topic:NAME) in this order; default every question."},
                    LANG,
                ],
                "responses": {"200": {"description": "The workbook", "content": {
                    FORMATS["xlsx"].media_type: {"schema": {"type": "string", "format": "binary"}}}},
                    "400": bad, "404": not_found, **limits},
            }},
            "/api/v1/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["openapi", "paths"]}}}},
                    "400": bad, **limits},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }
