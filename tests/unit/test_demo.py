"""The synthetic demo survey: valid, honest about being synthetic, deterministic, believable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from barometer_dash.data.checks import check_table
from barometer_dash.demo import DEFAULT_SEED, build_demo, generate
from barometer_dash.demo.demographics import COUNTRIES
from barometer_dash.demo.population import TRIM, cell_index, cell_targets, region_targets
from barometer_dash.domain.codebook import Codebook, Text, codebook_to_json, parse_codebook

REPO_DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
LANGS = ("en", "sq", "sr")


@pytest.fixture(scope="module")
def demo() -> tuple[pa.Table, Codebook]:
    return generate(DEFAULT_SEED)


@pytest.fixture(scope="module")
def table(demo: tuple[pa.Table, Codebook]) -> pa.Table:
    return demo[0]


@pytest.fixture(scope="module")
def codebook(demo: tuple[pa.Table, Codebook]) -> Codebook:
    return demo[1]


@pytest.fixture(scope="module")
def cols(table: pa.Table) -> dict[str, np.ndarray]:
    """Every column as float64, NaN where empty."""
    out = {}
    for name in table.column_names:
        col = table.column(name)
        arr = col.to_numpy(zero_copy_only=False).astype(np.float64)
        if col.null_count:
            arr[col.is_null().to_numpy(zero_copy_only=False)] = np.nan
        out[name] = arr
    return out


Columns = dict[str, np.ndarray]


def weighted_share(cols: Columns, name: str, codes: set[int], where: np.ndarray) -> float:
    """Weighted % of valid answers (not empty, not 98/99) that fall in `codes`."""
    x = cols[name]
    valid = where & ~np.isnan(x) & (x < 98)
    w = cols["weight"][valid]
    return float(100 * np.sum(w * np.isin(x[valid], list(codes))) / np.sum(w))


def _texts(cb: Codebook) -> Iterator[tuple[str, Text]]:
    d = cb.dataset
    yield "title", d.title
    yield "source", d.source
    if d.description:
        yield "description", d.description
    for t in cb.topics:
        yield f"topic {t.id}", t.label
    for v in cb.variables:
        yield v.name, v.label
        if v.short:
            yield f"{v.name} short", v.short
        if v.notes:
            yield f"{v.name} notes", v.notes
        for val in v.values:
            yield f"{v.name} value {val.code}", val.label


def test_codebook_round_trips_through_json(codebook: Codebook) -> None:
    raw = json.loads(json.dumps(codebook_to_json(codebook), ensure_ascii=False))
    assert parse_codebook(raw) == codebook


def test_codebook_says_the_data_are_synthetic(codebook: Codebook) -> None:
    d = codebook.dataset
    assert d.id == "demo"
    assert d.synthetic is True
    assert d.license == "CC0-1.0"
    assert "synthetic demo" in d.title.get("en")
    assert "not survey results" in d.source.get("en")
    assert "not survey results" in d.citation.get("en")
    # Cited in every language, and still saying the data are synthetic.
    assert "nuk janë rezultate" in d.citation.get("sq") and "nisu rezultati" in d.citation.get("sr")
    assert "нису резултати" in d.citation.get("sr-Cyrl") and "seed 20240601" in d.citation.get("en")
    roles = (d.country, d.wave, d.weight, d.strata, d.psu)
    assert roles == ("country", "year", "weight", "stratum", "psu")


def test_table_passes_check_table(table: pa.Table, codebook: Codebook) -> None:
    assert check_table(table, codebook) == []


def test_every_label_has_english_albanian_and_serbian(codebook: Codebook) -> None:
    for where, text in _texts(codebook):
        assert all(text.by_lang.get(lang, "").strip() for lang in LANGS), where


def test_fixed_names_and_codes(codebook: Codebook) -> None:
    country = codebook.variable("country")
    assert [(v.code, v.key) for v in country.values] == [(1, "AL"), (2, "XK"), (3, "RS")]
    assert [v.label.get("en") for v in country.values] == ["Albania", "Kosovo", "Serbia"]
    assert codebook.variable("year").codes == (2021, 2022, 2023, 2024)
    for name in ("country", "year", "gender", "age_group", "education", "settlement", "region",
                 "ethnicity", "employment", "income"):
        assert codebook.variable(name).kind == "demographic", name
    assert len(codebook.variable("age_group").values) == 4
    assert {98, 99} <= codebook.variable("income").missing
    regions = codebook.variable("region").codes
    assert len(regions) == len(set(regions)) == 12 + 7 + 4
    topics = {"safety", "trust", "corruption", "eu", "relations", "extremism", "gender", "media"}
    assert {t.id for t in codebook.topics} == topics | {"foreign"}
    names = {v.name for v in codebook.variables}
    assert not names & {"weight", "stratum", "psu"}


def test_questions_are_many_and_have_dont_know_and_refused(codebook: Codebook) -> None:
    questions = codebook.questions
    assert len(questions) >= 35
    for q in questions:
        assert q.topic in {t.id for t in codebook.topics}, q.name
        if q.kind != "multi":
            assert q.missing == {98, 99}, q.name
    general = codebook.variable("trust_general")
    assert general.kind == "numeric"
    assert general.codes == (*range(11), 98, 99)


def test_threats_is_a_multiple_response_set(codebook: Codebook, cols: Columns) -> None:
    threats = codebook.variable("threats")
    assert threats.kind == "multi"
    assert threats.columns == tuple(f"threats_{c}" for c in threats.codes)
    m = np.column_stack([cols[c] for c in threats.columns])
    answered = ~np.isnan(m).any(axis=1)
    assert np.isnan(m[~answered]).all()  # a row is in the base for all columns or none
    picked = m[answered].sum(axis=1)
    assert picked.min() >= 1 and picked.max() <= 3


def test_sample_is_about_1500_per_country_and_wave(cols: Columns) -> None:
    for c in (1, 2, 3):
        for y in (2021, 2022, 2023, 2024):
            n = int(np.sum((cols["country"] == c) & (cols["year"] == y)))
            assert 1400 <= n <= 1600, (c, y, n)


def test_design_columns_are_a_stratified_cluster_sample(cols: Columns) -> None:
    psu, stratum = cols["psu"], cols["stratum"]
    key = cols["country"] * 10000 + cols["year"]
    for p in np.unique(psu):  # each PSU lies in one stratum of one country-wave
        rows = psu == p
        assert np.unique(key[rows]).size == 1 and np.unique(stratum[rows]).size == 1
    sizes = np.bincount(psu.astype(int))[np.unique(psu.astype(int))]
    assert 9 <= sizes.mean() <= 11
    for s in np.unique(stratum):
        assert np.unique(psu[stratum == s]).size >= 2


def test_weights_are_raked_to_population_margins(cols: Columns) -> None:
    for country in COUNTRIES:
        for y in (2021, 2022, 2023, 2024):
            rows = (cols["country"] == country.code) & (cols["year"] == y)
            w = cols["weight"][rows]
            assert w.sum() == pytest.approx(rows.sum(), rel=1e-9)
            assert w.min() >= TRIM[0] - 1e-9 and w.max() <= TRIM[1] + 1e-9
            core = (cols[c][rows].astype(int) for c in ("settlement", "gender", "age_group"))
            cells = cell_index(*core)
            got = np.bincount(cells, weights=w, minlength=16) / w.sum()
            np.testing.assert_allclose(got, cell_targets(country), rtol=0.01)
            codes = [r.code for r in country.regions]
            idx = np.searchsorted(codes, cols["region"][rows])
            got = np.bincount(idx, weights=w, minlength=len(codes)) / w.sum()
            np.testing.assert_allclose(got, region_targets(country), rtol=0.01)
            assert np.std(w) > 0.05  # weighting does real work


def test_trust_ksf_is_asked_only_in_kosovo(codebook: Codebook, cols: Columns) -> None:
    assert {c for c, _ in codebook.variable("trust_ksf").asked_in or ()} == {2}
    asked = ~np.isnan(cols["trust_ksf"])
    assert np.array_equal(asked, cols["country"] == 2)


def test_question_added_in_2022_is_empty_in_2021(codebook: Codebook, cols: Columns) -> None:
    var = codebook.variable("ukraine_war_threat")
    assert {w for _, w in var.asked_in or ()} == {2022, 2023, 2024}
    asked = ~np.isnan(cols["ukraine_war_threat"])
    assert np.array_equal(asked, cols["year"] >= 2022)


def test_wording_change_is_explained(codebook: Codebook) -> None:
    notes = codebook.variable("women_security").notes
    assert notes is not None and "2023" in notes.get("en")


def test_dont_know_and_refused_are_present_but_few(cols: Columns) -> None:
    x = cols["trust_police"]
    assert 0.02 < np.mean(x == 98) < 0.12
    assert 0.003 < np.mean(x == 99) < 0.05
    old, young = cols["age_group"] == 4, cols["age_group"] == 1
    assert np.mean(x[old] == 98) > np.mean(x[young] == 98)


def test_cross_tabs_show_believable_patterns(cols: Columns) -> None:
    everyone = np.ones_like(cols["country"], dtype=bool)
    al, xk, rs = (cols["country"] == c for c in (1, 2, 3))
    trust = {1, 2}
    nato_al, nato_xk, nato_rs = (weighted_share(cols, "trust_nato", trust, r) for r in (al, xk, rs))
    assert nato_xk > nato_rs + 50 and nato_al > nato_rs + 50
    eu = [weighted_share(cols, "trust_eu", trust, cols["year"] == y) for y in (2021, 2024)]
    assert eu[1] < eu[0]
    army = [weighted_share(cols, "trust_army", trust, cols["age_group"] == a) for a in (1, 4)]
    assert army[1] > army[0] + 5
    night = [weighted_share(cols, "safe_walk_night", {1, 2}, cols["gender"] == g) for g in (1, 2)]
    assert night[0] > night[1] + 5
    assert weighted_share(cols, "influence_russia", {1, 2}, rs) > 50
    assert weighted_share(cols, "influence_russia", {1, 2}, al | xk) < 20
    assert 5 < weighted_share(cols, "trust_police", trust, everyone) < 95


def test_clusters_make_the_design_effect_exceed_one(cols: Columns) -> None:
    """Linearised variance with PSUs within strata against simple random sampling."""
    rows = (cols["country"] == 3) & (cols["year"] == 2024) & (cols["safe_walk_night"] < 98)
    y = (cols["safe_walk_night"][rows] <= 2).astype(float)
    w, psu, stratum = cols["weight"][rows], cols["psu"][rows], cols["stratum"][rows]
    p = np.sum(w * y) / np.sum(w)
    z = w * (y - p) / np.sum(w)
    var = 0.0
    for s in np.unique(stratum):
        in_s = stratum == s
        _, idx = np.unique(psu[in_s], return_inverse=True)
        totals = np.bincount(idx, weights=z[in_s])
        var += totals.size / (totals.size - 1) * np.sum((totals - totals.mean()) ** 2)
    assert var / (p * (1 - p) / rows.sum()) > 1.0


def test_same_seed_gives_identical_output(demo: tuple[pa.Table, Codebook], tmp_path: Path) -> None:
    table, codebook = demo
    path = build_demo(tmp_path, seed=DEFAULT_SEED)
    assert path == tmp_path / "demo"
    assert pq.read_table(path / "responses.parquet").equals(table)
    again = build_demo(tmp_path / "again", seed=DEFAULT_SEED)
    assert (path / "codebook.json").read_bytes() == (again / "codebook.json").read_bytes()
    assert (path / "responses.parquet").read_bytes() == (again / "responses.parquet").read_bytes()
    other, _ = generate(DEFAULT_SEED + 1)
    assert not other.equals(table)


def test_committed_demo_data_is_up_to_date(demo: tuple[pa.Table, Codebook]) -> None:
    """data/demo is generated output: it must match what the generator makes now."""
    assert (REPO_DEMO / "codebook.json").exists(), "data/demo is missing: run `barometer demo`"
    table, codebook = demo
    committed = json.loads((REPO_DEMO / "codebook.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(codebook_to_json(codebook), ensure_ascii=False))
    assert pq.read_table(REPO_DEMO / "responses.parquet").equals(table)


def test_trust_and_agreement_scales_have_nets(codebook: Codebook) -> None:
    police = codebook.variable("trust_police")
    assert police.ordinal and [(n.key, n.codes) for n in police.all_nets] == [("trust", (1, 2)), ("distrust", (3, 4))]
    assert all(police.net("trust").label.get(lang) for lang in LANGS)
    agree = codebook.variable("eu_security")
    assert [(n.key, n.codes) for n in agree.all_nets] == [("agree", (1, 2)), ("disagree", (3, 4))]
    with_nets = {v.name for v in codebook.questions if v.all_nets}
    trust_or_agree = {v.name for v in codebook.questions if v.kind == "single" and v.values[0].label.get("en") in
                      ("A great deal of trust", "Completely agree")}
    assert with_nets == trust_or_agree and len(with_nets) > 15
    assert not codebook.variable("safe_home").all_nets


def test_wording_change_is_marked_at_its_wave(codebook: Codebook) -> None:
    changes = codebook.variable("women_security").wording_changes
    assert [c.wave for c in changes] == [2023]
    assert all("2023" in changes[0].note.get(lang) for lang in LANGS)
