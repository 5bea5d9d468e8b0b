"""The codebook of an ingested file: written from its SPSS/Stata metadata, or read from JSON.

The rules for turning metadata into variables are documented in docs/ingest.md; both paths
end in `parse_codebook`, so a generated codebook obeys exactly the rules of a written one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..domain.codebook import Codebook, parse_codebook
from ..domain.errors import CodebookError
from ..domain.nets import MIN_SCALE_FOR_NETS
from .readers import Source, whole_numbers

# A breakdown without value labels gets one value per code found, if there are this few.
MAX_BREAKDOWN_CODES = 50
# A template lists the codes found in an unlabelled column when there are this few.
MAX_TEMPLATE_CODES = 20
DATASET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
ROLES = ("weight", "strata", "psu", "country", "wave")
# A template proposes nets for a labelled question with this many consecutive substantive codes.
MAX_PROPOSED_SCALE = 7


@dataclass(frozen=True)
class Options:
    """What the command line says about a file beyond its own contents."""

    dataset_id: str
    weight: str | None = None
    strata: str | None = None
    psu: str | None = None
    country: str | None = None
    wave: str | None = None
    demographic: tuple[str, ...] = ()
    title: str | None = None
    citation: str | None = None
    license: str | None = None
    codebook: Path | None = None

    def named_columns(self) -> list[tuple[str, str]]:
        """(role, column) for every column the options name."""
        out = [(role, getattr(self, role)) for role in ROLES if getattr(self, role)]
        return out + [("demographic", name) for name in self.demographic]


@dataclass(frozen=True)
class Plan:
    """A codebook for a file, what to tell the user about it, and codes to turn into empty cells."""

    raw: dict[str, Any]
    warnings: tuple[str, ...] = ()
    blank: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def codebook(self, file: str) -> Codebook:
        return parse_codebook(self.raw, file=file)


def check_dataset_id(dataset_id: str) -> None:
    """Refuse an id that is not a plain folder name (it becomes `DIR/ID/` and part of URLs)."""
    if not DATASET_ID.match(dataset_id):
        raise CodebookError(
            "the dataset id must start with a letter or digit and hold only letters, digits, '-' "
            "and '_' (at most 64)",
            variable="--id",
            value=dataset_id,
        )


def check_named_columns(source: Source, options: Options) -> None:
    for role, column in options.named_columns():
        if column not in source.frame.columns:
            raise CodebookError(f"the {role} column is not in the data", file=str(source.path), variable=column)


def _first_text(values: pd.Series) -> object:
    present = values.dropna()
    return present.iloc[0] if len(present) else None


def _codes_found(values: pd.Series) -> list[int]:
    return sorted({int(v) for v in values.dropna().to_numpy(dtype="float64")})


def describe(source: Source, options: Options, *, template: bool = False) -> Plan:
    """A codebook from a file's metadata (rules in docs/ingest.md).

    With `template`, unlabelled columns with few codes are listed with their codes as labels,
    ready to be edited; otherwise they become numeric variables.
    """
    file = str(source.path)
    check_named_columns(source, options)
    design = {c for c in (options.weight, options.strata, options.psu) if c}
    breakdowns = {c for c in (options.country, options.wave, *options.demographic) if c}
    variables: list[dict[str, Any]] = []
    warnings: list[str] = list(source.warnings)
    blank: dict[str, tuple[int, ...]] = {}
    for column in source.frame.columns:
        name = str(column)
        if name in design:
            continue
        values = source.frame[column]
        breakdown = name in breakdowns
        if not pd.api.types.is_numeric_dtype(values):
            if breakdown:
                raise CodebookError(
                    "a breakdown must hold whole-number codes, not text", file=file, variable=name,
                    value=_first_text(values),
                )
            warnings.append(f"{file}, variable '{name}': left out (text, not numeric codes)")
            continue
        whole = whole_numbers(values)
        found = _codes_found(values) if whole else []
        labels = source.value_labels.get(name, {})
        missing = sorted({c for c in (*labels, *found) if source.is_missing(name, c)})
        label = source.labels.get(name) or name
        few = len(found) <= (MAX_BREAKDOWN_CODES if breakdown else MAX_TEMPLATE_CODES)
        if labels or (whole and few and (breakdown or template)):
            texts = {c: (t or str(c)) for c, t in labels.items()} or {c: str(c) for c in found}
            for code in missing:
                texts.setdefault(code, f"Missing ({code})")
            entry: dict[str, Any] = {
                "name": name,
                "label": {"en": label},
                "kind": "demographic" if breakdown else "single",
                "values": [{"code": c, "label": {"en": texts[c]}} for c in sorted(texts)],
            }
            if missing:
                entry["missing"] = missing
            if template and not breakdown and _propose_nets(entry, missing):
                warnings.append(
                    f"{file}, variable '{name}': proposed as an ordered scale with top-two and bottom-two nets; "
                    "delete 'ordinal' and 'nets' if its answers are not in order"
                )
            variables.append(entry)
        elif breakdown:
            problem = (
                f"a breakdown needs value labels; it has {len(found)} different codes"
                if whole
                else "a breakdown must hold whole-number codes"
            )
            raise CodebookError(problem, file=file, variable=name)
        elif whole:
            if missing:
                blank[name] = tuple(missing)
                warnings.append(
                    f"{file}, variable '{name}': user-missing codes {', '.join(map(str, missing))} "
                    "were written as empty cells (a numeric variable without value labels)"
                )
            variables.append({"name": name, "label": {"en": label}, "kind": "numeric", "values": []})
        else:
            hint = " (if it is the weight, pass --weight)" if template else ""
            warnings.append(f"{file}, variable '{name}': left out (not whole numbers){hint}")
    if not variables:
        raise CodebookError("no column can be used as a question or breakdown", file=file)
    raw = {"dataset": _dataset(source, options), "variables": variables}
    return Plan(raw=raw, warnings=tuple(warnings), blank=blank)


def _propose_nets(entry: dict[str, Any], missing: list[int]) -> bool:
    """Mark a labelled question of 4-7 consecutive substantive codes as ordinal, with its two nets.

    The codes' order is only a guess at the scale's order, so the template says so.
    """
    valid = [v for v in entry["values"] if v["code"] not in missing]
    codes = [v["code"] for v in valid]
    if not MIN_SCALE_FOR_NETS <= len(codes) <= MAX_PROPOSED_SCALE:
        return False
    if codes != list(range(codes[0], codes[0] + len(codes))):
        return False

    def net(key: str, values: list[dict[str, Any]]) -> dict[str, Any]:
        label = " + ".join(v["label"]["en"] for v in values)
        return {"key": key, "label": {"en": label}, "codes": [v["code"] for v in values]}

    entry["ordinal"] = True
    entry["nets"] = [net("top2", valid[:2]), net("bottom2", valid[-2:])]
    return True


def _dataset(source: Source, options: Options) -> dict[str, Any]:
    title = options.title or source.file_label.strip() or options.dataset_id
    return {
        "id": options.dataset_id,
        "title": {"en": title},
        # A text per language, as the title: the template shows where translations go.
        "citation": {"en": options.citation} if options.citation else "",
        "license": options.license or "",
        "weight": options.weight,
        "strata": options.strata,
        "psu": options.psu,
        "country": options.country,
        "wave": options.wave,
        "synthetic": False,
    }


def load_codebook(path: Path, options: Options) -> Plan:
    """A codebook from a JSON file; command-line options take precedence over its dataset fields."""
    file = str(path)
    if not path.is_file():
        raise CodebookError("the codebook file does not exist", file=file)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise CodebookError(f"not UTF-8 text (byte {exc.start})", file=file) from None
    except json.JSONDecodeError as exc:
        raise CodebookError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", file=file) from None
    except RecursionError:
        raise CodebookError("JSON nested too deeply to be a codebook", file=file) from None
    if isinstance(raw, dict) and isinstance(raw.get("dataset"), dict):
        ds = raw["dataset"]
        ds["id"] = options.dataset_id
        for role in ROLES:
            if getattr(options, role):
                ds[role] = getattr(options, role)
        if options.title:
            ds["title"] = {**ds["title"], "en": options.title} if isinstance(ds.get("title"), dict) else options.title
        if options.citation:
            # --citation gives the English text; translations in the file are kept.
            cited = ds.get("citation")
            ds["citation"] = {**cited, "en": options.citation} if isinstance(cited, dict) else options.citation
        if options.license:
            ds["license"] = options.license
    if options.demographic and isinstance(raw, dict) and isinstance(raw.get("variables"), list):
        by_name = {v.get("name"): v for v in raw["variables"] if isinstance(v, dict)}
        for name in options.demographic:
            if name not in by_name:
                raise CodebookError("--demographic names a variable the codebook does not have", file=file,
                                    variable=name)
            by_name[name]["kind"] = "demographic"
    parse_codebook(raw, file=file)
    return Plan(raw=raw)
