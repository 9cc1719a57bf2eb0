"""Issue 13 (importer points 1-4, numbers, 8-10) and issue 15 point 5: hostile or odd files.

Each test builds the bad file from the real Epoch export or from a small table of our own and
checks that dlrev either reads exactly the right values or says what is wrong in one sentence.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

import dlrev
from dlrev.epoch import read_epoch
from dlrev.errors import DataError

HEAD = "Model,Publication date,Training compute (FLOP),Parameters\n"
OURS = "name,date,domain,compute\n"


def write(tmp_path: Path, text: str | bytes, name: str = "x.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return p


def one_line_error(exc: BaseException, path: Path) -> str:
    msg = str(exc)
    assert "\n" not in msg and str(path) in msg, msg
    return msg


# --- 1. dates outside pandas' nanosecond range ------------------------------------------------

@pytest.mark.parametrize("day", ["9999-12-31", "0000-01-01", "1600-01-01", "2262-04-12",
                                 "2500-06-01", "2023-02-30"])
def test_out_of_range_or_impossible_dates_are_named(tmp_path: Path, day: str) -> None:
    p = write(tmp_path, OURS + f"A,2020-01-01,language,1e20\nB,{day},language,1e21\n")
    with pytest.raises(DataError) as err:
        dlrev.load(p)
    msg = one_line_error(err.value, p)
    assert f"row 2, column \"date\": '{day}'" in msg


def test_validate_refuses_far_future_date(cli, tmp_path: Path) -> None:
    p = write(tmp_path, OURS + "A,9999-12-31,language,1e20\n")
    r = cli("data", "validate", str(p))
    assert r.exit_code == 2
    assert "'9999-12-31' is not a date from 1800 through 2199" in r.stderr


def test_epoch_row_with_far_date_is_skipped_not_wrapped(tmp_path: Path) -> None:
    p = write(tmp_path, HEAD + "A,2020-01-01,1e20,\nB,9999-12-31,1e21,\n")
    imp = read_epoch(p)
    assert list(imp.systems["name"]) == ["A"]
    assert imp.n_skipped == 1 and "'9999-12-31'" in str(imp.skipped[0])
    assert imp.systems["date"].min().year == 2020


# --- 2. a file cut in the middle of a row ------------------------------------------------------

def test_cut_mid_row_our_format_is_an_error(tmp_path: Path) -> None:
    p = write(tmp_path, OURS + "A,2020-01-01,language,1e20\nSB-LM,2021-01-01,language,1.45e18\n"
              .replace("1.45e18\n", "1.4"))
    with pytest.raises(DataError) as err:
        dlrev.load(p)
    assert "row 2" in one_line_error(err.value, p) and "cut off" in str(err.value)


def test_short_row_is_an_error_not_padded(tmp_path: Path) -> None:
    p = write(tmp_path, OURS + "A,2020-01-01\nB,2020-01-01,language,1e20\n")
    with pytest.raises(DataError) as err:
        dlrev.load(p)
    assert "row 1: has 2 fields where the header has 4" in one_line_error(err.value, p)


def test_cut_epoch_export_keeps_every_value(tmp_path: Path, epoch_csv: Path) -> None:
    data = epoch_csv.read_bytes()
    # Cut inside the compute cell of a late row: the row must not come back with 14.49-style
    # values; it is skipped (and named), every other row is exact.
    full = read_epoch(epoch_csv).systems.set_index("name")
    cut_at = data.index(b"\n", len(data) // 2) + 1
    line_end = data.index(b"\n", cut_at)
    p = write(tmp_path, data[:line_end - 5])
    imp = read_epoch(p)
    assert imp.n_skipped == 1 and "cut off" in str(imp.skipped[0])
    got = imp.systems.set_index("name")
    for col in ("compute", "parameters"):
        a, b = got[col], full.loc[got.index, col]
        assert ((a == b) | (a.isna() & b.isna())).all()
    with pytest.raises(DataError):
        read_epoch(p, strict=True)


# --- 3. binary content and control characters --------------------------------------------------

def test_nul_bytes_after_the_first_4kb_are_refused(tmp_path: Path, epoch_csv: Path) -> None:
    p = write(tmp_path, epoch_csv.read_bytes() + b"\x00" * 5_000_000)
    with pytest.raises(DataError) as err:
        read_epoch(p)
    assert "binary" in one_line_error(err.value, p)


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85"])
def test_control_characters_in_a_cell(tmp_path: Path, char: str) -> None:
    p = write(tmp_path, OURS + f"A{char}B,2020-01-01,language,1e20\n")
    with pytest.raises(DataError) as err:
        dlrev.load(p)
    assert 'row 1, column "name"' in one_line_error(err.value, p)
    assert "control character" in str(err.value)
    # In a third-party file the row is skipped and counted.
    q = write(tmp_path, HEAD + f"A{char}B,2020-01-01,1e20,\nC,2020-01-02,2e20,\n", "e.csv")
    imp = read_epoch(q)
    assert list(imp.systems["name"]) == ["C"] and imp.n_skipped == 1


# --- numbers: one rule -------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["1,000", "١٢٣", "1_000", "nan", "inf", "0x10", "1e400",
                                  "１２", " 12 3"])
def test_numbers_outside_the_rule_are_refused(tmp_path: Path, cell: str) -> None:
    from dlrev.schema import parse_number

    with pytest.raises(ValueError):
        parse_number(cell)
    p = write(tmp_path, HEAD + f'A,2020-01-01,"{cell}",\nB,2020-01-02,2e20,\n')
    imp = read_epoch(p)
    assert list(imp.systems["name"]) == ["B"]
    assert imp.systems["compute"].tolist() == [2e20]
    assert imp.n_skipped == 1 and 'column "Training compute (FLOP)"' in str(imp.skipped[0])
    with pytest.raises(DataError) as err:
        read_epoch(p, strict=True)
    assert "row 1" in one_line_error(err.value, p)


@pytest.mark.parametrize("cell, value", [("12", 12.0), ("-0.5", -0.5), (".5", 0.5),
                                         ("3.14e23", 3.14e23), ("1E+9", 1e9), ("+7.", 7.0)])
def test_numbers_inside_the_rule(cell: str, value: float) -> None:
    from dlrev.schema import parse_number

    assert parse_number(cell) == value


# --- 4. coverage guard -------------------------------------------------------------------------

def test_export_without_compute_does_not_replace_snapshot(cli, tmp_path: Path,
                                                          epoch_csv: Path) -> None:
    assert cli("data", "import-epoch", str(epoch_csv)).exit_code == 0
    rows = list(csv.reader(io.StringIO(epoch_csv.read_text("utf-8"))))
    drop = rows[0].index("Training compute (FLOP)")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([r[:drop] + r[drop + 1:] for r in rows])
    p = write(tmp_path, buf.getvalue(), "nocompute.csv")
    r = cli("data", "import-epoch", str(p))
    assert r.exit_code == 2
    assert "0 rows with compute against 529" in r.stderr and "--force" in r.stderr
    r = cli("data", "stats", "--json")  # the curated data is untouched anyway
    r = cli("--data", "epoch", "data", "stats", "--json")
    assert json.loads(r.stdout)["systems"]["with_compute"] == 529
    r = cli("data", "import-epoch", str(p), "--force", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["snapshot"]["with_compute"] == 0


# --- 8. tracebacks -> one sentence -------------------------------------------------------------

def test_cr_only_line_endings_read_like_lf(tmp_path: Path) -> None:
    text = HEAD + "A,2020-01-01,1e20,5\nB,2021-01-01,2e20,6\n"
    a = read_epoch(write(tmp_path, text, "lf.csv")).systems
    b = read_epoch(write(tmp_path, text.replace("\n", "\r"), "cr.csv")).systems
    assert a[["name", "compute", "parameters"]].equals(b[["name", "compute", "parameters"]])
    ours = write(tmp_path, (OURS + "A,2020-01-01,language,1e20\n").replace("\n", "\r"), "o.csv")
    assert dlrev.load(ours).systems["compute"].tolist() == [1e20]


def test_header_names_with_spaces(tmp_path: Path) -> None:
    p = write(tmp_path, " Model , Publication date ,Training compute (FLOP)\nA,2020-01-01,1e20\n")
    assert read_epoch(p).systems["compute"].tolist() == [1e20]
    q = write(tmp_path, " name , date ,domain, compute \nA,2020-01-01,language,1e20\n", "o.csv")
    assert dlrev.load(q).systems["compute"].tolist() == [1e20]


def test_utf8_bom_epoch_export(tmp_path: Path, epoch_csv: Path) -> None:
    p = write(tmp_path, b"\xef\xbb\xbf" + epoch_csv.read_bytes())
    cat = dlrev.load(p)
    assert cat.uses_epoch and len(cat.systems) == 1036


def test_header_longer_than_64kb(tmp_path: Path) -> None:
    pad = ",".join(f"Extra column {i:05d} with a long descriptive name" for i in range(2000))
    # Our columns come after the first 64 KB of the header.
    p = write(tmp_path, f"{pad},Model,Publication date,Training compute (FLOP)\n"
              f"{',' * 2000}A,2020-01-01,1e20\n")
    assert len(p.read_bytes().split(b"\n")[0]) > 65536
    cat = dlrev.load(p)
    assert cat.systems["compute"].tolist() == [1e20]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(cli, tmp_path: Path) -> None:
    p = write(tmp_path, OURS + "A,2020-01-01,language,1e20\n")
    p.chmod(0)
    r = cli("--data", str(p), "data", "stats")
    assert r.exit_code == 2 and "permission denied" in r.stderr


def test_unreadable_file_as_root_too(cli, tmp_path: Path, monkeypatch) -> None:
    # Root reads mode-000 files, so the PermissionError is raised by hand where the file is opened.
    p = write(tmp_path, OURS + "A,2020-01-01,language,1e20\n")
    real_open = os.open

    def deny(path, *a, **k):  # type: ignore[no-untyped-def]
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    monkeypatch.setattr(os, "open", deny)
    r = cli("--data", str(p), "data", "stats")
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == f"error: {p}: cannot be read (permission denied)."


def test_symlink_loop_is_named(cli, tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    r = cli("--data", str(a), "data", "stats")
    assert r.exit_code == 2
    assert "symbolic link that loops" in r.stderr and "no such file" not in r.stderr


# --- 9. a FIFO ---------------------------------------------------------------------------------

@pytest.mark.timeout(20)
def test_fifo_is_refused_not_read(cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    r = cli("--data", str(fifo), "data", "stats")
    assert r.exit_code == 2
    assert "is a pipe (FIFO), not a regular CSV file" in r.stderr
    r = cli("data", "import-epoch", str(fifo))
    assert r.exit_code == 2 and "pipe" in r.stderr


# --- issue 15 point 5: generous third-party import, --strict ------------------------------------

SYNTHETIC = (
    "Model,Organization,Publication date,Domain,Training compute (FLOP),Parameters\n"
    "Alpha,Org A,2024-01-10,Language,1e24,7e9\n"
    ",Org B,2024-02-01,Language,2e24,8e9\n"          # row 2: no name
    "Beta,Org B,,Vision,,1e9\n"                       # row 3: blank date (kept, undated)
    "Alpha,Org C,2025-03-01,Language,3e24,\n"         # row 4: duplicate name
    "   ,Org D,2025-04-01,Language,4e24,\n"           # row 5: no name (spaces)
    "Gamma,Org E,2025-05-01,Games,\"1,000\",\n"      # row 6: ambiguous number
    ",,,,,\n"                                         # row 7: no name
    "Delta,Org F,2026-01-01,Biology,5e23,2e9\n"
)


def test_synthetic_all_models_export_imports_with_counts(cli, tmp_path: Path) -> None:
    p = write(tmp_path, SYNTHETIC, "all_ai_models.csv")
    imp = read_epoch(p)
    s = imp.systems.set_index("name")
    assert sorted(s.index) == ["Alpha (2024)", "Alpha (2025)", "Beta", "Delta"]
    assert imp.n_skipped == 4
    assert [e.row for e in imp.skipped] == [2, 5, 6, 7]
    assert f"{p}: skipped 3 rows with no name: rows 2, 5, 7." in imp.warnings
    assert s.loc["Alpha (2025)", "compute"] == 3e24 and s["date"].isna().sum() == 1
    r = cli("data", "import-epoch", str(p), "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)  # stdout is one JSON document; the skips went to stderr
    assert info["rows"] == 4 and info["skipped"] == 4 and info["undated"] == 1
    assert info["snapshot"]["rows"] == 4
    assert "skipped 3 rows with no name: rows 2, 5, 7." in r.stderr
    assert "row 6" in r.stderr and "'1,000'" in r.stderr


def test_synthetic_export_strict_fails_on_the_first_bad_row(cli, tmp_path: Path) -> None:
    p = write(tmp_path, SYNTHETIC, "all_ai_models.csv")
    r = cli("data", "import-epoch", str(p), "--strict")
    assert r.exit_code == 2
    assert r.stderr.strip() == (f'error: {p}, row 2, column "Model": the model name is empty.')
    assert not (Path(os.environ["DLREV_CACHE_DIR"]) / "epoch" / "notable_ai_models.csv").exists()
    r = cli("data", "validate", str(p), "--strict")
    assert r.exit_code == 2 and "row 2" in r.stderr


def test_data_flag_with_skips_notes_on_stderr(cli, tmp_path: Path) -> None:
    p = write(tmp_path, SYNTHETIC, "all_ai_models.csv")
    r = cli("--data", str(p), "data", "stats", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["systems"]["rows"] == 4
    assert "skipped 3 rows with no name" in r.stderr


# --- 15. formula injection in the CSVs we write ------------------------------------------------

def test_export_and_import_output_neutralise_formulas(cli, tmp_path: Path) -> None:
    p = write(tmp_path, HEAD + '=HYPERLINK("http://x"),2020-01-01,1e20,\n'
              "@SUM(A1),2020-01-02,2e20,\n-2+3,2020-01-03,3e20,\nPlain,2020-01-04,4e20,\n")
    out = tmp_path / "mapped.csv"
    r = cli("data", "import-epoch", str(p), "-o", str(out))
    assert r.exit_code == 0, r.output
    names = [row[0] for row in csv.reader(out.open(encoding="utf-8"))][1:]
    assert names == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'-2+3", "Plain"]
    exp = tmp_path / "exp.csv"
    assert cli("--data", str(p), "data", "export", "-o", str(exp)).exit_code == 0
    text = exp.read_text("utf-8")
    assert "'=HYPERLINK" in text and "\n=" not in text and ",=" not in text
    r = cli("--data", str(p), "data", "export")  # to stdout, same rule
    assert "'@SUM(A1)" in r.stdout
    js = tmp_path / "exp.json"
    assert cli("--data", str(p), "data", "export", "-f", "json", "-o", str(js)).exit_code == 0
    assert '=HYPERLINK("http://x")' in {r["name"] for r in json.loads(js.read_text())["rows"]}


@pytest.mark.parametrize("header", [
    # frontier_ai_models.csv / large_scale_ai_models.csv order, newer dataset-size name
    "Model,Publication date,Organization,Training compute (FLOP),Training compute notes,Domain,"
    "Confidence,Model accessibility,Parameters,Training dataset size (datapoints)",
    # the 2022 sheet: System, FLOPs, Organization(s)
    "System,Domain,Organization(s),Publication date,Parameters,Training compute (FLOPs),"
    "Training dataset size (datapoints)",
])
def test_every_epoch_layout(tmp_path: Path, header: str) -> None:
    cols = header.split(",")
    values = {"Model": "GPT-5", "System": "GPT-5", "Publication date": "2025-08-07",
              "Organization": "OpenAI", "Organization(s)": "OpenAI", "Domain": "Language",
              "Training compute (FLOP)": "5e25", "Training compute (FLOPs)": "5e25",
              "Parameters": "", "Training dataset size (datapoints)": "1.2e13",
              "Confidence": "Likely"}
    row = ",".join(values.get(c, "") for c in cols)
    imp = read_epoch(write(tmp_path, f"{header}\n{row}\n,,,,,,,\n"))
    s = imp.systems.iloc[0]
    assert (s["name"], s["organization"], s["compute"], s["dataset_size"]) == (
        "GPT-5", "OpenAI", 5e25, 1.2e13)
    assert s["area"] == "language" and imp.n_skipped == 1


def test_a_broken_header_fails_the_file_instead_of_skipping_most_rows(
        tmp_path: Path, epoch_csv: Path) -> None:
    # Found by `make fuzz`: a CR in the middle of the header cut it in two, and all but the rows
    # with empty trailing cells were skipped one by one. Most rows misfitting is a broken file.
    text = epoch_csv.read_text("utf-8")
    at = text.index("Notability criteria,")
    p = write(tmp_path, text[:at] + "\r" + text[at + 1:])
    with pytest.raises(DataError) as err:
        read_epoch(p)
    assert "the header row or the file's structure is broken" in one_line_error(err.value, p)
