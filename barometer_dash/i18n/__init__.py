"""Interface text through one function, from JSON catalogs; English is the fallback."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGUAGES = {"en": "English", "sq": "Shqip", "sr": "Srpski"}
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


def number(x: float, lang: str = "en", digits: int = 1) -> str:
    """A number as people write it in `lang` (decimal comma in Albanian and Serbian)."""
    s = f"{x:,.{digits}f}"
    if lang in ("sq", "sr"):
        s = s.replace(",", "\u202f").replace(".", ",")
    return s
