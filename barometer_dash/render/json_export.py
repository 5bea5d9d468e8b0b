"""CrossTab -> the API's JSON document: the service's numbers, suppressed cells empty with the reason."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..domain.crosstab import CrossTab, Test
from ..i18n import translate
from .text import change_sentence

if TYPE_CHECKING:
    from .formats import ExportContext


def _num(x: float | None) -> float | None:
    return x if x is None or math.isfinite(x) else None


def suppressed_reason(xt: CrossTab, col: int = -1) -> str:
    """Why a column's cells are hidden: its own small base, or protecting a smaller one."""
    if col >= 0 and xt.bases[col].secondary:
        return translate("table.secondary_title", xt.lang)
    return translate("table.suppressed_title", xt.lang, min=xt.min_base)


def _cite(xt: CrossTab, context: ExportContext) -> dict[str, str]:
    from .formats import citation

    c = citation(xt, context)
    return {"text": c.text, "bibtex": c.bibtex, "ris": c.ris}


def _test(t: Test | None) -> dict[str, float] | None:
    if t is None or not all(math.isfinite(x) for x in (t.statistic, t.df1, t.df2, t.p)):
        return None
    return {"statistic": t.statistic, "df1": t.df1, "df2": t.df2, "p": t.p}


def crosstab_json(xt: CrossTab, context: ExportContext) -> dict[str, Any]:
    q = xt.query
    reason = suppressed_reason(xt)
    cells = []
    for i, r in enumerate(xt.rows):
        for j, c in enumerate(xt.cols):
            cell = xt.cell(i, j)
            hide = cell.suppressed
            cells.append({
                "row": cell.row, "col": cell.col, **({"group": cell.group} if xt.nested else {}),
                "row_label": r.label, "col_label": c.label,
                "n": None if hide else cell.n, "weighted": None if hide else _num(cell.weighted),
                "percent": _num(cell.percent), "se": _num(cell.se), "ci_low": _num(cell.ci_low),
                "ci_high": _num(cell.ci_high), "deff": _num(cell.deff), "sig": cell.sig,
                "suppressed": hide, "reason": suppressed_reason(xt, j) if hide else None,
            })
    test = _test(xt.test)
    means = xt.numbers.means if xt.numbers is not None else None
    change = None
    if xt.change is not None:
        ch = xt.change
        change = {"variable": q.col, "answer": ch.answer, "mean": ch.mean, "a": ch.a, "b": ch.b,
                  "a_percent": ch.a_percent, "b_percent": ch.b_percent, "estimate": ch.estimate, "se": ch.se,
                  "ci_low": ch.ci_low,
                  "ci_high": ch.ci_high, "p": ch.p, "significant": ch.significant,
                  "sentence": change_sentence(xt)}
    return {
        "dataset": {"id": q.dataset, "title": xt.dataset_title, "citation": xt.citation, "license": context.license,
                    "synthetic": xt.synthetic, "version": xt.version},
        "query": {"row": q.row, "col": q.col, **({"col2": q.col2} if q.col2 else {}),
                  "filters": [{"variable": n, "codes": list(c)} for n, c in q.filters],
                  "percent": q.percent, "missing": "include" if q.include_missing else "exclude",
                  "lang": xt.lang, "level": xt.level},
        "question": {"name": xt.row_name, "label": xt.question, "short": xt.question_short, "kind": xt.kind},
        "breakdown": {"name": xt.col_name, "label": xt.col_title} if xt.col_name else None,
        **({"breakdown2": {"name": xt.col2_name, "label": xt.col2_title}} if xt.nested else {}),
        "rows": [{"code": r.code, "key": r.key, "label": r.label, "missing": r.missing, "net": r.net}
                 for r in xt.rows],
        "cols": [{"code": c.code, "key": c.key, "label": c.label,
                  **({"group": c.group, "group_label": c.group_label, "short": c.short} if xt.nested else {})}
                 for c in xt.cols],
        "cells": cells,
        "bases": [{"col": b.col, **({"group": b.group} if xt.nested else {}), "col_label": c.label,
                    "n": b.n, "weighted": _num(b.weighted),
                   "suppressed": b.suppressed, "flagged": b.flagged, "secondary": b.secondary}
                  for b, c in zip(xt.bases, xt.cols, strict=True)],
        "protection": list(xt.numbers.protection) if xt.numbers is not None else [],
        "means": None if xt.means is None else [_num(m) for m in xt.means],
        "mean_ci": None if means is None else [
            None if m is None else {"low": _num(m.ci_low), "high": _num(m.ci_high), "sig": m.sig} for m in means],
        "test": test,
        **({"group_tests": [{"group": g.group, "label": g.label, "test": _test(g.test)} for g in xt.group_tests]}
           if xt.nested else {}),
        "change": change,
        "df": xt.df,
        "level": xt.level,
        "rules": {"min_base": xt.min_base, "flag_base": xt.flag_base, "suppressed": reason,
                  "flagged": translate("table.flagged_title", xt.lang, flag=xt.flag_base)},
        "filters": [{"variable": name, "labels": labels} for name, labels in xt.filters],
        "notes": list(xt.notes),
        "cite": _cite(xt, context),
        "design": {k: v for k, v in context.design},
        "link": context.link or None,
        "retrieved": context.date or None,
        "notice": (translate("synthetic.title", xt.lang) + " " + translate("synthetic.body", xt.lang))
        if xt.synthetic else None,
    }
