"""The codebook with frequencies: what the codebook page and its JSON twin both show.

One function computes it (frequencies through `Service.crosstab`, so the page's numbers and
suppression rules hold); the HTML page and the JSON route only render it.
"""

from __future__ import annotations

from typing import Any

from .domain.codebook import Codebook, Variable
from .domain.errors import BarometerError
from .domain.query import Query
from .i18n import translate
from .service import Service


def asked_text(var: Variable, cb: Codebook, lang: str) -> str:
    """Where and when a question was asked, as "Albania: 2021, 2022; Kosovo: 2024"."""
    if var.asked_in is None:
        return translate("codebook.asked_everywhere", lang)
    info = cb.dataset
    country = cb.by_name.get(info.country or "")
    wave = cb.by_name.get(info.wave or "")

    def label(v: Variable | None, code: int) -> str:
        return v.value(code).label.get(lang) if v is not None and code in v.codes else str(code)

    by_country: dict[int, list[int]] = {}
    for c, w in sorted(var.asked_in):
        by_country.setdefault(c, []).append(w)
    where = "; ".join(f"{label(country, c)}: {', '.join(label(wave, w) for w in ws)}" for c, ws in by_country.items())
    return translate("codebook.asked_in", lang, where=where)


def _frequencies(service: Service, cb: Codebook, var: Variable, lang: str) -> dict[str, Any] | None:
    """Overall frequency of each code, missing codes included; None when not tabulable."""
    if not var.values:
        return None
    query = Query(dataset=cb.dataset.id, row=var.name, include_missing=var.kind != "multi")
    try:
        xt = service.crosstab(query, lang)
    except BarometerError:
        return None
    base = xt.bases[0]
    rows = {}
    for i, r in enumerate(xt.rows):
        if r.net:  # the codebook lists answers; nets are described with the question
            continue
        cell = xt.cell(i, 0)
        shown = not cell.suppressed
        rows[r.code] = {
            "n": cell.n if shown else None,
            "weighted": cell.weighted if shown else None,
            "percent": cell.percent if shown else None,
        }
    return {"base_n": base.n, "base_weighted": base.weighted, "suppressed": base.suppressed, "codes": rows}


def codebook_data(service: Service, dataset: str, lang: str) -> dict[str, Any]:
    """Every variable with its wording in each language, codes, missing codes, where it was
    asked, wording notes and overall frequencies (unweighted and weighted)."""
    ds = service.store.get(dataset)
    cb = ds.codebook
    info = cb.dataset
    variables = []
    for var in cb.variables:
        freq = _frequencies(service, cb, var, lang)
        counts = freq["codes"] if freq else {}
        values = [
            {
                "code": v.code,
                "key": v.url_key,
                "label": v.label.to_json(),
                "missing": v.code in var.missing,
                **counts.get(v.code, {"n": None, "weighted": None, "percent": None}),
            }
            for v in var.values
        ]
        extra = [c for c in counts if c not in var.codes]  # numeric answers without a label
        values += [{"code": c, "key": str(c), "label": {}, "missing": False, **counts[c]} for c in extra]
        if extra:  # the table's order (0, 1, ..., 10); codes nobody gave stay after, as listed
            rank = {c: k for k, c in enumerate(counts)}
            values.sort(key=lambda v: rank.get(v["code"], len(rank)))
        variables.append({
            "name": var.name,
            "label": var.label.to_json(),
            "short": var.short.to_json() if var.short else None,
            "topic": var.topic or None,
            "kind": var.kind,
            "values": values,
            "missing": sorted(var.missing),
            "columns": list(var.columns),
            "asked_in": None if var.asked_in is None else [{"country": c, "wave": w} for c, w in var.asked_in],
            "asked_text": asked_text(var, cb, lang),
            "notes": var.notes.to_json() if var.notes else None,
            "base_n": freq["base_n"] if freq else None,
            "base_weighted": freq["base_weighted"] if freq else None,
            "suppressed": freq["suppressed"] if freq else None,
        })
    return {
        "dataset": {
            "id": info.id,
            "title": info.title.get(lang),
            "version": ds.version,
            "synthetic": info.synthetic,
            "citation": info.citation.get(lang),
            "license": info.license,
            "weight": info.weight,
            "strata": info.strata,
            "psu": info.psu,
            "country": info.country,
            "wave": info.wave,
        },
        "lang": lang,
        "min_base": service.rules.min_base,
        "topics": [{"id": t.id, "label": t.label.get(lang)} for t in cb.topics],
        "variables": variables,
    }


def matches(variable: dict[str, Any], query: str) -> bool:
    """Whether a search text occurs (any case) in a variable's name, wording or labels."""
    needle = query.casefold().strip()
    if not needle:
        return True
    texts = [variable["name"], variable["topic"] or "", *variable["label"].values()]
    texts += [*(variable["short"] or {}).values(), *(variable["notes"] or {}).values()]
    for value in variable["values"]:
        texts += list(value["label"].values())
    return any(needle in t.casefold() for t in texts)
