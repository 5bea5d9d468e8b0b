"""One definition of a view (what a visitor looks at) and of its parameters on every surface.

`View` is the state; `params.REGISTRY` says how each field is named, parsed, written and
documented in page links, API query strings and the Python API; `links` reads and writes them.
"""

from .model import Choices, View, comparison_choices, default_breakdown, valid_comparison
from .params import REGISTRY, Param, ParamError

__all__ = [
    "REGISTRY",
    "Choices",
    "Param",
    "ParamError",
    "View",
    "comparison_choices",
    "default_breakdown",
    "valid_comparison",
]
