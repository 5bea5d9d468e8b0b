"""Interface text through one function, from JSON catalogs; English is the fallback.

Numbers, percentages and dates are written by Babel with each language's conventions.
"""

from __future__ import annotations

import datetime as _dt
import json
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from ..domain.codebook import LANGUAGES as CODES

# The language switch shows each language in its own words; the codes come from the domain.
_NAMES = {"en": "English", "sq": "Shqip", "sr": "Srpski", "sr-Cyrl": "Српски"}
LANGUAGES: dict[str, str] = {code: _NAMES[code] for code in CODES}
# Babel's locale for each code: our `sr` is Serbian in Latin script, Babel's `sr` is Cyrillic.
LOCALES = {"en": "en", "sq": "sq", "sr": "sr_Latn", "sr-Cyrl": "sr_Cyrl"}
_DIR = Path(__file__).resolve().parent


@cache
def catalog(lang: str) -> dict[str, str]:
    path = _DIR / f"{lang}.json"
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def translate(key: str, lang: str = "en", **values: object) -> str:
    """The text for `key` in `lang` (else English, else the key), with {names} filled in."""
    text = catalog(lang).get(key) or catalog("en").get(key) or key
    return text.format(**values) if values else text


def locale(lang: str) -> str:
    return LOCALES.get(lang, "en")


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def number(x: float, lang: str = "en", digits: int = 1) -> str:
    """A number as people write it in `lang` (e.g. 1,234.5 / 1 234,5 / 1.234,5)."""
    return format_decimal(x, format=_pattern(digits), locale=locale(lang))


def percent(x: float, lang: str = "en", digits: int = 1) -> str:
    """A percentage given in points (40.0 -> "40.0%"), as `lang` writes it."""
    return format_percent(x / 100, format=_pattern(digits) + "%", locale=locale(lang))


def date(d: _dt.date, lang: str = "en", form: str = "long") -> str:
    """A date as `lang` writes it (`form`: short, medium, long or full)."""
    return format_date(d, form, locale=locale(lang))


def separators(lang: str = "en") -> str:
    """plotly's `separators` layout value: the decimal mark, then the thousands mark."""
    return number(1000.5, lang, 1)[-2] + number(1000, lang, 0)[1]
