"""User-facing errors: each carries one sentence that names where and what went wrong."""

from __future__ import annotations


class DlrevError(Exception):
    """An error the command line prints as one sentence, exiting non-zero, without a traceback."""


class OutputError(DlrevError, OSError):
    """A file dlrev was asked to write could not be written: names the path and the reason.

    Also an OSError, so code that already catches OSError around a write keeps working."""


class DataError(DlrevError):
    """Input data that does not fit the schema: names file, row, column, value and expectation."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.row = row
        self.column = column
        self.value = value


def where(file: str | None, row: int | None = None, column: str | None = None) -> str:
    """'systems.csv, row 12, column "compute"' — the prefix every data error starts with."""
    parts = [str(file) if file else "input"]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f'column "{column}"')
    return ", ".join(parts)
