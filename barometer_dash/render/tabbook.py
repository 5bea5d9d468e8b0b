"""TabBook -> an .xlsx workbook: a contents sheet, then one banner table per question.

Each sheet: the question's wording, answers as rows, the banner across (Total, then each
banner variable's categories under its title), column percentages with ▲/▼ on cells that
differ significantly from the rest of their banner variable, unweighted and weighted
bases, then the tests, notes, filters, design and source.  Suppressed columns show a dash,
never their numbers.  Every text comes from a codebook or a catalog and is written as
text: a label that looks like a formula is neutralised.
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from ..domain.crosstab import CrossTab
from ..domain.tabbook import TabBook, TabSheet
from ..i18n import translate
from .export import safe_text
from .text import filter_text, source_line, test_sentences

DASH = "\u2013"
UP, DOWN, SMALL = "\u25b2", "\u25bc", "\u2020"
CONTENTS = "Contents"
HEAD = Font(bold=True)


def _put(ws: Any, row: int, col: int, value: Any, *, bold: bool = False) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"  # never a formula, whatever openpyxl guessed
    else:
        cell.value = value
    if bold:
        cell.font = HEAD
    return cell


def _link(cell: Any, sheet: str) -> None:
    """A link inside the workbook to cell A1 of `sheet`."""
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1")
    cell.font = Font(color="0563C1", underline="single")


def sheet_names(questions: list[str]) -> list[str]:
    """Valid, unique sheet names (31 characters, none of []:*?/\\), one per question."""
    used = {CONTENTS.lower()}
    out = []
    for q in questions:
        base = re.sub(r"[\[\]:*?/\\']", "_", q)[:31] or "question"
        name, k = base, 2
        while name.lower() in used:
            suffix = f"~{k}"
            name, k = base[: 31 - len(suffix)] + suffix, k + 1
        used.add(name.lower())
        out.append(name)
    return out


def _percent_format(sig: int) -> str:
    return '0.0" ' + (UP if sig > 0 else DOWN) + '"' if sig else "0.0"


def _banner_rows(ws: Any, sheet: TabSheet, book: TabBook, top: int) -> int:
    """The table itself from row `top`; returns the next free row."""
    lang = book.lang
    first = sheet.tables[0]
    columns = sheet.columns
    _put(ws, top + 1, 1, translate("table.answer", lang), bold=True)
    _put(ws, top + 1, 2, first.cols[0].label, bold=True)
    col = 3
    for t, xt in enumerate(sheet.tables):
        width = len(xt.cols) - 1
        if width:
            _put(ws, top, col, book.banner_titles[t], bold=True)
            if width > 1:
                ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + width - 1)
        for j in range(1, len(xt.cols)):
            _put(ws, top + 1, col + j - 1, xt.cols[j].label, bold=True)
        col += width
    row = top + 2
    for i, answer in enumerate(first.rows):
        label = answer.label + (f" ({translate('table.missing_tag', lang)})" if answer.missing else "")
        _put(ws, row, 1, label)
        for k, c in enumerate(columns):
            xt = sheet.tables[c.table]
            cell = xt.cell(i, c.col)
            if cell.suppressed or cell.percent is None:
                _put(ws, row, k + 2, DASH).alignment = Alignment(horizontal="right")
            else:
                _put(ws, row, k + 2, cell.percent).number_format = _percent_format(cell.sig if c.col else 0)
        row += 1
    if first.means is not None:
        _put(ws, row, 1, translate("table.mean", lang))
        for k, c in enumerate(columns):
            means = sheet.tables[c.table].means
            m = None if means is None else means[c.col]
            _put(ws, row, k + 2, DASH if m is None else m).number_format = "0.00"
        row += 1
    for key, weighted in (("table.unweighted_base", False), ("table.weighted_base", True)):
        _put(ws, row, 1, translate(key, lang), bold=True)
        for k, c in enumerate(columns):
            base = sheet.tables[c.table].bases[c.col]
            if weighted:
                _put(ws, row, k + 2, round(base.weighted, 1)).number_format = "0.0"
            else:
                _put(ws, row, k + 2, base.n).number_format = f'0" {SMALL}"' if base.flagged else "0"
        row += 1
    return row


def _about_lines(sheet: TabSheet, book: TabBook) -> list[str]:
    lang = book.lang
    first: CrossTab = sheet.tables[0]
    level = round(first.level * 100)
    lines = [f"{UP} {translate('legend.up', lang, level=level)}; {DOWN} {translate('legend.down', lang, level=level)}"]
    if any(b.suppressed for xt in sheet.tables for b in xt.bases):
        lines.append(f"{DASH} {translate('legend.suppressed', lang, min=first.min_base)}")
    if any(b.flagged for xt in sheet.tables for b in xt.bases):
        lines.append(f"{SMALL} {translate('legend.flagged', lang, flag=first.flag_base)}")
    if first.kind == "multi":
        lines.append(translate("legend.multi", lang))
    lines += [s for xt in sheet.tables for s in test_sentences(xt)]
    lines += list(first.notes)
    lines.append(f"{translate('filters.label', lang)}: {filter_text(first)}")
    lines.append(translate("percent.column", lang))
    lines += _book_lines(book)
    lines.append(source_line(first))
    return lines


def _book_lines(book: TabBook) -> list[str]:
    lang = book.lang
    none = translate("tabbook.none", lang)
    return [
        translate("tabbook.design", lang, weight=book.weight or none, strata=book.strata or none,
                  psu=book.psu or none),
        translate("tabbook.dataset", lang, title=book.title, id=book.dataset, version=book.version),
    ]


def _question_sheet(ws: Any, sheet: TabSheet, book: TabBook) -> None:
    first = sheet.tables[0]
    _put(ws, 1, 1, f"{first.question} [{sheet.question}]").font = Font(bold=True, size=13)
    row = 2
    if book.synthetic:
        _put(ws, row, 1, translate("synthetic.short", book.lang)).font = Font(bold=True, color="B00020")
        row += 1
    link = _put(ws, row, 1, translate("tabbook.back", book.lang))
    _link(link, CONTENTS)
    row = _banner_rows(ws, sheet, book, row + 2) + 1
    for line in _about_lines(sheet, book):
        _put(ws, row, 1, line)
        row += 1
    ws.column_dimensions["A"].width = 44
    for k in range(len(sheet.columns)):
        ws.column_dimensions[get_column_letter(k + 2)].width = 12
    ws.freeze_panes = "B1"


def _contents(ws: Any, book: TabBook, names: list[str]) -> None:
    lang = book.lang
    _put(ws, 1, 1, book.title).font = Font(bold=True, size=13)
    lines = []
    if book.synthetic:
        lines.append(translate("synthetic.title", lang) + " " + translate("synthetic.body", lang))
    lines.append(translate("tabbook.banner", lang, banner="; ".join(book.banner_titles)))
    if book.sheets:
        lines.append(f"{translate('filters.label', lang)}: {filter_text(book.sheets[0].tables[0])}")
    lines += _book_lines(book)
    lines.append(book.citation)
    if book.license:
        lines.append(translate("dataset.license", lang, license=book.license))
    row = 2
    for line in lines:
        _put(ws, row, 1, line)
        row += 1
    row += 1
    for col, key in enumerate(("tabbook.sheet", "tabbook.question"), start=1):
        _put(ws, row, col, translate(key, lang), bold=True)
    for sheet, name in zip(book.sheets, names, strict=True):
        row += 1
        link = _put(ws, row, 1, name)
        _link(link, name)
        _put(ws, row, 2, sheet.tables[0].question)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100


def tabbook_xlsx(book: TabBook) -> bytes:
    """The workbook as bytes: 'Contents' first, then a sheet per question in order."""
    wb = Workbook(write_only=False)
    contents = wb.active
    assert contents is not None
    contents.title = CONTENTS
    names = sheet_names([s.question for s in book.sheets])
    _contents(contents, book, names)
    for sheet, name in zip(book.sheets, names, strict=True):
        _question_sheet(wb.create_sheet(name), sheet, book)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
