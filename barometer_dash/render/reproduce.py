"""R and Python code that reproduce a view's numbers from the dataset's own files.

Given what a view shows (dataset, question, breakdown, second breakdown, filters, percent
base, missing answers, level) and the codebook, `r_code` writes a script for R's survey
package (``svydesign`` with the dataset's weights, strata and PSUs, ``subset()`` for the
filters, so they stay domains, ``svyby``/``svymean``, ``svyciprop`` with logit intervals on
the table's df, ``svychisq(statistic = "F")``), and `python_code` a script for this
package's API (``Survey``, or ``Barometer`` for a multiple-response question).  Both read
``<data_dir>/<id>/responses.parquet``.
"""

from __future__ import annotations

import re

from ..domain.codebook import Codebook, Variable
from ..domain.query import Query
from ..i18n import translate

_R_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._]*")


def _r_name(name: str) -> str:
    return name if _R_NAME.fullmatch(name) else "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _r_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _r_codes(codes: list[int] | tuple[int, ...]) -> str:
    return "c(" + ", ".join(str(c) for c in codes) + ")"


def _kept(var: Variable, include_missing: bool) -> list[int]:
    """Codes a view keeps in the base for a variable (missing codes only when asked for)."""
    return [v.code for v in var.values if include_missing or v.code not in var.missing]


def _path(cb: Codebook, data_dir: str) -> str:
    return f"{data_dir.rstrip('/')}/{cb.dataset.id}/responses.parquet"


def _header(q: Query, cb: Codebook, comment: str, lang: str = "en") -> list[str]:
    row = cb.by_name[q.row]
    lines = [f"{comment} {row.label.get(lang)} [{q.row}]"]
    if q.col:
        lines.append(f"{comment} by {q.col}" + (f", within each category of {q.col}: {q.col2}" if q.col2 else ""))
    if q.filters:
        lines.append(f"{comment} filters (domains): " + "; ".join(f"{n} in {list(c)}" for n, c in q.filters))
    lines.append(f"{comment} dataset {cb.dataset.id}: {cb.dataset.title.get(lang)}")
    if cb.dataset.synthetic:
        lines.append(f"{comment} {translate('synthetic.short', lang)}")
    return lines


# --- R ------------------------------------------------------------------------------------


def _r_design(cb: Codebook) -> str:
    info = cb.dataset
    args = [f"ids = ~{_r_name(info.psu)}" if info.psu else "ids = ~1"]
    if info.strata:
        args.append(f"strata = ~{_r_name(info.strata)}")
    if info.weight:
        args.append(f"weights = ~{_r_name(info.weight)}")
    if info.strata and info.psu:
        args.append("nest = TRUE")
    args.append("data = d")
    return "design <- svydesign(" + ", ".join(args) + ")"


def r_code(q: Query, cb: Codebook, *, data_dir: str = "data", lang: str = "en") -> str:
    """An R script (packages arrow and survey) that reproduces the view's numbers."""
    row = cb.by_name[q.row]
    lines = _header(q, cb, "#", lang)
    lines += [
        "library(arrow)",
        "library(survey)",
        'options(survey.lonely.psu = "adjust")  # a stratum with one PSU, as the dashboard does',
        f"d <- as.data.frame(read_parquet({_r_string(_path(cb, data_dir))}))",
        _r_design(cb),
    ]
    filters = [f"{_r_name(n)} %in% {_r_codes(c)}" for n, c in q.filters]
    lines.append("# Filters are domains: subset() keeps the whole design for the variance.")
    lines.append("domain <- " + (f"subset(design, {' & '.join(filters)})" if filters else "design"))
    if row.kind == "multi":
        for item in row.columns:
            y = _r_name(item)
            base = f"subset(domain, !is.na({y}))"
            lines.append(f"svymean(~{y}, {base})  # Total: share mentioning {item}")
            if q.col:
                lines.append(f"svyby(~{y}, ~factor({_r_name(q.col)}), {base}, svymean)")
        return "\n".join(lines) + "\n"
    y = _r_name(q.row)
    answered = f"{y} %in% {_r_codes(_kept(row, q.include_missing))}"
    lines.append(f"total <- subset(domain, {answered})")
    lines.append(f"svymean(~factor({y}), total)  # Total column")
    if q.col is None:
        return "\n".join(lines) + "\n"
    col = cb.by_name[q.col]
    x = _r_name(q.col)
    if q.col2 is None:
        lines.append(f"tab <- subset(total, {x} %in% {_r_codes(_kept(col, False))})")
        lines += _r_table("tab", y, x, row, col, q)
        return "\n".join(lines) + "\n"
    inner = cb.by_name[q.col2]
    z = _r_name(q.col2)
    lines.append(f"# One table per category of {q.col}: its own Total column, then {q.col2} within it.")
    for j, v in enumerate(col.valid_values, start=1):
        lines.append(f"total_{j} <- subset(total, {x} == {v.code})  # {v.label.get('en')}")
        lines.append(f"svymean(~factor({y}), total_{j})")
        lines.append(f"tab_{j} <- subset(total_{j}, {z} %in% {_r_codes(_kept(inner, False))})")
        lines += _r_table(f"tab_{j}", y, z, row, inner, q)
    return "\n".join(lines) + "\n"


def _r_table(name: str, y: str, by: str, row: Variable, col: Variable, q: Query) -> list[str]:
    """Percentages, one cell's logit interval and the Rao-Scott test of one table."""
    if q.percent == "column":
        first = f"svyby(~factor({y}), ~factor({by}), {name}, svymean)  # column percentages and SEs"
    elif q.percent == "row":
        first = f"svyby(~factor({by}), ~factor({y}), {name}, svymean)  # row percentages and SEs"
    else:
        first = f"svymean(~interaction(factor({y}), factor({by})), {name})  # percentages of the whole table"
    cell_row, cell_col = row.valid_values[0].code, col.valid_values[0].code
    return [
        first,
        f"svyciprop(~I({y} == {cell_row}), subset({name}, {by} == {cell_col}), method = \"logit\", "
        f"level = {q.level}, df = degf({name}))  # one cell's interval, on the table's df",
        f'svychisq(~{y} + {by}, {name}, statistic = "F")  # Rao-Scott test',
    ]


# --- Python --------------------------------------------------------------------------------


def python_code(q: Query, cb: Codebook, *, data_dir: str = "data", lang: str = "en") -> str:
    """A Python script on this package's API; it leaves `total` (the Total column) and
    `result` (the table by the breakdown, or the nested table) defined."""
    row = cb.by_name[q.row]
    lines = _header(q, cb, "#", lang)
    if row.kind == "multi":
        filters = ", ".join(f"{n!r}: {list(c)!r}" for n, c in q.filters)
        lines += [
            "from barometer_dash import Barometer",
            "",
            f"bar = Barometer({data_dir!r})",
            f"result = bar.crosstab({cb.dataset.id!r}, {q.row!r}, by={q.col!r}, filters={{{filters}}}, "
            f"percent={q.percent!r}, include_missing={q.include_missing!r})",
            "total = result",
            "print(bar.frame(result))",
        ]
        return "\n".join(lines) + "\n"
    info = cb.dataset
    missing = {q.row: [] if q.include_missing else sorted(row.missing)}
    for name in (q.col, q.col2):
        if name:
            missing[name] = sorted(cb.by_name[name].missing)
    where = " & ".join(f"frame[{n!r}].isin({list(c)!r})" for n, c in q.filters) or "None"
    lines += [
        "import pandas as pd",
        "",
        "from barometer_dash.stats import Survey",
        "",
        f"frame = pd.read_parquet({_path(cb, data_dir)!r})",
        f"survey = Survey(frame, weight={info.weight!r}, strata={info.strata!r}, psu={info.psu!r})",
        f"where = {where}  # filters are domains: the design is kept whole",
        f"missing = {missing!r}  # codes left out of the bases",
        f"total = survey.crosstab({q.row!r}, where=where, missing=missing, percent={q.percent!r}, level={q.level!r})",
    ]
    if q.col:
        by2 = f", by2={q.col2!r}" if q.col2 else ""
        lines.append(f"result = survey.crosstab({q.row!r}, {q.col!r}{by2}, where=where, missing=missing, "
                     f"percent={q.percent!r}, level={q.level!r})")
    else:
        lines.append("result = total")
    lines += ["print(total.cells)", "print(result.cells)"]
    if q.col and not q.col2:
        lines.append("print(result.test)  # Rao-Scott F")
    return "\n".join(lines) + "\n"
