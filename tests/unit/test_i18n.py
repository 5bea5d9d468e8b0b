"""Catalogs: same keys and placeholders as English; translate falls back and fills in; numbers per language."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

import barometer_dash
from barometer_dash import i18n
from barometer_dash.i18n import LANGUAGES, number, translate

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
    assert {"sq", "sr"} <= set(OTHER_LANGS)


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


@pytest.mark.parametrize("lang", ["sq", "sr"])
def test_number_uses_decimal_comma(lang):
    assert number(12.34, lang, 1) == "12,3"
    assert number(0.5, lang, 2) == "0,50"
    assert number(1234.5, lang, 1) == "1\u202f234,5"
    assert number(95, lang, 0) == "95"


def test_number_in_english():
    assert number(1234.5, "en", 1) == "1,234.5"


def test_every_literal_key_in_the_code_is_in_english(en):
    used: dict[str, str] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for match in LITERAL_KEY.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(2), str(path.relative_to(PACKAGE_DIR)))
    assert used, "no translate(...) calls found"
    missing = {key: where for key, where in used.items() if key not in en}
    assert missing == {}, "add these keys to en.json (and the other catalogs)"
