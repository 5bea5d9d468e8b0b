"""Numbers -> a labelled CrossTab in one language: wording, labels, notes and filter text.

This is the only place words meet the numbers, so a language switch relabels cached numbers
instead of computing them again.
"""

from __future__ import annotations

from dataclasses import replace

from ..domain.codebook import Codebook, Variable
from ..domain.crosstab import Category, CrossTab, Tabulation
from ..i18n import translate


def label_crosstab(tab: Tabulation, cb: Codebook, lang: str) -> CrossTab:
    q = tab.query
    rvar = cb.by_name[q.row]
    cvar = cb.by_name[q.col] if q.col else None
    nets = {n.key: n for n in rvar.all_nets}
    rows = tuple(
        Category(code=None, label=nets[c].label.get(lang), key=c, net=True) if isinstance(c, str)
        else Category(code=c, label=_label(rvar, c, lang), key=str(c), missing=m)
        for c, m in zip(tab.rows, tab.row_missing, strict=True)
    )
    inner = cb.by_name[q.col2] if q.col2 else None
    cols = tuple(_column(c, b.group, cvar, inner, lang) for c, b in zip(tab.cols, tab.bases, strict=True))
    group_tests = tuple(replace(g, label=_label(cvar, g.group, lang)) for g in tab.group_tests if cvar is not None)
    change = tab.change
    if change is not None:
        cmp_var = cb.by_name[q.col] if q.col else rvar
        if change.mean:
            answer = translate("table.mean", lang)
        else:
            answer = nets[change.answer].label.get(lang) if isinstance(change.answer, str) else _label(
                rvar, change.answer, lang)
        change = replace(change, answer_label=answer,
                         a_label=_label(cmp_var, change.a, lang), b_label=_label(cmp_var, change.b, lang))
    notes = [rvar.notes.get(lang)] if rvar.notes else []
    asked = asked_note(rvar, cb, lang)
    if asked:
        notes.append(asked)
    return CrossTab(
        query=q,
        lang=lang,
        question=rvar.label.get(lang),
        question_short=(rvar.short or rvar.label).get(lang),
        row_name=rvar.name,
        col_name=cvar.name if cvar else None,
        col_title=cvar.label.get(lang) if cvar else translate("table.total", lang),
        kind=tab.kind,
        rows=rows,
        cols=cols,
        cells=tab.cells,
        bases=tab.bases,
        test=tab.test,
        df=tab.df,
        level=tab.level,
        min_base=tab.min_base,
        flag_base=tab.flag_base,
        dataset_title=cb.dataset.title.get(lang),
        citation=cb.dataset.citation.get(lang),
        synthetic=tab.synthetic,
        version=tab.version,
        filters=filter_labels(cb, q.filters, lang),
        notes=tuple(notes),
        means=None if tab.means is None else tuple(None if m is None else m.mean for m in tab.means),
        change=change,
        numbers=tab,
        col2_name=inner.name if inner else None,
        col2_title=inner.label.get(lang) if inner else None,
        group_tests=group_tests,
    )


def _column(code: int | None, group: int | None, cvar: Variable | None, inner: Variable | None,
            lang: str) -> Category:
    """A column's label; a nested column's names its outer category too, e.g. "Albania · Men"."""
    total = translate("table.total", lang)
    if group is None or cvar is None or inner is None:
        if code is None or cvar is None:
            return Category(code=None, label=total, key="total")
        value = cvar.value(code)
        return Category(code=code, label=value.label.get(lang), key=value.url_key)
    outer = cvar.value(group)
    own = total if code is None else inner.value(code).label.get(lang)
    key = f"{outer.url_key}.{'total' if code is None else inner.value(code).url_key}"
    group_label = outer.label.get(lang)
    return Category(code=code, label=f"{group_label} \u00b7 {own}", key=key, group=group, group_label=group_label,
                    short=own)


def filter_labels(cb: Codebook, filters: tuple[tuple[str, tuple[int, ...]], ...],
                  lang: str) -> tuple[tuple[str, str], ...]:
    """(variable wording, chosen labels) for captions and exports."""
    out = []
    for name, codes in filters:
        var = cb.by_name[name]
        labels = ", ".join(var.value(c).label.get(lang) for c in codes if c in var.codes)
        out.append(((var.short or var.label).get(lang), labels))
    return tuple(out)


def asked_note(var: Variable, cb: Codebook, lang: str) -> str | None:
    """A plain sentence on where and when a question was asked, when not everywhere."""
    if var.asked_in is None:
        return None
    info = cb.dataset
    countries = sorted({c for c, _ in var.asked_in})
    waves = sorted({w for _, w in var.asked_in})
    parts = []
    if info.country and info.country in cb.by_name:
        cvar = cb.by_name[info.country]
        if len(countries) < len(cvar.codes):
            parts.append(", ".join(cvar.value(c).label.get(lang) for c in countries if c in cvar.codes))
    if info.wave and info.wave in cb.by_name:
        wvar = cb.by_name[info.wave]
        if len(waves) < len(wvar.codes):
            parts.append(", ".join(wvar.value(w).label.get(lang) for w in waves if w in wvar.codes))
    if not parts:
        return None
    return translate("note.asked_only", lang, where="; ".join(parts))


def _label(var: Variable, code: int, lang: str) -> str:
    return var.value(code).label.get(lang) if code in var.codes else str(code)
