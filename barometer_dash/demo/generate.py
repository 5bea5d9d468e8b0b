"""Answers of the demo survey, from each respondent's latent attitudes.

Answers are returned as float arrays with NaN where a question was not asked (or, for the
multiple-response set, where the respondent is not in its base); `build.py` turns them into
small nullable integer columns.
"""

from __future__ import annotations

import zlib

import numpy as np

from .attitudes import (
    ANSWER_NOISE,
    DK_EFFECTS,
    DK_SD,
    FACTOR_EFFECTS,
    FACTORS,
    ITEMS,
    NEWS_AGE,
    NEWS_BASE,
    NEWS_EDU,
    NEWS_TREND,
    PSU_SD,
    REFUSE_BASE,
    REFUSE_SD,
    REGION_SD,
    THREAT_BASE,
    THREAT_DK,
    THREAT_EDUCATED,
    THREAT_N_PICKED,
    THREAT_STEPS,
    THREAT_YOUNG,
    Effects,
    Item,
    correlation_matrix,
)
from .demographics import YEARS
from .questions import QUESTIONS, THREAT_VALUES, Question
from .scales import DONT_KNOW, REFUSED

FIRST_YEAR = YEARS[0]
CUTS = {
    2: np.array([0.0]),
    4: np.array([-1.3, 0.0, 1.3]),
    5: np.array([-1.9, -0.65, 0.65, 1.9]),
}
Data = dict[str, np.ndarray]


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per question, so adding one leaves the others unchanged."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def effect_term(e: Effects, d: Data) -> np.ndarray:
    out = (
        np.asarray(e.age)[d["age_group"] - 1]
        + np.asarray(e.edu)[d["education"] - 1]
        + e.female * (d["gender"] == 2)
        + e.rural * (d["settlement"] == 2)
        + e.trend * (d["year"] - FIRST_YEAR)
    )
    for (country, ethnicity), shift in e.groups.items():
        out = out + shift * ((d["country"] == country) & (d["ethnicity"] == ethnicity))
    return out


def latent_factors(rng: np.random.Generator, d: Data) -> Data:
    """Correlated attitudes, with region and sampling-point effects and demographic shifts."""
    n, k = d["country"].size, len(FACTORS)
    z = rng.standard_normal((n, k)) @ np.linalg.cholesky(correlation_matrix()).T
    regions, region_idx = np.unique(d["region"], return_inverse=True)
    z += rng.normal(0.0, REGION_SD, (regions.size, k))[region_idx]
    psus, psu_idx = np.unique(d["psu"], return_inverse=True)
    z += rng.normal(0.0, PSU_SD, (psus.size, k))[psu_idx]
    return {f: z[:, i] + effect_term(FACTOR_EFFECTS[f], d) for i, f in enumerate(FACTORS)}


def by_country(values: float | tuple[float, ...], d: Data) -> np.ndarray:
    return np.broadcast_to(np.asarray(values, dtype=float), (3,))[d["country"] - 1]


def item_latent(item: Item, factors: Data, d: Data) -> np.ndarray:
    """The systematic part of an item's latent answer (no answer noise)."""
    eta = by_country(item.level, d) + by_country(item.trend, d) * (d["year"] - FIRST_YEAR)
    for name, weight in item.load.items():
        eta = eta + weight * factors[name]
    for year, shift in item.steps.items():
        eta = eta + by_country(shift, d) * (d["year"] >= year)
    return eta + effect_term(item.effects, d)


def asked(q: Question, d: Data) -> np.ndarray:
    mask = np.ones(d["country"].size, dtype=bool)
    if q.only_country is not None:
        mask &= d["country"] == q.only_country
    if q.first_year is not None:
        mask &= d["year"] >= q.first_year
    return mask


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def add_missing(
    rng: np.random.Generator,
    codes: np.ndarray,
    item: Item,
    dk_lean: np.ndarray,
    refuse_lean: np.ndarray,
) -> np.ndarray:
    """Replace some answers by don't know (98) and refused (99)."""
    p_dk = _sigmoid(item.dk + dk_lean)
    p_ref = _sigmoid(REFUSE_BASE + item.refuse + refuse_lean)
    u = rng.random(codes.size)
    out = np.where(u < p_dk, DONT_KNOW, codes)
    return np.where((u >= p_dk) & (u < p_dk + p_ref), REFUSED, out)


def ordinal(rng: np.random.Generator, eta: np.ndarray, size: int) -> np.ndarray:
    """Cut a latent answer into a scale whose code 1 is the top."""
    latent = eta + rng.logistic(0.0, ANSWER_NOISE, eta.size)
    return size - np.searchsorted(CUTS[size], latent)


def numeric_0_10(rng: np.random.Generator, eta: np.ndarray) -> np.ndarray:
    """A 0-10 rating: the latent answer spread over the scale, with a bulge at the middle."""
    raw = 5.0 + 1.8 * (eta + rng.normal(0.0, 1.0, eta.size))
    return np.clip(np.rint(raw), 0, 10).astype(np.int64)


def news_source(rng: np.random.Generator, d: Data) -> np.ndarray:
    util = (
        NEWS_BASE[d["country"] - 1]
        + NEWS_AGE[d["age_group"] - 1]
        + NEWS_EDU[d["education"] - 1]
        + np.outer(d["year"] - FIRST_YEAR, NEWS_TREND)
    )
    return np.argmax(util + rng.gumbel(size=util.shape), axis=1).astype(np.int64) + 1


def threats(rng: np.random.Generator, d: Data) -> np.ndarray:
    """0/1 matrix of up to three main threats per respondent; NaN rows for don't know."""
    n, k = d["country"].size, len(THREAT_VALUES)
    util = THREAT_BASE[d["country"] - 1].copy()
    for year, shift in THREAT_STEPS.items():
        util += shift[d["country"] - 1] * (d["year"] >= year)[:, None]
    util += np.outer(d["age_group"] == 1, THREAT_YOUNG)
    util += np.outer(d["education"] == 3, THREAT_EDUCATED)
    noisy = util + rng.gumbel(size=(n, k))
    rank = np.argsort(np.argsort(-noisy, axis=1), axis=1)
    picked = rng.choice(THREAT_N_PICKED[0], size=n, p=THREAT_N_PICKED[1])
    out = (rank < picked[:, None]).astype(float)
    out[rng.random(n) < THREAT_DK] = np.nan
    return out


def draw_answers(rng: np.random.Generator, seed: int, d: Data) -> Data:
    """Every question's column(s), keyed by column name."""
    factors = latent_factors(rng, d)
    n = d["country"].size
    dk_lean = effect_term(DK_EFFECTS, d) + rng.normal(0.0, DK_SD, n)
    refuse_lean = rng.normal(0.0, REFUSE_SD, n)
    out: Data = {}
    for q in QUESTIONS:
        r = stream(seed, q.name)
        mask = asked(q, d)
        item = ITEMS[q.name]
        if q.kind == "multi":
            matrix = threats(r, d)
            matrix[~mask] = np.nan
            for j, value in enumerate(q.values):
                out[f"{q.name}_{value.code}"] = matrix[:, j]
            continue
        if q.name == "news_source":
            codes = news_source(r, d)
        elif q.kind == "numeric":
            codes = numeric_0_10(r, item_latent(item, factors, d))
        else:
            assert q.scale is not None
            codes = ordinal(r, item_latent(item, factors, d), q.scale.size)
        codes = add_missing(r, codes, item, dk_lean, refuse_lean)
        out[q.name] = np.where(mask, codes.astype(float), np.nan)
    return out
