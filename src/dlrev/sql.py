"""Read-only SQL over the catalog's tables through an in-process DuckDB."""

from __future__ import annotations

import duckdb
import pandas as pd

from dlrev.errors import DlrevError

_ALLOWED = {"SELECT", "EXPLAIN"}


def run_readonly(query: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Run one SELECT over the given frames; writes, file access and several statements fail."""
    if not query.strip():
        raise DlrevError("the SQL query is empty.")
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise DlrevError(f"SQL does not parse: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise DlrevError(f"give one SQL statement, not {len(statements)}.")
    kind = statements[0].type.name
    if kind not in _ALLOWED:
        raise DlrevError(
            f"the SQL command is read-only: a {kind} statement is not allowed; use SELECT.")
    con = duckdb.connect(":memory:")
    try:
        for name, frame in tables.items():
            con.register(name, frame)
        # No reading or writing files from a query: only the registered tables are visible.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return con.execute(query).fetchdf()
    except duckdb.Error as exc:
        raise DlrevError(f"SQL error: {_first_line(exc)}") from None
    finally:
        con.close()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
