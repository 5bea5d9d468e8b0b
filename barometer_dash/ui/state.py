"""URL = state: parse a query string into a view and write a view back, defaults left out.

Unknown or invalid parameters never fail: they fall back to the default and add a notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import cast
from urllib.parse import parse_qsl, urlencode

from ..domain.codebook import Codebook, Variable
from ..domain.query import PERCENTS, Comparison, Percent, Query
from ..i18n import LANGUAGES

VIEWS = ("both", "table", "chart")


@dataclass(frozen=True)
class View:
    ds: str
    q: str
    by: str | None
    filters: tuple[tuple[str, tuple[int, ...]], ...] = ()
    pct: Percent = "column"
    dk: bool = False
    lang: str = "en"
    view: str = "both"
    cmp: tuple[int, int, int] | None = None  # answer, a, b (codes), on the breakdown variable

    def query(self) -> Query:
        return Query(dataset=self.ds, row=self.q, col=self.by, filters=self.filters, percent=self.pct,
                     include_missing=self.dk)

    def comparison(self, cb: Codebook) -> Comparison | None:
        """The comparison shown under the table: the chosen one, else the default one."""
        choices = comparison_choices(cb, self)
        if choices is None or self.by is None:
            return None
        answer, a, b = self.cmp if self.cmp and valid_comparison(self.cmp, choices) else choices.default
        return Comparison(variable=self.by, answer=answer, a=a, b=b)

    def filter_codes(self, name: str) -> tuple[int, ...]:
        for n, codes in self.filters:
            if n == name:
                return codes
        return ()


@dataclass(frozen=True)
class Parsed:
    view: View
    notices: tuple[tuple[str, str], ...] = field(default=())  # (parameter, value) that were ignored


@dataclass(frozen=True)
class Choices:
    answers: tuple[int, ...]
    categories: tuple[int, ...]

    @property
    def default(self) -> tuple[int, int, int]:
        """First answer, first and last category: for a wave breakdown, the change since the start."""
        return (self.answers[0], self.categories[0], self.categories[-1])


def comparison_choices(cb: Codebook, view: View) -> Choices | None:
    """What can be compared: answers of the question, the breakdown's (selected) categories."""
    if view.by is None or view.q not in cb.by_name or cb.by_name[view.q].kind == "multi":
        return None
    qvar, byvar = cb.by_name[view.q], cb.by_name[view.by]
    answers = tuple(v.code for v in qvar.valid_values)
    cats = tuple(v.code for v in byvar.valid_values)
    selected = view.filter_codes(byvar.name)
    if selected:
        cats = tuple(c for c in cats if c in selected)
    if len(cats) < 2 or not answers:
        return None
    return Choices(answers=answers, categories=cats)


def valid_comparison(cmp: tuple[int, int, int], choices: Choices) -> bool:
    answer, a, b = cmp
    return answer in choices.answers and a in choices.categories and b in choices.categories and a != b


def default_view(cb: Codebook, lang: str = "en") -> View:
    questions = cb.questions
    return View(ds=cb.dataset.id, q=questions[0].name if questions else "", by=default_breakdown(cb), lang=lang)


def default_breakdown(cb: Codebook) -> str | None:
    return cb.dataset.country or cb.dataset.wave or None


def _codes(var: Variable, raw: str) -> tuple[int, ...] | None:
    out = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        code = var.code_for_key(part)
        if code is None:
            return None
        out.append(code)
    return tuple(sorted(set(out))) or None


def _role_param(cb: Codebook) -> dict[str, str]:
    """URL names for the country and wave filters: `country` and `year`."""
    out = {}
    if cb.dataset.country:
        out["country"] = cb.dataset.country
    if cb.dataset.wave:
        out["year"] = cb.dataset.wave
    return out


def parse(search: str, cb: Codebook, *, default_lang: str = "en") -> Parsed:
    """Read `?q=...&by=...` into a View for this codebook."""
    params = dict(parse_qsl(search.lstrip("?"), keep_blank_values=True))
    view = default_view(cb, default_lang)
    notices: list[tuple[str, str]] = []
    params.pop("ds", None)  # picked by the caller, which owns the list of datasets
    lang = params.pop("lang", None)
    if lang is not None:
        if lang in LANGUAGES:
            view = replace(view, lang=lang)
        else:
            notices.append(("lang", lang))
    q = params.pop("q", None)
    if q is not None:
        if q in {v.name for v in cb.questions}:
            view = replace(view, q=q)
        else:
            notices.append(("q", q))
    by = params.pop("by", None)
    if by is not None:
        if by in ("", "none"):
            view = replace(view, by=None)
        elif by in {v.name for v in cb.breakdowns}:
            view = replace(view, by=by)
        else:
            notices.append(("by", by))
    pct = params.pop("pct", None)
    if pct is not None:
        if pct in PERCENTS:
            view = replace(view, pct=cast(Percent, pct))
        else:
            notices.append(("pct", pct))
    dk = params.pop("dk", None)
    if dk is not None:
        if dk in ("1", "0"):
            view = replace(view, dk=dk == "1")
        else:
            notices.append(("dk", dk))
    shape = params.pop("view", None)
    if shape is not None:
        if shape in VIEWS:
            view = replace(view, view=shape)
        else:
            notices.append(("view", shape))
    filters: dict[str, tuple[int, ...]] = {}
    roles = _role_param(cb)
    breakdowns = {v.name: v for v in cb.breakdowns}
    for key in list(params):
        if key in roles:
            name = roles[key]
        elif key.startswith("f.") and key[2:] in breakdowns:
            name = key[2:]
        else:
            continue
        raw = params.pop(key)
        codes = _codes(breakdowns[name], raw) if name in breakdowns else None
        if codes is None:
            notices.append((key, raw))
        else:
            filters[name] = codes
    view = replace(view, filters=tuple(sorted(filters.items())))
    cmp = params.pop("cmp", None)
    if cmp is not None:
        parsed = _parse_cmp(cmp, cb, view)
        if parsed is None:
            notices.append(("cmp", cmp))
        else:
            view = replace(view, cmp=parsed)
    view = normalise_comparison(view, cb)
    notices.extend((k, v) for k, v in params.items())
    return Parsed(view=view, notices=tuple(notices))


def _parse_cmp(raw: str, cb: Codebook, view: View) -> tuple[int, int, int] | None:
    parts = raw.split(",")
    choices = comparison_choices(cb, view)
    if len(parts) != 3 or view.by is None or choices is None:
        return None
    qvar, byvar = cb.by_name[view.q], cb.by_name[view.by]
    answer = qvar.code_for_key(parts[0])
    a, b = byvar.code_for_key(parts[1]), byvar.code_for_key(parts[2])
    if answer is None or a is None or b is None:
        return None
    return (answer, a, b) if valid_comparison((answer, a, b), choices) else None


def normalise_comparison(view: View, cb: Codebook) -> View:
    """Keep `cmp` only when it is valid and differs from the default, so URLs stay short."""
    if view.cmp is None:
        return view
    choices = comparison_choices(cb, view)
    if choices is None or not valid_comparison(view.cmp, choices) or view.cmp == choices.default:
        return replace(view, cmp=None)
    return view


def serialise(view: View, cb: Codebook, *, default_lang: str = "en", default_ds: str = "demo") -> str:
    """The query string for `view`, holding only what differs from the defaults ('' if none)."""
    base = default_view(cb, default_lang)
    out: list[tuple[str, str]] = []
    if view.ds != default_ds:
        out.append(("ds", view.ds))
    if view.lang != base.lang:
        out.append(("lang", view.lang))
    if view.q != base.q:
        out.append(("q", view.q))
    if view.by != base.by:
        out.append(("by", view.by or "none"))
    roles = {v: k for k, v in _role_param(cb).items()}
    for name, codes in view.filters:
        var = cb.by_name[name]
        keys = ",".join(var.value(c).url_key for c in codes)
        out.append((roles.get(name, f"f.{name}"), keys))
    if view.pct != base.pct:
        out.append(("pct", view.pct))
    if view.dk != base.dk:
        out.append(("dk", "1" if view.dk else "0"))
    if view.view != base.view:
        out.append(("view", view.view))
    if view.cmp is not None and view.by is not None:
        qvar, byvar = cb.by_name[view.q], cb.by_name[view.by]
        answer, a, b = view.cmp
        out.append(("cmp", f"{qvar.value(answer).url_key},{byvar.value(a).url_key},{byvar.value(b).url_key}"))
    return "?" + urlencode(out, safe=",.") if out else ""
