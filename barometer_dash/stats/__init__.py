"""Pure numerics for Barometer Dash: design-based cross-tabs, variances and tests.

numpy, scipy and pandas; a prepared :class:`Survey` also sums its PSU totals in one
compiled pass (numba, :mod:`~barometer_dash.stats.kernel`).  Prepare a :class:`Design` once
per dataset with :func:`prepare_design`, then each :func:`tabulate` costs one scan of the
respondents.
:class:`Survey` is the Python API for researchers on a pandas DataFrame: it prepares the
design once, then tabulates (also with a second, nested breakdown) and compares means;
:func:`crosstab` is its one-off form.
"""

from barometer_dash.stats.design import Design, SingletonStrataWarning, prepare_design
from barometer_dash.stats.estimates import Difference, MeanTable, difference, mean_by
from barometer_dash.stats.frame import CrosstabResult, crosstab
from barometer_dash.stats.means import MeanTests, mean_difference, mean_tests
from barometer_dash.stats.nested import NestedGroup, tabulate_nested, tabulate_nested_multi
from barometer_dash.stats.raoscott import TableTest
from barometer_dash.stats.survey import MeanResult, NestedGroupResult, NestedResult, Survey
from barometer_dash.stats.table import Table, tabulate, tabulate_multi

__all__ = [
    "CrosstabResult",
    "Design",
    "Difference",
    "MeanResult",
    "MeanTable",
    "MeanTests",
    "NestedGroup",
    "NestedGroupResult",
    "NestedResult",
    "SingletonStrataWarning",
    "Survey",
    "Table",
    "TableTest",
    "crosstab",
    "difference",
    "mean_by",
    "mean_difference",
    "mean_tests",
    "prepare_design",
    "tabulate",
    "tabulate_nested",
    "tabulate_nested_multi",
    "tabulate_multi",
]
