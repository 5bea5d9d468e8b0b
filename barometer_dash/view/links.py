"""Views to and from page links, API query strings and Python keywords, all by the registry.

Page links are forgiving: a parameter that is not understood falls back to its default and is
reported as a notice. API query strings and Python keywords are strict: the first bad one
raises `ParamError` naming it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ..domain.codebook import Codebook, Variable
from ..limits import MAX_FILTER_CODES, MAX_QUERY_VARIABLES, quoted
from .model import View, default_breakdown
from .params import BY_FIELD, MIGRATIONS, REGISTRY, ParamError, Surface, codes_for

Pairs = list[tuple[str, str]]


@dataclass(frozen=True)
class Parsed:
    view: View
    notices: tuple[tuple[str, str], ...] = ()  # (parameter, value) that were ignored


def default_view(cb: Codebook, lang: str = "en") -> View:
    """The page's view with no parameters: the first question by country (or wave)."""
    questions = cb.questions
    return View(ds=cb.dataset.id, q=questions[0].name if questions else "", by=default_breakdown(cb), lang=lang)


def role_names(cb: Codebook) -> dict[str, str]:
    """Page-link names of the country and wave filters (`country`, `year`) -> variable."""
    out = {}
    if cb.dataset.country:
        out["country"] = cb.dataset.country
    if cb.dataset.wave:
        out["year"] = cb.dataset.wave
    return out


def _filter_variable(cb: Codebook, name: str, surface: Surface) -> Variable:
    var = cb.by_name.get(name)
    if var is None:
        raise ValueError(f"dataset '{cb.dataset.id}' has no variable {quoted(name)}")
    if var.kind == "multi" or not var.valid_values or (surface == "page" and var not in cb.breakdowns):
        raise ValueError(f"{quoted(name)} cannot filter a table (it has no single answer codes)")
    return var


def _migrate(pairs: Pairs) -> tuple[Pairs, dict[str, str]]:
    """Old names and values -> current ones, and current name -> the name the link used."""
    renamed = {m.old: m for m in MIGRATIONS}
    out, spelled = [], {}
    for key, value in pairs:
        m = renamed.get(key)
        if m is None:
            out.append((key, value))
        else:
            out.append((m.new, m.values.get(value, value)))
            spelled[m.new] = key
    return out, spelled


# --- page links ------------------------------------------------------------------------------


def parse_page(search: str, cb: Codebook, *, default_lang: str = "en") -> Parsed:
    """Read `?q=...&by=...` into a View for this codebook; bad parameters become notices."""
    pairs, spelled = _migrate(parse_qsl(search.lstrip("?"), keep_blank_values=True))
    pairs = [(k, v) for k, v in pairs if k != "ds"]  # picked by the caller, which owns the datasets
    view = default_view(cb, default_lang)
    notices: list[tuple[str, str]] = []
    given: dict[str, str] = {}
    for key, value in pairs:
        if key in given:
            notices.append((key, value))  # a repeated parameter: the first one counts
        else:
            given[key] = value
    roles = role_names(cb)
    filters: dict[str, tuple[int, ...]] = {}
    for param in REGISTRY:
        if param.page is None:
            continue
        if param.field == "filters":
            for key in [k for k in given if k in roles or k.startswith("f.")]:
                text = given.pop(key)
                try:
                    var = _filter_variable(cb, roles.get(key) or key[2:], "page")
                    filters[var.name] = codes_for(var, text)
                except ValueError:
                    notices.append((key, text))
            view = replace(view, filters=tuple(sorted(filters.items())))
            continue
        if param.page not in given:
            continue
        text = given.pop(param.page)
        try:
            view = replace(view, **{param.field: param.read(text, cb, view, "page")})
        except ValueError:
            notices.append((spelled.get(param.page, param.page), text))
    notices.extend(given.items())
    question = cb.by_name.get(view.q)
    if question is not None and question.kind == "multi" and view.pct != "column":
        # Mentions of a multiple-response set only add up within a column.
        notices.append(("pct", view.pct))
        view = replace(view, pct="column")
    return Parsed(view=normalise(view, cb), notices=tuple(notices))


def page_pairs(view: View, cb: Codebook, *, default_lang: str = "en", default_ds: str = "demo") -> Pairs:
    """The page-link parameters of `view` that differ from the defaults, in registry order."""
    base = default_view(cb, default_lang)
    out: Pairs = [("ds", view.ds)] if view.ds != default_ds else []
    roles = {v: k for k, v in role_names(cb).items()}
    for param in REGISTRY:
        if param.page is None:
            continue
        value = getattr(view, param.field)
        if param.field == "filters":
            for name, codes in value:
                keys = ",".join(cb.by_name[name].value(c).url_key for c in codes)
                out.append((roles.get(name, f"f.{name}"), keys))
        elif value != getattr(base, param.field):
            text = param.write(value, cb, view)
            if text:
                out.append((param.page, text))
    return out


def page_query(view: View, cb: Codebook, *, default_lang: str = "en", default_ds: str = "demo") -> str:
    """The query string for `view` ('' when it is the default view)."""
    pairs = page_pairs(view, cb, default_lang=default_lang, default_ds=default_ds)
    return "?" + urlencode(pairs, safe=",.") if pairs else ""


def normalise(view: View, cb: Codebook) -> View:
    """Drop what the rest of the view makes meaningless, so equal views have equal links."""
    from .model import comparison_choices, valid_comparison

    if view.by2 is not None and (view.by is None or view.by2 in (view.by, view.q)):
        view = replace(view, by2=None)
    if view.cmp is not None:
        choices = comparison_choices(cb, view)
        if choices is None or not valid_comparison(view.cmp, choices) or view.cmp == choices.default:
            view = replace(view, cmp=None)
    return view


# --- API query strings -----------------------------------------------------------------------


def parse_api(pairs: Iterable[tuple[str, str]], cb: Codebook, *, allowed: Iterable[str] | None = None) -> View:
    """The view an API query string asks for; `ParamError` names the first bad parameter."""
    items = list(pairs)
    names = {p.api for p in REGISTRY if p.api} if allowed is None else set(allowed)
    for key, value in items:
        if key not in names:
            raise ParamError(key, value, f"unknown parameter {quoted(key)}; this endpoint takes "
                                         f"{', '.join(sorted(names))}")
    multi = {k for k, _ in items if k != "filter"}
    for key in multi:
        values = [v for k, v in items if k == key]
        if len(values) > 1:
            raise ParamError(key, values[1], "give this parameter once")
    given = dict((k, v) for k, v in items if k != "filter")
    if not given.get("row"):
        raise ParamError("row", given.get("row", ""), "required: the name of the variable to tabulate")
    view = View(ds=cb.dataset.id, q="")
    for param in REGISTRY:
        if param.api is None or param.api not in names:
            continue
        if param.field == "filters":
            view = replace(view, filters=_api_filters([v for k, v in items if k == "filter"], cb))
            continue
        if param.api not in given:
            continue
        text = given[param.api]
        try:
            view = replace(view, **{param.field: param.read(text, cb, view, "api")})
        except ValueError as exc:
            raise ParamError(param.api, text, str(exc)) from None
    return normalise(view, cb)


def _api_filters(raws: list[str], cb: Codebook) -> tuple[tuple[str, tuple[int, ...]], ...]:
    chosen: dict[str, set[int]] = {}
    if len(raws) > MAX_QUERY_VARIABLES:
        raise ParamError("filter", raws[-1], f"too many filters ({len(raws)}); the limit is {MAX_QUERY_VARIABLES} "
                                             "variables")
    if sum(raw.count(",") + 1 for raw in raws) > MAX_FILTER_CODES:
        raise ParamError("filter", raws[-1], f"too many filter codes; the limit is {MAX_FILTER_CODES} in all")
    for raw in raws:
        name, sep, text = raw.partition(":")
        if not sep or not name:
            raise ParamError("filter", raw, f"{quoted(raw)}: write VARIABLE:code,code")
        try:
            var = _filter_variable(cb, name, "api")
            chosen.setdefault(var.name, set()).update(codes_for(var, text))
        except ValueError as exc:
            raise ParamError("filter", raw, str(exc)) from None
    return tuple(sorted((name, tuple(sorted(codes))) for name, codes in chosen.items()))


def api_pairs(view: View, cb: Codebook) -> Pairs:
    """The API query string for `view` (row always; the rest where it differs from the API's defaults)."""
    out: Pairs = []
    base = View(ds=view.ds, q=view.q)
    for param in REGISTRY:
        if param.api is None:
            continue
        value = getattr(view, param.field)
        if param.field == "filters":
            for name, codes in value:
                out.append(("filter", f"{name}:{','.join(str(c) for c in codes)}"))
        elif param.field == "q" or value != getattr(base, param.field):
            text = param.write(value, cb, view)
            if text and not (param.field == "by" and value is None):
                out.append((param.api, text))
    return out


def api_query(view: View, cb: Codebook) -> str:
    return urlencode(api_pairs(view, cb), safe=":,.")


# --- Python keywords -------------------------------------------------------------------------


def _python_text(value: Any) -> str:
    if isinstance(value, bool):
        return "include" if value else "exclude"
    if isinstance(value, str | int | float):
        return str(value)
    return ",".join(str(v) for v in value)


def view_from_python(cb: Codebook, question: str, by: str | None, options: Mapping[str, Any]) -> View:
    """A view from `Barometer.crosstab` keywords; `ParamError` names the keyword at fault.

    `options` may hold `filters` ({variable: codes or keys}), `country` and `year` (the
    dataset's country and wave columns) and the registry's other Python keywords.
    """
    keywords = {p.python: p for p in REGISTRY if p.python is not None}
    unknown = set(options) - set(keywords) - {"country", "year"}
    if unknown:
        name = sorted(unknown)[0]
        raise ParamError(name, "", f"unknown keyword; use {', '.join(sorted(keywords))}, country, year")
    view = View(ds=cb.dataset.id, q="")
    later = ("compare",)  # read after the filters: which comparisons exist depends on them
    given: list[tuple[str, Any]] = [("question", question), ("by", by)]
    given += [(k, options[k]) for k in keywords if k in options and k not in later]
    for keyword, value in given:
        view = _python_field(view, cb, keywords[keyword], keyword, value)
    given_filters = options.get("filters") or {}
    if not isinstance(given_filters, Mapping):
        raise ParamError("filters", str(given_filters)[:60], "give a mapping {variable: codes}")
    chosen: dict[str, tuple[str, Any]] = {name: (name, codes) for name, codes in given_filters.items()}
    roles = role_names(cb)
    for role in ("country", "year"):
        if options.get(role) is not None:
            if role not in roles:
                raise ParamError(role, _python_text(options[role]), "this dataset has no such column")
            chosen[roles[role]] = (role, options[role])
    filters = []
    for name, (keyword, codes) in chosen.items():
        try:
            var = _filter_variable(cb, name, "python")
            filters.append((var.name, codes_for(var, _python_text(codes))))
        except ValueError as exc:
            raise ParamError(keyword, _python_text(codes), str(exc)) from None
    view = replace(view, filters=tuple(sorted(filters)))
    for keyword in later:
        if keyword in options:
            view = _python_field(view, cb, keywords[keyword], keyword, options[keyword])
    return view


def _python_field(view: View, cb: Codebook, param: Any, keyword: str, value: Any) -> View:
    if param.field == "filters" or value is None:
        return view
    try:
        return replace(view, **{param.field: param.read(_python_text(value), cb, view, "python")})
    except ValueError as exc:
        raise ParamError(keyword, _python_text(value), str(exc)) from None


__all__ = ["BY_FIELD", "Parsed", "api_pairs", "api_query", "default_view", "normalise", "page_pairs",
           "page_query", "parse_api", "parse_page", "role_names", "view_from_python"]
