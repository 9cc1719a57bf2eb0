"""Epoch's 'Frontier model' flag: unknown (blank, null) where the table does not record it, as in
the curated tables, never a confident False; an Epoch export's own values are kept."""

from __future__ import annotations

import json
from pathlib import Path

import dlrev
from dlrev.web.pagedata import system_records

EPOCH_HEADER = ("Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),"
                "Confidence,Link{extra}\n")
EPOCH_ROWS = [("Alpha", "Lab A", "2023-03-14", "Language", "1e12", "2e25", "Confident",
               "https://example.org/a"),
              ("Beta", "Lab B", "2021-06-01", "Vision", "3e8", "4e21", "Likely",
               "https://example.org/b"),
              ("Gamma", "Lab C", "2019-01-01", "Games", "5e7", "6e20", "Confident",
               "https://example.org/c")]


def _epoch_file(folder: Path, frontier: list[str] | None) -> Path:
    path = folder / "notable_ai_models.csv"
    extra = ",Frontier model" if frontier is not None else ""
    lines = [EPOCH_HEADER.format(extra=extra)]
    for i, row in enumerate(EPOCH_ROWS):
        cells = list(row) + ([frontier[i]] if frontier is not None else [])
        lines.append(",".join(cells) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_curated_tables_do_not_record_the_flag(cli) -> None:
    systems = dlrev.load().systems
    assert len(systems) > 600 and systems["frontier"].isna().all()
    assert not (systems["frontier"] == False).any()  # noqa: E712 - pandas NA-aware compare
    rec = next(r for r in system_records(systems) if r["name"] == "GPT-4")
    assert rec["frontier"] is None  # what /api/systems/GPT-4 serves
    r = cli("data", "show", "GPT-4", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["frontier"] is None
    r = cli("data", "show", "GPT-4")
    assert r.exit_code == 0 and "frontier" not in r.stdout and "False" not in r.stdout
    r = cli("sql", "SELECT count(*) AS n FROM systems WHERE frontier IS NULL", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [{"n": len(systems)}]


def test_an_epoch_export_keeps_its_frontier_values(cli, tmp_path: Path) -> None:
    path = _epoch_file(tmp_path, ["True", "", "False"])
    systems = dlrev.load(path).systems.set_index("name")
    assert bool(systems.loc["Alpha", "frontier"]) is True
    assert systems["frontier"].isna().tolist() == [False, True, False]
    assert bool(systems.loc["Gamma", "frontier"]) is False
    recs = {r["name"]: r["frontier"] for r in system_records(systems.reset_index())}
    assert recs == {"Alpha": True, "Beta": None, "Gamma": False}
    r = cli("--data", str(path), "data", "show", "Alpha")
    assert r.exit_code == 0 and "frontier" in r.stdout and "True" in r.stdout
    r = cli("--data", str(path), "data", "show", "Gamma", "--json")
    assert json.loads(r.stdout)["frontier"] is False


def test_an_epoch_export_without_the_column_leaves_it_unknown(tmp_path: Path) -> None:
    systems = dlrev.load(_epoch_file(tmp_path, None)).systems
    assert len(systems) == 3 and systems["frontier"].isna().all()
