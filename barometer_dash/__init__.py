"""Barometer Dash: publish survey cross-tabs as an interactive web app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import Barometer

__all__ = ["Barometer"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import barometer_dash.stats` stays light.
    if name == "Barometer":
        from .client import Barometer

        return Barometer
    raise AttributeError(name)
