"""Errors that carry where the problem is, so every layer can show a plain message."""

from __future__ import annotations


class BarometerError(Exception):
    """Base for every error the project reports to a person."""


class CodebookError(BarometerError):
    """A codebook (or the data it describes) is not valid.

    The message always names the file, and the variable and value when there is one.
    """

    def __init__(self, problem: str, *, file: str = "", variable: str = "", value: object = None):
        self.problem = problem
        self.file = file
        self.variable = variable
        self.value = value
        where = []
        if file:
            where.append(file)
        if variable:
            where.append(f"variable '{variable}'")
        if value is not None:
            where.append(f"value {value!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {problem}" if prefix else problem)


class DatasetNotFound(BarometerError):
    """No dataset with this id in the data folder."""

    def __init__(self, dataset_id: str):
        self.dataset_id = dataset_id
        super().__init__(f"no dataset '{dataset_id}'")


class VariableNotFound(BarometerError):
    """No variable with this name in the dataset's codebook."""

    def __init__(self, dataset_id: str, name: str):
        self.dataset_id = dataset_id
        self.name = name
        super().__init__(f"dataset '{dataset_id}' has no variable '{name}'")


class QueryError(BarometerError):
    """A request parameter is not valid; `param` names it."""

    def __init__(self, param: str, problem: str):
        self.param = param
        self.problem = problem
        super().__init__(f"parameter '{param}': {problem}")
