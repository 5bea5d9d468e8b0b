"""CrossTab -> CSV and XLSX bytes: the page's numbers with everything needed to quote them.

Both files carry the question wording, filters, bases, test, citation and, for synthetic
data, the warning. A suppressed cell is left empty with the reason beside it, so a suppressed
estimate cannot be recovered from any export.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font

from ..domain.crosstab import CrossTab
from ..i18n import number, translate
from .json_export import suppressed_reason
from .text import base_text, filter_text, test_sentences

if TYPE_CHECKING:
    from .formats import ExportContext

DATA_HEADER = (
    "answer_code", "answer", "answer_is_missing_code", "column_code", "column", "percent", "ci_low",
    "ci_high", "se", "deff", "sig", "n", "weighted", "base_n", "base_weighted", "base_flagged", "note",
)
DASH = "\u2013"
# OWASP's CSV-injection rule: text starting with one of these is read as a formula by
# spreadsheet programs, so it gets a leading apostrophe. Numbers are left as numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def metadata(xt: CrossTab, context: ExportContext) -> list[tuple[str, str]]:
    """(field, text) lines that say what the table is and where it comes from, in its language."""
    q, lang = xt.query, xt.lang

    def t(key: str, **values: object) -> str:
        return translate(f"export.{key}", lang, **values)

    lines = [
        (t("dataset"), t("dataset_text", title=xt.dataset_title, id=q.dataset, version=xt.version)),
        (t("question"), f"{xt.question} [{xt.row_name}]"),
        (t("breakdown"), f"{xt.col_title} [{xt.col_name}]" if xt.col_name else translate("table.total", lang)),
        *([(t("breakdown2"), t("breakdown2_text", inner=xt.col2_title, name=xt.col2_name, outer=xt.col_title))]
          if xt.nested else []),
        (t("filters"), filter_text(xt)),
        (t("percentages"), translate(f"percent.{q.percent}", lang)),
        (t("missing"), t("missing_included") if q.include_missing else t("missing_excluded")),
        (t("base"), base_text(xt)),
        (t("level"), f"{number(xt.level * 100, lang, 0)}%"),
        (t("min_base"), t("min_base_text", min=xt.min_base, flag=xt.flag_base)),
    ]
    if xt.means is not None:
        means = (f"{c.label}: {DASH if m is None else repr(m)}" for c, m in zip(xt.cols, xt.means, strict=True))
        lines.append((t("mean"), "; ".join(means)))
    for test in test_sentences(xt):
        lines.append((t("test"), test))
    for note in xt.notes:
        lines.append((t("note"), note))
    if context.design:
        lines.append((t("design"), "; ".join(f"{role}: {name}" for role, name in context.design)))
    else:
        lines.append((t("design"), t("design_none")))
    lines.append((t("citation"), xt.citation or xt.dataset_title))
    if context.license:
        lines.append((t("licence"), context.license))
    if context.link:
        lines.append((t("link"), context.link))
    if context.date:
        lines.append((t("retrieved"), context.date))
    if xt.synthetic:
        lines.insert(0, (t("notice"), translate("synthetic.title", lang) + " " + translate("synthetic.body", lang)))
    return lines


def data_rows(xt: CrossTab) -> list[list[Any]]:
    """One row per cell (answers x columns, the Total column first), empty where suppressed."""
    rows: list[list[Any]] = []
    flagged = translate("table.flagged_title", xt.lang, flag=xt.flag_base)
    for i, r in enumerate(xt.rows):
        for j, c in enumerate(xt.cols):
            cell = xt.cell(i, j)
            base = xt.bases[j]
            shown = not cell.suppressed
            note = suppressed_reason(xt, j) if cell.suppressed else (flagged if base.flagged else "")
            rows.append([
                r.key if r.net else r.code, r.label, r.missing, "" if c.code is None else c.code, c.label,
                cell.percent, cell.ci_low, cell.ci_high, cell.se, cell.deff,
                cell.sig if shown else None, cell.n if shown else None, cell.weighted if shown else None,
                base.n, base.weighted, base.flagged, note,
                *([c.group] if xt.nested else []),
            ])
    return rows


def data_header(xt: CrossTab) -> list[str]:
    """The cell lines' header; nested columns add the outer category's code (empty for the Total)."""
    return [*DATA_HEADER, *(["group"] if xt.nested else [])]


def safe_text(value: Any) -> Any:
    """Text that a spreadsheet could run as a formula, neutralised; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return str(safe_text(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def crosstab_csv(xt: CrossTab, context: ExportContext) -> bytes:
    """A CSV: `field,text` lines about the table, a blank line, then one line per cell.

    UTF-8 with a byte-order mark, so spreadsheet programs read the Albanian and Serbian letters.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for name, text in metadata(xt, context):
        writer.writerow([name, safe_text(text)])
    writer.writerow([])
    writer.writerow(data_header(xt))
    for row in data_rows(xt):
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _append(ws: Any, values: list[Any]) -> None:
    """`ws.append`, with text neutralised and stored as text: openpyxl makes '=...' a formula."""
    ws.append([safe_text(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _table_sheet(xt: CrossTab, ws: Any, context: ExportContext) -> None:
    bold = Font(bold=True)
    _append(ws, [xt.question])
    ws["A1"].font = Font(bold=True, size=13)
    if xt.synthetic:
        _append(ws, [translate("synthetic.short", xt.lang)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="B00020")
    _append(ws, [f"{translate(f'percent.{xt.query.percent}', xt.lang)}; "
               f"{translate('filters.label', xt.lang)}: {filter_text(xt)}"])
    _append(ws, [])
    _append(ws, [translate("table.answer", xt.lang), *[c.label for c in xt.cols]])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for i, r in enumerate(xt.rows):
        label = r.label + (f" ({translate('table.missing_tag', xt.lang)})" if r.missing else "")
        values: list[Any] = [label]
        for j in range(len(xt.cols)):
            c = xt.cell(i, j)
            values.append(DASH if c.suppressed or c.percent is None else c.percent)
        _append(ws, values)
        for cell in ws[ws.max_row][1:]:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
    if xt.means is not None:
        _append(ws, [translate("table.mean", xt.lang), *[DASH if m is None else m for m in xt.means]])
    _append(ws, [translate("table.unweighted_base", xt.lang), *[b.n for b in xt.bases]])
    _append(ws, [translate("table.weighted_base", xt.lang), *[round(b.weighted, 1) for b in xt.bases]])
    _append(ws, [])
    if any(b.suppressed and not b.secondary for b in xt.bases):
        _append(ws, [translate("legend.suppressed", xt.lang, min=xt.min_base)])
    if any(b.secondary for b in xt.bases):
        _append(ws, [translate("legend.secondary", xt.lang)])
    if any(b.flagged for b in xt.bases):
        _append(ws, [translate("legend.flagged", xt.lang, flag=xt.flag_base)])
    for test in test_sentences(xt):
        _append(ws, [test])
    _append(ws, [translate("source.line", xt.lang, title=xt.dataset_title, citation=xt.citation)])
    if context.license:
        _append(ws, [translate("dataset.license", xt.lang, license=context.license)])
    if context.link:
        _append(ws, [context.link])
    ws.column_dimensions["A"].width = 42


def crosstab_xlsx(xt: CrossTab, context: ExportContext) -> bytes:
    """A workbook: 'Table' as on the page, 'Data' one line per cell (as the CSV), 'About'."""
    wb = Workbook()
    table = wb.active
    assert table is not None
    table.title = "Table"
    _table_sheet(xt, table, context)
    data = wb.create_sheet("Data")
    _append(data, data_header(xt))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in data_rows(xt):
        _append(data, row)
    about = wb.create_sheet("About")
    for name, text in metadata(xt, context):
        _append(about, [name, text])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
