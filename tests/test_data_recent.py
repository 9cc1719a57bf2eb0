"""The curated systems from 2023 to 2026 (issue 15) and the corrections found against primary
sources.

Floors are the counts the committed tables hold, so losing rows fails; the Epoch checks read
Epoch AI's July 2026 export in ../shared and skip cleanly without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import dlrev
from dlrev import crosscheck as cc
from dlrev.epoch import read_epoch

RECENT = pd.Timestamp("2023-01-01")

# year -> (systems, systems with compute); area -> (systems, with compute), all from 2023 on
PER_YEAR = {2023: (117, 71), 2024: (102, 57), 2025: (95, 36), 2026: (44, 10)}
PER_AREA = {"language": (241, 126), "vision": (58, 22), "science": (31, 17),
            "other": (21, 8), "games": (7, 1)}

# Frontier releases the issue names, each with its date (announcement or first release).
FRONTIER = {
    "GPT-4o": "2024-05-13", "GPT-4o mini": "2024-07-18", "o1": "2024-09-12",
    "o3": "2024-12-20", "GPT-5": "2025-08-07", "GPT-5.1": "2025-11-13",
    "GPT-5.2": "2025-12-11", "GPT-5.4": "2026-03-05", "GPT-5.5": "2026-04-23",
    "Claude 3 Opus": "2024-03-04", "Claude 3 Sonnet": "2024-03-04",
    "Claude 3 Haiku": "2024-03-13", "Claude 3.5 Haiku": "2024-10-22",
    "Claude Sonnet 4": "2025-05-22", "Claude Opus 4": "2025-05-22",
    "Claude Opus 4.1": "2025-08-05", "Claude Sonnet 4.5": "2025-09-29",
    "Claude Opus 4.5": "2025-11-24", "Claude Opus 4.6": "2026-02-05",
    "Claude Sonnet 4.6": "2026-02-17", "Claude Opus 4.7": "2026-04-16",
    "Claude Opus 4.8": "2026-05-28", "Gemini 3.5 Flash": "2026-05-19",
    "Gemini 1.5 Pro": "2024-02-15", "Gemini 2.0 Flash": "2024-12-11",
    "Gemini 2.0 Pro": "2024-12-11", "Gemini 2.5 Pro": "2025-03-25",
    "Gemini 2.5 Flash": "2025-04-17", "Gemini 3 Pro": "2025-11-18",
    "Gemini 3.1 Pro": "2026-02-19", "Grok 4": "2025-07-09", "Grok 4.1": "2025-11-17",
    "Llama 3-8B": "2024-04-18", "Llama 3-70B": "2024-04-18", "DeepSeek-V3": "2024-12-24",
    "DeepSeek-R1": "2025-01-20", "DeepSeek-V3.1": "2025-08-21",
    "DeepSeek-V4-Pro": "2026-04-24", "Qwen2.5-72B": "2024-09-19",
    "Qwen3-235B-A22B": "2025-04-29", "Qwen3-Max": "2025-09-05",
    "Qwen3.5 397B-A17B": "2026-02-13", "Kimi K2": "2025-07-11",
}

# Compute estimates kept although Epoch's July 2026 export leaves them blank (earlier snapshots).
KEPT = {"GPT-4o": 3.81e25, "GPT-4o mini": 7.36e24, "Claude 3 Opus": 1.64e25,
        "Gemini 1.5 Pro": 1.58e25, "Gemini 1.0 Pro": 1.83e25}

# Epoch rows from 2023 on with compute that we leave out on purpose: later checkpoints of a
# system we list, with the same compute figure.
CHECKPOINTS = {"GPT-4 (Jun 2023)", "Qwen2.5 Instruct (72B)", "DeepSeek-V3 (Mar 2025)",
               "Qwen3-235B-A22B (Jul 2025)", "Qwen3-235B-A22B-Thinking (Jul 2025)"}


@pytest.fixture(scope="module")
def systems() -> pd.DataFrame:
    return dlrev.load().systems


@pytest.fixture(scope="module")
def recent(systems: pd.DataFrame) -> pd.DataFrame:
    return systems[systems["date"] >= RECENT]


@pytest.fixture(scope="module")
def epoch(epoch_csv: Path) -> pd.DataFrame:
    return read_epoch(epoch_csv).systems


def by_name(systems: pd.DataFrame) -> pd.DataFrame:
    return systems.set_index("name")


# --- counts ----------------------------------------------------------------------------------

def test_issue_targets_are_met(recent: pd.DataFrame) -> None:
    assert len(recent) >= 250
    assert recent["compute"].notna().sum() >= 150


@pytest.mark.parametrize("year", sorted(PER_YEAR))
def test_counts_per_year(recent: pd.DataFrame, year: int) -> None:
    rows = recent[recent["date"].dt.year == year]
    n, with_compute = PER_YEAR[year]
    assert len(rows) >= n and rows["compute"].notna().sum() >= with_compute
    assert rows["date"].max() <= pd.Timestamp("2026-12-31")


@pytest.mark.parametrize("area", sorted(PER_AREA))
def test_counts_per_area(recent: pd.DataFrame, area: str) -> None:
    rows = recent[recent["area"] == area]
    n, with_compute = PER_AREA[area]
    assert len(rows) >= n and rows["compute"].notna().sum() >= with_compute


def test_no_name_is_another_spelling_of_one_we_have(systems: pd.DataFrame) -> None:
    key = systems["name"].map(lambda n: re.sub(r"[^a-z0-9]", "", str(n).lower()))
    dup = systems.loc[key.duplicated(keep=False), "name"].tolist()
    assert not dup, dup


# --- the frontier releases the issue names ---------------------------------------------------

@pytest.mark.parametrize("name", sorted(FRONTIER))
def test_frontier_release_present_with_source(systems: pd.DataFrame, name: str) -> None:
    s = by_name(systems)
    assert name in s.index, f"{name} missing"
    row = s.loc[name]
    assert row["date"] == pd.Timestamp(FRONTIER[name])
    assert str(row["source_url"]).startswith("https://")
    if pd.isna(row["compute"]):
        assert re.search(r"not published|not disclosed", str(row["notes"])), name
    else:
        assert len(str(row["compute_method"])) > 5, name


def test_llama_3_8b_follows_6nd(systems: pd.DataFrame) -> None:
    row = by_name(systems).loc["Llama 3-8B"]
    assert row["parameters"] == 8e9 and row["dataset_size"] == 15e12
    assert row["compute"] == pytest.approx(6 * 8e9 * 15e12)


@pytest.mark.parametrize("name", sorted(KEPT))
def test_estimates_epoch_later_dropped_are_kept_and_attributed(systems: pd.DataFrame,
                                                                name: str) -> None:
    row = by_name(systems).loc[name]
    assert row["compute"] == pytest.approx(KEPT[name])
    assert row["confidence"] == "speculative"
    assert "Epoch AI" in row["compute_method"] and "benchmark" in row["compute_method"]
    assert "uncertain by a factor of 3" in row["notes"]


def test_reasoning_models_without_a_credible_total_stay_blank(systems: pd.DataFrame) -> None:
    s = by_name(systems)
    for name in ("o1", "o3"):
        assert pd.isna(s.loc[name, "compute"])
        assert "no credible" in s.loc[name, "notes"]


# --- against Epoch's July 2026 export --------------------------------------------------------

def test_every_recent_epoch_system_with_compute_is_curated(systems: pd.DataFrame,
                                                           epoch: pd.DataFrame) -> None:
    theirs = epoch[(epoch["date"] >= RECENT) & epoch["compute"].notna()]
    matched = set(cc.match_epoch(systems, epoch)["epoch_name"])
    missing = set(theirs["name"]) - matched
    assert missing == CHECKPOINTS, sorted(missing ^ CHECKPOINTS)


def test_recent_rows_pass_the_epoch_crosscheck(recent: pd.DataFrame,
                                               epoch: pd.DataFrame) -> None:
    result = cc.crosscheck(recent, epoch)
    assert result.ok, result.to_dict()
    assert len(result.matched) >= 327
    assert int(result.matched["oom_diff"].notna().sum()) >= 155


def test_recent_notes_are_our_own(recent: pd.DataFrame, epoch_csv: Path) -> None:
    raw = pd.read_csv(epoch_csv, usecols=["Training compute notes", "Parameters notes",
                                          "Abstract", "Notability criteria notes"])
    theirs = pd.concat([raw[c] for c in raw.columns]).dropna().astype(str)
    pieces = {t[i:i + 40] for t in theirs for i in range(0, max(len(t) - 40, 1), 97)
              if len(t) >= 40}
    ours = " ".join(recent[["notes", "compute_method", "task"]].fillna("").agg(" ".join, axis=1))
    copied = [p for p in pieces if p in ours]
    assert not copied, copied[:3]


# --- corrections against primary sources -----------------------------------------------------

def _conv(k: int, c_in: int, c_out: int) -> int:
    return k * k * c_in * c_out + c_out


def _dense(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


def test_dqn_parameters_follow_the_layer_sizes(systems: pd.DataFrame) -> None:
    """84x84x4 input, valid convolutions, 18 outputs (the full Atari action set)."""
    s = by_name(systems)
    # 2013: 16 8x8/4 -> 20x20, 32 4x4/2 -> 9x9, 256 units
    dqn_2013 = _conv(8, 4, 16) + _conv(4, 16, 32) + _dense(9 * 9 * 32, 256) + _dense(256, 18)
    # 2015: 32 8x8/4 -> 20x20, 64 4x4/2 -> 9x9, 64 3x3/1 -> 7x7, 512 units
    dqn_2015 = (_conv(8, 4, 32) + _conv(4, 32, 64) + _conv(3, 64, 64)
                + _dense(7 * 7 * 64, 512) + _dense(512, 18))
    assert dqn_2013 == 680_770 and s.loc["DQN", "parameters"] == dqn_2013
    assert s.loc["DQN (2015)", "parameters"] == dqn_2015


@pytest.mark.parametrize(("name", "date", "said"), [
    ("AlphaGo Lee", "2016-03-09", "Lee Sedol"),
    ("DLRM-2020", "2021-04-12", "first arXiv version"),
    ("CoRe", "2022-10-28", "first arXiv version"),
    ("EfficientNetV2-XL", "2021-04-01", "first arXiv version"),
])
def test_dates_are_the_first_public_version(systems: pd.DataFrame, name: str, date: str,
                                            said: str) -> None:
    row = by_name(systems).loc[name]
    assert row["date"] == pd.Timestamp(date)
    assert said in row["notes"]
