"""Who lives where: countries, regions and population margins behind the demo sample.

Region populations (thousands of residents) and urban shares are rounded, plausible figures
for each country's first-level regions; they set the sample allocation and the raking
targets, nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..domain.codebook import Text, Value
from .scales import REFUSED, tx

YEARS = (2021, 2022, 2023, 2024)
AL, XK, RS = 1, 2, 3

ALBANIAN, SERB, BOSNIAK, RAE, HUNGARIAN, GREEK, TURKISH, OTHER = 1, 2, 3, 4, 5, 6, 7, 8

ETHNICITY_VALUES: tuple[Value, ...] = (
    Value(ALBANIAN, tx("Albanian", "Shqiptar", "Albanac")),
    Value(SERB, tx("Serb", "Serb", "Srbin")),
    Value(BOSNIAK, tx("Bosniak", "Boshnjak", "Bošnjak")),
    Value(RAE, tx("Roma, Ashkali, Egyptian", "Rom, Ashkali, Egjiptian",
                  "Rom, Aškalija, Egipćanin")),
    Value(HUNGARIAN, tx("Hungarian", "Hungarez", "Mađar")),
    Value(GREEK, tx("Greek", "Grek", "Grk")),
    Value(TURKISH, tx("Turkish", "Turk", "Turčin")),
    Value(OTHER, tx("Other", "Tjetër", "Ostalo")),
    Value(REFUSED, tx("Refused", "Refuzon të përgjigjet", "Odbija da odgovori")),
)


@dataclass(frozen=True)
class Region:
    code: int
    name: Text
    population: float  # thousands
    urban: float  # share living in urban settlements
    minorities: Mapping[int, float] = field(default_factory=dict)  # ethnicity -> share


@dataclass(frozen=True)
class Country:
    code: int
    key: str
    name: Text
    majority: int
    regions: tuple[Region, ...]
    age_shares: tuple[float, float, float, float]  # adults 18-29, 30-44, 45-59, 60+
    female_by_age: tuple[float, float, float, float]


def _r(
    code: int, en: str, sq: str, sr: str, pop: float, urban: float, **minorities: float
) -> Region:
    names = {"serb": SERB, "bosniak": BOSNIAK, "rae": RAE, "hungarian": HUNGARIAN,
             "greek": GREEK, "turkish": TURKISH, "albanian": ALBANIAN, "other": OTHER}
    return Region(code, tx(en, sq, sr), pop, urban, {names[k]: v for k, v in minorities.items()})


ALBANIA = Country(
    AL, "AL", tx("Albania", "Shqipëria", "Albanija"), ALBANIAN,
    (
        _r(101, "Berat", "Berat", "Berat", 112, 0.45, rae=0.015, other=0.005),
        _r(102, "Dibër", "Dibër", "Dibra", 100, 0.30, other=0.005),
        _r(103, "Durrës", "Durrës", "Drač", 270, 0.75, rae=0.01, other=0.005),
        _r(104, "Elbasan", "Elbasan", "Elbasan", 250, 0.45, rae=0.015, other=0.005),
        _r(105, "Fier", "Fier", "Fijer", 250, 0.45, rae=0.015, other=0.01),
        _r(106, "Gjirokastër", "Gjirokastër", "Đirokastra", 50, 0.60, greek=0.09, rae=0.01),
        _r(107, "Korçë", "Korçë", "Korča", 175, 0.55, rae=0.02, other=0.02),
        _r(108, "Kukës", "Kukës", "Kukes", 55, 0.35, other=0.005),
        _r(109, "Lezhë", "Lezhë", "Lješ", 105, 0.50, other=0.005),
        _r(110, "Shkodër", "Shkodër", "Skadar", 165, 0.55, rae=0.01, other=0.01),
        _r(111, "Tirana", "Tiranë", "Tirana", 760, 0.85, rae=0.01, other=0.01),
        _r(112, "Vlorë", "Vlorë", "Valona", 175, 0.70, greek=0.02, rae=0.01),
    ),
    age_shares=(0.22, 0.24, 0.25, 0.29),
    female_by_age=(0.49, 0.51, 0.51, 0.53),
)

KOSOVO = Country(
    XK, "XK", tx("Kosovo", "Kosova", "Kosovo"), ALBANIAN,
    (
        _r(201, "Prishtina", "Prishtinë", "Priština", 480, 0.62, serb=0.04, turkish=0.01, rae=0.01),
        _r(202, "Mitrovica", "Mitrovicë", "Kosovska Mitrovica", 210, 0.45, serb=0.25,
           bosniak=0.02, rae=0.015, turkish=0.01),
        _r(203, "Peja", "Pejë", "Peć", 165, 0.40, bosniak=0.05, serb=0.02, rae=0.02),
        _r(204, "Prizren", "Prizren", "Prizren", 300, 0.40, bosniak=0.06, turkish=0.05, serb=0.01),
        _r(205, "Ferizaj", "Ferizaj", "Uroševac", 180, 0.40, serb=0.04, rae=0.02),
        _r(206, "Gjilan", "Gjilan", "Gnjilane", 165, 0.40, serb=0.08, rae=0.01, turkish=0.005),
        _r(207, "Gjakova", "Gjakovë", "Đakovica", 170, 0.40, rae=0.03, serb=0.005),
    ),
    age_shares=(0.30, 0.28, 0.23, 0.19),
    female_by_age=(0.49, 0.50, 0.50, 0.52),
)

SERBIA = Country(
    RS, "RS", tx("Serbia", "Serbia", "Srbija"), SERB,
    (
        _r(301, "Belgrade", "Beogradi", "Beograd", 1680, 0.82, rae=0.01, other=0.03),
        _r(302, "Vojvodina", "Vojvodina", "Vojvodina", 1740, 0.58, hungarian=0.11, rae=0.02,
           other=0.08),
        _r(303, "Šumadija and Western Serbia", "Shumadia dhe Serbia Perëndimore",
           "Šumadija i Zapadna Srbija", 1820, 0.47, bosniak=0.06, rae=0.015, other=0.01),
        _r(304, "Southern and Eastern Serbia", "Serbia Jugore dhe Lindore",
           "Južna i Istočna Srbija", 1410, 0.50, albanian=0.03, rae=0.03, other=0.03),
    ),
    age_shares=(0.16, 0.25, 0.24, 0.35),
    female_by_age=(0.49, 0.50, 0.51, 0.56),
)

COUNTRIES: tuple[Country, ...] = (ALBANIA, KOSOVO, SERBIA)
BY_CODE: Mapping[int, Country] = {c.code: c for c in COUNTRIES}

# Rural areas are older than towns: this much of the youngest groups' share moves to 60+.
RURAL_AGE_SHIFT = (-0.025, -0.02, 0.0, 0.045)

GENDER_VALUES = (
    Value(1, tx("Male", "Mashkull", "Muški")),
    Value(2, tx("Female", "Femër", "Ženski")),
)
AGE_VALUES = tuple(
    Value(i + 1, tx(s, s, s)) for i, s in enumerate(("18–29", "30–44", "45–59", "60+"))
)
SETTLEMENT_VALUES = (
    Value(1, tx("Urban", "Qytet", "Grad")),
    Value(2, tx("Rural", "Fshat", "Selo")),
)
EDUCATION_VALUES = (
    Value(1, tx("Primary or less", "Fillor ose më pak", "Osnovno ili niže")),
    Value(2, tx("Secondary", "I mesëm", "Srednje")),
    Value(3, tx("Higher (university)", "I lartë (universitar)", "Više ili visoko")),
)
EMPLOYMENT_VALUES = (
    Value(1, tx("Employed", "I/e punësuar", "Zaposlen/a")),
    Value(2, tx("Unemployed", "I/e papunë", "Nezaposlen/a")),
    Value(3, tx("Student", "Student/e", "Student/kinja")),
    Value(4, tx("Retired", "Pensionist/e", "Penzioner/ka")),
    Value(5, tx("Homemaker", "Punët e shtëpisë", "Domaćica/domaćin")),
    Value(6, tx("Other", "Tjetër", "Ostalo")),
)
INCOME_VALUES = (
    Value(1, tx("Up to €300", "Deri në 300 €", "Do 300 €")),
    Value(2, tx("€301–600", "301–600 €", "301–600 €")),
    Value(3, tx("€601–1,000", "601–1.000 €", "601–1.000 €")),
    Value(4, tx("More than €1,000", "Mbi 1.000 €", "Preko 1.000 €")),
)
