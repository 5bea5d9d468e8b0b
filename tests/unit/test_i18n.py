"""Catalogs: same keys and placeholders as English; translate falls back and fills in; numbers per language."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

import barometer_dash
from barometer_dash import i18n
from barometer_dash.domain.codebook import LANGUAGES as DOMAIN_LANGUAGES
from barometer_dash.domain.codebook import Text, serbian_cyrillic
from barometer_dash.i18n import LANGUAGES, date, number, percent, separators, translate
from barometer_dash.i18n.cyrillic import SOURCE, TARGET, render

I18N_DIR = Path(i18n.__file__).resolve().parent
PACKAGE_DIR = Path(barometer_dash.__file__).resolve().parent
OTHER_LANGS = sorted(p.stem for p in I18N_DIR.glob("*.json") if p.stem != "en")
LITERAL_KEY = re.compile(r"""translate\(\s*(["'])([a-z_.]+)\1""")


def load(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((I18N_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.fixture(scope="module")
def en() -> dict[str, str]:
    return load("en")


def test_every_language_has_a_catalog():
    assert set(LANGUAGES) <= {"en", *OTHER_LANGS}
    assert {"sq", "sr", "sr-Cyrl"} <= set(OTHER_LANGS)
    # One list of codes: the page, the settings and the API all read the domain's tuple.
    assert tuple(LANGUAGES) == DOMAIN_LANGUAGES == ("en", "sq", "sr", "sr-Cyrl")


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_catalog_has_exactly_the_english_keys(lang, en):
    keys = set(load(lang))
    assert sorted(set(en) - keys) == [], "missing"
    assert sorted(keys - set(en)) == [], "not in en.json"


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_texts_are_non_empty_strings(lang):
    for key, text in load(lang).items():
        assert isinstance(text, str) and text.strip(), key


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_placeholders_match_english(lang, en):
    cat = load(lang)
    wrong = {
        key: (placeholders(en[key]), placeholders(cat[key]))
        for key in en.keys() & cat.keys()
        if placeholders(en[key]) != placeholders(cat[key])
    }
    assert wrong == {}


@pytest.mark.parametrize("lang", ["en", *OTHER_LANGS])
def test_every_text_formats(lang):
    for key, text in load(lang).items():
        filled = text.format(**{name: "X" for name in placeholders(text)})
        assert "{" not in filled and "}" not in filled, key


def test_unknown_language_falls_back_to_english(en):
    assert translate("table.total", "xx") == en["table.total"]


def test_key_missing_from_a_catalog_falls_back_to_english(monkeypatch, en):
    real = i18n.catalog

    def without_total(lang: str) -> dict[str, str]:
        data = dict(real(lang))
        if lang == "sq":
            data.pop("table.total", None)
        return data

    monkeypatch.setattr(i18n, "catalog", without_total)
    assert translate("table.total", "sq") == en["table.total"]
    assert translate("table.answer", "sq") == load("sq")["table.answer"]


def test_unknown_key_comes_back_as_is():
    assert translate("no.such_key", "sr") == "no.such_key"


def test_placeholders_are_filled_in():
    assert translate("chart.base", "en", n="1\u202f234") == "n = 1\u202f234"
    assert translate("dataset.license", "sq", license="CC BY 4.0") == "Licenca: CC BY 4.0"
    assert "{" not in translate("table.ci_title", "sr", level=95, low="1,0", high="2,0", n=50)
    assert "95" in translate("table.ci_title", "sr", level=95, low="1,0", high="2,0", n=50)


def test_translated_text_is_used(en):
    assert translate("table.total", "sr") == load("sr")["table.total"] != en["table.total"]


def test_numbers_follow_each_locale():
    # Albanian groups with a no-break space, Serbian (both scripts) with a full stop (CLDR, via Babel).
    assert [number(1234.5, lang, 1) for lang in ("en", "sq", "sr", "sr-Cyrl")] == [
        "1,234.5", "1\xa0234,5", "1.234,5", "1.234,5"]
    assert number(12.34, "sq", 1) == "12,3" and number(0.5, "sr", 2) == "0,50"
    assert number(95, "sr-Cyrl", 0) == "95" and number(-3.25, "en", 1) == "-3.2"
    assert number(1234.5, "xx", 1) == "1,234.5"


def test_percentages_and_dates_follow_each_locale():
    import datetime

    assert percent(40, "en") == "40.0%" and percent(40, "sr") == "40,0%"
    day = datetime.date(2024, 3, 5)
    assert date(day, "en") == "March 5, 2024"
    assert date(day, "sr") == "5. mart 2024." and date(day, "sr-Cyrl") == "5. март 2024."
    assert separators("en") == ".," and separators("sr") == ",." and separators("sq") == ",\xa0"


def test_cyrillic_catalog_is_the_latin_one_converted():
    latin = load("sr")
    assert TARGET.read_text(encoding="utf-8") == render(latin), "run python -m barometer_dash.i18n.cyrillic"
    cyr = load("sr-Cyrl")
    assert cyr["controls.question"] == "Питање" and latin["controls.question"] == "Pitanje"
    assert cyr["table.total"] == "Укупно"
    # Placeholders, the product's name and abbreviations stay as they are.
    assert "Rao-Scott F = {F}" in cyr["test.significant"] and cyr["app.title"] == "Barometer Dash"
    assert cyr["download.csv"] == "Преузми CSV" and cyr["footer.api"] == "JSON API"
    assert SOURCE.name == "sr.json"


def test_serbian_latin_letters_map_to_cyrillic():
    assert serbian_cyrillic("Ljubljana, Njegoš, džep, Đakovica, Šid, čaša, ćup, žena") == (
        "Љубљана, Његош, џеп, Ђаковица, Шид, чаша, ћуп, жена")
    assert serbian_cyrillic("{n} JSON") == "{n} JSON"


def test_codebook_text_in_cyrillic_converts_or_uses_given_text():
    assert Text({"en": "Police", "sr": "Policija"}).get("sr-Cyrl") == "Полиција"
    assert Text({"en": "Police", "sr": "Policija", "sr-Cyrl": "Милиција"}).get("sr-Cyrl") == "Милиција"
    assert Text({"en": "Police", "sq": "Policia"}).get("sr-Cyrl") == "Police"
    assert Text({"en": "Police", "sr": "Policija"}).get("sr") == "Policija"


def test_demo_labels_in_cyrillic(demo_codebook_json):
    from barometer_dash.domain.codebook import parse_codebook

    cb = parse_codebook(demo_codebook_json)
    police = cb.by_name["trust_police"]
    assert police.label.get("sr-Cyrl") == "Колико имате поверења у полицију?"
    assert [v.label.get("sr-Cyrl") for v in police.valid_values] == [
        "Велико поверење", "Делимично поверење", "Мало поверења", "Нимало поверења"]
    country = cb.by_name[cb.dataset.country or ""]
    assert [v.label.get("sr-Cyrl") for v in country.values] == ["Албанија", "Косово", "Србија"]
    assert cb.dataset.title.get("sr-Cyrl") == "Барометар безбедности Западног Балкана — синтетички демо"
    # No Latin letter is left in any question wording or answer label.
    texts = [v.label for v in cb.variables] + [val.label for v in cb.variables for val in v.values]
    left = [t.get("sr-Cyrl") for t in texts if "sr" in t.by_lang and any(c.isascii() and c.isalpha()
                                                                          for c in t.get("sr-Cyrl"))]
    assert left == []


@pytest.fixture(scope="module")
def demo_codebook_json() -> dict:
    root = PACKAGE_DIR.parent
    return json.loads((root / "data" / "demo" / "codebook.json").read_text(encoding="utf-8"))


def test_every_literal_key_in_the_code_is_in_english(en):
    used: dict[str, str] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for match in LITERAL_KEY.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(2), str(path.relative_to(PACKAGE_DIR)))
    assert used, "no translate(...) calls found"
    missing = {key: where for key, where in used.items() if key not in en}
    assert missing == {}, "add these keys to en.json (and the other catalogs)"
