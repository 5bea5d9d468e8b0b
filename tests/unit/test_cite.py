"""Citations of a view in every language, as text, BibTeX and RIS."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.query import Query
from barometer_dash.i18n import LANGUAGES, translate
from barometer_dash.render.cite import cite
from barometer_dash.service import Service

DATA = Path(__file__).resolve().parents[2] / "data"
LINK = "https://barometer.example/?q=trust_police&by=age_group&country=XK&year=2022"
DAY = date(2025, 3, 7)
QUERY = Query("demo", "trust_police", "age_group", filters=(("country", (2,)), ("year", (2022,))))


@pytest.fixture(scope="module")
def service() -> Service:
    return Service(Store(DATA))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_citation_text_names_everything_in_the_language(service: Service, lang: str) -> None:
    xt = service.crosstab(QUERY, lang)
    c = cite(xt, LINK, DAY)
    assert c.publisher == translate("app.title", lang) == "Barometer Dash"
    for part in (xt.question, xt.col_title, xt.dataset_title, xt.version, LINK, "2025-03-07", "(2025)"):
        assert part in c.text, part
    kosovo = "Косов" if lang == "sr-Cyrl" else "Kosov"
    assert kosovo in c.text and "2022" in c.text  # the filters are part of the title
    assert translate("synthetic.short", lang) in c.text
    words = {"en": "accessed", "sq": "qasur", "sr": "pristupljeno", "sr-Cyrl": "приступљено"}
    assert words[lang] in c.text


def test_languages_differ(service: Service) -> None:
    texts = {lang: cite(service.crosstab(QUERY, lang), LINK, DAY).text for lang in LANGUAGES}
    assert len(set(texts.values())) == len(LANGUAGES)
    assert "Sa besim keni në polici?" in texts["sq"] and "Koliko imate poverenja u policiju?" in texts["sr"]


def test_bibtex_escapes_and_carries_the_link_version_and_date(service: Service) -> None:
    xt = service.crosstab(QUERY, "en")
    bib = cite(xt, LINK, DAY, publisher="Example & Partners_50%").bibtex
    assert bib.startswith("@online{demo_trust_police_age_group_2025,\n") and bib.endswith("}\n")
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", bib, flags=re.M))
    assert fields["author"] == r"{Example \& Partners\_50\%}"
    assert fields["url"] == LINK and fields["urldate"] == "2025-03-07" and fields["year"] == "2025"
    assert fields["version"] == xt.version
    assert xt.question in fields["title"]
    assert "not survey results" in fields["note"]


def test_ris_has_one_tagged_field_per_line(service: Service) -> None:
    xt = service.crosstab(QUERY, "sr")
    ris = cite(xt, LINK, DAY).ris
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - DATA" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    tags = dict(line.split("  - ", 1) for line in lines[:-1] if not line.startswith("N1"))
    assert tags["UR"] == LINK and tags["Y2"] == "2025/03/07" and tags["ET"] == xt.version and tags["PY"] == "2025"
    assert tags["AU"] == tags["PB"] == "Barometer Dash" and tags["DB"] == xt.dataset_title
    assert tags["TI"].startswith("Koliko imate poverenja u policiju?") and tags["LA"] == "sr"
    assert "Sintetički" in ris
