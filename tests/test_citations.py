"""The dataset's citation is in the view's language everywhere it shows: page, exports, API."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.domain.query import Query
from barometer_dash.ingest import Options, ingest_file
from barometer_dash.render.print_layout import footer_lines
from barometer_dash.render.text import source_line
from tests.callbacks import Callbacks

LANGS = ("en", "sq", "sr", "sr-Cyrl")
VIEW = "/api/v1/datasets/demo/crosstab?row=trust_police&col=country"


@pytest.fixture(scope="module")
def demo_app():
    return create_app({"cache": "null"})


@pytest.fixture(scope="module")
def cited(demo_app) -> dict[str, str]:
    citation = demo_app.server.extensions["barometer_service"].store.get("demo").codebook.dataset.citation
    out = {lang: citation.get(lang) for lang in LANGS}
    assert len(set(out.values())) == 4
    return out


def _xlsx_text(body: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(body))
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)


@pytest.mark.parametrize("lang", LANGS)
def test_exports_and_api_cite_in_the_views_language(demo_app, cited, lang):
    client = demo_app.server.test_client()
    others = [text for other, text in cited.items() if other != lang]
    bodies = {
        "json": client.get(f"{VIEW}&lang={lang}").get_data(as_text=True),
        "csv": client.get(f"{VIEW}&lang={lang}&format=csv").get_data(as_text=True),
        "xlsx": _xlsx_text(client.get(f"{VIEW}&lang={lang}&format=xlsx").data),
        "ris": client.get(f"{VIEW}&lang={lang}&format=ris").get_data(as_text=True),
        "tabbook": _xlsx_text(client.get(f"/api/v1/datasets/demo/tabbook?col=country&question=trust_police"
                                         f"&lang={lang}").data),
        "codebook": client.get(f"/api/v1/datasets/demo/codebook?lang={lang}").get_data(as_text=True),
    }
    for name, body in bodies.items():
        text = body if name in ("csv", "xlsx", "ris", "tabbook") else json.dumps(json.loads(body), ensure_ascii=False)
        assert cited[lang] in text, name
        assert not any(o in text for o in others), name
    listed = {d["id"]: d for d in client.get(f"/api/v1/datasets?lang={lang}").get_json()["datasets"]}["demo"]
    assert listed["citation"] == cited[lang]
    assert listed["citations"] == {k: cited[k] for k in ("en", "sq", "sr")}


@pytest.mark.parametrize("lang", LANGS)
def test_page_source_line_about_box_and_image_footer_cite_in_the_views_language(demo_app, cited, lang):
    service = demo_app.server.extensions["barometer_service"]
    xt = service.crosstab(Query(dataset="demo", row="trust_police", col="country"), lang)
    assert xt.citation == cited[lang]
    assert cited[lang] in source_line(xt) and cited[lang] in footer_lines(xt, "https://x.example/")
    page = Callbacks(demo_app.server.test_client())
    out = page.post("page.children", {"url.search": f"?lang={lang}"}, changed="url.search")
    assert cited[lang] in json.dumps(out, ensure_ascii=False)
    assert not any(text in json.dumps(out, ensure_ascii=False) for o, text in cited.items() if o != lang)


def test_citation_flag_replaces_the_english_and_keeps_the_translations(survey_files, tmp_path):
    raw = json.loads(survey_files["tiny_codebook"].read_text(encoding="utf-8"))
    raw["dataset"]["citation"] = {"en": "Old.", "sq": "E vjetër."}
    path = tmp_path / "cb.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = ingest_file(survey_files["tiny"], Options("tiny2", codebook=path, citation="New."), tmp_path / "data")
    assert result.codebook.dataset.citation.by_lang == {"en": "New.", "sq": "E vjetër."}
