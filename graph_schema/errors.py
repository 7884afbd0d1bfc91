"""The exception tree, turned into exit codes and HTTP statuses only at the edges.

ChainKGError            anything chainkg reports to a user
├── InputError          bad input (files, names, parameters): exit 2 / HTTP 422
│     carries the list of `Issue`s found, each with sheet, row and column
├── NotFoundError       an unknown chain, region or node: exit 2 / HTTP 404
└── StoreError          the store cannot be opened or written: exit 1 / HTTP 503
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in the input, located as a clerk sees it (Excel row numbers)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    severity: str = "error"  # "error" stops the load; "warning" does not
    file: str = ""  # the input file, when known

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.message}" if where else self.message


class ChainKGError(Exception):
    """Root of every error chainkg reports to a user (in Chinese)."""


class InputError(ChainKGError):
    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues: list[Issue] = issues or []


class NotFoundError(ChainKGError):
    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions: list[str] = suggestions or []


class StoreError(ChainKGError):
    pass
