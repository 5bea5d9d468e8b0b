"""The sample design of the demo: stratified two-stage samples, raked to population margins.

Each country-wave is a fresh sample: strata are region x urban/rural, about 150 sampling
points (PSUs) of about ten interviews are allocated roughly in proportion to population,
and people answer unevenly (young men least), so the raked weights have real work to do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .demographics import COUNTRIES, RURAL_AGE_SHIFT, YEARS, Country

N_PSU = 150
MIN_PSU_PER_STRATUM = 2  # two points per stratum, so a variance can be estimated in each
PSU_SIZES = np.array([8, 9, 10, 11, 12])
PSU_SIZE_P = np.array([0.05, 0.15, 0.6, 0.15, 0.05])
TRIM = (0.3, 3.0)  # weights are kept within these multiples of the mean

# Relative willingness to be interviewed, by gender (rows: male, female) and age group.
RESPONSE = np.array([[0.70, 0.85, 1.00, 1.05], [0.95, 1.10, 1.15, 1.20]])

DESIGN_COLUMNS = ("country", "year", "region", "settlement", "gender", "age_group",
                  "stratum", "psu", "weight")


def urban_share(country: Country) -> float:
    total = sum(r.population for r in country.regions)
    return sum(r.population * r.urban for r in country.regions) / total


def cell_index(settlement: np.ndarray, gender: np.ndarray, age_group: np.ndarray) -> np.ndarray:
    """Settlement x gender x age-group cell (0..15) from the 1-based codes."""
    return (settlement - 1) * 8 + (gender - 1) * 4 + (age_group - 1)


def cell_targets(country: Country) -> np.ndarray:
    """Population shares of the 16 settlement x gender x age-group cells (sum 1).

    Rural areas are older; the shift is balanced so the country's age margin is unchanged.
    """
    u = urban_share(country)
    base = np.array(country.age_shares)
    shift = np.array(RURAL_AGE_SHIFT)
    female = np.array(country.female_by_age)
    out = np.zeros(16)
    for s, (share, ages) in enumerate(((u, base - shift * (1 - u)), (1 - u, base + shift * u))):
        out[s * 8 : s * 8 + 4] = share * ages * (1 - female)
        out[s * 8 + 4 : s * 8 + 8] = share * ages * female
    return out / out.sum()


def region_targets(country: Country) -> np.ndarray:
    pops = np.array([r.population for r in country.regions])
    return pops / pops.sum()


def allocate(sizes: Sequence[float], total: int, minimum: int) -> np.ndarray:
    """Largest-remainder proportional allocation with a floor per stratum."""
    share = np.asarray(sizes, dtype=float) / float(np.sum(sizes))
    quota = share * total
    alloc = np.maximum(np.floor(quota).astype(int), minimum)
    while alloc.sum() < total:
        alloc[int(np.argmax(quota - alloc))] += 1
    while alloc.sum() > total:
        room = np.where(alloc > minimum, alloc - quota, -np.inf)
        alloc[int(np.argmax(room))] -= 1
    return alloc


def _sample_country_wave(
    rng: np.random.Generator, country: Country, year: int, first_psu: int
) -> dict[str, np.ndarray]:
    strata = [(r, s) for r in country.regions for s in (1, 2)]
    pops = [r.population * (r.urban if s == 1 else 1 - r.urban) for r, s in strata]
    n_psu = allocate(pops, N_PSU, MIN_PSU_PER_STRATUM)
    psu_stratum = np.repeat(np.arange(len(strata)), n_psu)
    psu_size = rng.choice(PSU_SIZES, size=psu_stratum.size, p=PSU_SIZE_P)
    resp_psu = np.repeat(np.arange(psu_stratum.size), psu_size)
    resp_stratum = psu_stratum[resp_psu]
    n = resp_psu.size

    region = np.array([r.code for r, _ in strata])[resp_stratum]
    settlement = np.array([s for _, s in strata])[resp_stratum]
    targets = cell_targets(country)
    gender = np.empty(n, dtype=np.int64)
    age = np.empty(n, dtype=np.int64)
    for s in (1, 2):
        p = targets[(s - 1) * 8 : s * 8] * RESPONSE.ravel()
        rows = np.flatnonzero(settlement == s)
        cell = np.searchsorted(np.cumsum(p / p.sum()), rng.random(rows.size), side="right")
        cell = np.minimum(cell, 7)
        gender[rows] = cell // 4 + 1
        age[rows] = cell % 4 + 1

    # Design weight: population share of the stratum over its share of the interviews.
    taken = np.bincount(resp_stratum, minlength=len(strata)) / n
    design = (np.array(pops) / np.sum(pops) / taken)[resp_stratum]
    stratum = (year % 100) * 10000 + region * 10 + settlement
    return {
        "country": np.full(n, country.code),
        "year": np.full(n, year),
        "region": region,
        "settlement": settlement,
        "gender": gender,
        "age_group": age,
        "stratum": stratum,
        "psu": first_psu + resp_psu,
        "weight": design,
    }


def rake(
    groups: Sequence[np.ndarray],
    targets: Sequence[np.ndarray],
    base: np.ndarray,
    *,
    trim: tuple[float, float] = TRIM,
    tol: float = 1e-9,
    max_iter: int = 1000,
) -> np.ndarray:
    """Iterative proportional fitting with trimming, scaled to a mean of 1.

    `groups[i]` holds each row's cell (0..k-1) of margin i and `targets[i]` the population
    shares of those cells. Trimming inside the loop lets the margins settle again after it.
    """
    w = base / base.mean()
    for _ in range(max_iter):
        for g, t in zip(groups, targets, strict=True):
            got = np.bincount(g, weights=w, minlength=t.size)
            w = w * (t * w.sum() / got)[g]
        w = np.clip(w / w.mean(), trim[0], trim[1])
        worst = max(
            float(np.max(np.abs(np.bincount(g, weights=w, minlength=t.size) / w.sum() - t)))
            for g, t in zip(groups, targets, strict=True)
        )
        if worst < tol:
            break
    return w / w.mean()


def draw_design(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Design and core demographics for every country-wave, with raked weights."""
    parts: list[dict[str, np.ndarray]] = []
    next_psu = 1
    for year in YEARS:
        for country in COUNTRIES:
            part = _sample_country_wave(rng, country, year, next_psu)
            next_psu = int(part["psu"].max()) + 1
            region_index = {r.code: i for i, r in enumerate(country.regions)}
            regions = np.array([region_index[int(c)] for c in part["region"]])
            cells = cell_index(part["settlement"], part["gender"], part["age_group"])
            part["weight"] = rake(
                [cells, regions], [cell_targets(country), region_targets(country)], part["weight"]
            )
            parts.append(part)
    return {k: np.concatenate([p[k] for p in parts]) for k in DESIGN_COLUMNS}
