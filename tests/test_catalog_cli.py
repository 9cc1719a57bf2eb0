"""The catalog and the foundation's commands, driven through the CLI runner, bad inputs included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import dlrev
from dlrev import schema

HEADER = "name,organization,date,domain,task,parameters,compute,source_url\n"
GOOD = HEADER + (
    "Alpha,Lab A,2020-01-01,language,LM,1e9,1e21,https://example.org/a\n"
    "Beta,Lab B,2021-06-30,vision,Images,2e8,3e20,https://example.org/b\n"
)


def write(tmp_path: Path, text: str | bytes, name: str = "systems.csv") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_embedded_catalog_loads_every_table() -> None:
    cat = dlrev.load()
    for name, table in schema.TABLES.items():
        frame = cat.table(name)
        assert set(table.column_names) <= set(frame.columns), name
    s = cat.systems
    assert len(s) > 0
    assert s["name"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(s["date"])
    assert s["compute"].dropna().gt(0).all()
    assert set(s["area"]) <= set(schema.AREAS)
    # Decimal year follows DESIGN.md: year + (day_of_year - 1) / days_in_year.
    row = s.iloc[0]
    d = row["date"]
    days = 366 if d.is_leap_year else 365
    assert row["year"] == pytest.approx(d.year + (d.day_of_year - 1) / days)


def test_user_systems_file_and_sql(tmp_path: Path) -> None:
    cat = dlrev.load(write(tmp_path, GOOD))
    assert list(cat.systems["name"]) == ["Alpha", "Beta"]
    out = cat.sql("SELECT name FROM systems WHERE compute > 5e20 ORDER BY name")
    assert out["name"].tolist() == ["Alpha"]


@pytest.mark.parametrize("query", [
    "DROP TABLE systems",
    "INSERT INTO systems (name) VALUES ('x')",
    "CREATE TABLE t AS SELECT 1",
    "COPY systems TO '/tmp/x.csv'",
    "SELECT 1; DROP TABLE systems",
    "ATTACH 'x.db'",
])
def test_sql_is_read_only(cli, query: str) -> None:
    r = cli("sql", query)
    assert r.exit_code == 2
    assert r.stderr.startswith("error: ")
    assert r.stderr.count("\n") == 1
    assert "Traceback" not in r.output


def test_sql_cannot_read_files(cli, epoch_csv: Path) -> None:
    r = cli("sql", f"SELECT * FROM read_csv_auto('{epoch_csv}')")
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_sql_json(cli, epoch_csv: Path) -> None:
    r = cli("--data", str(epoch_csv), "sql",
            "SELECT count(*) AS n FROM systems WHERE compute > 0", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [{"n": 529}]


# Each bad input: exit 2, one sentence on stderr naming the file (and row/column/value), no
# traceback.
BAD = [
    ("missing", None, "no such file"),
    ("binary", b"\x00\x01\x02PK\x03\x04", "binary file, not CSV"),
    ("empty", "", "the file is empty"),
    ("no known columns", "foo,bar\n1,2\n", "none of the expected columns"),
    ("bad date", HEADER + "A,L,2023-13-45,language,t,1,1e20,https://x.org\n",
     "row 1, column \"date\": '2023-13-45' is not a valid ISO date"),
    ("negative compute", GOOD + "C,L,2022-01-01,language,t,1,-3e20,https://x.org\n",
     "row 3, column \"compute\": '-3e20' is not a positive number FLOP"),
    ("text compute", GOOD + "C,L,2022-01-01,language,t,1,a lot,https://x.org\n",
     "row 3, column \"compute\": 'a lot' is not a number"),
    ("duplicate name", GOOD + "Alpha,L,2022-01-01,language,t,1,1e20,https://x.org\n",
     "row 3, column \"name\": duplicate name 'Alpha' (first seen in row 1)"),
    ("unknown domain", HEADER + "A,L,2023-01-01,cooking,t,1,1e20,https://x.org\n",
     "row 1, column \"domain\": 'cooking' is not made of known labels"),
]


@pytest.mark.parametrize("label, content, fragment", BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("how", ["validate", "--data"])
def test_bad_input(cli, tmp_path: Path, label: str, content, fragment: str, how: str) -> None:
    p = tmp_path / "missing.csv" if content is None else write(tmp_path, content)
    args = ["data", "validate", str(p)] if how == "validate" else ["--data", str(p), "overview"]
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert r.stderr.startswith(f"error: {p}")
    assert fragment in r.stderr
    assert r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_validate_embedded_and_files(cli, tmp_path: Path, epoch_csv: Path) -> None:
    r = cli("data", "validate", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["valid"] is True
    r = cli("data", "validate", str(write(tmp_path, GOOD)))
    assert r.exit_code == 0 and "valid systems table, 2 rows" in r.stdout
    r = cli("data", "validate", str(epoch_csv), "--json")
    info = json.loads(r.stdout)
    assert (info["format"], info["rows"], info["with_compute"]) == ("epoch", 1036, 529)


def test_overview_on_epoch_data(cli, epoch_csv: Path) -> None:
    r = cli("--data", str(epoch_csv), "overview", "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)
    assert info["systems"] == 1036 and info["with_compute"] == 529
    largest = {row["calendar_year"]: row["name"] for row in info["largest_per_year"]}
    assert largest[2020] == "GPT-3 175B (davinci)"
    assert len(info["frontier"]) == 10
    assert max(f["compute"] for f in info["frontier"]) == pytest.approx(5e26)
    r = cli("--data", str(epoch_csv), "overview")
    assert "Largest training run each year" in r.stdout
    assert "CC BY 4.0" in r.stdout


def test_list_show_search(cli, epoch_csv: Path) -> None:
    r = cli("--data", str(epoch_csv), "data", "list", "--domain", "games", "--since", "2016",
            "--until", "2017", "--sort", "compute", "--json")
    rows = json.loads(r.stdout)
    assert rows and all(row["area"] == "games" for row in rows)
    assert all("2016-01-01" <= row["date"] <= "2017-12-31" for row in rows)
    known = [row["compute"] for row in rows if row["compute"] is not None]
    assert known == sorted(known, reverse=True)
    assert all(row["compute"] is None for row in rows[len(known):])
    r = cli("--data", str(epoch_csv), "data", "show", "gpt-3 175b (davinci)", "--json")
    row = json.loads(r.stdout)
    assert row["compute"] == pytest.approx(3.14e23)
    assert row["source_url"] == "https://arxiv.org/abs/2005.14165"
    r = cli("--data", str(epoch_csv), "data", "show", "No Such Model")
    assert r.exit_code == 2 and "no system named 'No Such Model'" in r.stderr
    r = cli("--data", str(epoch_csv), "data", "search", "AlphaGo", "--json")
    names = {row["name"] for row in json.loads(r.stdout)}
    assert {"AlphaGo Zero", "AlphaGo Master", "AlphaGo Lee", "AlphaGo Fan"} <= names


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_round_trip(cli, tmp_path: Path, epoch_csv: Path, fmt: str) -> None:
    out = tmp_path / f"systems.{fmt}"
    r = cli("--data", str(epoch_csv), "data", "export", "--format", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    if fmt == "csv":
        back = pd.read_csv(out)
    elif fmt == "json":
        back = pd.DataFrame(json.loads(out.read_text())["rows"])
    else:
        back = pd.read_parquet(out)
    assert len(back) == 1036
    assert int(back["compute"].notna().sum()) == 529
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_refuses_unknown_format_and_writes_nothing(cli, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    r = cli("data", "export", "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 2 and "--format 'xlsx'" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_import_epoch_sets_snapshot_and_bad_import_keeps_it(cli, tmp_path: Path,
                                                            epoch_csv: Path,
                                                            private_cache: Path) -> None:
    r = cli("data", "import-epoch", str(epoch_csv), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rows"] == 1036
    snap = private_cache / "epoch" / "notable_ai_models.csv"
    before = snap.read_bytes()
    assert before == epoch_csv.read_bytes()
    bad = write(tmp_path, "Model,Publication date,Training compute (FLOP)\nA,2023-13-45,1\n")
    r = cli("data", "import-epoch", str(bad))
    assert r.exit_code == 2 and "2023-13-45" in r.stderr
    assert snap.read_bytes() == before
    r = cli("--data", "epoch", "data", "stats", "--json")
    assert json.loads(r.stdout)["systems"]["with_compute"] == 529


def test_data_epoch_without_snapshot_says_what_to_do(cli) -> None:
    r = cli("--data", "epoch", "overview")
    assert r.exit_code == 2
    assert "dlrev data update" in r.stderr


def test_python_dash_m(epoch_csv: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "dlrev", "--data", str(epoch_csv), "data", "stats",
                        "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["systems"]["rows"] == 1036


def test_validate_embedded_cross_checks_against_epoch(cli, epoch_csv: Path) -> None:
    r = cli("data", "validate", "--against", str(epoch_csv), "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)
    assert info["problems"] == 0
    assert info["crosscheck"]["matched"] >= 300
    assert info["crosscheck"]["epoch_offenders"] == []


def test_a_folder_is_not_a_csv(cli, tmp_path: Path) -> None:
    for args in (["data", "validate", str(tmp_path)], ["--data", str(tmp_path), "overview"]):
        r = cli(*args)
        assert r.exit_code == 2
        assert r.stderr == f"error: {tmp_path}: is a folder, not a CSV file.\n"

