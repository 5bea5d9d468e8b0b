"""Component values as they arrive from the browser -> page-link parameters.

The browser can send anything (a stale page, a forged request), so every value is turned into
text here and then read by the view registry like a link: what it does not understand falls
back to the default instead of failing.
"""

from __future__ import annotations

from typing import Any

from ..domain.codebook import Codebook
from ..view.links import role_names

# Parameters the page's controls always set (a cleared filter or comparison is left out of `pairs`).
CONTROLLED = frozenset({"q", "by", "by2", "country", "year", "pct", "missing", "view", "cmp", "lang", "ds", "chart",
                        "ans", "level", "ci"})
MAX_TEXT = 200  # longer control values are not real choices: cut before they reach the parser
MAX_ITEMS = 100


def text_value(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str | int | float):
        return str(value)[:MAX_TEXT]
    return ""


def _codes(values: Any) -> str:
    if not isinstance(values, list):
        return text_value(values)
    return ",".join(text_value(v) for v in values[:MAX_ITEMS] if text_value(v))


def page_state(state: Any) -> tuple[str, str, str]:
    """(dataset id, link query, language) from the page's state store, '' where absent or forged."""
    if not isinstance(state, dict):
        return "", "", ""
    return text_value(state.get("ds")), str(state.get("search") or "")[:4000] if isinstance(
        state.get("search"), str) else "", text_value(state.get("lang"))


def with_uncontrolled(pairs: list[tuple[str, str]], current: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The controls' parameters, plus those of the current view that no control on the page sets
    (a link's `chart` or `level`), so that moving a control keeps them."""
    controlled = {k for k, _ in pairs} | CONTROLLED
    return pairs + [(k, v) for k, v in current if k not in controlled and not k.startswith("f.")]


def control_pairs(controls: dict[str, Any], cb: Codebook) -> list[tuple[str, str]]:
    """The page-link parameters the controls stand for."""
    roles = {v: k for k, v in role_names(cb).items()}
    by = text_value(controls.get("by")) or "none"
    pairs = [("q", text_value(controls.get("q"))), ("by", by)]
    by2 = text_value(controls.get("by2"))
    if by2 and by2 != "none" and by != "none" and by2 not in (by, pairs[0][1]):
        pairs.append(("by2", by2))  # a second breakdown left over from another first one is dropped
    for name, key in ((cb.dataset.country, "country"), (cb.dataset.wave, "year")):
        codes = _codes(controls.get(key))
        if name and codes:
            pairs.append((roles[name], codes))
    raw_ids, raw_values = controls.get("demo_ids"), controls.get("demo")
    demo_ids: list[Any] = raw_ids if isinstance(raw_ids, list) else []
    demo_values: list[Any] = raw_values if isinstance(raw_values, list) else []
    for cid, values in zip(demo_ids[:MAX_ITEMS], demo_values[:MAX_ITEMS], strict=False):
        name = text_value(cid.get("var")) if isinstance(cid, dict) else ""
        codes = _codes(values)
        if name and codes:
            pairs.append((f"f.{name}", codes))
    pairs.append(("pct", text_value(controls.get("pct")) or "column"))
    missing = controls.get("missing")
    pairs.append(("missing", "include" if isinstance(missing, list) and "dk" in missing else "exclude"))
    pairs.append(("view", text_value(controls.get("show")) or "both"))
    cmp = [text_value(controls.get(k)) for k in ("cmp_answer", "cmp_a", "cmp_b")]
    if all(cmp):
        pairs.append(("cmp", ",".join(cmp)))
    pairs.append(("chart", text_value(controls.get("chart")) or "bars"))
    if text_value(controls.get("ans")):
        pairs.append(("ans", text_value(controls.get("ans"))))
    pairs.append(("level", text_value(controls.get("level")) or "0.95"))
    ci = controls.get("ci")
    pairs.append(("ci", "1" if isinstance(ci, list) and "ci" in ci else "0"))
    lang = text_value(controls.get("lang"))
    if lang:
        pairs.append(("lang", lang))
    return pairs


def chart_width(viewport: Any, show: str) -> int:
    """The chart's width in the page: half the content on a wide screen beside the table."""
    raw = viewport.get("width") if isinstance(viewport, dict) else None
    try:
        width = int(float(raw)) if raw is not None else 1280
    except (TypeError, ValueError, OverflowError):
        width = 1280
    width = min(max(width, 240), 4000)
    content = min(width, 1400) - 2 * 12 - 2 * 13
    return max(280, content // 2 - 8 if width >= 1100 and show == "both" else content)
