"""How to cite a view: plain text in the view's language, BibTeX and RIS.

A citation names the publisher, the view's title (question, breakdown, filters), the year,
the dataset and its version, the view's link and the date it was accessed, so a reader can
reproduce the exact numbers. Synthetic data say so in every form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..domain.crosstab import CrossTab
from ..i18n import translate

BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str
    ris: str
    title: str
    publisher: str
    year: int
    accessed: str  # ISO date


def view_title(xt: CrossTab) -> str:
    """The question, the breakdown and the filters, as one title."""
    title = xt.question
    if xt.col_name:
        title = translate("cite.title_by", xt.lang, question=title, breakdown=xt.col_title)
    if xt.filters:
        title += " (" + "; ".join(f"{name}: {labels}" for name, labels in xt.filters) + ")"
    return title


def cite(xt: CrossTab, link: str, accessed: date, *, publisher: str = "") -> Citation:
    """The citation of the view `xt` at `link`, accessed on `accessed`.

    `publisher` defaults to the application's name (the site that publishes the view).
    """
    lang = xt.lang
    publisher = publisher or translate("app.title", lang)
    title = view_title(xt)
    year = accessed.year
    day = accessed.isoformat()
    text = translate("cite.text", lang, publisher=publisher, year=year, title=title, dataset=xt.dataset_title,
                     version=xt.version, link=link, date=day)
    text = text.replace("?.", "?").replace("!.", "!")  # a question's own mark ends the title
    if xt.synthetic:
        text += " " + translate("synthetic.short", lang)
    return Citation(
        text=text,
        bibtex=_bibtex(xt, title, publisher, year, link, day),
        ris=_ris(xt, title, publisher, year, link, accessed),
        title=title,
        publisher=publisher,
        year=year,
        accessed=day,
    )


def _tex(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def citation_key(xt: CrossTab, year: int) -> str:
    parts = [xt.query.dataset, xt.query.row] + ([xt.query.col] if xt.query.col else []) + [str(year)]
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).strip("_")


def _bibtex(xt: CrossTab, title: str, publisher: str, year: int, link: str, day: str) -> str:
    note = translate("cite.note", xt.lang, dataset=xt.dataset_title, version=xt.version)
    if xt.synthetic:
        note += " " + translate("synthetic.short", xt.lang)
    fields = [
        ("title", "{" + _tex(title) + "}"),
        ("author", "{" + _tex(publisher) + "}"),
        ("year", str(year)),
        ("url", link.replace("}", "%7D").replace("{", "%7B")),
        ("urldate", day),
        ("version", _tex(xt.version)),
        ("note", _tex(note)),
        ("language", xt.lang),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{citation_key(xt, year)},\n{body}\n}}\n"


def _ris(xt: CrossTab, title: str, publisher: str, year: int, link: str, accessed: date) -> str:
    def clean(text: str) -> str:
        return " ".join(text.split())  # RIS is one field per line

    lines = [
        ("TY", "DATA"),
        ("TI", clean(title)),
        ("AU", clean(publisher)),
        ("PB", clean(publisher)),
        ("PY", str(year)),
        ("DB", clean(xt.dataset_title)),
        ("ET", xt.version),
        ("UR", clean(link)),
        ("Y2", accessed.strftime("%Y/%m/%d")),
        ("LA", xt.lang),
    ]
    if xt.citation:
        lines.append(("N1", clean(xt.citation)))
    if xt.synthetic:
        lines.append(("N1", translate("synthetic.short", xt.lang)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)
