"""Read-only SQL over the catalog's tables through an in-process DuckDB.

What a query can do is decided by DuckDB's own parser, never by matching text: exactly one
statement, of type SELECT (which covers WITH ... SELECT, VALUES, FROM-first, DESCRIBE and
SUMMARIZE); EXPLAIN is refused because EXPLAIN ANALYZE runs its statement. The connection sees
only the registered tables: external access is off, spilling is off (no temp directory, so no
folder a query could read), and the configuration is locked. Every query runs under a time limit
(DuckDB's interrupt), a memory limit, and stops at `limit` rows; Ctrl-C interrupts it.
"""

from __future__ import annotations

import re
import signal
import threading
import time

import duckdb
import pandas as pd

from dlrev.errors import DlrevError

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY = "1GB"
_MEMORY = re.compile(r"[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def check_query(query: str) -> None:
    """DlrevError unless `query` parses as exactly one SELECT statement."""
    if not query.strip():
        raise DlrevError("the SQL query is empty.")
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise DlrevError(f"SQL does not parse: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise DlrevError(f"give one SQL statement, not {len(statements)}.")
    kind = statements[0].type.name
    if kind != "SELECT":
        raise DlrevError(
            f"the SQL command is read-only: a {kind} statement is not allowed; use SELECT.")


def run_readonly(query: str, tables: dict[str, pd.DataFrame], *,
                 timeout: float = DEFAULT_TIMEOUT_S, memory: str = DEFAULT_MEMORY,
                 limit: int | None = None) -> pd.DataFrame:
    """Run one SELECT over the given frames and return at most `limit` rows (None: all)."""
    check_query(query)
    if not _MEMORY.fullmatch(memory.strip()):
        raise DlrevError(f"--memory {memory!r} is not a size such as 512MB or 2GB.")
    if timeout <= 0:
        raise DlrevError("--timeout must be a positive number of seconds.")
    if limit is not None and limit < 0:
        raise DlrevError("--limit must not be negative.")
    con = duckdb.connect(":memory:", config={"temp_directory": "", "memory_limit": memory})
    try:
        for name, frame in tables.items():
            con.register(name, frame)
        # No reading or writing files from a query: only the registered tables are visible.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return _run(con, query, timeout, memory, limit)
    finally:
        con.close()


def _run(con: duckdb.DuckDBPyConnection, query: str, timeout: float, memory: str,
         limit: int | None) -> pd.DataFrame:
    """The query in a worker thread while this thread waits in short steps, so that the deadline
    and Ctrl-C (caught here as SIGINT, in the main thread) both reach DuckDB as an interrupt.
    DuckDB's own Ctrl-C check is not reliable: a query could run on, ignoring it."""
    result: dict[str, object] = {}
    why: list[str] = []

    def work() -> None:
        try:
            rel = con.sql(query)
            result["frame"] = (rel if limit is None else rel.limit(limit)).df()
        except BaseException as exc:  # handed to the waiting thread
            result["error"] = exc

    def stop(reason: str) -> None:
        why.append(reason)
        con.interrupt()

    worker = threading.Thread(target=work, daemon=True)
    in_main = threading.current_thread() is threading.main_thread()
    old = signal.signal(signal.SIGINT, lambda *_: stop("ctrl-c")) if in_main else None
    try:
        worker.start()
        deadline = time.monotonic() + timeout
        while worker.is_alive():
            worker.join(0.05)
            if worker.is_alive() and not why and time.monotonic() > deadline:
                stop("timeout")
    finally:
        if in_main:
            signal.signal(signal.SIGINT, old if old is not None else signal.default_int_handler)
    if why and why[0] == "ctrl-c":
        raise KeyboardInterrupt
    if why:
        raise DlrevError(f"the SQL query ran past the {timeout:g} s limit and was stopped "
                         "(--timeout).")
    err = result.get("error")
    if isinstance(err, duckdb.OutOfMemoryException):
        raise DlrevError(f"the SQL query needed more than the {memory} memory limit (--memory).")
    if isinstance(err, duckdb.Error):
        raise DlrevError(f"SQL error: {_first_line(err)}")
    if isinstance(err, BaseException):
        raise err
    frame = result["frame"]
    assert isinstance(frame, pd.DataFrame)
    return frame


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
