"""The Python API to published datasets: the page's numbers, from the same service.

    from barometer_dash import Barometer
    bar = Barometer()                       # the data folder the app serves
    xt = bar.crosstab("demo", "trust_police", by="age_group", country="XK", year=2022)
    bar.frame(xt)                           # one line per cell, as a DataFrame
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .data.store import Store
from .domain.codebook import Codebook
from .domain.crosstab import CrossTab
from .domain.errors import QueryError
from .render.dataframe import crosstab_frame
from .service import Rules, Service
from .settings import load_config
from .view import REGISTRY, ParamError
from .view.links import view_from_python


class Barometer:
    """Datasets in a folder, tabulated exactly as the page and the JSON API tabulate them."""

    def __init__(self, data_dir: Path | str | None = None, *, min_base: int | None = None,
                 flag_base: int | None = None):
        config = load_config()
        self.service = Service(
            Store(Path(data_dir) if data_dir is not None else config.data_dir),
            rules=Rules(min_base=config.min_base if min_base is None else min_base,
                        flag_base=config.flag_base if flag_base is None else flag_base),
        )

    def datasets(self) -> list[str]:
        return self.service.store.ids()

    def codebook(self, dataset: str) -> Codebook:
        return self.service.store.get(dataset).codebook

    def crosstab(self, dataset: str, question: str, by: str | None = None, **options: Any) -> CrossTab:
        try:
            cb = self.codebook(dataset)
            view = view_from_python(cb, question, by, options)
        except ParamError as exc:
            raise QueryError(exc.name, exc.problem) from None
        return self.service.crosstab(view.query(), view.lang, view.comparison(cb))

    @staticmethod
    def frame(xt: CrossTab) -> pd.DataFrame:
        return crosstab_frame(xt)


def _keyword_doc() -> str:
    lines = [f"    {p.python}: {p.help} ({p.allowed()})" for p in REGISTRY if p.python and p.python not in (
        "question", "by")]
    return "\n".join(lines)


Barometer.crosstab.__doc__ = f"""The table of `question` by `by` in `dataset`, as the page shows it.

    Keywords (the same parameters as the page's links and the API):
{_keyword_doc()}
    country, year: codes or keys of the dataset's country and wave columns (filters).
    """
