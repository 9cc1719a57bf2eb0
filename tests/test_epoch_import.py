"""Epoch AI import on the real notable_ai_models.csv, and on the odd shapes other snapshots take."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dlrev
from dlrev.epoch import match_columns, read_epoch
from dlrev.errors import DataError


@pytest.fixture(scope="module")
def epoch(epoch_csv: Path) -> dlrev.epoch.EpochImport:
    return read_epoch(epoch_csv)


def test_counts_match_the_file(epoch) -> None:
    s = epoch.systems
    assert epoch.n_rows == 1036
    assert epoch.n_with_compute == 529
    assert int(s["parameters"].notna().sum()) == 708
    assert int(s["date"].isna().sum()) == 5
    assert s["date"].min() == pd.Timestamp("1950-07-02")
    assert s["date"].max() == pd.Timestamp("2026-07-15")
    with_c = s[s["compute"].notna()]
    assert with_c["date"].notna().all()
    assert int((with_c["date"] < "2010-01-01").sum()) == 62
    assert int((with_c["date"] >= "2010-01-01").sum()) == 467


def test_known_values(epoch) -> None:
    s = epoch.systems.set_index("name")
    assert s.loc["GPT-3 175B (davinci)", "compute"] == pytest.approx(3.14e23)
    assert s.loc["GPT-3 175B (davinci)", "parameters"] == pytest.approx(174.6e9)
    assert s.loc["Theseus", "compute"] == pytest.approx(40)
    assert s["compute"].max() == pytest.approx(5e26)
    # Multi-valued domains keep every label, lower-cased; the area is the first story domain.
    multi = s[s["domain"].str.contains(",")]
    assert len(multi) > 100
    assert set(s["area"]) <= {"vision", "games", "language", "science", "other"}


def test_epoch_fields_kept_and_text_notes_not(epoch) -> None:
    s = epoch.systems
    assert s["confidence"].value_counts().to_dict() == {
        "confident": 470, "likely": 220, "unknown": 182, "speculative": 89}
    assert s["confidence"].isna().sum() == 75
    assert s["notability"].notna().all()
    assert int(s["frontier"].sum()) == 123
    # Free-text notes are never imported; our compute_method only credits Epoch.
    assert set(s["compute_method"].dropna()) == {"Epoch AI estimate"}
    assert (s["origin"] == "epoch").all()


def test_multi_number_dataset_cells_keep_first(epoch) -> None:
    notes = [w for w in epoch.warnings if "several numbers" in w]
    assert len(notes) == 3
    s = epoch.systems.set_index("name")
    assert s.loc["AbLang (heavy sequences)", "dataset_size"] == pytest.approx(2260275840)


def test_load_with_epoch_file_carries_attribution(epoch_csv: Path) -> None:
    cat = dlrev.load(epoch_csv)
    assert cat.uses_epoch
    assert "CC BY 4.0" in cat.sources[0]
    assert len(cat.systems) == 1036
    n = cat.sql("SELECT count(*) AS n FROM systems WHERE compute > 0")["n"].iloc[0]
    assert n == 529


def _write(tmp_path: Path, text: str, name: str = "x.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_older_snapshot_column_names(tmp_path: Path) -> None:
    # The 2022 sheet: System, Training compute (FLOPs), day-free ISO dates, newline in a cell.
    p = _write(tmp_path, (
        "System,Publication date,Training compute (FLOPs),Parameters,Domain,Organization(s)\n"
        'AlexNet,2012-09-30,4.7e17,60000000,Vision,"University of Toronto"\n'
        '"GPT-2\n(1.5B)",2019-02-14,1.92e21,1.5e9,"Language,  Multimodal","OpenAI"\n'
        "Odd,2019-02-14,,,Quantum stuff,\n"
    ))
    cols = match_columns(["System", "Publication date", "Training compute (FLOPs)"])
    assert cols == {"name": "System", "date": "Publication date",
                    "compute": "Training compute (FLOPs)"}
    imp = read_epoch(p)
    s = imp.systems.set_index("name")
    assert list(s.index) == ["AlexNet", "GPT-2 (1.5B)", "Odd"]
    assert s.loc["GPT-2 (1.5B)", "domain"] == "language,multimodal"
    assert s.loc["Odd", "domain"] == "other"
    assert np.isnan(s.loc["Odd", "compute"])


def test_duplicate_names_in_all_models_export_get_the_year(tmp_path: Path) -> None:
    p = _write(tmp_path, (
        "Model,Publication date,Training compute (FLOP)\n"
        "SigLIP,2023-03-27,1e21\nSigLIP,2024-01-01,2e21\nOther,2024-01-01,3e21\n"
    ))
    imp = read_epoch(p)
    assert sorted(imp.systems["name"]) == ["Other", "SigLIP (2023)", "SigLIP (2024)"]


@pytest.mark.parametrize("body, fragment", [
    ("Model,Publication date,Training compute (FLOP)\nA,2023-13-45,1e20\n",
     'row 1, column "Publication date": \'2023-13-45\' is not a valid ISO date'),
    ("Model,Publication date,Training compute (FLOP)\nA,2023-01-01,1e20\nB,2023-01-02,-5\n",
     'row 2, column "Training compute (FLOP)": \'-5\' is not a positive number'),
    ("Model,Publication date,Training compute (FLOP)\nA,2023-01-01,lots\n",
     "'lots' is not a number"),
    ("Foo,Bar\n1,2\n", "not an Epoch AI export"),
])
def test_bad_epoch_files(tmp_path: Path, body: str, fragment: str) -> None:
    # --strict: the first bad row fails the import (without it the row is skipped; see
    # tests/test_hardening_import.py).
    p = _write(tmp_path, body)
    with pytest.raises(DataError) as err:
        read_epoch(p, strict=True)
    assert fragment in str(err.value)
    assert str(p) in str(err.value)
