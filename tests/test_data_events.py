"""Milestones 2023-2026 and the benchmarks born after the post (issue 15, points 2 and 3).

Every check reads the committed CSVs; the expected numbers are the published ones (papers,
announcements, Epoch AI's tables in ../shared), not values copied from our CSVs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import dlrev
from dlrev import benchmark_import as bi
from dlrev import benchmarks as bm
from dlrev import schema

EPOCH_DIR = ("data", "benchmarks", "epoch-benchmark-stitching")
RECENT = (pd.Timestamp("2023-01-01"), pd.Timestamp("2026-12-31"))

# the benchmarks issue 15 names, with the levels their papers or organisers publish
NEW_BENCHMARKS = {
    # name: (introduced, chance, human non-expert, human expert)
    "GPQA Diamond": ("2023-11-20", 25.0, None, 69.7),
    "SWE-bench Verified": ("2024-08-13", 0.0, None, None),
    "FrontierMath": ("2024-11-07", 0.0, None, None),
    "Humanity's Last Exam": ("2025-01-23", None, None, None),
    "ARC-AGI-1": ("2019-11-05", 0.0, 64.2, None),
    "ARC-AGI-2": ("2025-03-24", 0.0, 60.0, None),
    "AIME 2024": ("2024-01-31", 0.1, None, None),
    "AIME 2025": ("2025-02-06", 0.1, None, None),
    "OSWorld": ("2024-04-11", 0.0, 72.36, None),
    "MMMU": ("2023-11-27", 22.1, None, 88.6),
    "Terminal-Bench": ("2025-05-19", 0.0, None, None),
}


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def recent(cat: dlrev.Catalog) -> pd.DataFrame:
    m = cat.milestones
    return m[m["date"].between(*RECENT)]


# --- milestones 2023-2026 ----------------------------------------------------------------------

def test_recent_milestones_cover_every_domain_and_lane(recent: pd.DataFrame) -> None:
    assert len(recent) >= 78  # 36 before issue 15, 42 added with it
    per_domain = recent["domain"].value_counts()
    assert per_domain["language"] >= 27 and per_domain["science"] >= 27
    assert per_domain["vision"] >= 14 and per_domain["games"] >= 10
    # every sub-area the Story draws a lane for has something after the post
    lanes = set(schema.MILESTONES.column("subarea").choices or ())
    assert lanes <= set(recent["subarea"]), lanes - set(recent["subarea"])
    assert recent["date"].dt.year.value_counts().get(2025, 0) >= 30
    assert recent["source_url"].str.match(r"^https://\S+$").all()


def test_milestone_tables_sizes(cat: dlrev.Catalog) -> None:
    per_domain = cat.milestones["domain"].value_counts()
    assert per_domain["language"] >= 52 and per_domain["vision"] >= 37
    assert per_domain["games"] >= 29 and per_domain["science"] >= 42


def test_recent_milestones_are_written_like_the_old_ones(recent: pd.DataFrame,
                                                        cat: dlrev.Catalog) -> None:
    known = set(cat.systems["name"])
    for _, m in recent.iterrows():
        text = m["summary"].strip()
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
        assert len(sentences) == 2 and text.endswith("."), m["id"]
        listed = [s for s in (m["systems"] or "").split(";") if s]
        assert set(listed) <= known, (m["id"], set(listed) - known)
    # only science rows may leave the systems empty (no row exists for the system involved)
    empty = recent[recent["systems"].isna()]
    assert set(empty["domain"]) <= {"science"}
    assert recent["headline"].notna().mean() >= 0.9


@pytest.mark.parametrize("mid, date, words", [
    ("lang-gpt4-exams", "2023-03-14", "90th percentile"),
    ("sora", "2024-02-15", "60 s"),
    ("veo2-4k", "2024-12-16", "4K"),
    ("o1-aime", "2024-09-12", "83%"),
    ("lang-o3-arc", "2024-12-20", "75.7%"),
    ("alphaproof-imo-silver", "2024-07-25", ""),
    ("alphageometry-imo", "2024-01-17", "25 of 30"),
    ("alphafold3", "2024-05-08", ""),
    ("nobel-chemistry-2024", "2024-10-09", ""),
    ("imo-gold-2025", "2025-07-21", "35 of 42"),
    ("imo-gold-openai", "2025-07-19", "35 of 42"),
    ("devin-swebench", "2024-03-12", "13.86%"),
    ("claude-opus45-swe", "2025-11-24", "80.9%"),
    ("lang-computer-use-60", "2025-09-29", "61.4%"),
    ("genie2-3d", "2024-12-04", "minute"),
    ("genie3-realtime", "2025-08-05", "720p"),
    ("chess-without-search", "2024-02-07", "2895"),
    ("icpc-2025", "2025-09-17", "12 of 12"),
    ("alphaevolve", "2025-05-14", "0.7%"),
    ("lang-turing-test", "2025-03-31", "73%"),
    ("gpt5-aime", "2025-08-07", "94.6%"),
])
def test_named_milestones_carry_the_published_numbers(cat: dlrev.Catalog, mid: str, date: str,
                                                      words: str) -> None:
    m = cat.milestones.set_index("id")
    assert mid in m.index, mid
    row = m.loc[mid]
    assert row["date"] == pd.Timestamp(date)
    assert words in (row["headline"] or "")
    assert row["source_url"].startswith("https://")


def test_both_imo_2025_golds_and_the_agents_lane(cat: dlrev.Catalog) -> None:
    m = cat.milestones.set_index("id")
    assert m.loc["imo-gold-2025", "systems"] == "Gemini 2.5 Deep Think"
    assert "Gemini 2.5 Deep Think" in m.loc["icpc-2025", "systems"].split(";")
    agents = m[(m["subarea"] == "planning and acting") & (m["date"] >= RECENT[0])]
    assert {"lang-operator-cua", "lang-computer-use-60", "lang-metr-horizons"} <= set(agents.index)


# --- benchmarks born after the post ------------------------------------------------------------

def test_new_benchmarks_with_levels_and_sources(cat: dlrev.Catalog) -> None:
    b = cat.benchmarks.set_index("name")
    for name, (intro, chance, nonexpert, expert) in NEW_BENCHMARKS.items():
        assert name in b.index, name
        row = b.loc[name]
        assert row["introduced"] == pd.Timestamp(intro), name
        assert row["source_url"].startswith("https://"), name
        assert row["direction"] == "higher" and row["unit"] == "%" and row["ceiling"] == 100
        for col, want in (("chance", chance), ("human_nonexpert", nonexpert),
                          ("human_expert", expert)):
            got = row[col]
            assert (pd.isna(got) if want is None else got == pytest.approx(want)), (name, col)
        # a published human level says whose it is
        if nonexpert is not None:
            assert row["human_nonexpert_who"], name
        if expert is not None:
            assert row["human_expert_who"], name


def test_new_histories_are_sourced_state_of_the_art_records(cat: dlrev.Catalog) -> None:
    res = cat.benchmark_results
    new = res[res["benchmark"].isin(NEW_BENCHMARKS)]
    assert set(new["benchmark"]) == set(NEW_BENCHMARKS)
    assert len(new) >= 80
    assert new["source_url"].str.match(r"^https://\S+$").all()
    # state-of-the-art records only: within each series the value rises with the date
    for (name, series), g in new.groupby(["benchmark", new["series"].fillna("")]):
        g = g.sort_values(["date", "value"])
        assert g["value"].is_monotonic_increasing and g["value"].is_unique, (name, series)
    curves = bm.sota_curves(cat, list(NEW_BENCHMARKS))
    assert curves["record"].all()
    assert new["date"].max() >= pd.Timestamp("2026-02-01")


def test_new_benchmarks_saturation_dates(cat: dlrev.Catalog) -> None:
    sat = bm.saturation(cat, names=list(NEW_BENCHMARKS)).table.set_index(["benchmark", "series"])
    # o1 (78.0%) passed OpenAI's PhD experts (69.7%) on GPQA Diamond in September 2024
    gpqa = sat.loc[("GPQA Diamond", "")]
    assert gpqa["target_kind"] == "human expert" and gpqa["date_90"] == pd.Timestamp("2024-09-12")
    # o3-preview's 75.7% passed the H-ARC crowd average (64.2%) on ARC-AGI-1
    assert sat.loc[("ARC-AGI-1", ""), "date_90"] == pd.Timestamp("2024-12-20")
    # computer use reached the OSWorld human level (72.36%) with OSWorld-Verified in 2026
    osw = sat.loc[("OSWorld", "Verified")]
    assert osw["best_value"] == pytest.approx(72.7) and osw["progress_now"] > 1
    assert pd.isna(sat.loc[("OSWorld", ""), "date_80"])  # the original board stopped at 42.5%
    # MMMU: GPT-5's 84.2% is below the best human experts' 88.6%
    assert 0.9 < sat.loc[("MMMU", ""), "progress_now"] < 1
    # Humanity's Last Exam has no chance level: progress starts at the first result
    hle = sat.loc[("Humanity's Last Exam", "no tools")]
    assert hle["start_kind"] == "first result" and hle["best_value"] < 50


def test_epoch_runs_rows_are_the_importers_records(cat: dlrev.Catalog, shared_dir: Path) -> None:
    """The curated 'Epoch AI runs' rows are exactly the running records of the import."""
    imp = bi.read_epoch_benchmarks(shared_dir.joinpath(*EPOCH_DIR), bi.known_from_catalog(cat))
    counts = imp.to_dict()["per_benchmark"]
    # Epoch's runs come in under our names without --include-unknown
    assert counts["GPQA Diamond"] == 133 and counts["SWE-bench Verified"] == 23
    assert counts["FrontierMath"] == 59 + 27 - 1  # private splits; one run has no release date
    assert counts["OSWorld"] == 44 and counts["ARC-AGI-1"] == 54
    assert counts["Terminal-Bench"] == 61 - 3  # three rows name no model version Epoch dates
    curves = bm.sota_curves(cat, ["GPQA Diamond", "SWE-bench Verified", "FrontierMath"],
                            results=imp.results)
    rec = curves[curves["record"]]
    ours = cat.benchmark_results
    for series in ("Epoch AI runs", "Epoch AI runs, Tier 4"):
        for name in ("GPQA Diamond", "SWE-bench Verified", "FrontierMath"):
            got = rec[(rec["benchmark"] == name) & (rec["series"] == series)]
            want = ours[(ours["benchmark"] == name) & (ours["series"] == series)]
            assert got["system"].tolist() == want["system"].tolist(), (name, series)
            assert got["value"].tolist() == pytest.approx(want["value"].tolist())
    gpqa = rec[rec["benchmark"] == "GPQA Diamond"]
    assert gpqa["value"].iloc[-1] == pytest.approx(87.6)  # gpt-5.1 (high), Epoch's own run


def test_epoch_leaderboard_dates_and_arc_names(cat: dlrev.Catalog, shared_dir: Path) -> None:
    imp = bi.read_epoch_benchmarks(shared_dir.joinpath(*EPOCH_DIR), bi.known_from_catalog(cat))
    r = imp.results
    osw = r[r["benchmark"] == "OSWorld"].set_index("system")
    # listed on 22/10/2024 for a model released 2024-06-20: dated by the listing
    assert osw.loc["Claude 3.5 Sonnet (50 steps)", "date"] == pd.Timestamp("2024-10-22")
    # no model version that Epoch dates: the listing date alone
    assert osw.loc["UI-TARS-1.5 (100 steps)", "date"] == pd.Timestamp("2025-04-17")
    assert "ARC-AGI" not in set(r["benchmark"]) and len(r[r["benchmark"] == "ARC-AGI-1"]) == 54
    # Terminal-Bench agents are named with the model that ran them
    tb = r[r["benchmark"] == "Terminal-Bench"]
    assert "Apex2 (claude-sonnet-4-5-20250929)" in set(tb["system"])
    assert tb.loc[tb["value"].idxmax(), "value"] == pytest.approx(64.5)
    # without our catalog's names Epoch's tasks stay out unless asked for
    bare = bi.read_epoch_benchmarks(shared_dir.joinpath(*EPOCH_DIR), {"MMLU": {}})
    assert "GPQA Diamond" not in set(bare.results["benchmark"])
    assert any("GPQA diamond" in u for u in bare.unknown_benchmarks)
