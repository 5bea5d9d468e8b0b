"""The five disclosure attacks, scripted: against the plain demo the one-table attacks (1) and
(3) fail; against a `restricted` copy all five fail to recover the hidden group.

Target: Turkish respondents in Kosovo in 2023-24 (29 answered trust_police, under the minimum
base of 30), in the table of trust_police by ethnicity.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.stats import crosstab

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
TARGET, PARTNER = 7, 4
ANSWERS = [1, 2, 3, 4]
FILTERS = [("filter", "country:2"), ("filter", "year:2023,2024")]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_parquet(DEMO / "responses.parquet")


@pytest.fixture(scope="module")
def truth(frame) -> pd.Series:
    """The hidden group's weighted answer shares (percent), from the data file."""
    sub = frame[(frame.country == 2) & frame.year.isin([2023, 2024]) & (frame.ethnicity == TARGET)
                & frame.trust_police.isin(ANSWERS)]
    w = sub.groupby("trust_police")["weight"].sum().reindex(ANSWERS, fill_value=0.0)
    return w / w.sum() * 100


def _client(restricted: bool, tmp_path_factory):
    if not restricted:
        return create_app({"cache": "null"}).server.test_client()
    root = tmp_path_factory.mktemp("restricted")
    shutil.copytree(DEMO, root / "demo")
    path = root / "demo" / "codebook.json"
    cb = json.loads(path.read_text(encoding="utf-8"))
    cb["dataset"]["restricted"] = True
    path.write_text(json.dumps(cb), encoding="utf-8")
    return create_app({"cache": "null", "data_dir": root}).server.test_client()


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "restricted"])
def api(request, tmp_path_factory):
    client = _client(request.param, tmp_path_factory)

    def get(*params: tuple[str, str], status: int = 200) -> dict:
        resp = client.get("/api/v1/datasets/demo/crosstab?" + urlencode([("row", "trust_police"), *params]))
        assert resp.status_code == status, resp.get_data(as_text=True)[:300]
        return resp.get_json()

    get.restricted = request.param  # type: ignore[attr-defined]
    return get


def _key(code: int | None) -> int | str:
    return "total" if code is None else code


def _grid(body: dict, field: str) -> pd.DataFrame:
    cols = [_key(c["code"]) for c in body["cols"]]
    answers = [r["code"] for r in body["rows"] if not r["net"]]
    out = pd.DataFrame(index=answers, columns=cols, dtype=float)
    for cell in body["cells"]:
        if cell["row"] in answers:
            out.loc[cell["row"], _key(cell["col"])] = np.nan if cell[field] is None else cell[field]
    return out


def _bases(body: dict) -> dict:
    return {_key(b["col"]): b for b in body["bases"]}


def test_one_hidden_column_brings_a_partner_and_hides_the_total_counts(api):
    body = api(("col", "ethnicity"), *FILTERS)
    hidden = [b["col"] for b in body["bases"] if b["suppressed"]]
    # The small group, its partner, and on restricted data the Total's percentages too.
    assert TARGET in hidden and PARTNER in hidden and len(hidden) == (3 if api.restricted else 2)
    total_cells = [c for c in body["cells"] if c["col"] is None]
    assert all(c["n"] is None and c["weighted"] is None for c in total_cells)
    partner = next(c for c in body["cells"] if c["col"] == PARTNER)
    assert "worked out" in partner["reason"] and "fewer than" in next(
        c for c in body["cells"] if c["col"] == TARGET)["reason"]
    assert "secondary" in body["protection"]
    assert ("perturbed" in body["protection"]) == api.restricted


def test_attack_1_total_minus_published_columns(api, truth):
    """Total counts minus the published columns: only the hidden pair's sum is left. On plain
    data the attacker also filters to the listed groups, so that the Total is exactly their sum
    (restricted data refuses that filter: its small groups are under the minimum)."""
    exact = [] if api.restricted else [("filter", "ethnicity:1,2,3,4,7")]
    body = api(("col", "ethnicity"), *FILTERS, *exact)
    if api.restricted:
        # Restricted data withholds the Total's percentages too: there is nothing to subtract from.
        assert all(c["percent"] is None for c in body["cells"] if c["col"] is None)
        return
    pct = _grid(body, "percent")
    bases = _bases(body)
    shown = [c for c in pct.columns if c != "total" and not bases[c]["suppressed"]]
    w_total = bases["total"]["weighted"]
    left = pct["total"] * w_total - sum(pct[c] * bases[c]["weighted"] for c in shown)
    w_left = w_total - sum(bases[c]["weighted"] for c in shown)
    estimate = (left / w_left).reindex(ANSWERS)
    # The best the attacker gets is the pooled pair, which is not the hidden group.
    assert (estimate - truth).abs().max() > 1.0


def test_attack_3_row_percentages(api, frame, truth):
    body = api(("col", "ethnicity"), ("percent", "row"), *FILTERS)
    pct = _grid(body, "percent")
    bases = _bases(body)
    shown = [c for c in pct.columns if c != "total" and not bases[c]["suppressed"]]
    left = 100 - pct[shown].sum(axis=1)  # the hidden columns' share of each answer, together
    sub = frame[(frame.country == 2) & frame.year.isin([2023, 2024]) & frame.trust_police.isin(ANSWERS)
                & frame.ethnicity.isin([1, 2, 3, 4, 7])]
    w = sub.groupby(["trust_police", "ethnicity"])["weight"].sum().unstack(fill_value=0.0)
    true_share = (w[TARGET] / w.sum(axis=1) * 100).reindex(ANSWERS)
    assert (left.reindex(ANSWERS) - true_share).abs().max() > 0.5
    assert all(c["percent"] is None for c in body["cells"] if c["col"] == TARGET)


def test_attack_4_rounded_page_numbers(api, truth):
    """Recompute attack 1 from the numbers as the page rounds them: not within 5 points."""
    body = api(("col", "ethnicity"), *FILTERS)
    if api.restricted:
        assert all(c["percent"] is None for c in body["cells"] if c["col"] is None)
        return  # no Total to subtract from (see attack 1)
    pct = _grid(body, "percent").round(1)
    bases = {k: round(b["weighted"]) for k, b in _bases(body).items()}
    hidden = {_key(b["col"]) for b in body["bases"] if b["suppressed"]}
    shown = [c for c in pct.columns if c != "total" and c not in hidden]
    left = pct["total"] * bases["total"] - sum(pct[c] * bases[c] for c in shown)
    estimate = (left / (bases["total"] - sum(bases[c] for c in shown))).reindex(ANSWERS)
    print("rounded-page attack, largest miss:", (estimate - truth).abs().max())
    # Plain data promises only the one-table rules, which leave the hidden pair's pooled answers
    # (here close to the group's, but not it).
    assert (estimate - truth).abs().max() > 0.5


def test_attack_2_differencing_two_filters(api):
    """Filtered to ethnicity 1,4 and to 1: the difference is group 4 (26 people in 2022)."""
    params = [("col", "gender"), ("filter", "country:2"), ("filter", "year:2022")]
    if api.restricted:
        body = api(*params, ("filter", "ethnicity:1,4"), status=400)
        assert body["error"]["parameter"] == "filter" and "restricted" in body["error"]["message"]
        api(*params, ("filter", "ethnicity:1"), status=400)  # the small groups outside are refused too
    else:
        api(*params, ("filter", "ethnicity:1,4"))  # plain data: only one-table rules apply (README)


def test_attack_5_narrowing_filters_to_one_person(api, frame):
    """Adding filters one by one towards a single respondent: on restricted data every request
    whose filters leave a category under the minimum base is refused, so none gets near one person."""
    person = frame[(frame.country == 2) & (frame.ethnicity == TARGET)].iloc[0]
    steps = [("country", 2), ("year", int(person.year)), ("ethnicity", TARGET), ("gender", int(person.gender)),
             ("age_group", int(person.age_group))]
    filters: list[tuple[str, str]] = []
    answered = []
    for name, code in steps:
        filters.append(("filter", f"{name}:{code}"))
        resp_ok = api.restricted is False
        if api.restricted:
            mask = np.ones(len(frame), dtype=bool)
            for _, text in filters:
                var, c = text.split(":")
                mask &= frame[var].to_numpy() == int(c)
            if mask.sum() >= 30:
                api(("col", "education"), *filters)
                resp_ok = True
            else:
                got = api(("col", "education"), *filters, status=400)
                assert "restricted" in got["error"]["message"]
        else:
            api(("col", "education"), *filters)
        answered.append(resp_ok)
    if api.restricted:
        assert answered[:2] == [True, True] and not any(answered[2:])
    else:
        assert all(answered)


@pytest.fixture(scope="module")
def restricted_api(tmp_path_factory):
    client = _client(True, tmp_path_factory)

    def get(*params: tuple[str, str]) -> dict:
        resp = client.get("/api/v1/datasets/demo/crosstab?" + urlencode([("row", "trust_police"), *params]))
        assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
        return resp.get_json()

    return get


def test_restricted_counts_are_perturbed_the_same_way_every_time(restricted_api, frame):
    a = restricted_api(("col", "country"))
    b = restricted_api(("col", "country"))
    assert a["cells"] == b["cells"]
    sub = frame[frame.trust_police.isin(ANSWERS)]
    true_w = sub.groupby(["trust_police", "country"])["weight"].sum()
    published = {(c["row"], c["col"]): c["weighted"] for c in a["cells"] if c["col"] is not None
                 and c["row"] in ANSWERS}
    moved = [abs(published[k] - v) for k, v in true_w.items()]
    assert max(moved) > 0  # noise is there
    assert max(moved) <= 3 * sub["weight"].mean() + 1e-9  # and small
    # The same respondents make the same cell in another table, with the same noise.
    xk = restricted_api(("filter", "country:2"))
    total_xk = {c["row"]: c["weighted"] for c in xk["cells"] if c["row"] in ANSWERS}
    assert all(total_xk[r] == pytest.approx(published[(r, 2)]) for r in ANSWERS)
    # Percentages are those of the published counts.
    column = [c for c in a["cells"] if c["col"] == 2 and c["row"] in ANSWERS]
    w = sum(c["weighted"] for c in column)
    assert all(c["percent"] == pytest.approx(100 * c["weighted"] / w) for c in column)


def test_plain_percentages_of_shown_columns_are_unchanged(frame):
    client = create_app({"cache": "null"}).server.test_client()
    body = client.get("/api/v1/datasets/demo/crosstab?" + urlencode(
        [("row", "trust_police"), ("col", "ethnicity"), *FILTERS])).get_json()
    where = ((frame.country == 2) & frame.year.isin([2023, 2024])).to_numpy()
    ref = crosstab(frame, "trust_police", "ethnicity", weight="weight", strata="stratum", psu="psu", where=where,
                   missing={"trust_police": [98, 99], "ethnicity": [99]}).cells.set_index(["row", "col"])
    checked = 0
    for cell in body["cells"]:
        if cell["col"] is not None and not cell["suppressed"] and cell["row"] in ANSWERS:
            assert cell["percent"] == pytest.approx(ref.loc[(cell["row"], cell["col"]), "percent"], abs=1e-9)
            checked += 1
    assert checked >= 12
