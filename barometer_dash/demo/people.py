"""The rest of each respondent's profile: education, ethnicity, work and household income.

Drawn from the core demographics so that the usual links hold (the young and urban are
better educated, the old are retired, minorities live where they really cluster).
"""

from __future__ import annotations

import numpy as np

from .demographics import BY_CODE, RS, XK
from .scales import DONT_KNOW, REFUSED

EDU_LEVEL = {1: 0.0, 2: -0.1, 3: 0.4}  # by country
EDU_AGE = np.array([0.45, 0.35, 0.0, -0.75])
EDU_CUTS = np.array([-0.8, 1.35])

INCOME_LEVEL = {1: 0.0, 2: -0.25, 3: 0.55}
INCOME_CUTS = np.array([-0.9, 0.35, 1.35])


def _ordered(latent: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """1-based category of an ordered variable, lowest latent first."""
    return np.searchsorted(cuts, latent).astype(np.int64) + 1


def _by_country(codes: np.ndarray, table: dict[int, float]) -> np.ndarray:
    return np.array([table[int(c)] for c in codes]) if codes.size else np.zeros(0)


def draw_education(rng: np.random.Generator, d: dict[str, np.ndarray]) -> np.ndarray:
    urban = d["settlement"] == 1
    older_women = (d["gender"] == 2) & (d["age_group"] >= 3)
    latent = (
        _by_country(d["country"], EDU_LEVEL)
        + EDU_AGE[d["age_group"] - 1]
        + 0.55 * urban
        - 0.35 * older_women
        + rng.logistic(0.0, 0.7, d["country"].size)
    )
    return _ordered(latent, EDU_CUTS)


def draw_ethnicity(rng: np.random.Generator, d: dict[str, np.ndarray]) -> np.ndarray:
    """Majority group unless a region's minority shares say otherwise; about 1% refuse."""
    out = np.empty(d["region"].size, dtype=np.int64)
    u = rng.random(out.size)
    for country in BY_CODE.values():
        for region in country.regions:
            rows = np.flatnonzero(d["region"] == region.code)
            groups = [*region.minorities.keys(), REFUSED]
            shares = [*region.minorities.values(), 0.01]
            edges = np.cumsum(shares)
            pick = np.searchsorted(edges, u[rows], side="right")
            out[rows] = np.array([*groups, country.majority])[pick]
    return out


def draw_employment(rng: np.random.Generator, d: dict[str, np.ndarray]) -> np.ndarray:
    """Employed, unemployed, student, retired, homemaker, other: a choice among utilities."""
    n = d["country"].size
    age = d["age_group"]
    female = d["gender"] == 2
    edu = d["education"]
    kosovo = d["country"] == XK
    util = np.zeros((n, 6))
    util[:, 0] = 1.2 + 0.8 * (edu == 3) - 0.5 * (edu == 1) - 2.6 * (age == 4) - 0.3 * female
    serbia = d["country"] == RS
    util[:, 1] = -0.5 + 0.7 * kosovo - 0.4 * serbia + 0.4 * (edu == 1) - 0.6 * (edu == 3)
    util[:, 1] -= 1.5 * (age == 4)
    util[:, 2] = np.where(age == 1, 0.6 + 0.5 * (edu >= 2), -6.0)
    util[:, 3] = np.select([age == 4, age == 3], [2.4, -1.6], -6.0)
    util[:, 4] = np.where(female, -0.4 + 1.1 * kosovo - 0.6 * (edu == 3), -5.0)
    util[:, 5] = -2.5
    choice = np.argmax(util + rng.gumbel(size=(n, 6)), axis=1)
    return choice.astype(np.int64) + 1


def draw_income(rng: np.random.Generator, d: dict[str, np.ndarray]) -> np.ndarray:
    """Monthly household income band; about 4% don't know and 7% refuse."""
    n = d["country"].size
    emp = d["employment"]
    latent = (
        _by_country(d["country"], INCOME_LEVEL)
        + np.array([-0.6, 0.0, 0.7])[d["education"] - 1]
        + np.select([emp == 1, emp == 2, emp == 4], [0.45, -0.7, -0.2], 0.0)
        + 0.3 * (d["settlement"] == 1)
        + rng.normal(0.0, 0.9, n)
    )
    band = _ordered(latent, INCOME_CUTS)
    u = rng.random(n)
    band = np.where(u < 0.04, DONT_KNOW, band)
    return np.where((u >= 0.04) & (u < 0.11), REFUSED, band)


def draw_people(rng: np.random.Generator, d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Adds education, ethnicity, employment and income to the core demographics."""
    d = dict(d)
    d["education"] = draw_education(rng, d)
    d["ethnicity"] = draw_ethnicity(rng, d)
    d["employment"] = draw_employment(rng, d)
    d["income"] = draw_income(rng, d)
    return d

