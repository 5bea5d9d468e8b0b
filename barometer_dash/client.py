"""The Python API to published datasets: the page's numbers, from the same service.

    from barometer_dash import Barometer
    bar = Barometer()                       # the data folder the app serves
    xt = bar.crosstab("demo", "trust_police", by="age_group", country="XK", year=2022)
    bar.frame(xt)                           # one line per cell, as a DataFrame
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from .data.store import Store
from .domain.codebook import Codebook
from .domain.crosstab import CrossTab
from .domain.errors import QueryError
from .domain.query import Comparison, Percent, Query
from .render.dataframe import crosstab_frame
from .service import Rules, Service
from .settings import load_config

Codes = int | str | Iterable[int | str]


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

    def crosstab(
        self, dataset: str, question: str, by: str | None = None, *,
        filters: Mapping[str, Codes] | None = None, country: Codes | None = None, year: Codes | None = None,
        percent: Percent = "column", include_missing: bool = False, lang: str = "en",
        compare: tuple[int | str, int | str, int | str] | None = None,
    ) -> CrossTab:
        """`filters` maps a variable to codes (or value keys such as "XK"); `country` and `year`
        filter the dataset's country and wave columns; `compare` is (answer, from, to) on `by`."""
        cb = self.codebook(dataset)
        chosen = dict(filters or {})
        for role, value in ((cb.dataset.country, country), (cb.dataset.wave, year)):
            if value is not None:
                if role is None:
                    raise QueryError("country" if value is country else "year", "this dataset has no such column")
                chosen[role] = value
        query = Query(dataset=dataset, row=question, col=by, percent=percent, include_missing=include_missing)
        for name, value in chosen.items():
            query = query.with_filter(name, self._codes(cb, name, value))
        comparison = None
        if compare is not None:
            if by is None:
                raise QueryError("compare", "a comparison needs a breakdown (by=)")
            answer, a, b = (self._codes(cb, v, [x])[0] for v, x in zip((question, by, by), compare, strict=True))
            comparison = Comparison(variable=by, answer=answer, a=a, b=b)
        return self.service.crosstab(query, lang, comparison)

    @staticmethod
    def frame(xt: CrossTab) -> pd.DataFrame:
        return crosstab_frame(xt)

    @staticmethod
    def _codes(cb: Codebook, name: str, value: Codes) -> tuple[int, ...]:
        if name not in cb.by_name:
            raise QueryError(name, f"dataset '{cb.dataset.id}' has no variable '{name}'")
        var = cb.by_name[name]
        items = [value] if isinstance(value, int | str) else list(value)
        out = []
        for item in items:
            code = var.code_for_key(str(item))
            if code is None:
                raise QueryError(name, f"'{name}' has no value {item!r}")
            out.append(code)
        return tuple(out)
