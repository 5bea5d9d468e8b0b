"""Nets (answers reported together) and wording changes of a question, as the codebook gives them.

The codebook's parser calls these; the rules are documented in docs/codebook.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import CodebookError

if TYPE_CHECKING:
    from .codebook import DatasetInfo, Text, Value, Variable


@dataclass(frozen=True)
class Net:
    """Answers reported together ("trust a great deal or somewhat"): a row estimated as a 0/1 recode."""

    key: str
    label: Text
    codes: tuple[int, ...]


@dataclass(frozen=True)
class WordingChange:
    """The wording changed from `wave` on (a wave code); `note` says how."""

    wave: int
    note: Text


MIN_SCALE_FOR_NETS = 4  # substantive answers an ordinal scale needs for default nets


def default_nets(valid: Sequence[Value]) -> tuple[Net, ...]:
    """Top two and bottom two answers of an ordinal scale of four or more substantive answers.

    Labels join the answers' own labels in each language, so they need no translation.
    """
    from .codebook import Text

    if len(valid) < MIN_SCALE_FOR_NETS:
        return ()

    def joined(values: Sequence[Value]) -> Text:
        langs = {lang for v in values for lang in v.label.by_lang}
        return Text({lang: " + ".join(v.label.get(lang) for v in values) for lang in sorted(langs)})

    top, bottom = valid[:2], valid[-2:]
    return (
        Net(key="top2", label=joined(top), codes=tuple(v.code for v in top)),
        Net(key="bottom2", label=joined(bottom), codes=tuple(v.code for v in bottom)),
    )


def parse_nets(
    raw: Any, kind: str, values: list[Value], missing: set[int], *, file: str, variable: str
) -> tuple[Net, ...]:
    """Nets: each a unique key (not an answer's code or key), a label, and substantive codes."""
    from .codebook import _int_code, _name, _text

    if kind != "single":
        raise CodebookError("only a 'single' question can have nets", file=file, variable=variable)
    if not isinstance(raw, list):
        raise CodebookError("nets must be a list of {key, label, codes}", file=file, variable=variable)
    answer_keys = {v.url_key for v in values} | {str(v.code) for v in values}
    codes_known = {v.code for v in values}
    nets: list[Net] = []
    for j, item in enumerate(raw):
        if not isinstance(item, dict):
            raise CodebookError(f"nets[{j}] must be an object", file=file, variable=variable)
        key = _name(item.get("key"), file=file, what=f"nets[{j}].key", variable=variable)
        if key.lstrip("-").isdigit() or key in answer_keys:
            raise CodebookError(
                "a net key must differ from every answer's code and key (links use both)",
                file=file, variable=variable, value=key,
            )
        if any(n.key == key for n in nets):
            raise CodebookError("net key appears twice", file=file, variable=variable, value=key)
        label = _text(item.get("label"), file=file, variable=variable, what=f"label of net '{key}'")
        assert label is not None
        codes_raw = item.get("codes")
        if not isinstance(codes_raw, list) or not codes_raw:
            raise CodebookError(
                f"net '{key}' needs 'codes': a non-empty list of the answer codes it joins",
                file=file, variable=variable,
            )
        codes: list[int] = []
        for c in codes_raw:
            code = _int_code(c, file=file, variable=variable, what=f"a code of net '{key}'")
            if code not in codes_known:
                raise CodebookError(f"net '{key}' names a code that is not one of the variable's values",
                                    file=file, variable=variable, value=code)
            if code in missing:
                raise CodebookError(f"net '{key}' names a missing code; a net joins substantive answers only",
                                    file=file, variable=variable, value=code)
            if code in codes:
                raise CodebookError(f"net '{key}' lists a code twice", file=file, variable=variable, value=code)
            codes.append(code)
        nets.append(Net(key=key, label=label, codes=tuple(codes)))
    return tuple(nets)


def parse_changes(raw: Any, *, file: str, variable: str) -> tuple[WordingChange, ...]:
    from .codebook import _int_code, _text

    if not isinstance(raw, list):
        raise CodebookError("wording_changes must be a list of {wave, note}", file=file, variable=variable)
    out = []
    for j, item in enumerate(raw):
        if not isinstance(item, dict) or "wave" not in item:
            raise CodebookError(f"wording_changes[{j}] needs a 'wave' code and a 'note'", file=file,
                                variable=variable, value=item)
        wave = _int_code(item["wave"], file=file, variable=variable, what=f"wording_changes[{j}].wave")
        note = _text(item.get("note"), file=file, variable=variable, what=f"wording_changes[{j}].note")
        assert note is not None
        out.append(WordingChange(wave=wave, note=note))
    return tuple(out)


def check_wording_changes(info: DatasetInfo, variables: Sequence[Variable], file: str) -> None:
    waves = next((v.codes for v in variables if v.name == info.wave), None)
    for v in variables:
        for change in v.wording_changes:
            if waves is None:
                raise CodebookError("wording_changes needs dataset.wave to name the wave variable",
                                    file=file, variable=v.name)
            if change.wave not in waves:
                raise CodebookError("wording_changes names a wave that is not one of the wave variable's codes",
                                    file=file, variable=v.name, value=change.wave)
