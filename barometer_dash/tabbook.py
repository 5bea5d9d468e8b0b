"""A tab book: every chosen question against one banner, from the service's own tables.

Each question is tabulated once per banner variable through `Service.crosstab`, the path
of the page and the API, so every number in the workbook is the number they show, with
the same suppression.  Rendering to a workbook is `render.tabbook`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .domain.codebook import Codebook
from .domain.errors import QueryError
from .domain.query import Query
from .domain.tabbook import Filters, TabBook, TabSheet
from .service import Service


def parse_questions(cb: Codebook, spec: Iterable[str] | None) -> tuple[str, ...]:
    """`topic:NAME` and variable names, in the order given (all questions when empty)."""
    items = [s.strip() for part in spec or () for s in part.split(",") if s.strip()]
    if not items:
        return tuple(v.name for v in cb.questions)
    chosen: list[str] = []
    topics = {t.id for t in cb.topics} | {v.topic for v in cb.variables if v.topic}
    for item in items:
        kind, sep, name = item.partition(":")
        if sep:
            if kind != "topic":
                raise QueryError("questions", f"'{item}': write topic:NAME or a variable name")
            if name not in topics:
                raise QueryError("questions", f"dataset '{cb.dataset.id}' has no topic '{name}'")
            names = [v.name for v in cb.questions if v.topic == name]
        else:
            var = cb.by_name.get(item)
            if var is None:
                raise QueryError("questions", f"dataset '{cb.dataset.id}' has no variable '{item}'")
            if not var.values:
                raise QueryError("questions", f"'{item}' has no answer categories to tabulate")
            names = [item]
        chosen += [n for n in names if n not in chosen]
    return tuple(chosen)


def parse_filters(cb: Codebook, spec: Iterable[str] | None) -> Filters:
    """`VAR:code,code` items (codes or value keys such as XK), as sorted (variable, codes)."""
    chosen: dict[str, set[int]] = {}
    for raw in spec or ():
        name, sep, codes_text = raw.partition(":")
        if not sep or not name:
            raise QueryError("filter", f"'{raw}': write VARIABLE:code,code")
        var = cb.by_name.get(name)
        if var is None:
            raise QueryError("filter", f"dataset '{cb.dataset.id}' has no variable '{name}'")
        if var.kind == "multi" or not var.values:
            raise QueryError("filter", f"'{name}' cannot filter a table (it has no single answer codes)")
        keys = [k.strip() for k in codes_text.split(",") if k.strip()]
        if not keys:
            raise QueryError("filter", f"'{raw}': list at least one code after the colon")
        for key in keys:
            code = var.code_for_key(key)
            if code is None:
                raise QueryError("filter", f"'{name}' has no code '{key}'")
            chosen.setdefault(name, set()).add(code)
    return tuple(sorted((name, tuple(sorted(codes))) for name, codes in chosen.items()))


def parse_banner(cb: Codebook, spec: Sequence[str]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(s.strip() for part in spec for s in part.split(",") if s.strip()))
    if not names:
        raise QueryError("by", "give at least one banner variable")
    for name in names:
        var = cb.by_name.get(name)
        if var is None:
            raise QueryError("by", f"dataset '{cb.dataset.id}' has no variable '{name}'")
        if var.kind == "multi" or not var.valid_values:
            raise QueryError("by", f"'{name}' cannot split a table (it has no single answer codes)")
    return names


def tabbook_tables(
    service: Service,
    dataset: str,
    banner: Sequence[str],
    *,
    questions: Iterable[str] | None = None,
    filters: Iterable[str] | None = None,
    lang: str = "en",
    by2: str | None = None,
) -> TabBook:
    """Every chosen question by every banner variable (with `by2` nested in each, where it differs
    from it); bad arguments raise `QueryError`."""
    ds = service.store.get(dataset)
    cb = ds.codebook
    by = parse_banner(cb, banner)
    if by2 is not None:
        try:
            by2 = parse_banner(cb, [by2])[0]
        except QueryError as exc:
            raise QueryError("by2", exc.problem) from None
    names = parse_questions(cb, questions)
    clash = [n for n in names if n in by or n == by2]
    if clash:
        raise QueryError("questions", f"'{clash[0]}' is also a banner variable; a question cannot split itself")
    chosen = parse_filters(cb, filters)
    sheets = []
    for name in names:
        tables = tuple(service.crosstab(Query(dataset=dataset, row=name, col=b, col2=by2 if by2 != b else None,
                                              filters=chosen), lang) for b in by)
        sheets.append(TabSheet(question=name, tables=tables))
    info = cb.dataset
    return TabBook(
        dataset=dataset, title=info.title.get(lang), version=ds.version, lang=lang, banner=by,
        banner_titles=tuple(_banner_title(cb, b, by2, lang) for b in by), filters=chosen, weight=info.weight,
        strata=info.strata, psu=info.psu, synthetic=info.synthetic, citation=info.citation.get(lang),
        license=info.license,
        sheets=tuple(sheets),
    )


def _banner_title(cb: Codebook, name: str, by2: str | None, lang: str) -> str:
    title = cb.by_name[name].label.get(lang)
    if by2 is None or by2 == name:
        return title
    inner = cb.by_name[by2]
    return f"{title} \u00d7 {(inner.short or inner.label).get(lang)}"
