"""Write the Serbian Cyrillic catalog (sr-Cyrl.json) from the Latin one (sr.json).

Run `python -m barometer_dash.i18n.cyrillic` after changing sr.json; a test checks that the two
agree. Serbian is written in both scripts and converts letter for letter; placeholders, product
names and abbreviations such as JSON stay in Latin.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..domain.codebook import serbian_cyrillic

_DIR = Path(__file__).resolve().parent
SOURCE, TARGET = _DIR / "sr.json", _DIR / "sr-Cyrl.json"


def cyrillic_catalog(latin: dict[str, str]) -> dict[str, str]:
    return {key: serbian_cyrillic(text) for key, text in latin.items()}


def render(latin: dict[str, str]) -> str:
    return json.dumps(cyrillic_catalog(latin), ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    TARGET.write_text(render(json.loads(SOURCE.read_text(encoding="utf-8"))), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
