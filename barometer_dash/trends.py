"""One answer (or net) of a question across the waves: a line per breakdown category.

Each point is the answer's column percent in that category and wave, with its design-based
CI and unweighted base, exactly as `Service.crosstab(Query(row=q, col=wave, filters=(by=c,
...)))` gives it: every series is its own domain of the full design. Each point also says
whether the change from the previous shown wave of its series is significant (a
design-based difference of the two waves, covariance included). Answers and nets take the
same path: an answer is a net of one code.
"""

from __future__ import annotations

import numpy as np

from .data.store import Dataset
from .domain.codebook import Net, Variable
from .domain.errors import QueryError, VariableNotFound
from .domain.trend import Trend, TrendPoint, TrendSeries, WaveNote
from .i18n import translate
from .service import Service, dataset_design
from .stats import Design
from .stats.nets import net_difference, tabulate_nets


def answer_members(var: Variable, answer: str | None) -> tuple[str, str | None, Net]:
    """(key, None or net key, the answer as a net of codes): `answer` is a net key or an answer's key
    or code; by default the question's first net, else its first substantive answer."""
    if var.kind not in ("single", "numeric"):
        raise QueryError("ans", f"'{var.name}' is a multiple-response set: pick a single-answer question")
    if answer is None:
        if var.all_nets:
            net = var.all_nets[0]
            return net.key, net.key, net
        if not var.valid_values:
            raise QueryError("q", f"'{var.name}' has no answers to follow over time")
        v = var.valid_values[0]
        return v.url_key, None, Net(v.url_key, v.label, (v.code,))
    found = var.net(answer)
    if found is not None:
        return found.key, found.key, found
    code = var.code_for_key(answer)
    if code is None or code in var.missing:
        raise QueryError("ans", f"'{answer}' is neither an answer nor a net of '{var.name}'")
    v = var.value(code)
    return v.url_key, None, Net(v.url_key, v.label, (code,))


def _positions(x: np.ndarray, codes: tuple[int, ...]) -> np.ndarray:
    """Per respondent, the position of its code in `codes`, else -1."""
    out = np.full(x.shape, -1, dtype=np.intp)
    for k, c in enumerate(codes):
        out[x == c] = k
    return out


def _variable(ds: Dataset, name: str, param: str) -> Variable:
    var = ds.codebook.by_name.get(name)
    if var is None:
        raise VariableNotFound(ds.id, name)
    if var.kind == "multi" and param != "q":
        raise QueryError(param, f"'{name}' is a multiple-response set and cannot split or filter a table")
    return var


def trend(
    service: Service,
    dataset: str,
    row: str,
    *,
    answer: str | None = None,
    by: str | None = "",
    filters: tuple[tuple[str, tuple[int, ...]], ...] = (),
    lang: str = "en",
    include_missing: bool = False,
    level: float = 0.95,
) -> Trend:
    """The trend of one answer or net of `row`, a line per category of `by` (default: country;
    None: one Total line), within `filters`. Cached like tables."""
    ds = service.store.get(dataset)
    key = f"trend:{ds.id}:{ds.version}:{row}:{answer}:{by}:{filters}:{lang}:{include_missing}:{level}:{service.rules}"
    return service.cache.get_or_compute(
        key, lambda: _compute(service, ds, row, answer, by, filters, lang, include_missing, level)
    )


def _compute(
    service: Service, ds: Dataset, row: str, answer: str | None, by: str | None,
    filters: tuple[tuple[str, tuple[int, ...]], ...], lang: str, include_missing: bool, level: float,
) -> Trend:
    cb = ds.codebook
    if not cb.dataset.wave:
        raise QueryError("chart", f"dataset '{ds.id}' has no wave variable to draw a trend over")
    rvar = _variable(ds, row, "q")
    wvar = cb.variable(cb.dataset.wave)
    by = cb.dataset.country if by == "" else by
    bvar = _variable(ds, by, "by") if by else None
    if bvar is not None and bvar.name in (wvar.name, rvar.name):
        raise QueryError("by", "a trend's lines cannot be split by the waves or by the question itself")
    ans_key, net_key, members = answer_members(rvar, answer)
    row_codes = tuple(v.code for v in rvar.valid_values)
    if rvar.kind == "numeric":
        x = ds.codes(rvar.name)
        seen = {int(c) for c in np.unique(x[~np.isnan(x)]) if int(c) not in rvar.missing}
        row_codes = tuple(sorted(set(row_codes) | seen))
    if include_missing:
        row_codes += tuple(c for c in rvar.codes if c in rvar.missing)
    row_pos = _positions(ds.codes(rvar.name), row_codes)
    net = [row_codes.index(c) for c in members.codes if c in row_codes]
    mask = np.ones(ds.n, dtype=bool)
    for name, codes in filters:
        var = _variable(ds, name, f"f.{name}")
        unknown = [c for c in codes if c not in var.codes]
        if unknown:
            raise QueryError(f"f.{name}", f"'{name}' has no code {unknown[0]}")
        mask &= np.isin(ds.codes(name), np.asarray(codes, dtype=np.float64))
    waves = tuple(v.code for v in wvar.valid_values)
    wave_pos = _positions(ds.codes(wvar.name), waves)
    design = dataset_design(ds)
    series = []
    categories = [(None, "total", translate("table.total", lang))] if bvar is None else [
        (v.code, v.url_key, v.label.get(lang)) for v in bvar.valid_values
    ]
    for code, key, label in categories:
        domain = mask if code is None or bvar is None else mask & (ds.codes(bvar.name) == code)
        if not (domain & (wave_pos >= 0)).any():
            continue  # a filter left this category out (regions of another country)
        points = _points(service, design, row_pos, net, wave_pos, waves, wvar, domain, lang, level)
        if all(p.n == 0 for p in points):
            continue
        series.append(TrendSeries(code=code, key=key, label=label, points=points))
    shown_waves = sorted({p.wave for s in series for p in s.points if p.n > 0})
    return Trend(
        dataset=ds.id, row=rvar.name, lang=lang, question=rvar.label.get(lang), answer_key=ans_key,
        answer_label=members.label.get(lang), is_net=net_key is not None, by=bvar.name if bvar else None,
        by_title=bvar.label.get(lang) if bvar else translate("table.total", lang),
        waves=tuple((w, wvar.value(w).label.get(lang)) for w in shown_waves),
        series=tuple(series),
        wording=tuple(WaveNote(c.wave, wvar.value(c.wave).label.get(lang), c.note.get(lang))
                      for c in rvar.wording_changes if c.wave in shown_waves),
        filters=tuple(((cb.by_name[n].short or cb.by_name[n].label).get(lang),
                       ", ".join(cb.by_name[n].value(c).label.get(lang) for c in codes)) for n, codes in filters),
        level=level, min_base=service.rules.min_base, dataset_title=cb.dataset.title.get(lang),
        citation=cb.dataset.citation.get(lang), version=ds.version, synthetic=cb.dataset.synthetic,
    )


def _points(
    service: Service, design: Design, row_pos: np.ndarray, net: list[int], wave_pos: np.ndarray,
    waves: tuple[int, ...], wvar: Variable, domain: np.ndarray, lang: str, level: float,
) -> tuple[TrendPoint, ...]:
    table = tabulate_nets(design, row_pos, [net], wave_pos, len(waves), domain=domain, level=level)
    points: list[TrendPoint] = []
    previous: int | None = None
    for w, code in enumerate(waves):
        n = int(table.col_n[w])
        shown = n >= service.rules.min_base
        change = None
        if shown and previous is not None:
            change = net_difference(design, row_pos, net, wave_pos, len(waves), domain=domain, col_a=previous,
                                    col_b=w, level=level)
        points.append(TrendPoint(
            wave=code, wave_label=wvar.value(code).label.get(lang), n=n,
            percent=_num(table.percent[0, w]) if shown else None,
            ci_low=_num(table.ci_low[0, w]) if shown else None,
            ci_high=_num(table.ci_high[0, w]) if shown else None,
            change=change.estimate if change else None,
            change_low=change.ci_low if change else None,
            change_high=change.ci_high if change else None,
            change_p=change.p if change else None,
            significant=bool(change is not None and change.p < 1 - level),
        ))
        if shown:
            previous = w
    return tuple(points)


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None
