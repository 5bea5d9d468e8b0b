"""Trend lines: every point is the page's table for that country and wave; changes are tested."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.errors import QueryError
from barometer_dash.domain.query import Comparison, Query
from barometer_dash.service import Service
from barometer_dash.stats import prepare_design
from barometer_dash.stats.table import tabulate
from barometer_dash.trends import trend

DATA = Path(__file__).resolve().parents[2] / "data"
COUNTRIES = {1: "Albania", 2: "Kosovo", 3: "Serbia"}


@pytest.fixture(scope="module")
def service() -> Service:
    return Service(Store(DATA))


@pytest.mark.parametrize(("row", "answer"), [("trust_police", "1"), ("eu_support", "3"), ("safe_home", None)])
def test_points_equal_the_table_of_each_country_by_wave(service: Service, row: str, answer: str | None) -> None:
    tr = trend(service, "demo", row, answer=answer)
    assert [s.label for s in tr.series] == list(COUNTRIES.values())
    code = int(answer or 1)
    for s in tr.series:
        assert s.code is not None
        xt = service.crosstab(Query("demo", row, "year", filters=(("country", (s.code,)),)))
        i = [r.code for r in xt.rows].index(code)
        for p in s.points:
            j = [c.code for c in xt.cols].index(p.wave)
            cell = xt.cell(i, j)
            assert p.percent == pytest.approx(cell.percent, rel=1e-12)
            assert (p.ci_low, p.ci_high) == pytest.approx((cell.ci_low, cell.ci_high), rel=1e-12)
            assert p.n == xt.bases[j].n


def test_change_from_previous_wave_is_the_services_difference(service: Service) -> None:
    tr = trend(service, "demo", "eu_support", answer="1", by="gender", filters=(("country", (2,)),))
    flags = []
    for s in tr.series:
        assert s.code is not None
        q = Query("demo", "eu_support", "year", filters=(("country", (2,)), ("gender", (s.code,))))
        for prev, p in zip(s.points, s.points[1:], strict=False):
            xt = service.crosstab(q, "en", Comparison("year", 1, prev.wave, p.wave))
            assert xt.change is not None
            assert p.change == pytest.approx(xt.change.estimate, rel=1e-12)
            assert (p.change_low, p.change_high) == pytest.approx((xt.change.ci_low, xt.change.ci_high), rel=1e-12)
            assert p.significant == xt.change.significant
            flags.append(p.significant)
        assert s.points[0].change is None and not s.points[0].significant
    assert True in flags and False in flags, flags


def test_default_answer_is_the_top_net_estimated_as_a_recode(service: Service) -> None:
    tr = trend(service, "demo", "trust_police", by=None)
    assert (tr.answer_key, tr.is_net, tr.answer_label) == ("trust", True, "Trust (a great deal or some)")
    (total,) = tr.series
    frame = service.store.get("demo")
    x, year, w = frame.codes("trust_police"), frame.codes("year"), frame.codes("weight")
    for p in total.points:
        base = (year == p.wave) & (x < 98)
        expected = 100 * np.sum(w[base & np.isin(x, [1, 2])]) / np.sum(w[base])
        assert p.percent == pytest.approx(expected, rel=1e-12)  # plain numpy weighted share
    # The net's interval is that of the recoded 0/1 variable, narrower than the sum of its answers'.
    xt = service.crosstab(Query("demo", "trust_police", "year"))
    last = total.points[-1]
    j = [c.code for c in xt.cols].index(last.wave)
    answers = [xt.cell(i, j) for i, r in enumerate(xt.rows) if r.code in (1, 2)]
    assert last.percent == pytest.approx(sum(c.percent or 0 for c in answers), rel=1e-9)
    assert (last.ci_high or 0) - (last.ci_low or 0) < sum((c.ci_high or 0) - (c.ci_low or 0) for c in answers)


def test_net_matches_a_recoded_table_with_the_design(service: Service) -> None:
    ds = service.store.get("demo")
    design = prepare_design(ds.n, weight=ds.codes("weight"), strata=ds.codes("stratum"), psu=ds.codes("psu"))
    x, year = ds.codes("trust_police"), ds.codes("year")
    recoded = np.where(np.isin(x, [3, 4]), 0, np.where(x < 98, 1, -1)).astype(np.intp)
    waves = (2021, 2022, 2023, 2024)
    col = np.select([year == w for w in waves], range(4), -1).astype(np.intp)
    domain = ds.codes("country") == 3
    ref = tabulate(design, recoded, 2, col, 4, domain=domain)
    (serbia,) = [s for s in trend(service, "demo", "trust_police", answer="distrust").series if s.code == 3]
    assert [p.percent for p in serbia.points] == pytest.approx(ref.percent[0].tolist(), rel=1e-12)
    assert [p.ci_low for p in serbia.points] == pytest.approx(ref.ci_low[0].tolist(), rel=1e-12)


def test_wording_change_note_sits_at_its_wave(service: Service) -> None:
    tr = trend(service, "demo", "women_security", lang="sq")
    assert [(n.wave, n.wave_label) for n in tr.wording] == [(2023, "2023")]
    assert "2023" in tr.wording[0].text and "policinë" in tr.wording[0].text
    assert trend(service, "demo", "trust_police").wording == ()


def test_not_asked_waves_are_gaps(service: Service) -> None:
    tr = trend(service, "demo", "ukraine_war_threat", answer="1")
    for s in tr.series:
        first = s.points[0]
        assert first.wave == 2021 and first.n == 0 and first.percent is None
        assert s.points[1].change is None  # nothing to compare 2022 with
    ksf = trend(service, "demo", "trust_ksf")
    assert [s.label for s in ksf.series] == ["Kosovo"]


def test_breakdown_by_age_within_a_country(service: Service) -> None:
    tr = trend(service, "demo", "trust_police", by="age_group", filters=(("country", (2,)),), answer="1")
    assert [s.label for s in tr.series] == ["18–29", "30–44", "45–59", "60+"]
    assert tr.filters == (("Country", "Kosovo"),)
    s = tr.series[3]
    xt = service.crosstab(Query("demo", "trust_police", "year", filters=(("age_group", (4,)), ("country", (2,)))))
    assert [p.percent for p in s.points] == pytest.approx([xt.cell(0, j).percent for j in range(1, 5)], rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "param", "text"),
    [
        ({"answer": "98"}, "ans", "neither an answer nor a net"),
        ({"answer": "lots"}, "ans", "neither an answer nor a net"),
        ({"by": "year"}, "by", "cannot be split by the waves"),
        ({"filters": (("country", (9,)),)}, "f.country", "no code 9"),
    ],
)
def test_bad_requests_name_the_parameter(service: Service, kwargs: dict, param: str, text: str) -> None:
    with pytest.raises(QueryError) as exc:
        trend(service, "demo", "trust_police", **kwargs)
    assert exc.value.param == param and text in str(exc.value)


def test_multiple_response_has_no_trend(service: Service) -> None:
    with pytest.raises(QueryError, match="multiple-response"):
        trend(service, "demo", "threats")


def test_a_trend_uses_the_serving_copys_design_not_a_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """At millions of respondents a design rebuilt from float copies of three columns would cost
    hundreds of megabytes per trend request; the memory-mapped one is already there."""
    import barometer_dash.service as service_module
    import barometer_dash.trends as trends_module

    fresh = Service(Store(DATA))
    assert fresh.store.get("demo").design is not None

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the design was prepared again")

    monkeypatch.setattr(service_module, "prepare_design", refuse)
    monkeypatch.setattr(trends_module, "prepare_design", refuse, raising=False)
    t = trend(fresh, "demo", "trust_police")
    assert t.series and all(p.percent is not None for s in t.series for p in s.points)


def _shares(frame, column: str, hit: set[int], base: set[int]):  # type: ignore[no-untyped-def]
    """Weighted percent of ``hit`` among ``base`` answers, per year (plain numpy)."""
    out = {}
    for year in (2023, 2024):
        f = frame[frame["year"] == year]
        w, x = f["w"].to_numpy(), f[column].to_numpy()
        out[year] = 100 * w[np.isin(x, list(hit))].sum() / w[np.isin(x, list(base))].sum()
    return out


def test_a_scale_labelled_only_at_its_ends_keeps_every_answer_in_the_base(tmp_path: Path) -> None:
    from tests.conftest import write_scale_dataset

    folder, frame = write_scale_dataset(tmp_path)
    tr = trend(Service(Store(folder)), "tiny", "safety", answer="10", by=None)
    expected = _shares(frame, "safety", {10}, set(range(11)))
    assert {p.wave: p.percent for p in tr.series[0].points} == pytest.approx(expected, rel=1e-12)


def test_missing_answers_enter_the_base_when_asked(data_dir: Path) -> None:
    from tests.conftest import tiny_frame

    service = Service(Store(data_dir))
    frame = tiny_frame()
    for include, base in ((False, {1, 2}), (True, {1, 2, 98})):
        tr = trend(service, "tiny", "trust", answer="1", by=None, include_missing=include)
        expected = _shares(frame, "trust", {1}, base)
        assert {p.wave: p.percent for p in tr.series[0].points} == pytest.approx(expected, rel=1e-12), include
