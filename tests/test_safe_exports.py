"""Exports of a dataset whose labels are spreadsheet formulas: no cell of the CSV or of any
XLSX sheet may start a formula, text cells are text, and numbers (negative ones too) stay
numbers."""

from __future__ import annotations

import copy
import csv
import io
import json

import openpyxl
import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.ingest import Options, ingest_file
from barometer_dash.render.export import FORMULA_START

from .conftest import SYNTHETIC_CODEBOOK, tiny_frame

HOSTILE = ["=HYPERLINK(\"http://x.test\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\tTAB=1+1", "\r=1+1"]


def hostile_codebook() -> dict:
    cb = copy.deepcopy(SYNTHETIC_CODEBOOK)
    cb["dataset"].update({"id": "hostile", "title": {"en": "=1+1 title"}, "citation": "@citation",
                          "license": "-license"})
    trust, _, country, year = cb["variables"]
    trust["label"] = {"en": HOSTILE[0]}
    trust["values"] = [{"code": 1, "label": HOSTILE[1]}, {"code": 2, "label": HOSTILE[2]},
                       {"code": -9, "label": HOSTILE[3]}]
    trust["missing"] = [-9]  # a negative code: must stay a number
    country["label"] = HOSTILE[4]
    country["values"] = [{"code": 1, "label": HOSTILE[5], "key": "AL"}, {"code": 2, "label": "=Kosovo", "key": "XK"},
                         {"code": 3, "label": "+Serbia", "key": "RS"}]
    year["values"] = [{"code": 2023, "label": "-2023"}, {"code": 2024, "label": "@2024"}]
    return cb


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    frame = tiny_frame()
    frame["trust"] = frame["trust"].replace({98: -9})
    frame.to_csv(folder / "hostile.csv", index=False)
    (folder / "hostile.json").write_text(json.dumps(hostile_codebook()), encoding="utf-8")
    data = folder / "data"
    ingest_file(folder / "hostile.csv", Options("hostile", codebook=folder / "hostile.json"), data)
    app = create_app({"data_dir": data, "cache": "null", "default_dataset": "hostile"})
    return app.server.test_client()


URL = "/api/v1/datasets/hostile/crosstab?row=trust&col=country&filter=year:2023,2024&missing=include&format="


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_cells_never_start_a_formula(hostile_client):
    response = hostile_client.get(URL + "csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    text = "\n".join(cells)
    for label in HOSTILE + ["=Kosovo", "+Serbia", "@citation"]:
        assert "'" + label in text, label  # every hostile label is there, neutralised
    dangerous = [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert dangerous == []
    numbers = [c for c in cells if c.startswith("-") and _is_number(c)]
    assert "-9" in numbers  # the negative code is still a number


def test_xlsx_cells_are_text_or_numbers_never_formulas(hostile_client):
    response = hostile_client.get(URL + "xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert wb.sheetnames == ["Table", "Data", "About"]
    seen_labels = set()
    negative_codes = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    assert not cell.value.startswith(FORMULA_START), (ws.title, cell.coordinate, cell.value)
                    seen_labels.update(h for h in HOSTILE if cell.value.startswith("'" + h))
                elif isinstance(cell.value, (int, float)) and cell.value < 0:
                    negative_codes.append(cell.value)
    assert seen_labels == set(HOSTILE)
    assert -9 in negative_codes
