"""CSV and XLSX exports of a CrossTab: the same numbers, the context to quote them, and no
trace of a suppressed estimate.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import openpyxl
import pytest

from barometer_dash.domain.codebook import parse_codebook
from barometer_dash.domain.crosstab import Base, Category, Cell, CrossTab
from barometer_dash.domain.crosstab import Test as TableTest
from barometer_dash.domain.query import Query
from barometer_dash.render.export import crosstab_csv, crosstab_xlsx
from barometer_dash.render.formats import ExportContext, file_name

CONTEXT = ExportContext(license="CC0-1.0", design=(("weight", "w"), ("psu", "ea")),
                        link="http://localhost/?q=trust&by=country&year=2023", date="2026-11-26")
PLAIN = ExportContext()

# Numbers of the suppressed column, distinctive enough to search for in the files.
HIDDEN_N, HIDDEN_W = 7, 6.54321


def _cell(row: int, col: int | None, percent: float, n: int, suppressed: bool = False) -> Cell:
    if suppressed:
        return Cell(row=row, col=col, n=HIDDEN_N, weighted=HIDDEN_W, percent=None, se=None, ci_low=None,
                    ci_high=None, deff=None, sig=0, suppressed=True)
    return Cell(row=row, col=col, n=n, weighted=n * 1.1, percent=percent, se=1.25, ci_low=percent - 2.5,
                ci_high=percent + 2.5, deff=1.5, sig=1 if col == 1 else 0, suppressed=False)


@pytest.fixture
def xt() -> CrossTab:
    rows = (Category(1, "Yes", "1"), Category(98, "Don't know", "98", missing=True))
    cols = (Category(None, "Total", "total"), Category(1, "Albania", "AL"), Category(3, "Serbia", "RS"))
    cells = (
        _cell(1, None, 61.123456789, 120), _cell(1, 1, 65.5, 100), _cell(1, 3, 0, 0, suppressed=True),
        _cell(98, None, 38.876543211, 80), _cell(98, 1, 34.5, 60), _cell(98, 3, 0, 0, suppressed=True),
    )
    bases = (Base(None, 200, 210.0, False, False), Base(1, 160, 170.0, False, False),
             Base(3, 12, 13.2, True, False))
    return CrossTab(
        query=Query(dataset="demo", row="trust", col="country", filters=(("year", (2023,)),)), lang="en",
        question="Do you trust the police?", question_short="Police", row_name="trust", col_name="country",
        col_title="Country", kind="single", rows=rows, cols=cols, cells=cells, bases=bases,
        test=TableTest(statistic=5.5, df1=1.8, df2=50.2, p=0.004), df=28, level=0.95, min_base=30, flag_base=100,
        dataset_title="Demo survey", citation="Institute (2024). Demo survey.", synthetic=True, version="abc123",
        filters=(("Year", "2023"),), notes=("Asked in 2023 only.",),
    )


def _parts(data: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    head, _, table = data.decode("utf-8-sig").partition("\r\n\r\n")
    return {r[0]: r[1] for r in csv.reader(io.StringIO(head))}, list(csv.DictReader(io.StringIO(table)))


def test_filename_is_safe_ascii_and_carries_the_view(xt):
    cb = parse_codebook({"dataset": {"id": "demo", "title": "T"}, "variables": [
        {"name": "year", "label": "Year", "kind": "demographic", "values": [{"code": 2023, "label": "2023"}]}]})
    assert file_name(xt, cb, "csv") == "demo_trust_by_country_year-2023.csv"
    rows = replace(xt, query=replace(xt.query, percent="row", include_missing=True))
    assert file_name(rows, cb, "csv") == "demo_trust_by_country_year-2023_row-pct_with-missing.csv"
    odd = replace(xt, query=Query(dataset="anketa", row="besimi_në_polici"))
    assert file_name(odd, cb, "xlsx") == "anketa_besimi_n-_polici.xlsx"
    many = replace(xt, query=replace(xt.query, filters=(("year", tuple(range(2000, 2090))),)))
    long_name = file_name(many, cb, "csv")
    assert len(long_name) < 160 and long_name != file_name(replace(xt, query=replace(
        xt.query, filters=(("year", tuple(range(2000, 2089))),))), cb, "csv")


def test_csv_has_context_then_one_line_per_cell(xt):
    data = crosstab_csv(xt, CONTEXT)
    assert data.startswith(b"\xef\xbb\xbf")
    meta, rows = _parts(data)
    assert meta["Notice"].startswith("Synthetic demonstration data.")
    assert meta["Question"] == "Do you trust the police? [trust]"
    assert meta["Breakdown"] == "Country [country]"
    assert meta["Filters"] == "Year: 2023"
    assert meta["Test"].startswith("The answers differ significantly by Country")
    assert meta["Note"] == "Asked in 2023 only."
    assert (meta["Citation"], meta["Licence"]) == ("Institute (2024). Demo survey.", "CC0-1.0")
    assert meta["Design"] == "weight: w; psu: ea"
    assert meta["Link"] == CONTEXT.link and meta["Retrieved"] == "2026-11-26"
    assert len(rows) == 6
    total = rows[0]
    assert float(total["percent"]) == 61.123456789 and total["column_code"] == "" and total["column"] == "Total"
    assert rows[3]["answer_is_missing_code"] == "true"
    assert rows[1]["sig"] == "1" and rows[1]["base_n"] == "160"


def test_suppressed_cells_are_empty_with_the_reason(xt):
    _, rows = _parts(crosstab_csv(xt, PLAIN))
    for row in (rows[2], rows[5]):
        assert all(row[f] == "" for f in ("percent", "ci_low", "ci_high", "se", "deff", "sig", "n", "weighted"))
        assert row["note"] == "Not shown: fewer than 30 respondents in this column"
        assert row["base_n"] == "12"  # bases are always shown
    text = crosstab_csv(xt, PLAIN).decode("utf-8-sig")
    assert str(HIDDEN_W) not in text


def test_no_notice_for_real_data(xt):
    meta, _ = _parts(crosstab_csv(replace(xt, synthetic=False), PLAIN))
    assert "Notice" not in meta
    wb = openpyxl.load_workbook(io.BytesIO(crosstab_xlsx(replace(xt, synthetic=False), PLAIN)))
    assert "Notice" not in [r[0] for r in wb["About"].iter_rows(values_only=True)]


def test_xlsx_table_data_and_about_sheets(xt):
    wb = openpyxl.load_workbook(io.BytesIO(crosstab_xlsx(xt, CONTEXT)))
    assert wb.sheetnames == ["Table", "Data", "About"]
    table = list(wb["Table"].iter_rows(values_only=True))
    assert table[0][0] == "Do you trust the police?"
    assert table[1][0] == "Synthetic demonstration data, not survey results."
    header = next(r for r in table if r[0] == "Answer")
    assert header[1:4] == ("Total", "Albania", "Serbia")
    yes = next(r for r in table if r[0] == "Yes")
    assert yes[1:4] == (61.123456789, 65.5, "\u2013")
    base = next(r for r in table if r[0] == "Unweighted base (n)")
    assert base[1:4] == (200, 160, 12)
    flat = [str(v) for r in table for v in r if v is not None]
    assert any(v.startswith("Source: Demo survey.") for v in flat)
    data = list(wb["Data"].iter_rows(values_only=True))
    assert len(data) == 7
    suppressed = dict(zip(data[0], data[3], strict=True))
    assert suppressed["percent"] is None and suppressed["n"] is None and suppressed["weighted"] is None
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["Licence"] == "CC0-1.0" and about["Dataset"] == "Demo survey (demo, version abc123)"
    assert about["Design"] == "weight: w; psu: ea" and about["Link"] == CONTEXT.link
    assert about["Missing answers"] == "excluded from the bases"
    included = openpyxl.load_workbook(io.BytesIO(crosstab_xlsx(
        replace(xt, query=replace(xt.query, include_missing=True)), CONTEXT)))
    dk_row = next(r for r in included["Table"].iter_rows(values_only=True) if str(r[0]).startswith("Don't know"))
    assert "counted in the bases" in dk_row[0] and "excluded" not in dk_row[0]
    everything = [v for ws in wb for r in ws.iter_rows(values_only=True) for v in r]
    assert HIDDEN_W not in everything


def test_means_row_for_numeric_questions(xt):
    numeric = replace(xt, kind="numeric", means=(6.5, 7.25, None))
    table = list(openpyxl.load_workbook(io.BytesIO(crosstab_xlsx(numeric, PLAIN)))["Table"].iter_rows(values_only=True))
    mean = next(r for r in table if r[0] == "Mean")
    assert mean[1:4] == (6.5, 7.25, "\u2013")
    meta, _ = _parts(crosstab_csv(numeric, PLAIN))
    assert meta["Mean"] == "Total: 6.5; Albania: 7.25; Serbia: \u2013"


@pytest.mark.parametrize("lang", ["sq", "sr", "sr-Cyrl"])
def test_export_field_names_and_sentences_are_in_the_tables_language(lang: str) -> None:
    from pathlib import Path

    from barometer_dash import Barometer
    from barometer_dash.render.export import metadata

    data = Path(__file__).resolve().parents[2] / "data"
    english = dict(metadata(Barometer(data).crosstab("demo", "trust_police", by="country", by2="gender"), CONTEXT))
    xt = Barometer(data).crosstab("demo", "trust_police", by="country", by2="gender", lang=lang)
    lines = metadata(xt, CONTEXT)
    names = [name for name, _ in lines]
    assert not (set(names) & set(english)) - {"Test"}, names  # "Test" is Serbian too
    for english_text in ("excluded from the bases", "smaller columns are suppressed", "within each category",
                         ", version "):
        assert not any(english_text in text for _, text in lines), (lang, english_text)
    assert "Minimum base" in english and "Second breakdown" in english


def test_csv_says_the_level_the_missing_codes_and_which_bases_are_small(xt):
    small = replace(xt, level=0.9, query=replace(xt.query, include_missing=True),
                    bases=(xt.bases[0], replace(xt.bases[1], flagged=True), xt.bases[2]))
    meta, rows = _parts(crosstab_csv(small, PLAIN))
    assert meta["Confidence level"] == "90%"
    assert meta["Missing answers"] == "included"
    assert _parts(crosstab_csv(xt, PLAIN))[0]["Missing answers"] == "excluded from the bases"
    flagged = [r for r in rows if r["column"] == "Albania"]
    assert flagged and all(r["note"] == "Small base: fewer than 100 respondents, read with care" for r in flagged)
    assert all(r["note"] == "" for r in rows if r["column"] == "Total")
