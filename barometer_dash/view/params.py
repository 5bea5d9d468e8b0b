"""The registry of view parameters: one entry per field of a `View`, for every surface.

Each entry names the field in page links (`page`), API query strings (`api`) and the Python
API (`python`), parses and writes its text, gives its default and documents it. Page links,
the API's parser, `Barometer.crosstab`, the OpenAPI document, the README's table and every link
the page builds are all read from here, so a new parameter is one new entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..domain.codebook import Codebook, Variable
from ..domain.query import MEAN, PERCENTS
from ..i18n import LANGUAGES
from ..limits import quoted
from ..render.charts import CHART_KINDS
from ..render.formats import FORMATS
from ..render.image import SIZES
from .model import SHOWS, View, comparison_choices, valid_comparison

Surface = Literal["page", "api", "python"]
LEVELS = (0.9, 0.95, 0.99)
MISSING = {"exclude": False, "include": True}


class ParamError(ValueError):
    """A parameter's value is not valid: `name` is as the surface spells it."""

    def __init__(self, name: str, value: str, problem: str):
        self.name = name
        self.value = value
        self.problem = problem
        super().__init__(f"parameter {quoted(name)} = {quoted(value)}: {problem}")


Reader = Callable[[str, Codebook, View, Surface], Any]
Writer = Callable[[Any, Codebook, View], str]


@dataclass(frozen=True)
class Param:
    field: str  # attribute of View
    page: str | None  # name in page links (None: not a page parameter)
    api: str | None  # name in API query strings
    python: str | None  # keyword of Barometer.crosstab
    help: str
    values: str  # allowed values, for people
    example: str
    read: Reader
    write: Writer
    choices: Callable[[Codebook | None], list[str]] | None = None  # allowed texts, for schemas
    api_default_text: str | None = None  # the API's default, when there is one to show

    def allowed(self) -> str:
        """The allowed values in words; registered choices where the entry lists none itself."""
        if self.values or self.choices is None:
            return self.values
        return ", ".join(f"`{c}`" for c in self.choices(None))

    def name(self, surface: Surface) -> str | None:
        return {"page": self.page, "api": self.api, "python": self.python}[surface]


@dataclass(frozen=True)
class Migration:
    """An old page-link parameter (or value) and what it means now."""

    old: str
    new: str
    values: dict[str, str] = field(default_factory=dict)  # old text -> new text; others kept


# --- readers and writers -------------------------------------------------------------------


def _choice(options: Sequence[str]) -> Reader:
    def read(text: str, cb: Codebook, view: View, surface: Surface) -> str:
        if text not in options:
            raise ValueError(f"use one of {', '.join(options)}")
        return text

    return read


def _plain(value: Any, cb: Codebook, view: View) -> str:
    return str(value)


def _variable(cb: Codebook, name: str, *, question: bool, surface: Surface) -> Variable:
    var = cb.by_name.get(name)
    if var is None:
        raise ValueError(f"dataset '{cb.dataset.id}' has no variable {quoted(name)}")
    if question:
        allowed = cb.questions if surface == "page" else [v for v in cb.variables if v.values]
        if var not in allowed:
            raise ValueError(f"{quoted(name)} has no answer categories to tabulate")
    else:
        if var.kind == "multi" or not var.valid_values:
            raise ValueError(f"{quoted(name)} cannot split or filter a table (it has no single answer codes)")
        if surface == "page" and var not in cb.breakdowns:
            raise ValueError(f"{quoted(name)} is not a breakdown of this dataset")
    return var


def _read_q(text: str, cb: Codebook, view: View, surface: Surface) -> str:
    return _variable(cb, text, question=True, surface=surface).name


def _read_by(text: str, cb: Codebook, view: View, surface: Surface) -> str | None:
    if text in ("", "none") and surface != "api":
        return None
    if not text:
        raise ValueError("leave the parameter out for no breakdown")
    name = _variable(cb, text, question=False, surface=surface).name
    if name == view.q:
        raise ValueError("the breakdown must differ from the question")
    return name


def _write_by(value: str | None, cb: Codebook, view: View) -> str:
    return value or "none"


def _read_by2(text: str, cb: Codebook, view: View, surface: Surface) -> str | None:
    if text in ("", "none") and surface != "api":
        return None
    if not text:
        raise ValueError("leave the parameter out for no second breakdown")
    if view.by is None:
        raise ValueError("a second breakdown needs a first one (by)")
    name = _variable(cb, text, question=False, surface=surface).name
    if name in (view.q, view.by):
        raise ValueError("the second breakdown must differ from the question and the first breakdown")
    return name


def _write_by2(value: str | None, cb: Codebook, view: View) -> str:
    return value or ""


def _read_level(text: str, cb: Codebook, view: View, surface: Surface) -> float:
    try:
        x = float(text)
    except ValueError:
        x = -1.0
    x = x / 100 if x > 1 else x
    for level in LEVELS:
        if abs(x - level) < 1e-9:
            return level
    raise ValueError("use one of 0.9, 0.95, 0.99")


def _read_missing(text: str, cb: Codebook, view: View, surface: Surface) -> bool:
    if text not in MISSING:
        raise ValueError("use include or exclude")
    return MISSING[text]


def _write_missing(value: bool, cb: Codebook, view: View) -> str:
    return "include" if value else "exclude"


def codes_for(var: Variable, text: str) -> tuple[int, ...]:
    """Codes (or value keys) written `a,b,c` -> sorted codes of `var`; ValueError names a bad one."""
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys:
        raise ValueError("list at least one code")
    out = set()
    for key in keys:
        code = var.code_for_key(key)
        if code is None or code in var.missing:
            raise ValueError(f"'{var.name}' has no code {quoted(key)}")
        out.add(code)
    return tuple(sorted(out))


def _read_cmp(text: str, cb: Codebook, view: View, surface: Surface) -> tuple[int | str, int, int] | None:
    parts = text.split(",")
    choices = comparison_choices(cb, view)
    if choices is None or view.by is None:
        raise ValueError("a comparison needs a breakdown with two or more categories and column percentages")
    if len(parts) != 3:
        raise ValueError("write answer,from,to")
    qvar, byvar = cb.by_name[view.q], cb.by_name[view.by]
    net = qvar.net(parts[0])
    answer: int | str | None = net.key if net is not None else MEAN if parts[0] == MEAN else qvar.code_for_key(
        parts[0])
    a, b = byvar.code_for_key(parts[1]), byvar.code_for_key(parts[2])
    if answer is None or a is None or b is None or not valid_comparison((answer, a, b), choices):
        raise ValueError("not an answer and two different categories of the breakdown")
    # The default comparison is left out of links, so they stay short.
    return None if (answer, a, b) == choices.default else (answer, a, b)


def _write_cmp(value: tuple[int | str, int, int] | None, cb: Codebook, view: View) -> str:
    if value is None or view.by is None:
        return ""
    qvar, byvar = cb.by_name[view.q], cb.by_name[view.by]
    answer, a, b = value
    first = answer if isinstance(answer, str) else qvar.value(answer).url_key
    return f"{first},{byvar.value(a).url_key},{byvar.value(b).url_key}"


def _read_chart(text: str, cb: Codebook, view: View, surface: Surface) -> str:
    kind = _choice(CHART_KINDS)(text, cb, view, surface)
    if kind == "trend" and not cb.dataset.wave:
        raise ValueError("a trend needs a dataset with waves")
    if kind == "countries" and not cb.dataset.country:
        raise ValueError("country panels need a dataset with a country column")
    return kind


def _read_ans(text: str, cb: Codebook, view: View, surface: Surface) -> str:
    qvar = cb.by_name.get(view.q)
    if qvar is None:
        raise ValueError("give the question first")
    net = qvar.net(text)
    if net is not None:
        return net.key
    code = qvar.code_for_key(text)
    if code is None or code in qvar.missing:
        raise ValueError(f"{quoted(text)} is neither an answer nor a net of '{qvar.name}'")
    return qvar.value(code).url_key


def _names(getter: Callable[[Codebook], Sequence[Variable]]) -> Callable[[Codebook | None], list[str]]:
    return lambda cb: [v.name for v in getter(cb)] if cb is not None else []


def _fixed(options: Sequence[str]) -> Callable[[Codebook | None], list[str]]:
    return lambda cb: list(options)


REGISTRY: tuple[Param, ...] = (
    Param("lang", "lang", "lang", "lang", "Language of the interface and of the labels.",
          "`" + "`, `".join(LANGUAGES) + "`", "lang=sq",
          lambda t, cb, v, s: _choice(tuple(LANGUAGES))(t, cb, v, s), _plain, _fixed(tuple(LANGUAGES)), "en"),
    Param("q", "q", "row", "question", "The question: its answers are the rows of the table.",
          "a variable name", "q=trust_police", _read_q, _plain, _names(lambda cb: cb.questions)),
    Param("by", "by", "col", "by", "The breakdown across the columns; `none` for the total only.",
          "a variable name or `none`", "by=age_group", _read_by, _write_by,
          _names(lambda cb: cb.breakdowns)),
    Param("by2", "by2", "col2", "by2",
          "A second breakdown, nested in the first: its categories within each category of `by` "
          "(gender within each country), each group with its own Total and test.",
          "a variable name", "by2=gender", _read_by2, _write_by2, _names(lambda cb: cb.breakdowns)),
    Param("filters", "f.<variable>", "filter", "filters",
          "Filters: only respondents with these codes. A filter is a domain of the survey design, so "
          "standard errors stay correct. On the page the country and wave columns are `country` and `year`.",
          "codes or value keys, comma-separated", "country=XK,RS&f.gender=2", lambda t, cb, v, s: t, _plain),
    Param("pct", "pct", "percent", "percent", "Percentages of each column, each row or the whole table.",
          "`column`, `row`, `total`", "pct=row", _choice(PERCENTS), _plain, _fixed(PERCENTS), "column"),
    Param("dk", "missing", "missing", "include_missing",
          "Whether don't know and refused answers count in the bases.", "`exclude`, `include`",
          "missing=include", _read_missing, _write_missing, _fixed(tuple(MISSING)), "exclude"),
    Param("level", "level", "level", "level", "Confidence level of intervals and tests.",
          "`0.9`, `0.95`, `0.99`", "level=0.99", _read_level, _plain, _fixed(tuple(str(x) for x in LEVELS)),
          "0.95"),
    Param("show", "view", None, None, "Table, chart or both side by side.", "`both`, `table`, `chart`",
          "view=table", _choice(SHOWS), _plain, _fixed(SHOWS)),
    Param("ci", "ci", "ci", None,
          "Show each percentage's confidence interval: in the table, e.g. 40.0 (36.9–43.2), and as error bars on "
          "the chart and its images (the API's other formats always carry the intervals).",
          "`1`, `0`", "ci=1", lambda t, cb, v, s: {"1": True, "0": False}[_choice(("1", "0"))(t, cb, v, s)],
          lambda value, cb, v: "1" if value else "0", _fixed(("1", "0")), "0"),
    Param("chart", "chart", None, None,
          "The kind of chart: `bars` (the table), `trend` (one answer or net over the waves, a line per "
          "breakdown category) or `countries` (the table as one panel per country).", "", "chart=trend",
          _read_chart, _plain, _fixed(CHART_KINDS)),
    Param("ans", "ans", "ans", "answer",
          "The answer (code or key) or net (key) a trend follows; by default the question's first net, "
          "else its first answer.", "an answer's code or a net's key", "ans=trust", _read_ans, _plain),
    Param("cmp", "cmp", "cmp", "compare",
          "The comparison under the table: an answer's column percentage in two categories of the "
          "breakdown (two waves, two countries), with its confidence interval; for a numeric question "
          "`mean` compares the two means.",
          "`answer,from,to` (codes or keys; `mean` for a mean)", "cmp=1,2021,2024", _read_cmp, _write_cmp),
    Param("fmt", None, "format", None, "What the API returns.", "", "format=csv",
          _choice(tuple(FORMATS)), _plain, _fixed(tuple(FORMATS)), "json"),
    Param("size", None, "size", None,
          "Size of a chart image (`format=png` or `svg`): article 1200×800, social 1200×675, square "
          "1080×1080, phone 1080×1350.", "", "size=phone", _choice(tuple(SIZES)), _plain, _fixed(tuple(SIZES)),
          "article"),
)
BY_FIELD = {p.field: p for p in REGISTRY}

# Page-link parameters that were renamed: old links keep opening the same view.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(old="dk", new="missing", values={"1": "include", "0": "exclude"}),
)
