"""The invented attitudes behind the demo answers: a few latent factors and one model per item.

Each respondent has latent attitudes (safety, trust in domestic institutions, western and
eastern orientation, perceived corruption, openness to neighbours, gender equality, trust in
media, threat perception). An item's answer is a weighted sum of them plus country levels,
wave shifts and demographic effects, cut into the categories of its scale. The numbers are
chosen to give believable patterns in a demonstration; they are not estimates of anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .demographics import AL, ALBANIAN, BOSNIAK, GREEK, HUNGARIAN, RS, SERB, TURKISH, XK

FACTORS = ("safety", "inst", "west", "east", "corr", "open", "geq", "media", "threat")
CORRELATIONS = {
    ("safety", "inst"): 0.3,
    ("safety", "threat"): -0.3,
    ("inst", "corr"): -0.4,
    ("inst", "media"): 0.35,
    ("west", "east"): -0.5,
    ("west", "open"): 0.25,
    ("west", "geq"): 0.2,
    ("open", "geq"): 0.2,
    ("corr", "threat"): 0.2,
}
REGION_SD = 0.2  # region effect on every factor, the same in every wave
PSU_SD = 0.45  # sampling-point effect: neighbours think alike, so the design effect is above 1
ANSWER_NOISE = 0.55  # scale of the logistic noise of each single answer

C3 = tuple[float, float, float]  # one number per country: Albania, Kosovo, Serbia


@dataclass(frozen=True)
class Effects:
    """Shifts by demographic group; `groups` maps (country, ethnicity) to a shift."""

    age: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    edu: C3 = (0.0, 0.0, 0.0)
    female: float = 0.0
    rural: float = 0.0
    trend: float = 0.0  # per year since 2021
    groups: Mapping[tuple[int, int], float] = field(default_factory=dict)


FACTOR_EFFECTS: Mapping[str, Effects] = {
    "safety": Effects(age=(0.1, 0.0, -0.1, -0.2), female=-0.35, rural=0.25),
    "inst": Effects(
        age=(-0.15, -0.1, 0.05, 0.2), edu=(0.1, 0.0, -0.15),
        groups={(XK, SERB): -1.6, (RS, ALBANIAN): -1.2, (RS, BOSNIAK): -0.4, (AL, GREEK): -0.3},
    ),
    "west": Effects(
        age=(0.15, 0.05, 0.0, -0.15), edu=(-0.2, 0.0, 0.2),
        groups={(XK, SERB): -3.2, (RS, ALBANIAN): 3.0, (RS, BOSNIAK): 1.2, (RS, HUNGARIAN): 0.6},
    ),
    "east": Effects(
        age=(-0.15, 0.0, 0.1, 0.3), edu=(0.15, 0.0, -0.2),
        groups={(XK, SERB): 3.0, (RS, ALBANIAN): -2.6, (RS, BOSNIAK): -1.0, (RS, HUNGARIAN): -0.2},
    ),
    "corr": Effects(age=(-0.1, 0.0, 0.05, 0.1), edu=(-0.1, 0.0, 0.15),
                    groups={(XK, SERB): 0.4, (RS, ALBANIAN): 0.4}),
    "open": Effects(age=(0.25, 0.1, -0.05, -0.25), edu=(-0.25, 0.0, 0.3), rural=-0.1),
    "geq": Effects(age=(0.25, 0.1, -0.1, -0.3), edu=(-0.4, 0.0, 0.4), female=0.5, rural=-0.2,
                   trend=0.05),
    "media": Effects(age=(-0.3, -0.1, 0.1, 0.35), edu=(0.1, 0.0, -0.2)),
    "threat": Effects(age=(-0.1, 0.0, 0.1, 0.2), edu=(0.2, 0.0, -0.2), female=0.1),
}


@dataclass(frozen=True)
class Item:
    """How one question's latent answer is built; higher means code 1 (the top answer)."""

    load: Mapping[str, float]
    level: C3
    trend: float | C3 = 0.0  # per year since 2021
    steps: Mapping[int, C3] = field(default_factory=dict)  # shift from that year on
    effects: Effects = Effects()
    dk: float = -3.4  # logit of "don't know" for a typical respondent
    refuse: float = 0.0  # added to the logit of refusing


def _trust(
    level: C3, *, trend: float | C3 = 0.0, effects: Effects | None = None, refuse: float = 0.0
) -> Item:
    """Trust in a domestic institution: mostly the general institutional-trust factor."""
    return Item({"inst": 1.0}, level, trend=trend, effects=effects or Effects(), refuse=refuse)


OLDER_TRUST_ARMY = Effects(age=(-0.3, -0.1, 0.15, 0.4))

ITEMS: Mapping[str, Item] = {
    # safety
    "safe_walk_night": Item({"safety": 1.0}, (0.6, 0.7, 0.5),
                            effects=Effects(age=(0.1, 0.0, 0.0, -0.2), female=-0.3)),
    "safe_home": Item({"safety": 0.6}, (1.8, 1.9, 1.7)),
    "safety_change": Item({"safety": 0.5, "inst": 0.3}, (-0.2, 0.1, -0.3),
                          steps={2022: (-0.2, -0.2, -0.2), 2023: (0.1, -0.4, -0.3)}),
    "crime_victim": Item({"safety": -0.4}, (-1.7, -1.9, -1.5), effects=Effects(rural=-0.4),
                         dk=-4.5),
    "threats": Item({}, (0.0, 0.0, 0.0)),  # answers come from the THREAT_* preferences below
    # trust
    "trust_general": Item({"inst": 0.4, "open": 0.2}, (-0.5, -0.2, -0.4), dk=-3.0),
    "trust_police": _trust((0.0, 1.0, -0.2)),
    "trust_army": _trust((0.6, 1.6, 0.6), effects=OLDER_TRUST_ARMY),
    "trust_courts": _trust((-1.0, -0.6, -0.6), trend=(0.08, 0.0, 0.0)),
    "trust_prosecution": _trust((-0.9, -0.6, -0.7), trend=(0.12, 0.0, -0.03)),
    "trust_parliament": _trust((-1.0, -0.4, -0.8), refuse=0.3),
    "trust_government": _trust((-0.7, 0.3, -0.4), trend=(0.0, -0.14, -0.03), refuse=0.4),
    "trust_eu": Item({"west": 0.8, "inst": 0.2}, (1.0, 0.7, -0.6), trend=-0.06,
                     steps={2023: (0.0, -0.4, 0.0)}),
    "trust_nato": Item({"west": 1.0}, (1.3, 2.0, -2.0)),
    "trust_ksf": Item({"inst": 1.0}, (0.0, 1.5, 0.0), effects=Effects(groups={(XK, SERB): -1.5})),
    "trust_un": Item({"inst": 0.3, "west": 0.3}, (0.2, -0.3, 0.2), dk=-2.6),
    "trust_osce": Item({"inst": 0.3, "west": 0.2}, (0.1, 0.1, -0.1), dk=-2.0),
    "trust_media": Item({"media": 1.0}, (-0.8, -0.4, -0.8)),
    "trust_religious": Item({"inst": 0.4}, (0.2, 0.4, 0.6),
                            effects=Effects(age=(-0.4, -0.1, 0.15, 0.45), edu=(0.2, 0.0, -0.2))),
    # corruption: higher = more corruption seen
    "corruption_police": Item({"corr": 1.0, "inst": -0.3}, (0.7, 0.2, 0.5)),
    "corruption_courts": Item({"corr": 1.0, "inst": -0.3}, (1.4, 0.9, 0.9)),
    "corruption_customs": Item({"corr": 1.0, "inst": -0.3}, (1.2, 0.7, 0.8), dk=-2.8),
    "corruption_health": Item({"corr": 1.0, "inst": -0.3}, (1.5, 1.0, 1.2)),
    "corruption_local": Item({"corr": 1.0, "inst": -0.3}, (0.8, 0.5, 0.7)),
    "corruption_fight": Item({"corr": -0.5, "inst": 0.7}, (-0.6, 0.0, -0.4),
                             trend=(0.0, -0.1, 0.0)),
    # EU integration
    "eu_support": Item({"west": 1.0}, (2.0, 2.2, -0.3), trend=-0.04),
    "eu_membership_when": Item({"west": 0.4}, (-0.2, -0.9, -1.0), trend=-0.08, dk=-1.9),
    "eu_security": Item({"west": 0.8}, (1.2, 1.5, -0.3), trend=-0.03),
    # regional relations
    "relations_ks_rs": Item({"open": 0.5}, (-0.9, -1.3, -1.1), refuse=0.3,
                            steps={2023: (-0.2, -0.5, -0.4), 2024: (0.0, -0.1, -0.1)},
                            effects=Effects(groups={(XK, SERB): -0.5})),
    "relations_al_rs": Item({"open": 0.5}, (0.5, -0.6, 0.0), steps={2023: (-0.4, -0.2, -0.4)}),
    "relations_al_ks": Item({"open": 0.3}, (2.0, 1.8, -0.5),
                            effects=Effects(groups={(XK, SERB): -2.0, (RS, ALBANIAN): 2.0})),
    "dialogue_support": Item({"open": 0.6, "west": 0.3}, (1.2, 0.3, 0.3), trend=-0.08),
    "regional_coop": Item({"open": 0.8}, (1.3, 0.5, 0.9)),
    "conflict_risk": Item({"threat": 0.6, "open": -0.3}, (-1.5, -0.5, -0.9),
                          steps={2022: (0.2, 0.2, 0.2), 2023: (0.1, 0.45, 0.35),
                                 2024: (0.0, 0.1, 0.05)}),
    # violent extremism
    "extremism_threat": Item({"threat": 0.8}, (-0.2, 0.0, -0.2), trend=-0.05),
    "returnees_threat": Item({"threat": 0.7}, (-0.4, 0.2, -0.3), dk=-2.6),
    "returnees_reintegration": Item({"open": 0.4, "geq": 0.2}, (0.1, 0.3, -0.3), dk=-2.6,
                                    effects=Effects(edu=(-0.2, 0.0, 0.3))),
    "extremism_online": Item({"threat": 0.3}, (0.5, 0.6, 0.5), dk=-2.8,
                             effects=Effects(age=(0.3, 0.1, -0.1, -0.4))),
    # gender and security
    "gbv_extent": Item({"geq": 0.4}, (0.6, 0.5, 0.4), effects=Effects(female=0.3)),
    "gbv_police": Item({"inst": 0.8, "geq": -0.2}, (-0.1, 0.3, -0.2), trend=0.04),
    "women_security": Item({"geq": 1.0}, (0.8, 0.6, 0.8), steps={2023: (0.35, 0.35, 0.35)}),
    "women_leadership": Item({"geq": 1.0}, (0.5, 0.3, 0.1)),
    # media and disinformation
    "news_source": Item({}, (0.0, 0.0, 0.0), dk=-4.5),  # answers come from NEWS_* below
    "disinfo_exposure": Item({"media": -0.3}, (0.0, -0.2, 0.3), trend=0.07,
                             effects=Effects(age=(0.5, 0.3, 0.0, -0.6), edu=(-0.3, 0.0, 0.3))),
    "disinfo_threat": Item({"threat": 0.5, "media": -0.3}, (0.3, 0.4, 0.1), trend=0.06),
    "media_independent": Item({"media": 0.8, "inst": 0.3}, (-0.5, 0.0, -0.5)),
    # foreign influence: higher = more positive
    "influence_russia": Item({"east": 1.0}, (-1.6, -2.4, 1.6), steps={2022: (-0.5, -0.4, -0.3)}),
    "influence_china": Item({"east": 0.6}, (-0.3, -1.2, 1.7), dk=-2.4),
    "influence_usa": Item({"west": 1.0, "east": -0.3}, (2.0, 2.6, -1.0)),
    "influence_turkey": Item({"west": 0.2}, (0.5, 1.0, 0.0), dk=-2.6,
                             effects=Effects(groups={(RS, BOSNIAK): 1.0, (XK, TURKISH): 1.2,
                                                     (XK, BOSNIAK): 0.6})),
    "influence_eu": Item({"west": 0.8}, (1.4, 1.0, -0.2), trend=-0.05,
                         steps={2023: (0.0, -0.3, 0.0)}),
    "ukraine_war_threat": Item({"threat": 0.6}, (0.75, 1.05, 0.25), trend=-0.15),
}

# Respondent-level tendencies to say "don't know": the old and the less educated more often.
DK_EFFECTS = Effects(age=(0.0, 0.0, 0.25, 0.6), edu=(0.55, 0.0, -0.45), female=0.15)
DK_SD = 0.7
REFUSE_BASE = -4.6
REFUSE_SD = 0.9

# Main security threats (multi): preference per country for each of the ten threats.
THREAT_BASE = np.array([
    [1.2, 1.0, 0.8, 0.4, 1.1, -1.2, -0.8, -1.0, -0.6, -0.4],  # Albania
    [1.2, 0.6, 0.2, 0.3, 0.8, 0.3, -0.5, 0.6, 0.0, -0.8],  # Kosovo
    [1.1, 0.6, 0.4, 0.3, 0.7, -0.2, -0.6, -0.1, 0.3, -0.2],  # Serbia
])
THREAT_STEPS: Mapping[int, np.ndarray] = {
    2022: np.array([[0.2, 0, 0, 0, 0, 0, 0, 0.1, 0.2, 0.1]] * 3),
    2023: np.array([[0.0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.1],
                    [0.0, 0, 0, 0, 0, 0.3, 0, 0.5, 0.1, 0.1],
                    [0.0, 0, 0, 0, 0, 0.2, 0, 0.4, 0.1, 0.1]]),
    2024: np.array([[-0.2, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.1]] * 3),
}
THREAT_YOUNG = np.array([0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, -0.2, 0.0, 0.2])  # aged 18-29
THREAT_EDUCATED = np.array([-0.2, 0.3, 0.1, 0.2, 0.1, 0.0, 0.0, 0.0, 0.1, 0.1])  # higher education
THREAT_N_PICKED = (np.array([1, 2, 3]), np.array([0.15, 0.25, 0.60]))
THREAT_DK = 0.03

# Main source of news (nominal): utilities by country, age group and year.
NEWS_BASE = np.array([
    [1.2, 0.4, 0.5, -1.8, -2.2, -1.2],
    [1.0, 0.6, 0.8, -2.0, -2.6, -1.0],
    [1.4, 0.4, 0.2, -1.6, -1.6, -1.4],
])
NEWS_AGE = np.array([
    [-1.0, 0.3, 1.2, -0.3, -0.6, 0.0],
    [-0.4, 0.4, 0.5, 0.0, -0.3, 0.0],
    [0.3, 0.0, -0.3, 0.1, 0.2, 0.0],
    [1.2, -0.8, -1.3, 0.3, 0.7, 0.0],
])
NEWS_EDU = np.array([[0.2, -0.4, 0.0, 0.0, -0.3, 0.2], [0.0] * 6, [-0.3, 0.5, 0.0, 0.0, 0.3, -0.2]])
NEWS_TREND = np.array([-0.08, 0.05, 0.12, 0.0, -0.1, 0.0])


def correlation_matrix() -> np.ndarray:
    k = len(FACTORS)
    out = np.eye(k)
    for (a, b), r in CORRELATIONS.items():
        i, j = FACTORS.index(a), FACTORS.index(b)
        out[i, j] = out[j, i] = r
    return out
