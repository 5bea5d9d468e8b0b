"""Barometer Dash: publish survey cross-tabs as an interactive web app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import Barometer
    from .stats.survey import Survey

__all__ = ["Barometer", "Survey"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import barometer_dash.stats` stays light.
    if name == "Barometer":
        from .client import Barometer

        return Barometer
    if name == "Survey":
        from .stats.survey import Survey

        return Survey
    raise AttributeError(name)
