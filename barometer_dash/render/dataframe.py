"""CrossTab -> a tidy pandas DataFrame, one line per cell, for scripts and notebooks."""

from __future__ import annotations

import pandas as pd

from ..domain.crosstab import CrossTab

COLUMNS = (
    "row",
    "col",
    "row_label",
    "col_label",
    "n",
    "weighted",
    "percent",
    "se",
    "ci_low",
    "ci_high",
    "deff",
    "sig",
    "suppressed",
    "base_n",
    "flagged",
)


def crosstab_frame(xt: CrossTab) -> pd.DataFrame:
    """The cells the page shows, with labels; `col` is None for the Total column. With a second
    breakdown, `group` is the outer category's code (None for the overall Total)."""
    records = []
    for i, r in enumerate(xt.rows):
        for j, c in enumerate(xt.cols):
            cell, base = xt.cell(i, j), xt.bases[j]
            records.append(
                (
                    r.key if r.net else r.code,
                    c.code,
                    r.label,
                    c.label,
                    cell.n,
                    cell.weighted,
                    cell.percent,
                    cell.se,
                    cell.ci_low,
                    cell.ci_high,
                    cell.deff,
                    cell.sig,
                    cell.suppressed,
                    base.n,
                    base.flagged,
                )
            )
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame["col"] = frame["col"].astype("Int64")
    if xt.nested:
        # Nested columns: the outer category each belongs to (a group's Total has col <NA>).
        frame.insert(2, "group", pd.Series([c.group for _ in xt.rows for c in xt.cols], dtype="Int64"))
    frame.attrs.update(question=xt.question, citation=xt.citation, synthetic=xt.synthetic, version=xt.version)
    return frame
