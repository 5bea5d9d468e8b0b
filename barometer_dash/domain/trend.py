"""One answer (or net) across the waves, a line per breakdown category: the values that
`barometer_dash.trends` computes and `render.trend` draws."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrendPoint:
    wave: int
    wave_label: str
    n: int  # unweighted base of the series in this wave
    percent: float | None  # None when the base is under the minimum (or the question was not asked)
    ci_low: float | None
    ci_high: float | None
    change: float | None  # points since the previous shown wave of this series
    change_low: float | None
    change_high: float | None
    change_p: float | None
    significant: bool  # the change from the previous shown wave is significant


@dataclass(frozen=True)
class TrendSeries:
    code: int | None  # the breakdown category; None for the single Total series
    key: str
    label: str
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class WaveNote:
    wave: int
    wave_label: str
    text: str


@dataclass(frozen=True)
class Trend:
    dataset: str
    row: str
    lang: str
    question: str
    answer_key: str
    answer_label: str
    is_net: bool
    by: str | None
    by_title: str
    waves: tuple[tuple[int, str], ...]
    series: tuple[TrendSeries, ...]
    wording: tuple[WaveNote, ...]
    filters: tuple[tuple[str, str], ...]
    level: float
    min_base: int
    dataset_title: str
    citation: str
    version: str
    synthetic: bool
