"""The summary sentence: its numbers are the table's, in every language and kind of table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.crosstab import CrossTab
from barometer_dash.domain.query import Query
from barometer_dash.i18n import LANGUAGES, number
from barometer_dash.render.dom import to_html
from barometer_dash.render.summary import focus_row, summary, summary_comparison
from barometer_dash.render.table import crosstab_table
from barometer_dash.service import Service

DATA = Path(__file__).resolve().parents[2] / "data"
KS_2022 = (("country", (2,)), ("year", (2022,)))


@pytest.fixture(scope="module")
def service() -> Service:
    return Service(Store(DATA))


def view(service: Service, query: Query, lang: str) -> CrossTab:
    """The table with the summary's comparison computed by the service, as the page would."""
    xt = service.crosstab(query, lang)
    cmp = summary_comparison(xt)
    return service.crosstab(query, lang, cmp) if cmp else xt


def table_numbers(xt: CrossTab) -> set[str]:
    """Every percentage, interval bound and mean the rendered table shows."""
    page = to_html(crosstab_table(xt))
    cells = re.findall(r'<td class="num[^"]*"(?: title="([^"]*)")?>([^<]*)', page)
    out = {text for _, text in cells}
    for title, _ in cells:
        out.update(re.findall(r"\d+(?:[.,]\d+)?", title))
    return out


def percents(text: str) -> list[str]:
    return re.findall(r"(\d+(?:[.,\u202f]\d+)*)%", text)


VIEWS = [
    pytest.param(Query("demo", "trust_police", "age_group", filters=KS_2022), id="by-age"),
    pytest.param(Query("demo", "trust_police", "year", filters=(("country", (2,)),)), id="by-wave"),
    pytest.param(Query("demo", "eu_support", "year"), id="by-wave-all"),
    pytest.param(Query("demo", "trust_police", "gender", filters=KS_2022), id="nothing-significant"),
    pytest.param(Query("demo", "threats", "country"), id="multi"),
    pytest.param(Query("demo", "trust_police", "country", percent="row"), id="row-percent"),
    pytest.param(Query("demo", "trust_police", "country", percent="total"), id="total-percent"),
    pytest.param(Query("demo", "trust_ksf", "country"), id="suppressed-columns"),
    pytest.param(Query("demo", "trust_police"), id="no-breakdown"),
]


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("query", VIEWS)
def test_every_percentage_named_is_in_the_table(service: Service, query: Query, lang: str) -> None:
    xt = view(service, query, lang)
    text = summary(xt)
    named = percents(text)
    assert named, text
    shown = table_numbers(xt)
    for value in named:
        assert value in shown, (value, text)


def test_age_example_names_the_groups_and_the_interval(service: Service) -> None:
    xt = view(service, Query("demo", "trust_police", "age_group", filters=KS_2022), "en")
    text = summary(xt)
    c = xt.change
    assert c is not None and c.significant
    hi, lo = (c.b_label, c.a_label) if c.estimate > 0 else (c.a_label, c.b_label)
    # An ordinal question is summed up by its first net, as reporting does ("72% trust the police").
    assert text.startswith("Kosovo, 2022: “Trust (a great deal or some)”: ")
    assert f"{hi} more than {lo}: " in text and "a significant difference of" in text
    assert f"95% interval {number(min(abs(c.ci_low), abs(c.ci_high)), 'en', 1)} to" in text
    # The pair is the lowest and the highest age group for that answer.
    i = focus_row(xt)
    assert i is not None
    shown = [j for j in range(1, len(xt.cols))]
    by_pct = sorted(shown, key=lambda j: xt.cell(i, j).percent or 0.0)
    assert {xt.cols[by_pct[0]].label, xt.cols[by_pct[-1]].label} == {hi, lo}


def test_change_over_waves_reads_as_a_change(service: Service) -> None:
    xt = view(service, Query("demo", "eu_support", "year"), "en")
    text = summary(xt)
    assert xt.change is not None and xt.change.over_time
    if xt.change.significant:
        assert re.search(r"(Up|Down) from [\d.]+% in 20\d\d to [\d.]+% in 20\d\d, a significant change", text)
    else:
        assert "No difference by Survey year is significant" in text


def test_says_nothing_is_significant_when_nothing_is(service: Service) -> None:
    xt = view(service, Query("demo", "trust_police", "gender", filters=KS_2022), "sq")
    i = focus_row(xt)
    assert i is not None and xt.change is not None and not xt.change.significant
    assert all(xt.cell(i, j).sig == 0 for j in range(len(xt.cols)))
    assert "nuk është i rëndësishëm" in summary(xt)


def test_numeric_question_gives_means_from_the_table(service: Service) -> None:
    xt = view(service, Query("demo", "trust_general", "country"), "sr")
    text = summary(xt)
    assert xt.means is not None
    means = [number(m, "sr", 2) for m in xt.means if m is not None]
    named = re.findall(r"\d+,\d\d", text)
    assert named and set(named) <= set(means) and number(xt.means[0] or 0, "sr", 2) in text
    assert set(named) <= table_numbers(xt)


def test_net_row_is_the_focus_when_present(service: Service) -> None:
    """A question with nets is summed up by its first net, named before any single answer."""
    xt = service.crosstab(Query("demo", "trust_police", "country"), "en")
    i = next(k for k, r in enumerate(xt.rows) if r.net)
    assert focus_row(xt) == i and xt.rows[i].key == "trust"
    cell = xt.cell(i, 0)
    assert summary(xt).startswith(f"“Trust (a great deal or some)”: {number(cell.percent or 0, 'en', 1)}% "
                                  f"(95% interval {number(cell.ci_low or 0, 'en', 1)}–")
    assert summary(xt, answer="2").startswith(f"“{xt.rows[1].label}”: ")
    cmp = summary_comparison(xt)
    assert cmp is not None and cmp.answer == "trust"  # the service tests the net's difference itself
    with_change = service.crosstab(Query("demo", "trust_police", "country"), "en", cmp)
    assert with_change.change is not None and with_change.change.answer_label == "Trust (a great deal or some)"


def test_without_nets_the_focus_is_the_largest_answer(service: Service) -> None:
    xt = service.crosstab(Query("demo", "eu_support", "country"), "en")
    assert not any(r.net for r in xt.rows)
    valid = [i for i, r in enumerate(xt.rows) if not r.missing]
    largest = max(valid, key=lambda i: xt.cell(i, 0).percent or 0.0)
    assert min(xt.cell(i, 0).percent or 0.0 for i in valid) < xt.cell(largest, 0).percent  # a real choice
    assert focus_row(xt) == largest
    assert summary(xt).startswith(f"The most common answer is “{xt.rows[largest].label}”: ")


def test_without_a_comparison_the_most_different_marked_column_is_named(service: Service) -> None:
    # No comparison computed: the sentence names the marked column furthest from the Total.
    xt = service.crosstab(Query("demo", "trust_police", "age_group"), "en")
    assert xt.change is None
    i = focus_row(xt)
    assert i is not None
    flagged = [j for j in range(1, len(xt.cols)) if not xt.bases[j].suppressed and xt.cell(i, j).sig != 0]
    assert len(flagged) >= 2  # otherwise the choice is not tested
    gaps = {j: abs((xt.cell(i, j).percent or 0.0) - (xt.cell(i, 0).percent or 0.0)) for j in flagged}
    far = max(gaps, key=gaps.__getitem__)
    assert sorted(gaps.values())[-1] > sorted(gaps.values())[0]
    text = summary(xt)
    assert xt.cols[far].label in text
    assert all(xt.cols[j].label not in text for j in flagged if j != far)


def test_means_sentence_names_the_lowest_and_highest_columns(service: Service) -> None:
    xt = service.crosstab(Query("demo", "trust_general", "country"), "en")
    assert xt.means is not None
    shown = [j for j in range(1, len(xt.cols)) if xt.means[j] is not None]
    lo = min(shown, key=lambda j: xt.means[j] or 0.0)  # type: ignore[index]
    hi = max(shown, key=lambda j: xt.means[j] or 0.0)  # type: ignore[index]
    assert lo != hi
    text = summary(xt)
    for j in (lo, hi):
        assert xt.cols[j].label in text and number(xt.means[j] or 0.0, "en", 2) in text
