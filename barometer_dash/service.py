"""The single path from a `Query` to its numbers, and from them to a labelled `CrossTab`.

The page, the JSON API, the exports and the Python API all call `Service.crosstab`, so they
show the same numbers, with the same minimum-base rules. The numbers (`Tabulation`) are
computed and cached without language; words are added after, by `render.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .data.cache import Cache
from .data.store import Dataset, Store
from .domain.codebook import Codebook, Variable
from .domain.crosstab import Base, Cell, Change, CrossTab, GroupTest, Mean, Tabulation, Test
from .domain.errors import QueryError, VariableNotFound
from .domain.nets import Net
from .domain.query import MEAN, PERCENTS, Comparison, Query
from .render.labels import label_crosstab
from .stats.codes import code_index, code_mask
from .stats.design import Design, prepare_design
from .stats.disclosure import (
    cell_keys,
    net_shares,
    perturb,
    published_shares,
    record_keys,
    republish,
    secondary_columns,
)
from .stats.estimates import mean_totals, means_of
from .stats.means import difference_of, tests_of
from .stats.nets import net_index, tabulate_nets
from .stats.table import Table, difference, tabulate, tabulate_multi, tabulate_with_total
from .stats.variance import Totals


@dataclass(frozen=True)
class Rules:
    min_base: int = 30
    flag_base: int = 100


def dataset_design(ds: Dataset) -> Design:
    """The dataset's sample design: the serving copy's precomputed one, or built once and memoised."""
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


class Service:
    def __init__(self, store: Store, cache: Cache | None = None, rules: Rules | None = None):
        self.store = store
        self.cache = cache or Cache()
        self.rules = rules or Rules()

    def crosstab(self, query: Query, lang: str = "en", comparison: Comparison | None = None) -> CrossTab:
        """The table in `lang`: cached numbers, then labels (cheap) in that language."""
        ds = self.store.get(query.dataset)
        return label_crosstab(self.tabulation(query, comparison), ds.codebook, lang)

    def tabulation(self, query: Query, comparison: Comparison | None = None) -> Tabulation:
        """The table's numbers, computed once for every language."""
        ds = self.store.get(query.dataset)
        key = f"tab:{ds.id}:{ds.version}:{query!r}:{comparison!r}:{self.rules!r}"
        if query.col2 is not None:
            return self.cache.get_or_compute(key, lambda: self._nested(ds, query, comparison))
        return self.cache.get_or_compute(key, lambda: self._compute(ds, query, comparison))

    def _nested(self, ds: Dataset, query: Query, comparison: Comparison | None) -> Tabulation:
        """The question by `col2` within each category of `col`.

        Each outer category's inner columns are the table filtered to that category (a domain of
        the full design), taken from the same cached tables such a filter gives, so every number,
        marker, test and suppression inside a group is the filtered table's. The overall Total
        and the group Totals are the table by `col` alone: its markers compare the outer
        categories, and its suppression decides which groups are shown at all.
        """
        cb = ds.codebook
        if query.col is None:
            raise QueryError("col2", "a second breakdown needs a first one")
        assert query.col2 is not None
        inner = _variable(cb, query.col2, "col2")
        if inner.name in (query.row, query.col):
            raise QueryError("col2", "the second breakdown must differ from the question and the first breakdown")
        outer = self.tabulation(replace(query, col2=None), comparison)
        subs: dict[int, Tabulation] = {}
        for code, base in zip(outer.cols[1:], outer.bases[1:], strict=True):
            assert code is not None
            if base.suppressed:
                continue  # a hidden group (too small, or the partner of one) shows none of its columns
            try:
                subs[code] = self.tabulation(replace(query, col=inner.name, col2=None).with_filter(query.col, (code,)))
            except QueryError as exc:
                # Restricted data refuses some filters; the visitor asked for a nesting, not a filter.
                raise QueryError("col2", f"'{inner.name}' cannot be nested in '{query.col}' here: {exc.problem}"
                                 ) from None
        # A group's Total is its filtered table's Total (same df, same withheld counts), with the
        # marker of the table by `col`, which compares the outer categories. A group that hides
        # an inner column withholds its Total's counts; the overall Total then does too, or it
        # and the other groups' Totals would give the group's counts away.
        hold = any(_withholds(sub) for sub in subs.values())
        hard = cb.dataset.restricted
        parts: list[tuple[Tabulation, int, int | None]] = [(outer, 0, None)]
        for code, sub in subs.items():
            parts += [(sub, j, code) for j in range(len(sub.cols))]
        marker = {code: outer.cols.index(code) for code in subs}
        bases = tuple(replace(t.bases[j], group=group) for t, j, group in parts)
        if hold and hard:
            bases = (replace(bases[0], suppressed=True, secondary=True), *bases[1:])
        cells = []
        for i in range(len(outer.rows)):
            for t, j, group in parts:
                cell = replace(t.cells[i * len(t.cols) + j], group=group)
                if group is not None and j == 0 and not cell.suppressed:
                    cell = replace(cell, sig=outer.cells[i * len(outer.cols) + marker[group]].sig)
                elif group is None and hold:
                    cell = _hidden(cell) if hard else replace(cell, n=None, weighted=None)
                cells.append(cell)
        means = None
        if outer.means is not None:
            means = tuple(_group_mean(outer, t, j, group, marker, base.suppressed)
                          for (t, j, group), base in zip(parts, bases, strict=True))
        protection = set(outer.protection) | {p for sub in subs.values() for p in sub.protection}
        if hold:
            protection.add("secondary")
        return replace(outer, query=query, cols=tuple(t.cols[j] for t, j, _ in parts), cells=tuple(cells),
                       bases=bases, means=means, protection=tuple(sorted(protection)),
                       group_tests=tuple(GroupTest(group=code, test=sub.test) for code, sub in subs.items()))

    def _compute(self, ds: Dataset, query: Query, comparison: Comparison | None) -> Tabulation:
        cb = ds.codebook
        if query.percent not in PERCENTS:
            raise QueryError("pct", f"use one of {', '.join(PERCENTS)}")
        rvar = _variable(cb, query.row, "q")
        if not rvar.values:
            raise QueryError("q", f"'{rvar.name}' has no answer categories to tabulate")
        if rvar.kind == "multi" and query.percent != "column":
            # Mentions of a multiple-response set are not shares of one answer: only columns add up.
            raise QueryError("pct", "a multiple-response question has column percentages only")
        cvar = _variable(cb, query.col, "by") if query.col else None
        if cvar is not None and cvar.name == rvar.name:
            raise QueryError("by", "the breakdown must differ from the question")
        design = dataset_design(ds)
        domain = _domain(ds, query)
        if cb.dataset.restricted:
            self._check_filters(ds, query)
        row_codes = _row_categories(ds, rvar, query.include_missing)
        col_codes = tuple(v.code for v in cvar.valid_values) if cvar else ()
        if cvar is not None and not col_codes:
            raise QueryError("by", f"'{cvar.name}' has no valid categories to split by")
        if not row_codes:
            raise QueryError("q", f"'{rvar.name}' has no answer categories left in the base")
        col_idx = _index(ds, cvar.name, col_codes) if cvar else None
        total_idx = np.zeros(ds.n, dtype=np.int8)
        level = query.level
        row_idx: np.ndarray | None = None
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
        cols: list[int | None] = [None]
        tables: list[tuple[Table, int]] = [(total, 0)]
        if cvar is not None and split is not None:
            for j, c in enumerate(col_codes):
                # A filter can empty a column (Albanian regions when showing Kosovo): leave it out.
                if query.filters and split.col_n[j] == 0:
                    continue
                cols.append(c)
                tables.append((split, j))
        bases, cells, secondary = self._cells(row_codes, tuple(cols), tables, split, cb.dataset.restricted)
        protection: tuple[str, ...] = ("secondary",) if secondary else ()
        nets = rvar.all_nets if row_idx is not None else ()
        if cb.dataset.restricted:
            bases, cells = self._perturbed(ds, rvar, query, tables, bases, cells, domain, col_idx, row_idx)
            protection += ("perturbed",)
        if nets and row_idx is not None:
            cells += self._net_cells(design, nets, row_codes, row_idx, col_idx, len(col_codes), tables, cols, bases,
                                     cells, domain, query, cb.dataset.restricted)
        test = None
        df = (split or total).df
        if split is not None and split.test is not None:
            t = split.test
            test = Test(statistic=t.statistic, df1=t.df1, df2=t.df2, p=t.p)
        means = self._means(ds, rvar, design, domain, col_idx, len(col_codes), level, tables, bases,
                            cvar.name if cvar else None, query.filters)
        change = self._change(ds, query, rvar, design, domain, comparison, split) if comparison else None
        return Tabulation(
            query=query,
            kind=rvar.kind,
            rows=(*row_codes, *(n.key for n in nets)),
            row_missing=(*(c in rvar.missing for c in row_codes), *(False for _ in nets)),
            cols=tuple(cols),
            cells=cells,
            bases=bases,
            test=test,
            df=df,
            level=level,
            min_base=self.rules.min_base,
            flag_base=self.rules.flag_base,
            synthetic=cb.dataset.synthetic,
            version=ds.version,
            means=means,
            change=change,
            protection=protection,
        )

    def _multi_items(self, ds: Dataset, var: Variable) -> list[np.ndarray]:
        def build() -> list[np.ndarray]:
            items = []
            for column in var.columns:
                items.append(code_index(ds.values(column), ds.valid(column), (0, 1)))
            return items

        return ds.memo(("multi", var.name), build)

    def _cells(
        self, rows: tuple[int | str, ...], cols: tuple[int | None, ...], tables: list[tuple[Table, int]],
        split: Table | None, restricted: bool = False,
    ) -> tuple[tuple[Base, ...], tuple[Cell, ...], bool]:
        """Bases and cells with the minimum-base rule and secondary suppression applied (see
        stats.disclosure); the flag says whether the secondary rule changed anything."""
        col_n = np.array([int(t.col_n[j]) for t, j in tables], dtype=np.int64)
        primary = col_n < self.rules.min_base
        hidden = primary.copy()
        hidden[1:] = secondary_columns(col_n[1:], primary[1:])
        # With a breakdown column hidden, the Total's counts minus the others would give it away.
        withhold_total = bool((primary[1:] & (col_n[1:] > 0)).any())
        if restricted and withhold_total:
            # Restricted data: the Total's percentages too, or the Total minus the rest would give
            # the hidden pair, whose answers can be close to the small group's own.
            hidden[0] = True
        bases = [
            Base(col=code, n=int(n), weighted=float(t.col_weighted[j]), suppressed=bool(hide),
                 flagged=bool(self.rules.min_base <= n < self.rules.flag_base), secondary=bool(hide and not first))
            for (t, j), code, n, hide, first in zip(tables, cols, col_n, hidden, primary, strict=True)
        ]
        cells = []
        for i, row_code in enumerate(rows):
            for k, ((t, j), code, base) in enumerate(zip(tables, cols, bases, strict=True)):
                hide = base.suppressed
                counts_hidden = hide or (k == 0 and withhold_total)
                cells.append(
                    Cell(
                        row=row_code,
                        col=code,
                        n=None if counts_hidden else int(t.n[i, j]),
                        weighted=None if counts_hidden else float(t.weighted[i, j]),
                        percent=None if hide else _num(t.percent[i, j]),
                        se=None if hide else _num(t.se[i, j]),
                        ci_low=None if hide else _num(t.ci_low[i, j]),
                        ci_high=None if hide else _num(t.ci_high[i, j]),
                        deff=None if hide else _num(t.deff[i, j]),
                        sig=int(t.sig[i, j]) if t is split and not hide else 0,
                        suppressed=hide,
                    )
                )
        return tuple(bases), tuple(cells), bool((hidden != primary).any() or withhold_total)

    def _net_cells(
        self, design: Design, nets: tuple[Net, ...], row_codes: tuple[int, ...], row_idx: np.ndarray,
        col_idx: np.ndarray | None, n_cols: int, tables: list[tuple[Table, int]], cols: list[int | None],
        bases: tuple[Base, ...], cells: tuple[Cell, ...], domain: np.ndarray | None, query: Query,
        restricted: bool,
    ) -> tuple[Cell, ...]:
        """Rows for the question's nets, each the estimate of a recoded 0/1 variable, in the
        same columns and under the same suppression as the answers."""
        members = [[row_codes.index(c) for c in net.codes if c in row_codes] for net in nets]
        total_idx = np.zeros(design.n, dtype=np.intp)
        total = tabulate_nets(design, row_idx, members, total_idx, 1, domain=domain, percent=query.percent,
                              level=query.level)
        split = (tabulate_nets(design, row_idx, members, col_idx, n_cols, domain=domain, percent=query.percent,
                               level=query.level) if col_idx is not None else None)
        net_tables = [(total, 0)] + [(split, j) for _, j in tables[1:] if split is not None]
        _, net_cells, _ = self._cells(tuple(n.key for n in nets), tuple(cols), net_tables, split, restricted)
        if not restricted:
            return net_cells
        # Restricted data: a net is the sum of its published answers, so no unperturbed count shows.
        width = len(cols)
        answer_w = np.array([[c.weighted or 0.0 for c in cells[i * width:(i + 1) * width]]
                             for i in range(len(row_codes))])
        answer_n = np.array([[c.n or 0 for c in cells[i * width:(i + 1) * width]] for i in range(len(row_codes))])
        net_w = np.array([answer_w[m].sum(axis=0) for m in members])
        net_n = np.array([answer_n[m].sum(axis=0) for m in members])
        shares = net_shares(net_w, answer_w, query.percent)
        grid = [list(net_cells[k * width:(k + 1) * width]) for k in range(len(nets))]
        out, _ = republish(grid, list(bases), net_n, net_w, shares, np.zeros(width), np.zeros(width), query.level,
                           tables[-1][0].df)
        return tuple(c for row in out for c in row)

    def _check_filters(self, ds: Dataset, query: Query) -> None:
        """Restricted datasets: every category of a filter reaches the minimum base inside the
        rest of the domain, so that differencing two filtered tables never isolates a small group."""
        masks = {name: np.isin(ds.codes(name), np.asarray(codes, dtype=np.float64)) for name, codes in query.filters}
        for name, _ in query.filters:
            rest = np.ones(ds.n, dtype=bool)
            for other, mask in masks.items():
                if other != name:
                    rest &= mask
            var = ds.codebook.by_name[name]
            x = ds.codes(name)[rest]
            for value in var.valid_values:
                count = int(np.count_nonzero(x == value.code))
                if 0 < count < self.rules.min_base:
                    raise QueryError(f"f.{name}", f"this dataset is restricted: '{value.label.get('en')}' has fewer "
                                                  f"than {self.rules.min_base} respondents in the rest of the filter, "
                                                  f"so '{name}' cannot filter here")

    def _perturbed(
        self, ds: Dataset, rvar: Variable, query: Query, tables: list[tuple[Table, int]],
        bases: tuple[Base, ...], cells: tuple[Cell, ...], domain: np.ndarray | None,
        col_idx: np.ndarray | None, row_idx: np.ndarray | None,
    ) -> tuple[tuple[Base, ...], tuple[Cell, ...]]:
        """Restricted datasets: counts perturbed by cell key, percentages and intervals from them."""
        # A respondent's key follows the published file's row, whatever order the serving copy keeps.
        keys = ds.memo("record-keys", lambda: record_keys(ds.n, ds.id) if ds.rows is None
                       else record_keys(ds.n, ds.id)[ds.rows])
        design = dataset_design(ds)
        in_domain = domain if domain is not None else np.ones(ds.n, dtype=bool)
        unit = float(np.mean(design.weight[in_domain])) if in_domain.any() else 1.0
        n_cols = len(tables)
        split_cols = [j for t, j in tables[1:]]
        n_rows = len(cells) // n_cols
        zeros = np.zeros(ds.n, dtype=np.intp)
        if row_idx is not None:
            row_sets = [(row_idx, n_rows)]
        else:
            items = self._multi_items(ds, rvar)
            row_sets = [(np.where(item == 1, 0, -1), 1) for item in items]
        n_true = np.zeros((n_rows, n_cols))
        w_true = np.zeros((n_rows, n_cols))
        keys_at = np.zeros((n_rows, n_cols), dtype=np.int64)
        offset = 0
        for rows, k in row_sets:
            total_keys = cell_keys(keys, rows, k, zeros, 1, domain)
            keys_at[offset:offset + k, 0] = total_keys[:, 0]
            if col_idx is not None and split_cols:
                split_keys = cell_keys(keys, rows, k, col_idx, max(split_cols) + 1, domain)
                keys_at[offset:offset + k, 1:] = split_keys[:, split_cols]
            offset += k
        for c, (t, j) in enumerate(tables):
            n_true[:, c] = t.n[:, j]
            w_true[:, c] = t.weighted[:, j]
        n_pub, w_pub = perturb(n_true, w_true, keys_at, unit)
        if rvar.kind == "multi":
            # Mentions do not add up: each share keeps its own base, the count is what moves.
            base = np.divide(w_true * 100, np.array([[t.percent[i, j] for t, j in tables] for i in range(n_rows)]),
                             out=np.zeros_like(w_true), where=w_true > 0)
            shares = np.divide(w_pub, base, out=np.zeros_like(w_pub), where=base > 0)
            base_keys = [int(cell_keys(keys, zeros, 1, zeros, 1, domain)[0, 0])]
            if col_idx is not None and split_cols:
                base_keys += list(cell_keys(keys, zeros, 1, col_idx, max(split_cols) + 1, domain)[0, split_cols])
            base_n, base_w = perturb(np.array([b.n for b in bases]), np.array([b.weighted for b in bases]),
                                     np.array(base_keys, dtype=np.int64), unit)
        else:
            shares = published_shares(w_pub, query.percent)
            base_n, base_w = n_pub.sum(axis=0), w_pub.sum(axis=0)
        grid = [list(cells[i * n_cols:(i + 1) * n_cols]) for i in range(n_rows)]
        df = tables[-1][0].df
        new_cells, new_bases = republish(grid, list(bases), n_pub, w_pub, shares, base_n, base_w, query.level, df)
        return tuple(new_bases), tuple(c for row in new_cells for c in row)

    def _means(
        self, ds: Dataset, rvar: Variable, design: Design, domain: np.ndarray | None,
        col_idx: np.ndarray | None, n_cols: int, level: float, tables: list[tuple[Table, int]],
        bases: tuple[Base, ...], col: str | None, filters: tuple[tuple[str, tuple[int, ...]], ...],
    ) -> tuple[Mean | None, ...] | None:
        if rvar.kind != "numeric":
            return None
        total = means_of(_mean_scan(ds, rvar, design, np.zeros(ds.n, dtype=np.intp), 1, domain, (None, filters)),
                         level)
        split = marks = None
        if col_idx is not None:
            scanned = _mean_scan(ds, rvar, design, col_idx, n_cols, domain, (col, filters))
            split = means_of(scanned, level)
            if n_cols >= 2:
                # Each column's mean against the other columns together, as the cells' markers do.
                marks = tests_of(scanned, level).sig
        out: list[Mean | None] = []
        # One mean per column shown: the Total, then the breakdown columns kept in `tables`.
        for k, ((_, j), base) in enumerate(zip(tables, bases, strict=True)):
            m = total if k == 0 or split is None else split
            jj = 0 if k == 0 else j
            mean = float(m.mean[jj])
            if base.suppressed or not np.isfinite(mean):
                out.append(None)
            else:
                sig = int(marks[jj]) if marks is not None and k > 0 else 0
                out.append(Mean(mean=mean, ci_low=_num(m.ci_low[jj]), ci_high=_num(m.ci_high[jj]), sig=sig))
        return tuple(out)

    def _mean_change(
        self, ds: Dataset, query: Query, rvar: Variable, design: Design, domain: np.ndarray | None,
        cmp: Comparison, col_idx: np.ndarray, n_cols: int, a: int, b: int, *, over_time: bool,
    ) -> Change | None:
        """The difference of a numeric question's means between two categories, covariance included."""
        scanned = _mean_scan(ds, rvar, design, col_idx, n_cols, domain, (cmp.variable, query.filters))
        means = means_of(scanned, query.level)
        if min(means.n[a], means.n[b]) < self.rules.min_base:
            return None
        d = difference_of(scanned, col_a=a, col_b=b, level=query.level)
        return Change(answer=MEAN, a=cmp.a, b=cmp.b, a_percent=float(means.mean[a]), b_percent=float(means.mean[b]),
                      estimate=d.estimate, se=d.se, ci_low=d.ci_low, ci_high=d.ci_high, p=d.p,
                      significant=bool(d.p < 1 - query.level), over_time=over_time, mean=True)

    def _change(
        self, ds: Dataset, query: Query, rvar: Variable, design: Design, domain: np.ndarray | None,
        cmp: Comparison, split: Table | None = None,
    ) -> Change | None:
        """`split` is the page's own table, reused when it already holds the column percents compared."""
        cb = ds.codebook
        var = _variable(cb, cmp.variable, "cmp")
        if rvar.kind == "multi":
            return None
        row_codes = _row_categories(ds, rvar, query.include_missing)
        codes = tuple(v.code for v in var.valid_values)
        for c in (cmp.a, cmp.b):
            if c not in codes:
                raise QueryError("cmp", f"{c} is not a category of '{var.name}'")
        row_idx = _index(ds, rvar.name, row_codes)
        col_idx = _index(ds, var.name, codes)
        a, b = codes.index(cmp.a), codes.index(cmp.b)
        n_rows = len(row_codes)
        if cmp.answer == MEAN and rvar.kind == "numeric" and rvar.net(MEAN) is None:
            return self._mean_change(ds, query, rvar, design, domain, cmp, col_idx, len(codes), a, b,
                                     over_time=var.name == cb.dataset.wave)
        if isinstance(cmp.answer, str):
            # A net: the answer "one of these", a recoded 0/1 variable.
            net = rvar.net(cmp.answer)
            if net is None:
                raise QueryError("cmp", f"'{rvar.name}' has no net '{cmp.answer}'")
            row_idx = net_index(row_idx, [row_codes.index(c) for c in net.codes if c in row_codes])
            n_rows, r = 2, 0
        elif cmp.answer in row_codes:
            r = row_codes.index(cmp.answer)
        else:
            raise QueryError("cmp", f"answer {cmp.answer} is not an answer of '{rvar.name}'")
        reuse = split is not None and cmp.variable == query.col and query.percent == "column" and n_rows == len(
            row_codes) and not isinstance(cmp.answer, str)
        table = split if reuse and split is not None else tabulate(
            design, row_idx, n_rows, col_idx, len(codes), domain=domain, level=query.level)
        if min(table.col_n[a], table.col_n[b]) < self.rules.min_base:
            return None
        d = difference(design, row_idx, n_rows, col_idx, len(codes), domain=domain,
                       cell_row=r, col_a=a, col_b=b, level=query.level)
        return Change(
            answer=cmp.answer,
            a=cmp.a,
            b=cmp.b,
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


def _mean_scan(ds: Dataset, var: Variable, design: Design, col_idx: np.ndarray, n_cols: int,
               domain: np.ndarray | None, key: tuple[object, ...]) -> tuple[Totals, np.ndarray]:
    """What a numeric question's means by a breakdown are ratios of: one scan, shared by the
    means, their markers and the comparison box. `key` names the breakdown and the filters."""
    def build() -> tuple[Totals, np.ndarray]:
        x = ds.codes(var.name)
        values = np.where(np.isin(x, list(var.missing)), np.nan, x)  # missing codes are not in the base
        return mean_totals(design, values, col_idx, n_cols, domain)

    return ds.memo(("mean-scan", var.name, *key), build)


def _group_mean(outer: Tabulation, t: Tabulation, j: int, group: int | None, marker: dict[int, int],
                hidden: bool) -> Mean | None:
    """A nested column's mean; a group's Total takes its marker from the table by `col`."""
    mean = None if hidden or t.means is None else t.means[j]
    if mean is None or group is None or j > 0 or outer.means is None:
        return mean
    theirs = outer.means[marker[group]]
    return replace(mean, sig=theirs.sig if theirs is not None else 0)


def _withholds(tab: Tabulation) -> bool:
    """Whether a table withholds its Total column's counts (a small breakdown column is hidden)."""
    return tab.bases[0].suppressed or any(c.n is None for c in tab.cells[::len(tab.cols)])


def _hidden(cell: Cell) -> Cell:
    return replace(cell, n=None, weighted=None, percent=None, se=None, ci_low=None, ci_high=None, deff=None, sig=0,
                   suppressed=True)


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None
