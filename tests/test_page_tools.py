"""The page's tools beyond the table: chart kind, answer, level and interval controls, the tab
book link and route, the codebook link and the code that reproduces a view."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from barometer_dash.app_factory import create_app
from tests.callbacks import Callbacks


@pytest.fixture(scope="module")
def page() -> Callbacks:
    return Callbacks(create_app({"cache": "null"}).server.test_client())


def _state(search: str) -> dict:
    return {"view-state.data": {"search": search, "ds": "demo", "lang": "en", "built": True}}


def test_link_sets_the_new_controls(page):
    out = page.post("page.children", {"url.search": "?q=trust_police&chart=trend&ans=trust&level=0.99&ci=1"},
                    changed="url.search")
    text = json.dumps(out["page"]["children"])
    for component, value in (("chart-kind", "trend"), ("trend-answer", "trust"), ("level", "0.99"),
                             ("show-ci", ["ci"])):
        assert re.search(rf'"id": "{component}"[^{{}}]*"value": {re.escape(json.dumps(value))}', text) or \
            re.search(rf'"value": {re.escape(json.dumps(value))}[^{{}}]*"id": "{component}"', text), component


def test_intervals_switch_writes_intervals_in_the_table(page):
    plain = json.dumps(page.post("table-container.children", _state("?q=trust_police")), ensure_ascii=False)
    with_ci = json.dumps(page.post("table-container.children", _state("?q=trust_police&ci=1")), ensure_ascii=False)
    pattern = r'"(\d+\.\d)", \{"props": \{"children": \[" \((\d+\.\d)\u2013(\d+\.\d)\)"\], "className": "ci"'
    assert not re.search(pattern, plain)
    found = re.findall(pattern, with_ci)
    assert len(found) >= 12 and all(float(lo) <= float(p) <= float(hi) for p, lo, hi in found)


def test_downloads_offer_tab_book_codebook_and_code(page):
    links = json.dumps(page.post("downloads.children", _state("?q=trust_police&by=age_group&country=XK")))
    assert "/api/v1/datasets/demo/tabbook?col=age_group&filter=country:2" in links
    assert '"id": "reproduce-r"' in links and "svydesign" in links and "svychisq" in links
    assert '"id": "reproduce-python"' in links and "Survey(" in links
    heading = json.dumps(page.post("result-heading.children", _state("?q=trust_police")))
    assert "/codebook?ds=demo&lang=en#q-trust_police" in heading
    # In Albanian the tab book comes in Albanian, and the embed code shows this very view.
    albanian = json.dumps(page.post("downloads.children", _state("?q=trust_police&by=age_group&country=XK&lang=sq")))
    assert "/api/v1/datasets/demo/tabbook?col=age_group&filter=country:2&lang=sq" in albanian
    embed = re.search(r'iframe src=\\"([^"\\]+)\\"', albanian)
    assert embed is not None and "/embed?" in embed.group(1)
    assert all(part in embed.group(1) for part in ("q=trust_police", "by=age_group", "country=XK", "lang=sq"))


def test_tab_book_route_gives_the_crosstab_numbers(page):
    client = page.client
    resp = client.get("/api/v1/datasets/demo/tabbook?col=country&question=trust_police")
    assert resp.status_code == 200 and resp.headers["Content-Disposition"].endswith('tabbook_by_country.xlsx"')
    wb = load_workbook(io.BytesIO(resp.data))
    sheet = wb[wb.sheetnames[1]]
    numbers = {round(c.value, 1) for row in sheet.iter_rows() for c in row if isinstance(c.value, float)}
    api = client.get("/api/v1/datasets/demo/crosstab?row=trust_police&col=country").get_json()
    for cell in api["cells"]:
        if cell["percent"] is not None and not isinstance(cell["row"], str):
            assert round(cell["percent"], 1) in numbers
    assert client.get("/api/v1/datasets/demo/tabbook").status_code == 400
    assert client.get("/api/v1/datasets/demo/tabbook?col=nope").status_code in (400, 404)
