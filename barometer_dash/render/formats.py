"""The export-format registry: one entry per downloadable format (as datasette keeps renderers).

Each entry gives the format's name, media type, file extension and writer. The API's `format`
parameter, the OpenAPI document and the page's download links are all read from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..domain.codebook import Codebook
from ..domain.crosstab import CrossTab
from .cite import Citation, cite
from .export import XLSX_MIME, crosstab_csv, crosstab_xlsx
from .image import SIZES, ImageFormat, figure_image
from .json_export import crosstab_json
from .print_layout import print_figure


@dataclass(frozen=True)
class ExportContext:
    """What a file says about where its numbers come from, beyond the table itself."""

    license: str = ""
    design: tuple[tuple[str, str], ...] = ()  # ("weight", column), ("strata", ...), ("psu", ...)
    link: str = ""  # the view's page link
    date: str = ""  # ISO date the file was made
    size: str = "article"  # of a chart image
    intervals: bool = False  # a chart image draws confidence intervals, as the page's chart does


def context_for(cb: Codebook, link: str = "", date: str = "", size: str = "article",
                intervals: bool = False) -> ExportContext:
    info = cb.dataset
    design = tuple((role, name) for role, name in (("weight", info.weight), ("strata", info.strata),
                                                    ("psu", info.psu)) if name)
    return ExportContext(license=info.license, design=design, link=link, date=date, size=size,
                         intervals=intervals)


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    write: Callable[[CrossTab, ExportContext], bytes]
    label_key: str  # catalog key of the download link's text
    attachment: bool = True  # downloaded as a file rather than shown
    image: bool = False  # a chart image (made with the system's Chromium; sized by `size`)


def _json_bytes(xt: CrossTab, context: ExportContext) -> bytes:
    return json.dumps(crosstab_json(xt, context), ensure_ascii=False, allow_nan=False).encode("utf-8")


def _image(fmt: ImageFormat) -> Callable[[CrossTab, ExportContext], bytes]:
    def write(xt: CrossTab, context: ExportContext) -> bytes:
        size = SIZES[context.size]
        figure = print_figure(xt, context.size, context.link, intervals=context.intervals)
        return figure_image(figure, fmt, size.width, size.height)

    return write


def citation(xt: CrossTab, context: ExportContext) -> Citation:
    accessed = date.fromisoformat(context.date) if context.date else date.today()
    return cite(xt, context.link, accessed)


def _bibtex(xt: CrossTab, context: ExportContext) -> bytes:
    return citation(xt, context).bibtex.encode("utf-8")


def _ris(xt: CrossTab, context: ExportContext) -> bytes:
    return citation(xt, context).ris.encode("utf-8")


FORMATS: dict[str, Format] = {
    "json": Format("json", "application/json", "json", _json_bytes, "download.json", attachment=False),
    "csv": Format("csv", "text/csv; charset=utf-8", "csv", crosstab_csv, "download.csv"),
    "xlsx": Format("xlsx", XLSX_MIME, "xlsx", crosstab_xlsx, "download.xlsx"),
    "png": Format("png", "image/png", "png", _image("png"), "download.png", image=True),
    "svg": Format("svg", "image/svg+xml", "svg", _image("svg"), "download.svg", image=True),
    "bib": Format("bib", "application/x-bibtex; charset=utf-8", "bib", _bibtex, "cite.bibtex"),
    "ris": Format("ris", "application/x-research-info-systems; charset=utf-8", "ris", _ris, "cite.ris"),
}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def file_name(xt: CrossTab, cb: Codebook | None, extension: str, *, suffix: str = "") -> str:
    """The view in the name: `<dataset>_<question>[_by_<breakdown>][_<filter>-<keys>...][_<base>]`,
    safe ASCII, so two downloads of different views never overwrite each other."""
    q = xt.query
    parts = [q.dataset, q.row] + (["by", q.col] if q.col else [])
    for name, codes in q.filters:
        var = cb.by_name.get(name) if cb is not None else None
        keys = [var.value(c).url_key if var and c in var.codes else str(c) for c in codes]
        parts.append(f"{name}-{'-'.join(keys)}")
    if q.percent != "column":
        parts.append(f"{q.percent}-pct")
    if q.include_missing:
        parts.append("with-missing")
    if abs(q.level - 0.95) > 1e-9:
        parts.append(f"level-{round(q.level * 100)}")
    if suffix:
        parts.append(suffix)
    stem = _slug("_".join(parts)) or "crosstab"
    if len(stem) > 150:  # many filters: keep the name short and still unique
        import hashlib

        stem = stem[:130] + "-" + hashlib.sha256(stem.encode()).hexdigest()[:12]
    return f"{stem}.{extension}"
