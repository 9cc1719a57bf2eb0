"""Issue 13 points 5 and 6: the SQL command stays read-only, bounded in time, memory and rows."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import dlrev
from dlrev.errors import DlrevError
from dlrev.sql import run_readonly


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a ./.tmp holding a file, as DuckDB's default temp directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".tmp").mkdir()
    (tmp_path / ".tmp" / "secret.csv").write_text("a,b\n1,2\n")
    return tmp_path


@pytest.mark.parametrize("query, fragment", [
    ("EXPLAIN ANALYZE COPY (SELECT 1) TO '.tmp/out.csv'", "EXPLAIN statement is not allowed"),
    ("EXPLAIN SELECT 1", "EXPLAIN statement is not allowed"),
    ("COPY (SELECT 1) TO '.tmp/out.csv'", "COPY statement is not allowed"),
    ("SELECT * FROM read_csv('.tmp/secret.csv')", "SQL error"),
    ("SELECT * FROM read_csv_auto('.tmp/secret.csv')", "SQL error"),
    ("SELECT * FROM glob('.tmp/*')", "SQL error"),
    ("SELECT 1; COPY (SELECT 1) TO '.tmp/x.csv'", "give one SQL statement, not 2"),
    ("SET temp_directory = '.tmp'", "SET statement is not allowed"),
    ("PRAGMA version", "PRAGMA statement is not allowed"),
    ("ATTACH '.tmp/db.duckdb' AS d", "ATTACH statement is not allowed"),
])
def test_no_file_access_through_sql(cli, in_tmp: Path, query: str, fragment: str) -> None:
    before = sorted(p.name for p in (in_tmp / ".tmp").iterdir())
    r = cli("sql", query)
    assert r.exit_code == 2, r.output
    assert fragment in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in (in_tmp / ".tmp").iterdir()) == before
    assert not (in_tmp / ".tmp" / "out.csv").exists()


def test_select_forms_still_work(cli) -> None:
    for q in ("WITH t AS (SELECT name FROM systems) SELECT count(*) AS n FROM t",
              "FROM systems SELECT count(*) AS n"):
        r = cli("sql", q, "--json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)[0]["n"] == len(dlrev.load().systems)


@pytest.mark.timeout(30)
def test_runaway_query_is_stopped_by_the_time_limit(cli) -> None:
    t0 = time.monotonic()
    r = cli("sql", "SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c",
            "--timeout", "1")
    assert r.exit_code == 2
    assert "ran past the 1 s limit" in r.stderr and "--timeout" in r.stderr
    assert time.monotonic() - t0 < 10


@pytest.mark.timeout(30)
def test_memory_limit(cli) -> None:
    r = cli("sql", "SELECT list(range) FROM range(200000000) GROUP BY range % 3",
            "--memory", "64MB", "--timeout", "20")
    assert r.exit_code == 2
    assert "64MB memory limit" in r.stderr


@pytest.mark.timeout(30)
def test_limit_fetches_only_the_rows_asked_for(cli) -> None:
    # 10^14 rows: only feasible if no more than --limit (+1) rows are ever produced.
    t0 = time.monotonic()
    r = cli("sql", "SELECT a.range AS i FROM range(10000000) a, range(10000000) b",
            "--limit", "3", "--json")
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)) == 3
    assert time.monotonic() - t0 < 15
    r = cli("sql", "SELECT name FROM systems ORDER BY name", "--limit", "2")
    assert r.exit_code == 0 and "2+ row(s)" in r.stdout and "more rows not fetched" in r.stdout


@pytest.mark.timeout(30)
def test_interrupt_stops_the_query() -> None:
    # Ctrl-C arrives as KeyboardInterrupt in the waiting thread; the query must stop at once.
    main = threading.get_ident()
    import _thread

    def ctrl_c() -> None:
        time.sleep(1.5)  # well after the query started
        _thread.interrupt_main()

    threading.Thread(target=ctrl_c, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_readonly("SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c",
                     {"t": pd.DataFrame({"x": [1]})}, timeout=60)
    assert time.monotonic() - t0 < 10 and threading.get_ident() == main


@pytest.mark.parametrize("kw, fragment", [({"memory": "lots"}, "--memory"),
                                          ({"timeout": 0}, "--timeout"),
                                          ({"limit": -1}, "--limit")])
def test_bad_limits(kw: dict, fragment: str) -> None:
    with pytest.raises(DlrevError) as err:
        run_readonly("SELECT 1", {}, **kw)
    assert fragment in str(err.value)
