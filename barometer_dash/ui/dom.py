"""Turn the renderers' element tree into Dash components."""

from __future__ import annotations

from typing import Any

from dash import html

from ..render.dom import El

_RENAME = {"class": "className", "colspan": "colSpan", "rowspan": "rowSpan", "aria-label": "aria-label"}


def to_dash(node: El | str) -> Any:
    if isinstance(node, str):
        return node
    component = getattr(html, node.tag.capitalize())
    kwargs = {_RENAME.get(k, k): v for k, v in node.attrs.items()}
    return component([to_dash(c) for c in node.children], **kwargs)
