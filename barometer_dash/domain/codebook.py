"""The codebook: what each column of a dataset means, in every language.

The JSON format is documented in docs/codebook.md; `parse_codebook` turns that JSON into these
types and refuses a bad one with a `CodebookError` naming the file, variable and value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import cyrtranslit

from .errors import CodebookError
from .nets import Net, WordingChange, check_wording_changes, default_nets, parse_changes, parse_nets

# `sr` is Serbian in Latin script, `sr-Cyrl` the same language in Cyrillic.
LANGUAGES = ("en", "sq", "sr", "sr-Cyrl")
DATASET_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
KINDS = ("single", "multi", "numeric", "demographic")
Kind = Literal["single", "multi", "numeric", "demographic"]


@dataclass(frozen=True)
class Text:
    """A text in several languages; a missing translation falls back to English."""

    by_lang: Mapping[str, str]

    def get(self, lang: str = "en") -> str:
        text = self.by_lang.get(lang)
        if not text and lang == "sr-Cyrl" and self.by_lang.get("sr"):
            # Serbian is written in both scripts; Latin converts to Cyrillic letter for letter.
            text = serbian_cyrillic(self.by_lang["sr"])
        return text or self.by_lang.get("en") or next(iter(self.by_lang.values()), "")

    def to_json(self) -> dict[str, str]:
        return dict(self.by_lang)


# Kept as written: {placeholders}, `code`, web addresses, and names that are not Serbian words.
_KEEP = re.compile(r"\{[^{}]*\}|`[^`]*`|\bhttps?://\S+|\bBarometer Dash\b|\bRao-Scott\b|\b(?:JSON|API|CSV|"
                   r"Excel|PNG|SVG|CC BY(?: \d\.\d)?|df|n|p|F)\b")


@lru_cache(maxsize=4096)
def serbian_cyrillic(text: str) -> str:
    """Serbian Latin text in Cyrillic script, leaving placeholders, code, addresses and the
    names above in Latin."""
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(cyrtranslit.to_cyrillic(text[last:m.start()], "sr"))
        out.append(m.group(0))
        last = m.end()
    out.append(cyrtranslit.to_cyrillic(text[last:], "sr"))
    return "".join(out)


@dataclass(frozen=True)
class Value:
    code: int
    label: Text
    key: str = ""  # short, stable id for URLs (e.g. "XK"); defaults to the code

    @property
    def url_key(self) -> str:
        return self.key or str(self.code)


@dataclass(frozen=True)
class Variable:
    name: str
    label: Text
    kind: Kind
    topic: str = ""
    values: tuple[Value, ...] = ()
    missing: frozenset[int] = frozenset()
    columns: tuple[str, ...] = ()  # multi: one 0/1 column per value, in the same order
    asked_in: tuple[tuple[int, int], ...] | None = None  # (country code, wave code) pairs
    notes: Text | None = None
    short: Text | None = None
    ordinal: bool = False
    nets: tuple[Net, ...] | None = None  # None: not given, so an ordinal scale gets the default nets
    wording_changes: tuple[WordingChange, ...] = ()

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(v.code for v in self.values)

    @property
    def valid_values(self) -> tuple[Value, ...]:
        return tuple(v for v in self.values if v.code not in self.missing)

    def value(self, code: int) -> Value:
        for v in self.values:
            if v.code == code:
                return v
        raise KeyError(code)

    def code_for_key(self, key: str) -> int | None:
        """The code a URL key stands for: a value's key or its code written out."""
        for v in self.values:
            if v.url_key == key or str(v.code) == key:
                return v.code
        return None

    def data_columns(self) -> tuple[str, ...]:
        return self.columns if self.kind == "multi" else (self.name,)

    @property
    def all_nets(self) -> tuple[Net, ...]:
        """The nets given in the codebook, else top-two and bottom-two for an ordinal scale."""
        if self.nets is not None:
            return self.nets
        return default_nets(self.valid_values) if self.ordinal and self.kind == "single" else ()

    def net(self, key: str) -> Net | None:
        for n in self.all_nets:
            if n.key == key:
                return n
        return None


@dataclass(frozen=True)
class Topic:
    id: str
    label: Text


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    title: Text
    source: Text
    citation: Text  # empty when the codebook gives none
    license: str  # an identifier such as CC-BY-4.0, the same in every language
    weight: str | None = None
    strata: str | None = None
    psu: str | None = None
    country: str | None = None
    wave: str | None = None
    synthetic: bool = False
    restricted: bool = False  # disclosure rules across tables: filter minimums, perturbed counts
    description: Text | None = None
    url: str = ""


@dataclass(frozen=True)
class Codebook:
    dataset: DatasetInfo
    variables: tuple[Variable, ...]
    topics: tuple[Topic, ...] = ()
    by_name: Mapping[str, Variable] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {v.name: v for v in self.variables})

    def variable(self, name: str) -> Variable:
        return self.by_name[name]

    def topic_label(self, topic_id: str, lang: str = "en") -> str:
        for t in self.topics:
            if t.id == topic_id:
                return t.label.get(lang)
        return topic_id

    @property
    def questions(self) -> tuple[Variable, ...]:
        """Variables a visitor can pick as the question (rows of the table)."""
        return tuple(v for v in self.variables if v.kind in ("single", "multi", "numeric") and v.values)

    @property
    def breakdowns(self) -> tuple[Variable, ...]:
        """Variables that can split a question: demographics, country and wave."""
        return tuple(v for v in self.variables if v.kind == "demographic" and v.values)

    def design_columns(self) -> tuple[str, ...]:
        d = self.dataset
        return tuple(c for c in (d.weight, d.strata, d.psu) if c)


# --- parsing -----------------------------------------------------------------------------


def _text(raw: Any, *, file: str, variable: str, what: str, required: bool = True,
          english: bool = True) -> Text | None:
    """A plain string (English) or a mapping of language -> string; `english=False` accepts a
    mapping without English, whose first language is then the fallback."""
    if raw is None or raw == "" or raw == {}:
        if required:
            raise CodebookError(f"{what} is missing", file=file, variable=variable)
        return None
    if isinstance(raw, str):
        return Text({"en": raw})
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise CodebookError(
            f"{what} must be a string or an object of language code -> string",
            file=file,
            variable=variable,
        )
    if "en" not in raw and english:
        raise CodebookError(f"{what} has no English ('en') text", file=file, variable=variable)
    return Text(dict(raw))


def _name(raw: Any, *, file: str, what: str, variable: str = "") -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise CodebookError(f"{what} must be a non-empty string", file=file, variable=variable)
    if raw != raw.strip() or any(c in raw for c in ",:/?#&=\"'<> "):
        raise CodebookError(
            f"{what} {raw!r} must not contain spaces or any of , : / ? # & = < > quotes",
            file=file,
            variable=variable,
        )
    return raw


def _int_code(raw: Any, *, file: str, variable: str, what: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise CodebookError(f"{what} must be a whole number", file=file, variable=variable, value=raw)
    return raw


def _parse_variable(raw: Any, i: int, file: str, topics: set[str]) -> Variable:
    if not isinstance(raw, dict):
        raise CodebookError(f"variables[{i}] must be an object", file=file)
    name = _name(raw.get("name"), file=file, what=f"variables[{i}].name")
    label = _text(raw.get("label"), file=file, variable=name, what="label")
    assert label is not None
    kind = raw.get("kind", "single")
    if kind not in KINDS:
        raise CodebookError(
            f"kind must be one of {', '.join(KINDS)}", file=file, variable=name, value=kind
        )
    topic = raw.get("topic", "") or ""
    if not isinstance(topic, str):
        raise CodebookError("topic must be a string", file=file, variable=name, value=topic)
    if topics and topic and topic not in topics:
        raise CodebookError("topic is not listed in 'topics'", file=file, variable=name, value=topic)
    values_raw = raw.get("values", [])
    if not isinstance(values_raw, list):
        raise CodebookError("values must be a list", file=file, variable=name)
    values: list[Value] = []
    seen_codes: set[int] = set()
    seen_keys: set[str] = set()
    for j, v in enumerate(values_raw):
        if not isinstance(v, dict):
            raise CodebookError(f"values[{j}] must be an object", file=file, variable=name)
        code = _int_code(v.get("code"), file=file, variable=name, what=f"values[{j}].code")
        if code in seen_codes:
            raise CodebookError("value code appears twice", file=file, variable=name, value=code)
        seen_codes.add(code)
        vlabel = _text(v.get("label"), file=file, variable=name, what=f"label of value {code}")
        assert vlabel is not None
        key = v.get("key", "") or ""
        if key:
            key = _name(key, file=file, what=f"key of value {code}", variable=name)
            if key in seen_keys:
                raise CodebookError("value key appears twice", file=file, variable=name, value=key)
            seen_keys.add(key)
        values.append(Value(code=code, label=vlabel, key=key))
    if kind in ("single", "multi", "demographic") and not values:
        raise CodebookError(f"a '{kind}' variable needs a list of values", file=file, variable=name)
    missing_raw = raw.get("missing", [])
    if not isinstance(missing_raw, list):
        raise CodebookError("missing must be a list of codes", file=file, variable=name)
    missing = set()
    for m in missing_raw:
        code = _int_code(m, file=file, variable=name, what="missing code")
        if code not in seen_codes:
            raise CodebookError(
                "missing code is not one of the variable's values", file=file, variable=name, value=code
            )
        missing.add(code)
    columns: tuple[str, ...] = ()
    if kind == "multi":
        cols = raw.get("columns")
        if not isinstance(cols, list) or len(cols) != len(values):
            raise CodebookError(
                "a 'multi' variable needs 'columns': one 0/1 column per value, in the same order",
                file=file,
                variable=name,
            )
        columns = tuple(_name(c, file=file, what="column", variable=name) for c in cols)
        if len(set(columns)) != len(columns):
            raise CodebookError("a column is listed twice in 'columns'", file=file, variable=name)
        if missing:
            raise CodebookError(
                "a 'multi' variable cannot have missing codes; leave its columns empty instead",
                file=file,
                variable=name,
            )
    elif "columns" in raw:
        raise CodebookError("only a 'multi' variable has 'columns'", file=file, variable=name)
    asked_raw = raw.get("asked_in")
    asked_in: tuple[tuple[int, int], ...] | None = None
    if asked_raw is not None:
        if not isinstance(asked_raw, list):
            raise CodebookError("asked_in must be a list of {country, wave}", file=file, variable=name)
        pairs = []
        for a in asked_raw:
            if not isinstance(a, dict) or "country" not in a or "wave" not in a:
                raise CodebookError(
                    "each asked_in entry needs 'country' and 'wave' codes", file=file, variable=name, value=a
                )
            pairs.append(
                (
                    _int_code(a["country"], file=file, variable=name, what="asked_in country"),
                    _int_code(a["wave"], file=file, variable=name, what="asked_in wave"),
                )
            )
        asked_in = tuple(pairs)
    notes = _text(raw.get("notes"), file=file, variable=name, what="notes", required=False)
    short = _text(raw.get("short"), file=file, variable=name, what="short", required=False)
    ordinal = raw.get("ordinal", False)
    if not isinstance(ordinal, bool):
        raise CodebookError("ordinal must be true or false", file=file, variable=name, value=ordinal)
    if ordinal and kind != "single":
        raise CodebookError("only a 'single' question can be ordinal", file=file, variable=name)
    nets = parse_nets(raw["nets"], kind, values, missing, file=file, variable=name) if "nets" in raw else None
    return Variable(
        name=name,
        label=label,
        kind=kind,
        topic=topic,
        values=tuple(values),
        missing=frozenset(missing),
        columns=columns,
        asked_in=asked_in,
        notes=notes,
        short=short,
        ordinal=ordinal,
        nets=nets,
        wording_changes=parse_changes(raw.get("wording_changes", []), file=file, variable=name),
    )


def _optional_column(raw: dict[str, Any], key: str, file: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    return _name(value, file=file, what=f"dataset.{key}")


def parse_codebook(raw: Any, *, file: str = "codebook.json") -> Codebook:
    """Validate a codebook's JSON and build the typed codebook."""
    if not isinstance(raw, dict):
        raise CodebookError("the codebook must be a JSON object", file=file)
    ds = raw.get("dataset")
    if not isinstance(ds, dict):
        raise CodebookError("'dataset' must be an object", file=file)
    ds_id = _name(ds.get("id"), file=file, what="dataset.id")
    if not DATASET_ID.fullmatch(ds_id):
        raise CodebookError(
            f"dataset.id {ds_id!r} must be 1-64 letters, digits, '_' or '-', starting with a letter or digit "
            "(it names the dataset's folder and appears in links)",
            file=file,
        )
    title = _text(ds.get("title"), file=file, variable="", what="dataset.title")
    assert title is not None
    source = _text(ds.get("source", ds.get("title")), file=file, variable="", what="dataset.source")
    assert source is not None
    synthetic = ds.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise CodebookError("dataset.synthetic must be true or false", file=file, value=synthetic)
    restricted = ds.get("restricted", False)
    if not isinstance(restricted, bool):
        raise CodebookError("dataset.restricted must be true or false", file=file, value=restricted)
    for key in ("license", "url"):
        if not isinstance(ds.get(key, ""), str):
            raise CodebookError(f"dataset.{key} must be a string", file=file)
    # A citation is often written in the publisher's own language first: English is not required.
    citation = _text(ds.get("citation"), file=file, variable="", what="dataset.citation", required=False,
                     english=False) or Text({})
    info = DatasetInfo(
        id=ds_id,
        title=title,
        source=source,
        citation=citation,
        license=ds.get("license", "") or "",
        weight=_optional_column(ds, "weight", file),
        strata=_optional_column(ds, "strata", file),
        psu=_optional_column(ds, "psu", file),
        country=_optional_column(ds, "country", file),
        wave=_optional_column(ds, "wave", file),
        synthetic=synthetic,
        restricted=restricted,
        description=_text(ds.get("description"), file=file, variable="", what="dataset.description", required=False),
        url=ds.get("url", "") or "",
    )
    topics_raw = raw.get("topics", [])
    if not isinstance(topics_raw, list):
        raise CodebookError("'topics' must be a list", file=file)
    topics = []
    for i, t in enumerate(topics_raw):
        if not isinstance(t, dict):
            raise CodebookError(f"topics[{i}] must be an object", file=file)
        tid = _name(t.get("id"), file=file, what=f"topics[{i}].id")
        tl = _text(t.get("label", tid), file=file, variable="", what=f"label of topic {tid}")
        assert tl is not None
        topics.append(Topic(id=tid, label=tl))
    topic_ids = {t.id for t in topics}
    vars_raw = raw.get("variables")
    if not isinstance(vars_raw, list) or not vars_raw:
        raise CodebookError("'variables' must be a non-empty list", file=file)
    variables = [_parse_variable(v, i, file, topic_ids) for i, v in enumerate(vars_raw)]
    names: set[str] = set()
    for v in variables:
        for n in (v.name, *v.columns):
            if n in names:
                raise CodebookError("name is used twice", file=file, variable=n)
            names.add(n)
    design = {c for c in (info.weight, info.strata, info.psu) if c}
    for v in variables:
        if v.name in design:
            raise CodebookError("a design column cannot also be a variable", file=file, variable=v.name)
    for role in ("country", "wave"):
        col = getattr(info, role)
        if col and col not in {v.name for v in variables}:
            raise CodebookError(
                f"dataset.{role} names a column that is not among the variables", file=file, variable=col
            )
    check_wording_changes(info, variables, file)
    return Codebook(dataset=info, variables=tuple(variables), topics=tuple(topics))


def _text_json(text: Text) -> str | dict[str, str]:
    """A text as the codebook writes it: a plain string when it is English only (or empty)."""
    if not text.by_lang:
        return ""
    if set(text.by_lang) == {"en"}:
        return text.by_lang["en"]
    return text.to_json()


def codebook_to_json(cb: Codebook) -> dict[str, Any]:
    """The inverse of `parse_codebook`: the JSON written to codebook.json."""
    d = cb.dataset
    ds: dict[str, Any] = {
        "id": d.id,
        "title": d.title.to_json(),
        "source": d.source.to_json(),
        "citation": _text_json(d.citation),
        "license": d.license,
        "weight": d.weight,
        "strata": d.strata,
        "psu": d.psu,
        "country": d.country,
        "wave": d.wave,
        "synthetic": d.synthetic,
    }
    if d.restricted:
        ds["restricted"] = True
    if d.description:
        ds["description"] = d.description.to_json()
    if d.url:
        ds["url"] = d.url
    out: dict[str, Any] = {
        "dataset": ds,
        "topics": [{"id": t.id, "label": t.label.to_json()} for t in cb.topics],
        "variables": [],
    }
    for v in cb.variables:
        item: dict[str, Any] = {"name": v.name, "label": v.label.to_json(), "kind": v.kind}
        if v.topic:
            item["topic"] = v.topic
        if v.short:
            item["short"] = v.short.to_json()
        vals = []
        for val in v.values:
            entry: dict[str, Any] = {"code": val.code, "label": val.label.to_json()}
            if val.key:
                entry["key"] = val.key
            vals.append(entry)
        item["values"] = vals
        if v.missing:
            item["missing"] = sorted(v.missing)
        if v.columns:
            item["columns"] = list(v.columns)
        if v.asked_in is not None:
            item["asked_in"] = [{"country": c, "wave": w} for c, w in v.asked_in]
        if v.notes:
            item["notes"] = v.notes.to_json()
        if v.ordinal:
            item["ordinal"] = True
        if v.nets is not None:
            item["nets"] = [{"key": n.key, "label": n.label.to_json(), "codes": list(n.codes)} for n in v.nets]
        if v.wording_changes:
            item["wording_changes"] = [{"wave": c.wave, "note": c.note.to_json()} for c in v.wording_changes]
        out["variables"].append(item)
    return out
