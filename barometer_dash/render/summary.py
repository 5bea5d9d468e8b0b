"""One or two plain sentences a reader could quote about a table, in the view's language.

The first names the answer in focus (a net when the table has one, else the most common
answer) with its interval; the second names the biggest difference between columns (a
change when the columns are waves) with its interval when it is significant, or says that
no difference is. The difference's interval is design-based: `summary_comparison` names the
pair of columns to test, and the service's `Change` for it is read from `xt.change`. Every
percentage is written as the table writes it (one decimal), so it can be found there.
"""

from __future__ import annotations

from ..domain.crosstab import CrossTab
from ..domain.query import Comparison
from ..i18n import number, translate


def _pct(x: float | None, lang: str) -> str:
    return "\u2013" if x is None else number(x, lang, 1)


def _shown_columns(xt: CrossTab) -> list[int]:
    """Breakdown columns (not Total) whose percentages are shown; with a second breakdown, the
    outer categories' Totals, so that the sentences compare what the first breakdown splits."""
    return [j for j in range(1, len(xt.cols)) if not xt.bases[j].suppressed
            and (not xt.nested or xt.cols[j].code is None)]


def _code(xt: CrossTab, j: int) -> int | None:
    return xt.cols[j].group if xt.nested else xt.cols[j].code


def _label(xt: CrossTab, j: int) -> str:
    return xt.cols[j].group_label if xt.nested and j > 0 else xt.cols[j].label


def focus_row(xt: CrossTab, answer: str | None = None) -> int | None:
    """The row the summary is about: `answer` (a row's key), else the first net, else the largest."""
    if answer is not None:
        for i, r in enumerate(xt.rows):
            if r.key == answer:
                return i
    nets = [i for i, r in enumerate(xt.rows) if r.code is None]
    if nets:
        return nets[0]
    valid = [i for i, r in enumerate(xt.rows) if not r.missing and xt.cell(i, 0).percent is not None]
    if not valid:
        return None
    return max(valid, key=lambda i: xt.cell(i, 0).percent or 0.0)


def summary_comparison(xt: CrossTab, answer: str | None = None) -> Comparison | None:
    """The two columns whose difference the summary reports: lowest and highest, in column order.

    None when there is no such pair (no breakdown, fewer than two shown columns, a net, a
    multiple-response set, or percentages that are not column percentages).
    """
    i = focus_row(xt, answer)
    shown = _shown_columns(xt)
    if i is None or xt.col_name is None or len(shown) < 2 or xt.kind == "multi" or xt.query.percent != "column":
        return None
    row = xt.rows[i]
    code: int | str | None = row.key if row.net else row.code
    if code is None:
        return None
    lo = min(shown, key=lambda j: xt.cell(i, j).percent or 0.0)
    hi = max(shown, key=lambda j: xt.cell(i, j).percent or 0.0)
    if lo == hi:
        return None
    a, b = sorted((lo, hi))
    col_a, col_b = _code(xt, a), _code(xt, b)
    assert col_a is not None and col_b is not None
    return Comparison(variable=xt.col_name, answer=code, a=col_a, b=col_b)


def summary(xt: CrossTab, answer: str | None = None) -> str:
    """The sentences for `xt`; `answer` picks the row in focus (an answer's or a net's key)."""
    lang = xt.lang
    where = ", ".join(labels for _, labels in xt.filters)
    prefix = f"{where}: " if where else ""
    if xt.means is not None and xt.means[0] is not None:
        return prefix + " ".join(_mean_sentences(xt))
    i = focus_row(xt, answer)
    if i is None:
        return prefix + translate("summary.no_data", lang)
    if xt.query.percent != "column":
        return prefix + " ".join(_cell_sentences(xt, i))
    first = _answer_sentence(xt, i, chosen=answer is not None or xt.rows[i].code is None)
    second = _difference_sentence(xt, i)
    return prefix + first + (" " + second if second else "")


def _answer_sentence(xt: CrossTab, i: int, chosen: bool) -> str:
    cell = xt.cell(i, 0)
    key = "summary.answer" if chosen else ("summary.top_multi" if xt.kind == "multi" else "summary.top")
    return translate(key, xt.lang, answer=xt.rows[i].label, pct=_pct(cell.percent, xt.lang),
                     low=_pct(cell.ci_low, xt.lang), high=_pct(cell.ci_high, xt.lang),
                     level=number(xt.level * 100, xt.lang, 0))


def _difference_sentence(xt: CrossTab, i: int) -> str | None:
    lang = xt.lang
    shown = _shown_columns(xt)
    if xt.col_name is None or len(shown) < 2:
        return None
    c = xt.change
    if c is not None and c.significant and c.answer_label == xt.rows[i].label:
        values = dict(a=c.a_label, b=c.b_label, a_pct=_pct(c.a_percent, lang), b_pct=_pct(c.b_percent, lang),
                      points=number(abs(c.estimate), lang, 1), low=number(c.ci_low, lang, 1),
                      high=number(c.ci_high, lang, 1), level=number(xt.level * 100, lang, 0))
        if c.over_time:
            return translate("summary.change_up" if c.estimate > 0 else "summary.change_down", lang, **values)
        if c.estimate < 0:  # name the higher group first
            values.update(a=c.b_label, b=c.a_label, a_pct=values["b_pct"], b_pct=values["a_pct"],
                          low=number(-c.ci_high, lang, 1), high=number(-c.ci_low, lang, 1))
        return translate("summary.difference", lang, **values)
    flagged = [j for j in shown if xt.cell(i, j).sig != 0]
    if flagged:
        j = max(flagged, key=lambda k: abs((xt.cell(i, k).percent or 0.0) - (xt.cell(i, 0).percent or 0.0)))
        key = "summary.sig_higher" if xt.cell(i, j).sig > 0 else "summary.sig_lower"
        return translate(key, lang, col=_label(xt, j), pct=_pct(xt.cell(i, j).percent, lang),
                         level=number(xt.level * 100, lang, 0))
    values_shown = [xt.cell(i, j).percent or 0.0 for j in shown]
    return translate("summary.none", lang, breakdown=xt.col_title, low=_pct(min(values_shown), lang),
                     high=_pct(max(values_shown), lang), level=number(xt.level * 100, lang, 0))


def _cell_sentences(xt: CrossTab, i: int) -> list[str]:
    """Row or total percentages: the largest cell of the row in focus, then the table's test."""
    lang = xt.lang
    # Nested row and total percentages add up within each outer category: name the inner column.
    columns = [j for j in range(1, len(xt.cols)) if not xt.bases[j].suppressed and xt.cols[j].code is not None
               ] if xt.nested else _shown_columns(xt)
    j = max(columns or [0], key=lambda k: xt.cell(i, k).percent or 0.0)
    key = "summary.row_top" if xt.query.percent == "row" else "summary.total_top"
    out = [translate(key, lang, answer=xt.rows[i].label, col=xt.cols[j].label, pct=_pct(xt.cell(i, j).percent, lang))]
    if xt.test is not None:
        significant = xt.test.p < 1 - xt.level
        out.append(translate("summary.test_yes" if significant else "summary.test_no", lang,
                             breakdown=xt.col_title, level=number(xt.level * 100, lang, 0)))
    return out


def _mean_sentences(xt: CrossTab) -> list[str]:
    lang = xt.lang
    assert xt.means is not None
    out = [translate("summary.mean", lang, question=xt.question_short, mean=number(xt.means[0] or 0.0, lang, 2))]
    shown = [j for j in _shown_columns(xt) if xt.means[j] is not None]
    if len(shown) >= 2:
        lo = min(shown, key=lambda j: xt.means[j] or 0.0)  # type: ignore[index]
        hi = max(shown, key=lambda j: xt.means[j] or 0.0)  # type: ignore[index]
        out.append(translate("summary.mean_range", lang, low=number(xt.means[lo] or 0.0, lang, 2),
                             low_col=_label(xt, lo), high=number(xt.means[hi] or 0.0, lang, 2),
                             high_col=_label(xt, hi)))
    return out
