"""The single path from a `Query` to a labelled `CrossTab`.

The page, the JSON API, the exports and the Python API all call `Service.crosstab`, so they
show the same numbers, with the same minimum-base rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data.cache import Cache
from .data.store import Dataset, Store
from .domain.codebook import Codebook, Variable
from .domain.crosstab import Base, Category, Cell, Change, CrossTab, Test
from .domain.errors import QueryError, VariableNotFound
from .domain.query import PERCENTS, Comparison, Query
from .i18n import translate
from .stats.codes import code_index, code_mask
from .stats.design import Design, prepare_design
from .stats.table import Table, difference, mean_by, tabulate, tabulate_multi, tabulate_with_total


@dataclass(frozen=True)
class Rules:
    min_base: int = 30
    flag_base: int = 100


def _design(ds: Dataset) -> Design:
    if ds.design is not None:
        return ds.design  # prepared with the serving copy, memory-mapped

    def build() -> Design:
        info = ds.codebook.dataset
        weight = ds.codes(info.weight) if info.weight else None
        strata = ds.codes(info.strata) if info.strata else None
        psu = ds.codes(info.psu) if info.psu else None
        return prepare_design(ds.n, weight=weight, strata=strata, psu=psu)

    return ds.memo("design", build)


def _index(ds: Dataset, column: str, codes: tuple[int, ...]) -> np.ndarray:
    """Per respondent, the position of its code in `codes`, or -1 (other code or empty)."""
    return ds.memo(("index", column, codes), lambda: code_index(ds.values(column), ds.valid(column), codes))


def _domain(ds: Dataset, query: Query) -> np.ndarray | None:
    for name, codes in query.filters:
        var = _variable(ds.codebook, name, f"f.{name}")
        unknown = [c for c in codes if c not in var.codes]
        if unknown:
            raise QueryError(f"f.{name}", f"'{name}' has no code {unknown[0]}")
    if not query.filters:
        return None

    def build() -> np.ndarray:
        mask: np.ndarray | None = None
        for name, codes in query.filters:
            column = ds.codebook.by_name[name].name
            hit = code_mask(ds.values(column), ds.valid(column), codes)
            mask = hit if mask is None else np.logical_and(mask, hit, out=mask)
        assert mask is not None
        mask.flags.writeable = False
        return mask

    return ds.memo(("domain", query.filters), build)


def _variable(cb: Codebook, name: str, param: str) -> Variable:
    var = cb.by_name.get(name)
    if var is None:
        raise VariableNotFound(cb.dataset.id, name)
    if var.kind == "multi" and param != "q":
        raise QueryError(param, f"'{name}' is a multiple-response set and cannot split or filter a table")
    return var


def _row_categories(ds: Dataset, var: Variable, include_missing: bool) -> tuple[int, ...]:
    valid = tuple(v.code for v in var.valid_values)
    if var.kind == "numeric":
        # A scale may label only its end points: every value answered is a category.
        x = ds.codes(var.name)
        seen = np.unique(x[~np.isnan(x)]).astype(np.int64)
        valid = tuple(sorted(set(valid) | {int(c) for c in seen if c not in var.missing}))
    if include_missing and var.kind != "multi":
        return valid + tuple(c for c in var.codes if c in var.missing)
    return valid


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


class Service:
    def __init__(self, store: Store, cache: Cache | None = None, rules: Rules | None = None):
        self.store = store
        self.cache = cache or Cache()
        self.rules = rules or Rules()

    def crosstab(self, query: Query, lang: str = "en", comparison: Comparison | None = None) -> CrossTab:
        ds = self.store.get(query.dataset)
        key = f"xtab:{ds.id}:{ds.version}:{query!r}:{lang}:{comparison!r}:{self.rules!r}"
        return self.cache.get_or_compute(key, lambda: self._compute(ds, query, lang, comparison))

    def _compute(self, ds: Dataset, query: Query, lang: str, comparison: Comparison | None) -> CrossTab:
        cb = ds.codebook
        if query.percent not in PERCENTS:
            raise QueryError("pct", f"use one of {', '.join(PERCENTS)}")
        rvar = _variable(cb, query.row, "q")
        if not rvar.values:
            raise QueryError("q", f"'{rvar.name}' has no answer categories to tabulate")
        cvar = _variable(cb, query.col, "by") if query.col else None
        if cvar is not None and cvar.name == rvar.name:
            raise QueryError("by", "the breakdown must differ from the question")
        design = _design(ds)
        domain = _domain(ds, query)
        row_codes = _row_categories(ds, rvar, query.include_missing)
        col_codes = tuple(v.code for v in cvar.valid_values) if cvar else ()
        if cvar is not None and not col_codes:
            raise QueryError("by", f"'{cvar.name}' has no valid categories to split by")
        if not row_codes:
            raise QueryError("q", f"'{rvar.name}' has no answer categories left in the base")
        col_idx = _index(ds, cvar.name, col_codes) if cvar else None
        total_idx = np.zeros(ds.n, dtype=np.int8)
        level = query.level
        if rvar.kind == "multi":
            items = self._multi_items(ds, rvar)
            total = tabulate_multi(design, items, total_idx, 1, domain=domain, level=level)
            split = (
                tabulate_multi(design, items, col_idx, len(col_codes), domain=domain, level=level)
                if col_idx is not None
                else None
            )
        else:
            row_idx = _index(ds, rvar.name, row_codes)
            split = None
            if cvar is not None and col_idx is not None:
                total, split = tabulate_with_total(design, row_idx, len(row_codes), col_idx, len(col_codes),
                                                   domain=domain, percent=query.percent, level=level)
            else:
                total = tabulate(design, row_idx, len(row_codes), total_idx, 1, domain=domain,
                                 percent=query.percent, level=level)
        rows = tuple(
            Category(code=c, label=_label(rvar, c, lang), key=str(c), missing=c in rvar.missing) for c in row_codes
        )
        cols = [Category(code=None, label=translate("table.total", lang), key="total")]
        tables: list[tuple[Table, int]] = [(total, 0)]
        if cvar is not None and split is not None:
            for j, c in enumerate(col_codes):
                # A filter can empty a column (Albanian regions when showing Kosovo): leave it out.
                if query.filters and split.col_n[j] == 0:
                    continue
                cols.append(Category(code=c, label=cvar.value(c).label.get(lang), key=cvar.value(c).url_key))
                tables.append((split, j))
        bases, cells = self._cells(rows, tuple(cols), tables, split)
        test = None
        df = (split or total).df
        if split is not None and split.test is not None:
            t = split.test
            test = Test(statistic=t.statistic, df1=t.df1, df2=t.df2, p=t.p)
        means = self._means(ds, rvar, design, domain, cvar, col_idx, len(col_codes), level, bases)
        change = self._change(ds, query, rvar, design, domain, comparison, lang, split) if comparison else None
        notes = [rvar.notes.get(lang)] if rvar.notes else []
        asked = asked_note(rvar, cb, lang)
        if asked:
            notes.append(asked)
        return CrossTab(
            query=query,
            lang=lang,
            question=rvar.label.get(lang),
            question_short=(rvar.short or rvar.label).get(lang),
            row_name=rvar.name,
            col_name=cvar.name if cvar else None,
            col_title=cvar.label.get(lang) if cvar else translate("table.total", lang),
            kind=rvar.kind,
            rows=rows,
            cols=tuple(cols),
            cells=cells,
            bases=bases,
            test=test,
            df=df,
            level=level,
            min_base=self.rules.min_base,
            flag_base=self.rules.flag_base,
            dataset_title=cb.dataset.title.get(lang),
            citation=cb.dataset.citation,
            synthetic=cb.dataset.synthetic,
            version=ds.version,
            filters=self._filter_text(cb, query, lang),
            notes=tuple(notes),
            means=means,
            change=change,
        )

    def _multi_items(self, ds: Dataset, var: Variable) -> list[np.ndarray]:
        def build() -> list[np.ndarray]:
            items = []
            for column in var.columns:
                items.append(code_index(ds.values(column), ds.valid(column), (0, 1)))
            return items

        return ds.memo(("multi", var.name), build)

    def _cells(
        self, rows: tuple[Category, ...], cols: tuple[Category, ...], tables: list[tuple[Table, int]],
        split: Table | None,
    ) -> tuple[tuple[Base, ...], tuple[Cell, ...]]:
        bases = []
        for (t, j), cat in zip(tables, cols, strict=True):
            n = int(t.col_n[j])
            bases.append(
                Base(
                    col=cat.code,
                    n=n,
                    weighted=float(t.col_weighted[j]),
                    suppressed=n < self.rules.min_base,
                    flagged=self.rules.min_base <= n < self.rules.flag_base,
                )
            )
        cells = []
        for i, rcat in enumerate(rows):
            assert rcat.code is not None
            for (t, j), cat, base in zip(tables, cols, bases, strict=True):
                hide = base.suppressed
                sig = int(t.sig[i, j]) if t is split and not hide else 0
                cells.append(
                    Cell(
                        row=rcat.code,
                        col=cat.code,
                        n=int(t.n[i, j]),
                        weighted=float(t.weighted[i, j]),
                        percent=None if hide else _num(t.percent[i, j]),
                        se=None if hide else _num(t.se[i, j]),
                        ci_low=None if hide else _num(t.ci_low[i, j]),
                        ci_high=None if hide else _num(t.ci_high[i, j]),
                        deff=None if hide else _num(t.deff[i, j]),
                        sig=sig,
                        suppressed=hide,
                    )
                )
        return tuple(bases), tuple(cells)

    def _means(
        self, ds: Dataset, rvar: Variable, design: Design, domain: np.ndarray | None,
        cvar: Variable | None, col_idx: np.ndarray | None, n_cols: int, level: float,
        bases: tuple[Base, ...],
    ) -> tuple[float | None, ...] | None:
        if rvar.kind != "numeric":
            return None
        x = ds.codes(rvar.name)
        values = np.where(np.isin(x, list(rvar.missing)), np.nan, x)
        total = mean_by(design, values, np.zeros(ds.n, dtype=np.intp), 1, domain=domain, level=level)
        means = [float(total.mean[0])]
        if cvar is not None and col_idx is not None:
            split = mean_by(design, values, col_idx, n_cols, domain=domain, level=level)
            means += [float(m) for m in split.mean]
        return tuple(None if b.suppressed or not np.isfinite(m) else m for m, b in zip(means, bases, strict=True))

    def _change(
        self, ds: Dataset, query: Query, rvar: Variable, design: Design, domain: np.ndarray | None,
        cmp: Comparison, lang: str, split: Table | None = None,
    ) -> Change | None:
        """`split` is the page's own table, reused when it already holds the column percents compared."""
        cb = ds.codebook
        var = _variable(cb, cmp.variable, "cmp")
        if rvar.kind == "multi":
            return None
        row_codes = _row_categories(ds, rvar, query.include_missing)
        if cmp.answer not in row_codes:
            raise QueryError("cmp", f"answer {cmp.answer} is not an answer of '{rvar.name}'")
        codes = tuple(v.code for v in var.valid_values)
        for c in (cmp.a, cmp.b):
            if c not in codes:
                raise QueryError("cmp", f"{c} is not a category of '{var.name}'")
        row_idx = _index(ds, rvar.name, row_codes)
        col_idx = _index(ds, var.name, codes)
        a, b, r = codes.index(cmp.a), codes.index(cmp.b), row_codes.index(cmp.answer)
        if split is not None and cmp.variable == query.col and query.percent == "column":
            table = split
        else:
            table = tabulate(design, row_idx, len(row_codes), col_idx, len(codes), domain=domain, level=query.level)
        if min(table.col_n[a], table.col_n[b]) < self.rules.min_base:
            return None
        d = difference(design, row_idx, len(row_codes), col_idx, len(codes), domain=domain,
                       cell_row=r, col_a=a, col_b=b, level=query.level)
        return Change(
            answer_label=_label(rvar, cmp.answer, lang),
            a_label=var.value(cmp.a).label.get(lang),
            b_label=var.value(cmp.b).label.get(lang),
            a_percent=float(table.percent[r, a]),
            b_percent=float(table.percent[r, b]),
            estimate=d.estimate,
            se=d.se,
            ci_low=d.ci_low,
            ci_high=d.ci_high,
            p=d.p,
            significant=bool(d.p < 1 - query.level),
            over_time=var.name == cb.dataset.wave,
        )

    def _filter_text(self, cb: Codebook, query: Query, lang: str) -> tuple[tuple[str, str], ...]:
        out = []
        for name, codes in query.filters:
            var = cb.by_name[name]
            labels = ", ".join(var.value(c).label.get(lang) for c in codes if c in var.codes)
            out.append(((var.short or var.label).get(lang), labels))
        return tuple(out)


def _label(var: Variable, code: int, lang: str) -> str:
    return var.value(code).label.get(lang) if code in var.codes else str(code)


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None
