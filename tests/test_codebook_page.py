"""The codebook page and its JSON: wording, codes, where asked, frequencies; search; escaping."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.codebook_data import codebook_data
from barometer_dash.codebook_page import codebook_url
from barometer_dash.data.store import Store
from barometer_dash.service import Rules, Service

DATA = Path(__file__).resolve().parents[1] / "data"


class Parsed(HTMLParser):
    """Tags, ids and text of a page, to check its structure rather than its spelling."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def ids(self, tag: str) -> list[str]:
        return [str(a.get("id")) for t, a in self.tags if t == tag and a.get("id")]


@pytest.fixture(scope="module")
def demo_client():  # type: ignore[no-untyped-def]
    return create_app({"data_dir": DATA, "cache": "null", "default_dataset": "demo"}).server.test_client()


def test_every_variable_has_an_anchor_with_its_wording_in_every_language(demo_client) -> None:  # type: ignore[no-untyped-def]
    html = demo_client.get("/codebook?ds=demo").get_data(as_text=True)
    page = Parsed(html)
    cb = Store(DATA).get("demo").codebook
    assert page.ids("article") == [f"q-{v.name}" for v in _in_topic_order(cb)]
    text = " ".join(page.text)
    for var in cb.variables:
        for wording in var.label.by_lang.values():
            assert wording in text
    assert ('html', {"lang": "en"}) in page.tags
    assert not [t for t, _ in page.tags if t == "script"] and " style=" not in html
    ksf = html.split('id="q-trust_ksf"', 1)[1].split("</article>", 1)[0]
    assert "Asked in: Kosovo: 2021, 2022, 2023, 2024" in ksf
    army = html.split('id="q-trust_army"', 1)[1].split("</article>", 1)[0]
    assert "In Kosovo this item refers to the Kosovo Security Force." in army
    police = html.split('id="q-trust_police"', 1)[1].split("</article>", 1)[0]
    assert "Missing codes (excluded from bases by default): 98, 99" in police
    assert '<th scope="row">Refused (missing code)</th>' in police


def _in_topic_order(cb):  # type: ignore[no-untyped-def]
    ordered = [v for t in cb.topics for v in cb.variables if v.topic == t.id]
    return ordered + [v for v in cb.variables if not v.topic]


def test_frequencies_equal_plain_weighted_counts(demo_client) -> None:  # type: ignore[no-untyped-def]
    data = demo_client.get("/api/v1/datasets/demo/codebook").get_json()
    frame = pd.read_parquet(DATA / "demo" / "responses.parquet")
    weight = frame["weight"].to_numpy()
    checked = 0
    for var in data["variables"]:
        if var["kind"] == "multi" or not var["values"]:
            continue
        x = frame[var["name"]].to_numpy(dtype=float)
        asked = ~np.isnan(x)
        for value in var["values"]:
            hit = x == value["code"]
            assert value["n"] == int(hit.sum()), (var["name"], value["code"])
            assert value["weighted"] == pytest.approx(weight[hit].sum(), rel=1e-9)
            assert value["percent"] == pytest.approx(100 * weight[hit].sum() / weight[asked].sum(), rel=1e-9)
            checked += 1
    assert checked > 200


def test_numbers_on_the_page_are_the_jsons(demo_client) -> None:  # type: ignore[no-untyped-def]
    data = demo_client.get("/api/v1/datasets/demo/codebook").get_json()
    html = demo_client.get("/codebook?ds=demo").get_data(as_text=True)
    police = next(v for v in data["variables"] if v["name"] == "trust_police")
    entry = html.split('id="q-trust_police"', 1)[1].split("</article>", 1)[0]
    for value in police["values"]:
        assert f"<td>{value['n']:,.0f}</td><td>{value['weighted']:,.1f}</td><td>{value['percent']:,.1f}</td>" in entry


def test_search_keeps_matching_questions_only(demo_client) -> None:  # type: ignore[no-untyped-def]
    page = Parsed(demo_client.get("/codebook?ds=demo&q=POLICE").get_data(as_text=True))
    found = page.ids("article")
    assert "q-trust_police" in found and "q-corruption_police" in found
    assert "q-trust_eu" not in found and len(found) < 10
    albanian = Parsed(demo_client.get("/codebook?ds=demo&lang=sq&q=Shum%C3%AB%20besim").get_data(as_text=True))
    assert "q-trust_police" in albanian.ids("article") and ("html", {"lang": "sq"}) in albanian.tags
    none = demo_client.get("/codebook?ds=demo&q=zzzz-nothing").get_data(as_text=True)
    assert "0 of 62 variables" in none and "No variable matches this search." in none
    assert Parsed(none).ids("article") == []


def test_bad_language_falls_back_and_unknown_dataset_is_404(demo_client) -> None:  # type: ignore[no-untyped-def]
    assert ("html", {"lang": "en"}) in Parsed(demo_client.get("/codebook?ds=demo&lang=xx").get_data(as_text=True)).tags
    r = demo_client.get("/codebook?ds=%3Cscript%3Ex")
    assert r.status_code == 404 and "<script>" not in r.get_data(as_text=True)
    assert "no dataset &#39;&lt;script&gt;x&#39;" in r.get_data(as_text=True)
    r = demo_client.get("/api/v1/datasets/nope/codebook")
    assert r.status_code == 404 and r.get_json()["error"]["parameter"] == "id"
    r = demo_client.get("/api/v1/datasets/demo/codebook?lang=xx")
    assert r.status_code == 400 and r.get_json()["error"]["parameter"] == "lang"
    r = demo_client.get("/api/v1/datasets/demo/codebook?format=csv")
    assert r.status_code == 400 and r.get_json()["error"]["parameter"] == "format"


def test_hostile_labels_render_as_text(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir / "tiny", folder / "tiny")
    raw = json.loads((folder / "tiny" / "codebook.json").read_text(encoding="utf-8"))
    trust = next(v for v in raw["variables"] if v["name"] == "trust")
    trust["label"] = {"en": "<script>alert(1)</script>", "sq": "\"><img src=x onerror=alert(2)>"}
    trust["values"][0]["label"] = {"en": "<b onclick=alert(3)>Yes</b>"}
    (folder / "tiny" / "codebook.json").write_text(json.dumps(raw), encoding="utf-8")
    client = create_app({"data_dir": folder, "cache": "null", "default_dataset": "tiny"}).server.test_client()
    html = client.get("/codebook?ds=tiny&q=%3Cscript").get_data(as_text=True)
    page = Parsed(html)
    assert not [t for t, _ in page.tags if t in ("script", "img", "b")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in " ".join(page.text)
    assert "<b onclick=alert(3)>Yes</b>" in " ".join(page.text)
    assert page.ids("article") == ["q-trust"]


def test_suppressed_frequencies_are_not_shown(data_dir: Path) -> None:
    service = Service(Store(data_dir), rules=Rules(min_base=10**9, flag_base=10**9))
    data = codebook_data(service, "tiny", "en")
    trust = next(v for v in data["variables"] if v["name"] == "trust")
    assert trust["suppressed"] is True and trust["base_n"] > 0
    assert all(v["n"] is None and v["percent"] is None and v["weighted"] is None for v in trust["values"])


def test_codebook_url_points_at_a_question() -> None:
    assert codebook_url("demo", "sq", "trust_police") == "/codebook?ds=demo&lang=sq#q-trust_police"
    assert re.fullmatch(r"/codebook\?ds=x&lang=en&q=a\+b", codebook_url("x", q="a b"))


def test_a_scale_labelled_only_at_its_ends_lists_every_answer_given(tmp_path: Path) -> None:
    # A 0-10 scale whose codebook names only 0 and 10, as surveys often do: the answers 1-9
    # still get their frequencies, without a label, and the search still reads the wording.
    from tests.conftest import write_scale_dataset

    folder, frame = write_scale_dataset(tmp_path)
    data = codebook_data(Service(Store(folder)), "tiny", "en")
    safety = next(v for v in data["variables"] if v["name"] == "safety")
    weight = frame["w"].to_numpy()
    assert [v["code"] for v in safety["values"]] == list(range(11))  # in order, as the table's rows
    for value in safety["values"]:
        hit = frame["safety"].to_numpy() == value["code"]
        assert value["n"] == int(hit.sum()) and value["weighted"] == pytest.approx(weight[hit].sum(), rel=1e-9)
        assert bool(value["label"]) == (value["code"] in (0, 10))
    client = create_app({"data_dir": folder, "cache": "null"}).server.test_client()
    for words in ("Feeling%20safe", "crime%20module"):  # the short label and the notes are searched too
        page = Parsed(client.get(f"/codebook?ds=tiny&q={words}").get_data(as_text=True))
        assert page.ids("article") == ["q-safety"], words
