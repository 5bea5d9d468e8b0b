"""Tab books: every question by a banner in one workbook, with the service's numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from barometer_dash.data.store import Store
from barometer_dash.domain.errors import QueryError
from barometer_dash.domain.query import Query
from barometer_dash.render.tabbook import DASH, DOWN, UP, safe_text, sheet_names, tabbook_xlsx
from barometer_dash.service import Rules, Service
from barometer_dash.settings import load_config
from barometer_dash.tabbook import tabbook_tables

DATA = Path(__file__).resolve().parents[2] / "data"


def _table_top(ws) -> int:  # type: ignore[no-untyped-def]
    """Row of the column labels (the line that starts with "Answer")."""
    for row in range(1, 12):
        if ws.cell(row=row, column=1).value == "Answer":
            return row
    raise AssertionError("no header row")


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from barometer_dash.cli import main

    out = tmp_path_factory.mktemp("book") / "demo.xlsx"
    assert main(["tabbook", "--id", "demo", "--by", "country", "--data-dir", str(DATA), "-o", str(out)]) == 0
    return out


def test_every_sheet_has_the_services_numbers_by_country(demo_book: Path) -> None:
    config = load_config()
    service = Service(Store(DATA), rules=Rules(min_base=config.min_base, flag_base=config.flag_base))
    cb = service.store.get("demo").codebook
    wb = load_workbook(demo_book)
    assert wb.sheetnames[0] == "Contents"
    assert wb.sheetnames[1:] == [v.name for v in cb.questions]
    assert len(wb.sheetnames) == 53
    means_checked = notes_checked = 0
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        xt = service.crosstab(Query(dataset="demo", row=name, col="country"), "en")
        top = _table_top(ws)
        assert [ws.cell(row=top, column=2 + j).value for j in range(len(xt.cols))] == [c.label for c in xt.cols]
        for i, r in enumerate(xt.rows):
            assert ws.cell(row=top + 1 + i, column=1).value.startswith(r.label)
            for j in range(len(xt.cols)):
                cell, got = xt.cell(i, j), ws.cell(row=top + 1 + i, column=2 + j)
                if cell.percent is None:
                    assert got.value == DASH
                    continue
                assert got.value == pytest.approx(cell.percent, rel=1e-12, abs=1e-12), (name, i, j)
                marker = UP if cell.sig > 0 else DOWN if cell.sig < 0 else None
                assert (marker in got.number_format) if marker else got.number_format == "0.0"
        base_row = top + 1 + len(xt.rows) + (1 if xt.means is not None else 0)
        if xt.means is not None:  # the means row, before the bases
            assert ws.cell(row=base_row - 1, column=1).value == "Mean"
            for j, m in enumerate(xt.means):
                got = ws.cell(row=base_row - 1, column=2 + j).value
                assert got == DASH if m is None else got == pytest.approx(m, rel=1e-12), (name, j)
            means_checked += 1
        assert ws.cell(row=base_row, column=1).value == "Unweighted base (n)"
        assert [ws.cell(row=base_row, column=2 + j).value for j in range(len(xt.cols))] == [b.n for b in xt.bases]
        for j, b in enumerate(xt.bases):  # a small base carries its mark, as on the page
            assert ws.cell(row=base_row, column=2 + j).number_format.endswith('"') == b.flagged
        text = [ws.cell(row=r, column=1).value for r in range(base_row, ws.max_row + 1)]
        for note in xt.notes:
            assert note in text, (name, note)
            notes_checked += 1
        if xt.test is not None:
            assert any(isinstance(t, str) and "Rao-Scott F" in t for t in text)
        assert "Weight: weight; strata: stratum; PSU: psu" in text
        assert any(isinstance(t, str) and f"version {xt.version}" in t for t in text)
        assert ws.cell(row=2, column=1).value.startswith("Synthetic demonstration data")
    assert means_checked and notes_checked


def test_contents_links_every_question_sheet(demo_book: Path) -> None:
    wb = load_workbook(demo_book)
    ws = wb["Contents"]
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink]
    assert links == [f"'{name}'!A1" for name in wb.sheetnames[1:]]
    back = wb[wb.sheetnames[1]]
    assert [c.hyperlink.location for row in back.iter_rows() for c in row if c.hyperlink] == ["'Contents'!A1"]


def test_a_suppressed_column_shows_no_number(data_dir: Path, tmp_path: Path) -> None:
    service = Service(Store(data_dir), rules=Rules(min_base=30, flag_base=100))
    book = tabbook_tables(service, "tiny", ["country"], filters=["year:2023"])
    xt = book.sheets[0].tables[0]
    hidden = [j for j, b in enumerate(xt.bases) if b.suppressed]
    assert hidden, "the tiny survey keeps Serbia in 2023 under the minimum base"
    path = tmp_path / "tiny.xlsx"
    path.write_bytes(tabbook_xlsx(book))
    ws = load_workbook(path)[book.sheets[0].question]
    top = _table_top(ws)
    for j in hidden:
        column = [ws.cell(row=top + 1 + i, column=2 + j).value for i in range(len(xt.rows))]
        assert column == [DASH] * len(xt.rows)
    # Bases between the minimum and the caution threshold are written with the small-base mark.
    flagged = [j for j, b in enumerate(xt.bases) if b.flagged]
    assert flagged, "the tiny survey's 2023 columns are under 100 respondents"
    base_row = top + 1 + len(xt.rows)
    assert ws.cell(row=base_row, column=1).value == "Unweighted base (n)"
    for j, b in enumerate(xt.bases):
        assert ws.cell(row=base_row, column=2 + j).number_format.endswith('"') == b.flagged, j
    numbers = {round(c.weighted, 6) for c in xt.cells if c.suppressed and c.weighted is not None} | {
        round(c.percent, 6) for c in xt.cells if c.percent is not None and c.suppressed
    }
    written = {round(c.value, 6) for row in ws.iter_rows() for c in row if isinstance(c.value, float)}
    assert not any(n in written for n in numbers if n)


def test_labels_that_look_like_formulas_are_written_as_text(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir / "tiny", folder / "tiny")
    raw = json.loads((folder / "tiny" / "codebook.json").read_text(encoding="utf-8"))
    trust = next(v for v in raw["variables"] if v["name"] == "trust")
    trust["label"] = {"en": "=HYPERLINK(\"http://example.invalid\",\"x\")"}
    trust["values"][0]["label"] = {"en": "+1+1"}
    trust["values"][1]["label"] = {"en": "@SUM(A1:A2)"}
    country = next(v for v in raw["variables"] if v["name"] == "country")
    country["values"][0]["label"] = {"en": "-2+3"}
    country["values"][1]["label"] = {"en": "\tcmd"}
    (folder / "tiny" / "codebook.json").write_text(json.dumps(raw), encoding="utf-8")
    book = tabbook_tables(Service(Store(folder)), "tiny", ["country"], questions=["trust"])
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(tabbook_xlsx(book))
    wb = load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    for hostile in ("+1+1", "@SUM(A1:A2)", "-2+3", "\tcmd"):
        assert "'" + hostile in texts
        assert hostile not in texts
    assert any(t.startswith("'=HYPERLINK(") for t in texts)


def test_safe_text_and_sheet_names() -> None:
    assert safe_text("=1") == "'=1" and safe_text("\rx") == "'\rx" and safe_text("a=1") == "a=1"
    names = sheet_names(["a" * 40, "a" * 40, "x[1]:y", "contents"])
    assert names[0] == "a" * 31 and names[1] == "a" * 29 + "~2"
    assert names[2] == "x_1__y" and names[3] != "contents"
    assert all(len(n) <= 31 for n in names)


def test_questions_topics_and_filters_are_checked() -> None:
    service = Service(Store(DATA))
    book = tabbook_tables(service, "demo", ["country,gender"], questions=["topic:trust,safe_home"])
    cb = service.store.get("demo").codebook
    assert [s.question for s in book.sheets] == [v.name for v in cb.questions if v.topic == "trust"] + ["safe_home"]
    assert len(book.sheets[0].columns) == 1 + 3 + 2
    for args, message in (
        ({"questions": ["topic:nothing"]}, "no topic 'nothing'"),
        ({"questions": ["nope"]}, "no variable 'nope'"),
        ({"questions": ["country"]}, "'country' is also a banner variable"),
        ({"filters": ["year"]}, "write VARIABLE:code,code"),
        ({"filters": ["year:1999"]}, "'year' has no code '1999'"),
    ):
        with pytest.raises(QueryError, match=message):
            tabbook_tables(service, "demo", ["country"], **args)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="'threats' cannot split a table"):
        tabbook_tables(service, "demo", ["threats"])


def test_cli_reports_bad_arguments_in_one_line(barometer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.xlsx"
    run = barometer("tabbook", "--id", "demo", "--by", "nope", "--data-dir", str(DATA), "-o", str(out))
    assert run.code == 1 and "no variable 'nope'" in run.err and "Traceback" not in run.err
    assert not out.exists()
    run = barometer("tabbook", "--id", "missing", "--by", "country", "--data-dir", str(DATA), "-o", str(out))
    assert run.code == 1 and "missing" in run.err
    run = barometer("tabbook", "--id", "demo", "--by", "country", "--questions", "trust_police",
                    "--data-dir", str(DATA), "-o", str(tmp_path / "no" / "x.xlsx"))
    assert run.code == 1 and "cannot write" in run.err


def test_a_nested_tab_book_has_the_services_nested_tables(tmp_path: Path) -> None:
    from barometer_dash.cli import main

    out = tmp_path / "nested.xlsx"
    assert main(["tabbook", "--id", "demo", "--by", "country,year", "--by2", "gender", "--questions",
                 "trust_police,eu_support", "--data-dir", str(DATA), "-o", str(out)]) == 0
    service = Service(Store(DATA), rules=Rules(min_base=load_config().min_base, flag_base=load_config().flag_base))
    ws = load_workbook(out)["trust_police"]
    top = _table_top(ws)
    by_country = service.crosstab(Query(dataset="demo", row="trust_police", col="country", col2="gender"), "en")
    by_year = service.crosstab(Query(dataset="demo", row="trust_police", col="year", col2="gender"), "en")
    labels = [c.label for c in by_country.cols] + [c.label for c in by_year.cols[1:]]
    assert [ws.cell(row=top, column=2 + j).value for j in range(len(labels))] == labels
    assert "Albania \u00b7 Female" in labels and "2024 \u00b7 Male" in labels
    assert ws.cell(row=top - 1, column=3).value == "Country \u00d7 Gender"
    for j, cell in enumerate(by_country.cell(0, k) for k in range(len(by_country.cols))):
        assert ws.cell(row=top + 1, column=2 + j).value == pytest.approx(cell.percent, rel=1e-12)
    text = [ws.cell(row=r, column=1).value for r in range(top, ws.max_row + 1)]
    assert any(isinstance(t, str) and t.startswith("Within Albania, the answers") for t in text)
