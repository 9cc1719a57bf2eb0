"""The curated language data: systems 2010-2026, language milestones, language families.

Every check reads the committed CSVs (and, for the cross-check, Epoch AI's file in ../shared);
the expected numbers are the published ones (papers' tables), not values copied from our CSV.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dlrev
from dlrev import crosscheck, schema
from dlrev.catalog import read_table_file
from dlrev.epoch import read_epoch
from dlrev.paths import DATA_DIR

SYSTEMS_FILE = DATA_DIR / "systems" / "language.csv"
MILESTONES_FILE = DATA_DIR / "milestones" / "language.csv"
FAMILIES_FILE = DATA_DIR / "families" / "language.csv"


@pytest.fixture(scope="module")
def systems() -> pd.DataFrame:
    frame = read_table_file(SYSTEMS_FILE, schema.SYSTEMS)
    return schema.add_system_derived(frame, origin="dlrev")


@pytest.fixture(scope="module")
def milestones() -> pd.DataFrame:
    return read_table_file(MILESTONES_FILE, schema.MILESTONES)


@pytest.fixture(scope="module")
def families() -> pd.DataFrame:
    return read_table_file(FAMILIES_FILE, schema.FAMILIES)


@pytest.fixture(scope="module")
def catalog() -> dlrev.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def epoch_systems(epoch_csv: Path) -> pd.DataFrame:
    return read_epoch(epoch_csv).systems


def row(systems: pd.DataFrame, name: str) -> pd.Series:
    hit = systems[systems["name"] == name]
    assert len(hit) == 1, f"{name!r} missing from {SYSTEMS_FILE.name}"
    return hit.iloc[0]


def close(value: float, expected: float, rel: float) -> bool:
    return bool(np.isfinite(value)) and math.isclose(value, expected, rel_tol=rel)


# --- shape and counts -------------------------------------------------------------------------

def test_counts_meet_the_share(systems: pd.DataFrame, milestones: pd.DataFrame) -> None:
    assert len(systems) >= 120
    assert systems["compute"].notna().sum() >= 100
    assert len(milestones) >= 28


def test_every_system_is_a_language_system_from_2010_on(systems: pd.DataFrame) -> None:
    assert (systems["area"] == "language").all(), systems.loc[systems["area"] != "language", "name"]
    assert systems["date"].min() >= pd.Timestamp("2010-01-01")
    assert systems["date"].max() <= pd.Timestamp("2026-12-31")
    # every era of the language story is covered densely enough to fit a trend in it
    with_compute = systems[systems["compute"].notna()]
    years = with_compute["date"].dt.year
    assert (years < 2017).sum() >= 10
    assert ((years >= 2017) & (years < 2020)).sum() >= 15
    assert ((years >= 2020) & (years < 2023)).sum() >= 30
    assert (years >= 2023).sum() >= 30


def test_every_row_has_a_source_and_says_how_or_why_not(systems: pd.DataFrame) -> None:
    assert systems["source_url"].str.startswith("https://").all()
    has_c = systems["compute"].notna()
    assert systems.loc[has_c, "compute_method"].fillna("").str.len().gt(5).all()
    no_c = systems.loc[~has_c]
    notes = no_c["notes"].fillna("")
    said = notes.str.contains("not published|not reported|not disclosed") & notes.str.contains(
        "compute")
    assert said.all(), list(no_c.loc[~said, "name"])
    assert systems["confidence"].isin(["confident", "likely", "speculative"]).all()
    # credit: every figure taken from Epoch AI says so
    assert systems["compute_method"].fillna("").str.contains("Epoch AI").sum() >= 40


def test_names_are_unique_across_the_whole_catalog(catalog: dlrev.Catalog,
                                                   systems: pd.DataFrame) -> None:
    lower = catalog.systems["name"].str.lower()
    assert not lower.duplicated().any(), list(catalog.systems.loc[lower.duplicated(), "name"])
    assert set(systems["name"]) <= set(catalog.systems["name"])


# --- the systems the story names, with their published numbers -------------------------------

# name -> (parameters, compute in FLOP, relative tolerance); None = not checked (not published)
NAMED = {
    "MRNN (Sutskever et al. 2011)": (None, None, 0),
    "char-rnn (Karpathy 2015)": (None, None, 0),
    "Variational (untied weights, MC) LSTM (Large)": (66e6, None, 0.01),
    "Transformer": (213e6, 7.4e18, 0.05),
    "GPT-1": (117e6, None, 0.01),
    "BERT-Base": (110e6, 1.64e20, 0.02),
    "BERT-Large": (340e6, 5.33e20, 0.05),
    # GPT-2: the released checkpoints' sizes (the paper printed 117M/345M/762M/1542M)
    "GPT-2 (124M)": (124e6, None, 0.01),
    "GPT-2 (355M)": (355e6, None, 0.01),
    "GPT-2 (774M)": (774e6, None, 0.01),
    "GPT-2 (1.5B)": (1.5e9, 1.92e21, 0.05),
    # GPT-3: Brown et al. 2020, table D.1
    "GPT-3 Small (125M)": (125e6, 2.25e20, 0.01),
    "GPT-3 Medium (350M)": (356e6, 6.41e20, 0.01),
    "GPT-3 Large (760M)": (760e6, 1.37e21, 0.01),
    "GPT-3 XL (1.3B)": (1.32e9, 2.38e21, 0.01),
    "GPT-3 2.7B": (2.65e9, 4.77e21, 0.01),
    "GPT-3 6.7B": (6.66e9, 1.2e22, 0.01),
    "GPT-3 13B": (12.85e9, 2.31e22, 0.01),
    "GPT-3 175B (davinci)": (175e9, 3.14e23, 0.01),
    "InstructGPT 175B": (175e9, 3.14e23, 0.05),
    "InstructGPT 1.3B": (1.3e9, None, 0.01),
    "ChatGPT (GPT-3.5)": (None, None, 0),
    "Gopher (280B)": (280e9, 6.31e23, 0.01),
    "Chinchilla": (70e9, 5.76e23, 0.01),
    # PaLM: Chowdhery et al. 2022, 780B tokens for all three sizes
    "PaLM (8B)": (8.63e9, 4.04e22, 0.02),
    "PaLM (62B)": (62.5e9, 2.93e23, 0.02),
    "PaLM (540B)": (540.35e9, 2.5e24, 0.03),
    "PaLM-SayCan": (540e9, 2.5e24, 0.03),
    "ACT-1": (None, None, 0),
    "LLaMA-65B": (65.2e9, 5.5e23, 0.02),
    "Llama 2-70B": (70e9, 8.4e23, 0.05),
    "Llama 3.1-405B": (405e9, 3.8e25, 0.02),
    "GPT-4": (None, 2.1e25, 0.05),
    "Gemini 1.0 Ultra": (None, 5e25, 0.05),
    "Claude 2": (None, 3.9e24, 0.05),
    "Claude 3 Opus": (None, None, 0),
    "Claude 3.5 Sonnet": (None, 2.7e25, 0.05),
    "GPT-4.5": (None, 3.8e26, 0.05),
    "DeepSeek-V3": (671e9, 3.3e24, 0.05),
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_system_present_with_its_numbers(systems: pd.DataFrame, name: str) -> None:
    r = row(systems, name)
    params, compute, rel = NAMED[name]
    if params is not None:
        assert close(r["parameters"], params, rel), (name, r["parameters"], params)
    if compute is not None:
        assert close(r["compute"], compute, rel), (name, r["compute"], compute)


def test_frontier_families_are_present(systems: pd.DataFrame) -> None:
    names = systems["name"].str.lower()
    for prefix in ("gpt-4", "gpt-5", "gemini", "claude", "llama", "deepseek", "qwen", "grok",
                   "mistral", "o1", "o3"):
        assert names.str.startswith(prefix).any(), prefix
    # frontier compute keeps growing: the largest known run of each period
    c = systems.dropna(subset=["compute"])
    best = c.groupby(c["date"].dt.year)["compute"].max()
    assert best.loc[2020] > 1e23 and best.loc[2023] > 1e25 and best.loc[2025] > 1e26


def test_gpt2_and_gpt3_compute_rise_with_size(systems: pd.DataFrame) -> None:
    for fam in ("gpt-2", "gpt-3", "palm", "gopher", "llama-2", "llama-3", "t5"):
        members = systems[systems["family"] == fam].sort_values("parameters")
        assert len(members) >= 3, fam
        assert members["compute"].is_monotonic_increasing, fam


def test_six_nd_holds_where_the_data_is_one_pass(systems: pd.DataFrame) -> None:
    # GPT-3 and PaLM: every size saw the same tokens, so compute / parameters is one constant
    for fam, tokens in (("gpt-3", 300e9), ("palm", 780e9), ("gopher", 300e9)):
        m = systems[systems["family"] == fam]
        ratio = m["compute"] / (6 * m["parameters"] * tokens)
        assert ratio.between(0.7, 1.35).all(), (fam, list(ratio))


# --- families ---------------------------------------------------------------------------------

def test_families_are_valid_and_used(systems: pd.DataFrame, families: pd.DataFrame,
                                     catalog: dlrev.Catalog) -> None:
    assert {"gpt-2", "gpt-3", "palm", "llama", "llama-2", "llama-3"} <= set(families["family"])
    used = set(systems["family"].dropna())
    assert used <= set(catalog.families["family"]), used - set(catalog.families["family"])
    counts = systems["family"].value_counts()
    for fam in families["family"]:
        assert counts.get(fam, 0) >= 2, f"family {fam} has fewer than two members"
    assert families["source_url"].str.startswith("https://").all()


# --- milestones -------------------------------------------------------------------------------

def test_milestones_are_language_with_all_subareas(milestones: pd.DataFrame) -> None:
    assert (milestones["domain"] == "language").all()
    counts = milestones["subarea"].value_counts()
    for sub in ("text generation", "question answering", "planning and acting"):
        assert counts.get(sub, 0) >= 5, sub
    assert milestones["id"].str.startswith("lang-").all()
    assert milestones["date"].between(pd.Timestamp("2010-01-01"), pd.Timestamp("2026-12-31")).all()
    assert milestones["source_url"].str.startswith("https://").all()
    # summaries are two sentences in our own words
    sentences = milestones["summary"].str.count(r"[.!?](?=\s|$)")
    assert sentences.eq(2).all(), list(milestones.loc[sentences.ne(2), "id"])
    assert milestones["headline"].notna().sum() >= 30


def test_milestone_systems_exist(milestones: pd.DataFrame, catalog: dlrev.Catalog) -> None:
    known = set(catalog.systems["name"])
    for _, m in milestones.iterrows():
        assert isinstance(m["systems"], str) and m["systems"], m["id"]
        for name in m["systems"].split(";"):
            assert name in known, (m["id"], name)


def test_milestone_headlines_match_the_story(milestones: pd.DataFrame) -> None:
    by_id = milestones.set_index("id")["headline"]
    assert "93.2" in by_id["lang-bert-squad"]
    assert "71.2%" in by_id["lang-gpt3-fewshot"]
    assert "67.5%" in by_id["lang-chinchilla"]
    assert "84%" in by_id["lang-saycan"]
    assert "90.0%" in by_id["lang-gemini-mmlu"]
    # the milestone comes no earlier than the systems it names
    ms = milestones.set_index("id")
    systems = read_table_file(SYSTEMS_FILE, schema.SYSTEMS).set_index("name")["date"]
    for mid, m in ms.iterrows():
        for name in str(m["systems"]).split(";"):
            if name in systems.index:
                assert systems[name] <= m["date"] + pd.Timedelta(days=31), (mid, name)


# --- cross-checks against Epoch AI and 6ND ----------------------------------------------------

def test_epoch_cross_check(systems: pd.DataFrame, epoch_systems: pd.DataFrame) -> None:
    matched = crosscheck.match_epoch(systems, epoch_systems)
    assert len(matched) >= 100
    offenders = crosscheck.epoch_offenders(systems, epoch_systems)
    assert offenders.empty, offenders.to_string()
    assert crosscheck.unknown_aliases(systems, epoch_systems).empty


def test_six_nd_offenders(systems: pd.DataFrame) -> None:
    checked = crosscheck.six_nd(systems)
    assert len(checked) >= 40
    offenders = crosscheck.six_nd_offenders(systems)
    assert offenders.empty, offenders.to_string()


def test_text_is_our_own(systems: pd.DataFrame, epoch_csv: Path) -> None:
    raw = pd.read_csv(epoch_csv, usecols=["Model", "Training compute notes", "Abstract"])
    theirs = pd.concat([raw["Training compute notes"], raw["Abstract"]]).dropna().astype(str)
    # 40-character pieces of Epoch's notes and abstracts must not appear in our text fields
    pieces = {t[i:i + 40] for t in theirs for i in range(0, max(len(t) - 40, 1), 97)
              if len(t) >= 40}
    ours = " ".join(systems[["notes", "compute_method", "task"]].fillna("").agg(" ".join, axis=1))
    copied = [p for p in pieces if p in ours]
    assert not copied, copied[:3]


# --- the CLI shows a row with its source ------------------------------------------------------

def test_cli_show_prints_the_row_with_source(cli) -> None:
    result = cli("data", "show", "PaLM (540B)", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["source_url"] == "https://arxiv.org/abs/2204.02311"
    assert data["family"] == "palm"
    assert math.isclose(data["compute"], 2.53e24, rel_tol=0.01)
    text = cli("data", "show", "Chinchilla")
    assert text.exit_code == 0 and "arxiv.org/abs/2203.15556" in text.output
