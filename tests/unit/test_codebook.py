"""The codebook format as documented in docs/codebook.md: its example loads, and bad codebooks
are refused with a message naming the file, the variable and the value.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from barometer_dash.data.store import read_dataset
from barometer_dash.domain.codebook import codebook_to_json, parse_codebook
from barometer_dash.domain.errors import CodebookError
from barometer_dash.ingest import Options, ingest_file

DOC = Path(__file__).resolve().parents[2] / "docs" / "codebook.md"


def _block(language: str) -> str:
    """The `language` code block of the doc's complete example."""
    _, _, example = DOC.read_text(encoding="utf-8").partition("## A complete example")
    blocks = re.findall(rf"```{language}\n(.*?)```", example, flags=re.S)
    assert len(blocks) == 1, f"expected one {language} block in the example of {DOC.name}"
    return blocks[0]


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(_block("json"))


def test_documented_example_is_valid_and_uses_every_feature(example):
    cb = parse_codebook(example)
    assert {v.kind for v in cb.variables} == {"single", "multi", "numeric", "demographic"}
    assert cb.dataset.synthetic and cb.dataset.psu == "psu"
    police = cb.variable("trust_police")
    assert police.missing == {98, 99} and police.label.get("sr") == "Koliko imate poverenja u policiju?"
    assert police.short is not None and police.topic == "trust"
    assert cb.variable("country").code_for_key("XK") == 2
    assert cb.variable("trust_eu").asked_in == ((1, 2024), (2, 2024), (3, 2024))
    assert cb.variable("news").columns == ("news_tv", "news_online", "news_social")
    assert cb.topic_label("trust", "sq") == "Besimi në institucione"
    assert police.ordinal and [(n.key, n.codes) for n in police.all_nets] == [("trust", (1, 2))]
    assert police.net("trust").label.get("sr") == "Poverenje (mnogo ili malo)"
    assert [(c.wave, c.note.get("sq")) for c in police.wording_changes] == [
        (2024, "From 2024 the question names the local police.")
    ]


def test_documented_example_ingests_with_its_csv(example, tmp_path):
    (tmp_path / "codebook.json").write_text(json.dumps(example), encoding="utf-8")
    (tmp_path / "survey.csv").write_text(_block("csv"), encoding="utf-8")
    options = Options("wb-example", codebook=tmp_path / "codebook.json")
    result = ingest_file(tmp_path / "survey.csv", options, tmp_path / "data")
    ds = read_dataset(result.path)
    assert ds.n == 6 and ds.codebook == parse_codebook(example)


def test_json_round_trip(example):
    cb = parse_codebook(example)
    assert parse_codebook(json.loads(json.dumps(codebook_to_json(cb)))) == cb


def test_citation_is_given_per_language_and_falls_back(example):
    cb = parse_codebook(example)
    cited = cb.dataset.citation
    assert cited.get("sq").startswith("Instituti Shembull (2024)")
    assert cited.get("sr-Cyrl").startswith("Институт Пример (2024)")  # from the Serbian, letter for letter
    assert cited.get("en").startswith("Example Institute (2024)")
    assert codebook_to_json(cb)["dataset"]["citation"] == example["dataset"]["citation"]
    # A codebook with one citation string still loads, and shows it on every page.
    plain = copy.deepcopy(example)
    plain["dataset"]["citation"] = "Example Institute (2024)."
    old = parse_codebook(plain).dataset.citation
    assert {old.get(lang) for lang in ("en", "sq", "sr", "sr-Cyrl")} == {"Example Institute (2024)."}
    assert codebook_to_json(parse_codebook(plain))["dataset"]["citation"] == "Example Institute (2024)."
    # Without English, a page in another language falls back to the first language given.
    own = copy.deepcopy(example)
    own["dataset"]["citation"] = {"sq": "Instituti (2024).", "sr": "Institut (2024)."}
    assert parse_codebook(own).dataset.citation.get("en") == "Instituti (2024)."
    # None given: nothing to show, and nothing written back.
    del own["dataset"]["citation"]
    assert parse_codebook(own).dataset.citation.get("sq") == ""
    assert codebook_to_json(parse_codebook(own))["dataset"]["citation"] == ""


def test_plain_strings_are_english(example):
    cb = parse_codebook(example)
    assert cb.variable("age_group").label.get("sq") == "Age group"


def _broken(example: dict, path: str, value: object) -> dict:
    out = copy.deepcopy(example)
    *parents, last = path.split(".")
    node = out
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is KeyError:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return out


BROKEN = [
    ("variables.3.missing", [97], ["variable 'trust_police'", "value 97", "not one of the variable's values"]),
    ("variables.3.kind", "scale", ["variable 'trust_police'", "value 'scale'", "kind must be one of"]),
    ("variables.3.label", {"sq": "Pa anglisht"}, ["variable 'trust_police'", "no English"]),
    ("variables.3.values.1.code", 1, ["variable 'trust_police'", "value 1", "appears twice"]),
    ("variables.3.values.1.code", "2", ["variable 'trust_police'", "whole number"]),
    ("variables.3.topic", "economy", ["variable 'trust_police'", "value 'economy'", "not listed in 'topics'"]),
    ("variables.4.name", "trust_police", ["variable 'trust_police'", "used twice"]),
    ("variables.5.columns", ["news_tv"], ["variable 'news'", "one 0/1 column per value"]),
    ("variables.5.columns", ["news_tv", "news_tv", "news_social"], ["variable 'news'", "listed twice"]),
    ("variables.5.missing", [1], ["variable 'news'", "cannot have missing codes"]),
    ("variables.3.columns", ["a", "b"], ["variable 'trust_police'", "only a 'multi' variable has 'columns'"]),
    ("variables.6.name", "news_tv", ["variable 'news_tv'", "used twice"]),
    ("variables.2.name", "age group", ["'age group'", "must not contain spaces"]),
    ("variables.0.values", [], ["variable 'country'", "needs a list of values"]),
    ("dataset.wave", "wave", ["variable 'wave'", "not among the variables"]),
    ("dataset.weight", "trust_eu", ["variable 'trust_eu'", "design column cannot also be a variable"]),
    ("dataset.synthetic", "yes", ["value 'yes'", "true or false"]),
    ("dataset.citation", 2024, ["dataset.citation must be a string or an object of language code"]),
    ("dataset.citation", {"en": ["A", "B"]}, ["dataset.citation must be a string or an object of language code"]),
    ("dataset.license", {"en": "CC-BY-4.0"}, ["dataset.license must be a string"]),
    ("dataset.title", KeyError, ["dataset.title is missing"]),
    ("variables", [], ["'variables' must be a non-empty list"]),
    ("variables.3.nets.0.codes", [1, 7], ["variable 'trust_police'", "value 7", "net 'trust'", "not one of"]),
    ("variables.3.nets.0.codes", [1, 98], ["variable 'trust_police'", "value 98", "missing code"]),
    ("variables.3.nets.0.codes", [1, 1], ["variable 'trust_police'", "value 1", "lists a code twice"]),
    ("variables.3.nets.0.codes", KeyError, ["variable 'trust_police'", "net 'trust' needs 'codes'"]),
    ("variables.3.nets.0.codes", [], ["variable 'trust_police'", "net 'trust' needs 'codes'"]),
    ("variables.3.nets.0.key", "2", ["variable 'trust_police'", "value '2'", "differ from every answer"]),
    ("variables.3.nets.0.key", "no trust", ["variable 'trust_police'", "must not contain spaces"]),
    ("variables.3.nets.0.label", KeyError, ["variable 'trust_police'", "label of net 'trust' is missing"]),
    ("variables.3.nets", [{"key": "t", "label": "A", "codes": [1]}, {"key": "t", "label": "B", "codes": [2]}],
     ["variable 'trust_police'", "value 't'", "net key appears twice"]),
    ("variables.3.nets", {"trust": [1, 2]}, ["variable 'trust_police'", "nets must be a list"]),
    ("variables.5.ordinal", True, ["variable 'news'", "only a 'single' question can be ordinal"]),
    ("variables.5.nets", [], ["variable 'news'", "only a 'single' question can have nets"]),
    ("variables.3.ordinal", "yes", ["variable 'trust_police'", "ordinal must be true or false"]),
    ("variables.3.wording_changes.0.wave", 2020, ["variable 'trust_police'", "value 2020", "not one of the wave"]),
    ("variables.3.wording_changes.0.note", KeyError, ["variable 'trust_police'", "note is missing"]),
]


@pytest.mark.parametrize(("path", "value", "expected"), BROKEN, ids=[f"{p}={v!r}" for p, v, _ in BROKEN])
def test_bad_codebook_is_refused_with_where(example, path, value, expected):
    with pytest.raises(CodebookError) as exc:
        parse_codebook(_broken(example, path, value), file="cb.json")
    message = str(exc.value)
    assert message.startswith("cb.json")
    for text in expected:
        assert text in message, (text, message)


def _scale(example: dict, **extra: object) -> dict:
    """The example's police question as a four-point scale with don't know."""
    out = copy.deepcopy(example)
    police = out["variables"][3]
    police["values"] = [{"code": c, "label": {"en": f"E{c}", "sq": f"S{c}"}} for c in (1, 2, 3, 4)] + [
        {"code": 98, "label": "Don't know"}
    ]
    police["missing"] = [98]
    police.pop("nets")
    police.update(extra)
    return out


def test_ordinal_scale_of_four_gets_top_and_bottom_two(example):
    police = parse_codebook(_scale(example)).variable("trust_police")
    nets = police.all_nets
    assert [(n.key, n.codes) for n in nets] == [("top2", (1, 2)), ("bottom2", (3, 4))]
    assert nets[0].label.get("sq") == "S1 + S2" and nets[1].label.get("en") == "E3 + E4"
    assert police.net("bottom2") == nets[1] and police.net("top3") is None


def test_default_nets_need_an_ordinal_scale_of_four(example):
    assert parse_codebook(_scale(example, ordinal=False)).variable("trust_police").all_nets == ()
    assert parse_codebook(_scale(example, nets=[])).variable("trust_police").all_nets == ()
    three = copy.deepcopy(example)
    three["variables"][3].pop("nets")
    assert parse_codebook(three).variable("trust_police").all_nets == ()


def test_given_nets_replace_the_defaults_and_round_trip(example):
    cb = parse_codebook(_scale(example, nets=[{"key": "low", "label": "Low", "codes": [4]}]))
    assert [n.key for n in cb.variable("trust_police").all_nets] == ["low"]
    assert parse_codebook(json.loads(json.dumps(codebook_to_json(cb)))) == cb
    defaults = parse_codebook(_scale(example))
    assert "nets" not in codebook_to_json(defaults)["variables"][3]
