"""Pure numerics for Barometer Dash: design-based cross-tabs, variances and tests.

numpy, scipy and pandas only.  Prepare a :class:`Design` once per dataset with
:func:`prepare_design`, then each :func:`tabulate` costs one scan of the respondents.
:func:`crosstab` is the Python API for researchers on a pandas DataFrame.
"""

from barometer_dash.stats.design import Design, SingletonStrataWarning, prepare_design
from barometer_dash.stats.estimates import Difference, MeanTable, difference, mean_by
from barometer_dash.stats.frame import CrosstabResult, crosstab
from barometer_dash.stats.raoscott import TableTest
from barometer_dash.stats.table import Table, tabulate, tabulate_multi

__all__ = [
    "CrosstabResult",
    "Design",
    "Difference",
    "MeanTable",
    "SingletonStrataWarning",
    "Table",
    "TableTest",
    "crosstab",
    "difference",
    "mean_by",
    "prepare_design",
    "tabulate",
    "tabulate_multi",
]
