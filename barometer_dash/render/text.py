"""Plain-language sentences about a table, shared by the page and the exports."""

from __future__ import annotations

from ..domain.crosstab import CrossTab, Test
from ..i18n import number, translate


def p_text(p: float, lang: str) -> str:
    return f"p < {number(0.001, lang, 3)}" if p < 0.001 else f"p = {number(p, lang, 3)}"


def test_sentence(xt: CrossTab) -> str | None:
    """The Rao-Scott test in words, or None when there is no test."""
    return _test_words(xt, xt.test, xt.col_title)


def test_sentences(xt: CrossTab) -> list[str]:
    """The table's test, then (nested columns) the test inside each outer category."""
    out = [s] if (s := test_sentence(xt)) else []
    for g in xt.group_tests:
        if (s := _test_words(xt, g.test, xt.col2_title or "", g.label)) is not None:
            out.append(s)
    return out


def _test_words(xt: CrossTab, t: Test | None, breakdown: str, group: str | None = None) -> str | None:
    if t is None:
        return None
    key = "test.significant" if t.p < 1 - xt.level else "test.not_significant"
    if group is not None:
        key = key.replace("test.", "test.group_")
    return translate(
        key,
        xt.lang,
        breakdown=breakdown,
        group=group or "",
        F=number(t.statistic, xt.lang, 2),
        df1=number(t.df1, xt.lang, 2),
        df2=number(t.df2, xt.lang, 1),
        p=p_text(t.p, xt.lang),
        level=number(xt.level * 100, xt.lang, 0),
    )


def change_sentence(xt: CrossTab) -> str | None:
    c = xt.change
    if c is None:
        return None
    if c.over_time:
        direction = "change.up" if c.estimate > 0 else "change.down"
        verdict = "change.significant" if c.significant else "change.not_significant"
    else:
        direction = "change.higher" if c.estimate > 0 else "change.lower"
        verdict = "change.diff_significant" if c.significant else "change.diff_not_significant"
    # Means are on the question's own scale: two decimals, as the table's mean row.
    places = 2 if c.mean else 1
    return translate(
        direction.replace("change.", "change.mean_") if c.mean else direction,
        xt.lang,
        answer=c.answer_label,
        points=number(abs(c.estimate), xt.lang, places),
        a=c.a_label,
        b=c.b_label,
        a_pct=number(c.a_percent, xt.lang, places),
        b_pct=number(c.b_percent, xt.lang, places),
        low=number(c.ci_low, xt.lang, places),
        high=number(c.ci_high, xt.lang, places),
        level=number(xt.level * 100, xt.lang, 0),
    ) + " " + translate(verdict, xt.lang, p=p_text(c.p, xt.lang))


def breakdown_words(xt: CrossTab) -> str:
    """ "by Age", or with a second breakdown "by Gender within Country"."""
    if xt.nested:
        return translate("heading.by_nested", xt.lang, inner=xt.col2_title, outer=xt.col_title)
    return translate("heading.by", xt.lang, breakdown=xt.col_title)


def base_text(xt: CrossTab) -> str:
    total = xt.bases[0]
    return translate("table.base_sentence", xt.lang, n=number(total.n, xt.lang, 0))


def source_line(xt: CrossTab) -> str:
    """The source with the citation; synthetic data say so first, whatever their citation says
    (it is written by the dataset's publisher, in words no check can read in every language)."""
    line = translate("source.line", xt.lang, title=xt.dataset_title, citation=xt.citation)
    if xt.synthetic:
        line = translate("synthetic.short", xt.lang) + " " + line
    return line


def filter_text(xt: CrossTab) -> str:
    if not xt.filters:
        return translate("filters.none", xt.lang)
    return "; ".join(f"{name}: {labels}" for name, labels in xt.filters)
