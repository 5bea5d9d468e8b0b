"""A tiny element tree, so tables are built once and shown as Dash components or HTML text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

Child = "El | str"


@dataclass(frozen=True)
class El:
    tag: str
    children: tuple[El | str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)


def el(tag: str, *children: El | str | None, **attrs: str | None) -> El:
    """`el("td", "12.5", class_="num")`; a trailing underscore in a name is dropped."""
    clean = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v is not None}
    return El(tag, tuple(c for c in children if c is not None), clean)


def to_html(node: El | str) -> str:
    if isinstance(node, str):
        return escape(node)
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in node.attrs.items())
    inner = "".join(to_html(c) for c in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
