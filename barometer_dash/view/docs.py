"""The registry as Markdown tables: the README's link parameters and docs/api.md's query
parameters are these tables, and a test keeps them so."""

from __future__ import annotations

from .params import MIGRATIONS, REGISTRY


def page_table() -> str:
    lines = ["| parameter | meaning | values | example |", "|---|---|---|---|",
             "| `ds` | The dataset (its id). | a dataset id | `ds=demo` |"]
    for p in REGISTRY:
        if p.page is None:
            continue
        name = "`country`, `year`, `f.<variable>`" if p.field == "filters" else f"`{p.page}`"
        lines.append(f"| {name} | {p.help} | {p.allowed()} | `{p.example}` |")
    for m in MIGRATIONS:
        values = ", ".join(f"`{m.old}={old}` is `{m.new}={new}`" for old, new in m.values.items())
        lines.append(f"| `{m.old}` | Old name of `{m.new}`; old links still work ({values}). | | |")
    return "\n".join(lines)


def api_table() -> str:
    lines = ["| parameter | meaning | values | default |", "|---|---|---|---|"]
    for p in REGISTRY:
        if p.api is None:
            continue
        if p.field == "q":
            default = "required"
        elif p.field == "filters":
            default = "none (repeatable: `filter=VARIABLE:code,code`)"
        elif p.api_default_text is not None:
            default = f"`{p.api_default_text}`"
        else:
            default = "none"
        lines.append(f"| `{p.api}` | {p.help} | {p.allowed()} | {default} |")
    return "\n".join(lines)
