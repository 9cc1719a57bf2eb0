"""The whole curated dataset (every file under src/dlrev/data): validity, coverage, sources,
consistency with Epoch AI's figures and with 6ND.

These tests read the embedded data as shipped; failures list the offending rows by name.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dlrev
from dlrev import crosscheck as cc
from dlrev import schema
from dlrev.catalog import read_table_file
from dlrev.epoch import read_epoch
from dlrev.paths import DATA_DIR

SUBAREAS = {
    "vision": {"image recognition", "image generation", "video generation"},
    "games": {"video games", "strategy games"},
    "language": {"text generation", "question answering", "planning and acting"},
    "science": {"coding", "mathematics", "life sciences"},
}

# Every system the story of the revolution names (issue 3), as case-insensitive patterns over
# system names. One pattern per required system; a few allow the spellings in common use.
REQUIRED_SYSTEMS: dict[str, str] = {
    # vision
    "LeNet-5": r"^lenet-5\b",
    "AlexNet": r"^alexnet\b",
    "ResNet-152": r"resnet-?152",
    "GAN (2014)": r"^gan\b|generative adversarial net",
    "DCGAN": r"^dcgan\b",
    "Progressive GAN": r"progressive ?gan|pggan",
    "BigGAN": r"^biggan",
    "StyleGAN": r"^stylegan\b(?!2)(?! ?2)",
    "StyleGAN2": r"^stylegan ?2",
    "DALL-E": r"^dall-?e\b(?! ?2)(?! ?3)",
    "GLIDE": r"^glide\b",
    "DALL-E 2": r"^dall-?e ?2",
    "Imagen": r"^imagen\b(?! video)",
    "Stable Diffusion": r"stable diffusion",
    "Parti 350M": r"^parti\b.*350 ?m",
    "Parti 750M": r"^parti\b.*750 ?m",
    "Parti 3B": r"^parti\b.*\b3 ?b",
    "Parti 20B": r"^parti\b.*20 ?b",
    "DVD-GAN": r"dvd-?gan",
    "Video Diffusion Models": r"video diffusion model",
    "CogVideo": r"^cogvideo\b",
    "Make-A-Video": r"make-a-video",
    "Imagen Video": r"imagen video",
    # games
    "DQN 2013": r"^dqn\b(?!-2015)(?! \(?2015)|dqn.*2013",
    "DQN 2015": r"dqn.*2015|nature dqn",
    "AlphaGo Fan": r"alphago fan",
    "AlphaGo Lee": r"alphago lee",
    "AlphaGo Master": r"alphago master",
    "AlphaGo Zero": r"alphago zero",
    "AlphaZero": r"^alphazero\b",
    "OpenAI Five": r"openai five",
    "AlphaStar": r"^alphastar\b",
    "VPT": r"\bvpt\b|video pre-?training",
    "Cicero": r"^cicero\b",
    # language
    "character-level RNN (2011)": r"sutskever|martens|multiplicative rnn|mrnn|char.*rnn.*2011|"
                                  r"2011.*char",
    "char-RNN / LSTM text (2015)": r"char-?rnn|karpathy",
    "Transformer (2017)": r"^transformer\b",
    "BERT": r"^bert\b",
    "GPT (2018)": r"^gpt(-1)?\b(?!-)(?! ?\d)|^gpt-1\b|^gpt \(2018",
    "GPT-2 small": r"^gpt-2\b.*(117|124) ?m|^gpt-2 small",
    "GPT-2 medium": r"^gpt-2\b.*(345|355) ?m|^gpt-2 medium",
    "GPT-2 large": r"^gpt-2\b.*(762|774) ?m|^gpt-2 large",
    "GPT-2 XL": r"^gpt-2\b.*1\.5 ?b|^gpt-2 xl",
    "GPT-3 175B": r"^gpt-3\b.*175 ?b",
    "GPT-3 smaller size": r"^gpt-3\b.*\b(125|350|760) ?m|^gpt-3\b.*\b(1\.3|2\.7|6\.7|13) ?b",
    "InstructGPT": r"instructgpt",
    "ChatGPT (GPT-3.5)": r"chatgpt|gpt-3\.5",
    "PaLM 8B": r"^palm\b.*\b8 ?b",
    "PaLM 62B": r"^palm\b.*62 ?b",
    "PaLM 540B": r"^palm\b.*540 ?b",
    "Chinchilla": r"^chinchilla\b",
    "Gopher": r"^gopher\b",
    "ACT-1": r"^act-1\b",
    "PaLM-SayCan": r"saycan",
    "GPT-4": r"^gpt-4\b",
    "Gemini": r"^gemini\b",
    "Claude": r"^claude\b",
    "Llama": r"^llama\b",
    # science
    "Codex": r"^codex\b",
    "AlphaCode": r"^alphacode\b(?! ?2)",
    "Minerva": r"^minerva\b",
    "OpenAI Lean prover (2022)": r"lean prover|statement curriculum",
    "AlphaTensor": r"^alphatensor\b",
    "AlphaFold 2": r"^alphafold ?2\b",
    "MegaSyn": r"^megasyn\b",
}

# Milestones the issue names with their headline numbers: (system pattern, headline pattern).
REQUIRED_MILESTONES = {
    "AlphaCode, top 54% of competitors": (r"^alphacode\b(?! ?2)", r"54"),
    "Minerva, MATH 50.3%": (r"^minerva", r"50\.3"),
    "AlphaFold 2, median GDT 92.4 at CASP14": (r"^alphafold ?2", r"92\.4"),
}

OWN_SHARE = {  # file -> (min rows, min rows with compute)
    "early.csv": (72, 59),
    "science.csv": (57, 40),
    "other.csv": (38, 21),
}


@pytest.fixture(scope="module")
def cat() -> dlrev.catalog.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def systems(cat: dlrev.catalog.Catalog) -> pd.DataFrame:
    return cat.systems


@pytest.fixture(scope="module")
def epoch(epoch_csv: Path) -> pd.DataFrame:
    return read_epoch(epoch_csv).systems


def _names(frame: pd.DataFrame, mask: pd.Series) -> list[str]:
    return frame.loc[mask, "name"].astype(str).tolist()


# --- validity and coverage -------------------------------------------------------------------

def test_every_file_is_valid_on_its_own() -> None:
    for table in ("systems", "milestones", "families"):
        folder = DATA_DIR / table
        for f in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
            frame = read_table_file(f, schema.TABLES[table])
            assert len(frame) > 0, f"{f} has a header but no rows"


def test_dataset_counts(cat: dlrev.catalog.Catalog, systems: pd.DataFrame) -> None:
    with_compute = systems["compute"].notna()
    early = systems["date"].lt(pd.Timestamp("2010-01-01"))
    counts = {
        "systems": len(systems),
        "systems with compute": int(with_compute.sum()),
        "systems with compute before 2010": int((with_compute & early).sum()),
        "milestones": len(cat.milestones),
    }
    targets = {"systems": 687, "systems with compute": 464,
               "systems with compute before 2010": 59, "milestones": 80}
    short = {k: f"{counts[k]} < {v}" for k, v in targets.items() if counts[k] < v}
    assert not short, f"below target: {short}"
    assert counts["milestones"] >= 160  # 42 added for 2023-2026 (issue 15)


def test_every_era_and_area_has_a_fittable_trend(systems: pd.DataFrame) -> None:
    """Each story area holds enough systems with compute since 2010 to fit a line."""
    recent = systems[systems["compute"].notna() & systems["date"].ge(pd.Timestamp("2010-01-01"))]
    per_area = recent.groupby("area").size()
    thin = {a: int(per_area.get(a, 0)) for a in ("vision", "games", "language", "science")
            if per_area.get(a, 0) < 10}
    assert not thin, f"areas with fewer than 10 systems with compute since 2010: {thin}"


@pytest.mark.parametrize("file", sorted(OWN_SHARE))
def test_share_of_this_part(file: str) -> None:
    frame = read_table_file(DATA_DIR / "systems" / file, schema.SYSTEMS)
    rows, with_compute = OWN_SHARE[file]
    assert len(frame) >= rows
    assert frame["compute"].notna().sum() >= with_compute
    if file == "early.csv":
        assert frame["date"].lt(pd.Timestamp("2010-01-01")).all()
    else:
        assert frame["date"].ge(pd.Timestamp("2010-01-01")).all()
    if file == "science.csv":
        assert schema.area_of(frame["domain"]).eq("science").all()
    if file == "other.csv":
        assert schema.area_of(frame["domain"]).eq("other").all()


def test_required_systems_present(systems: pd.DataFrame) -> None:
    names = systems["name"].astype(str)
    missing = [label for label, pat in REQUIRED_SYSTEMS.items()
               if not any(re.search(pat, n, re.IGNORECASE) for n in names)]
    assert not missing, f"{len(missing)} required systems missing: {missing}"


def test_required_milestones_present(cat: dlrev.catalog.Catalog) -> None:
    m = cat.milestones
    missing = []
    for label, (sys_pat, head_pat) in REQUIRED_MILESTONES.items():
        systems = m["systems"].fillna("").str.split(";").map(lambda xs: [x.strip() for x in xs])
        has_sys = systems.map(lambda xs, p=sys_pat: any(re.search(p, x, re.I) for x in xs))
        has_head = m["headline"].fillna("").str.contains(head_pat, regex=True)
        if not (has_sys & has_head).any():
            missing.append(label)
    assert not missing, f"milestones missing: {missing}"


def test_the_required_science_rows_carry_their_numbers(systems: pd.DataFrame) -> None:
    s = systems.set_index("name")
    assert s.loc["AlphaCode", "parameters"] == pytest.approx(41.1e9)
    assert s.loc["AlphaCode", "compute"] == pytest.approx(2.38e23, rel=0.01)
    assert s.loc["AlphaFold 2", "compute"] == pytest.approx(2.99e21, rel=0.01)
    assert s.loc["Minerva (540B)", "parameters"] == pytest.approx(540.35e9, rel=0.001)
    assert s.loc["LeNet-5", "parameters"] == 60000
    # 6 x 3.4e5 connections x 60,000 images x 20 passes
    assert s.loc["LeNet-5", "compute"] == pytest.approx(6 * 3.4e5 * 6e4 * 20, rel=0.01)
    assert pd.isna(s.loc["MegaSyn", "compute"]) and "not published" in s.loc["MegaSyn", "notes"]


# --- sources, keys, dates ----------------------------------------------------------------------

@pytest.mark.parametrize("table", ["systems", "milestones", "families"])
def test_every_row_has_a_source(cat: dlrev.catalog.Catalog, table: str) -> None:
    frame = cat.table(table)
    key = schema.TABLES[table].key or "name"
    bad = frame.loc[frame["source_url"].isna(), key].tolist()
    assert not bad, f"{table} rows without source_url: {bad}"
    assert frame["source_url"].dropna().str.match(r"^https?://\S+$").all()


def test_names_unique_ignoring_case(systems: pd.DataFrame) -> None:
    low = systems["name"].str.strip().str.lower()
    dup = sorted(set(systems.loc[low.duplicated(keep=False), "name"]))
    assert not dup, f"system names that differ only by case or spacing: {dup}"


@pytest.mark.parametrize("table", ["systems", "milestones"])
def test_dates_in_range(cat: dlrev.catalog.Catalog, table: str) -> None:
    frame = cat.table(table)
    d = frame["date"]
    bad = frame.loc[d.isna() | d.lt(pd.Timestamp("1950-01-01")) | d.gt(pd.Timestamp("2026-12-31"))]
    key = "name" if table == "systems" else "id"
    assert bad.empty, f"{table} dated outside 1950-2026: {bad[key].tolist()}"


def test_every_system_has_a_known_confidence(systems: pd.DataFrame) -> None:
    bad = _names(systems, ~systems["confidence"].isin(schema.CONFIDENCE))
    assert not bad, f"systems without a confidence level: {bad}"


def test_missing_compute_is_explained(systems: pd.DataFrame) -> None:
    no_compute = systems["compute"].isna() & systems["notes"].fillna("").str.strip().eq("")
    bad = _names(systems, no_compute)
    assert not bad, f"systems with no compute and no note saying why: {bad}"


def test_compute_has_a_method(systems: pd.DataFrame) -> None:
    bad = _names(systems, systems["compute"].notna() & systems["compute_method"].isna())
    assert not bad, f"systems with compute but no compute_method: {bad}"


def test_dataset_size_has_a_unit(systems: pd.DataFrame) -> None:
    bad = _names(systems, systems["dataset_size"].notna() & systems["dataset_unit"].isna())
    assert not bad, f"systems with a dataset size but no unit: {bad}"


def test_family_keys_exist(cat: dlrev.catalog.Catalog) -> None:
    used = set(cat.systems["family"].dropna())
    known = set(cat.families["family"])
    assert not used - known, f"family keys used by systems but not in families: {used - known}"


def test_families_have_at_least_two_members(cat: dlrev.catalog.Catalog) -> None:
    sizes = cat.systems["family"].value_counts()
    lonely = [f for f in cat.families["family"] if sizes.get(f, 0) < 2]
    assert not lonely, f"families with fewer than two systems: {lonely}"


# --- milestones ----------------------------------------------------------------------------

def test_milestone_systems_exist(cat: dlrev.catalog.Catalog) -> None:
    known = set(cat.systems["name"])
    bad = []
    for _, r in cat.milestones.iterrows():
        for n in str(r["systems"] or "").split(";"):
            if n.strip() and n.strip() not in known:
                bad.append(f"{r['id']}: {n.strip()}")
    assert not bad, f"milestones naming unknown systems: {bad}"


def test_milestone_domains_and_subareas(cat: dlrev.catalog.Catalog) -> None:
    m = cat.milestones
    per_domain = m.groupby("domain").size()
    thin_domains = {d: int(per_domain.get(d, 0)) for d in SUBAREAS if per_domain.get(d, 0) < 14}
    per_sub = m.groupby("subarea").size()
    thin_subs = {s: int(per_sub.get(s, 0)) for subs in SUBAREAS.values() for s in subs
                 if per_sub.get(s, 0) < 2}
    wrong = [r["id"] for _, r in m.iterrows() if r["subarea"] not in SUBAREAS[r["domain"]]]
    assert not wrong, f"milestones whose subarea is not in their domain: {wrong}"
    assert not thin_domains, f"domains with fewer than 14 milestones: {thin_domains}"
    assert not thin_subs, f"subareas with fewer than 2 milestones: {thin_subs}"


def test_milestone_summaries_are_two_sentences(cat: dlrev.catalog.Catalog) -> None:
    ends = re.compile(r"[.!?](?=\s+[A-Z0-9\"'(]|\s*$)")
    bad = [r["id"] for _, r in cat.milestones.iterrows()
           if not 2 <= len(ends.findall(str(r["summary"]).strip())) <= 3]
    assert not bad, f"milestone summaries not two sentences: {bad}"


# --- cross-checks ------------------------------------------------------------------------------

def test_epoch_crosscheck(systems: pd.DataFrame, epoch: pd.DataFrame) -> None:
    matched = cc.match_epoch(systems, epoch)
    assert matched["oom_diff"].notna().sum() >= 100, "too few systems matched Epoch's file"
    off = cc.epoch_offenders(systems, epoch)
    listing = "; ".join(f"{r.name} ({r.epoch_name}): {r.oom_diff:+.2f} OOM"
                        for r in off.itertuples())
    assert off.empty, f"{len(off)} systems > 0.5 OOM from Epoch with no note: {listing}"


def test_no_compute_left_out_that_epoch_has(systems: pd.DataFrame,
                                            epoch: pd.DataFrame) -> None:
    gaps = cc.epoch_gaps(systems, epoch)
    listing = "; ".join(f"{r.name}: Epoch {r.epoch_compute:.2g}" for r in gaps.itertuples())
    assert gaps.empty, f"blank compute where Epoch has a figure, no note why: {listing}"


def test_epoch_aliases_name_real_epoch_models(systems: pd.DataFrame,
                                              epoch: pd.DataFrame) -> None:
    bad = cc.unknown_aliases(systems, epoch)
    assert bad.empty, f"'Epoch: <name>' notes naming no Epoch model: {bad.to_dict('records')}"


def test_six_nd_consistency(systems: pd.DataFrame) -> None:
    checked = cc.six_nd(systems)
    assert len(checked) >= 5
    off = cc.six_nd_offenders(systems)
    listing = "; ".join(f"{r.name}: compute/6ND = 10^{r.oom_diff:+.2f}" for r in off.itertuples())
    assert off.empty, f"dense transformer LMs > 1 OOM from 6ND, not flagged in notes: {listing}"


# --- the cross-check functions themselves ----------------------------------------------------

def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {c: None for c in schema.SYSTEMS.column_names}
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["date"] = pd.to_datetime(df["date"])
    for c in ("parameters", "compute", "dataset_size"):
        df[c] = df[c].astype(float)
    return df


def test_alias_parsing() -> None:
    assert cc.epoch_alias("Some caveat. Epoch: GPT-2 (1.5B).") == "GPT-2 (1.5B)"
    assert cc.epoch_alias("Epoch: GPT-3.5 (text-davinci-003); reported") == \
        "GPT-3.5 (text-davinci-003)"
    assert cc.epoch_alias("Epoch: Gemini 2.5 Pro") == "Gemini 2.5 Pro"
    assert cc.epoch_alias("no alias here") is None
    assert cc.epoch_alias(None) is None


def test_explanations_are_recognised() -> None:
    assert cc.explains_epoch_difference("Epoch's figure includes the base model; ours does not.")
    assert cc.explains_epoch_difference("We count fine-tuning only, unlike Epoch.")
    assert not cc.explains_epoch_difference("Epoch: GPT-4.")
    assert not cc.explains_epoch_difference("Compute not published.")


def test_offenders_found_and_explained_rows_spared() -> None:
    epoch = _frame([
        {"name": "A", "compute": 1e20}, {"name": "B", "compute": 1e20},
        {"name": "C (big)", "compute": 1e20}, {"name": "D", "compute": 1e20},
    ])
    ours = _frame([
        {"name": "A", "compute": 2e20},                              # 0.3 OOM: fine
        {"name": "b", "compute": 1e22},                              # 2 OOM, case-insensitive
        {"name": "C", "compute": 1e18, "notes": "Epoch: C (big)."},  # -2 OOM via alias
        {"name": "D", "compute": 1e22,
         "notes": "Epoch's estimate excludes the pre-training; ours includes it."},
        {"name": "E", "compute": 1e25},                              # not in Epoch
    ])
    m = cc.match_epoch(ours, epoch)
    assert sorted(m["name"]) == ["A", "C", "D", "b"]
    assert m.set_index("name").loc["C", "matched_by"] == "alias"
    off = cc.epoch_offenders(ours, epoch)
    assert sorted(off["name"]) == ["C", "b"]
    assert np.allclose(sorted(off["oom_diff"]), [-2.0, 2.0])
    gap = _frame([{"name": "A"},
                  {"name": "D", "notes": "Epoch counts the pre-training; we do not."}])
    assert cc.epoch_gaps(gap, epoch)["name"].tolist() == ["A"]


def test_six_nd_selects_dense_transformer_lms() -> None:
    rows = _frame([
        {"name": "dense ok", "date": "2020-01-01", "domain": "language", "parameters": 1e9,
         "compute": 6e19, "dataset_size": 1e10, "dataset_unit": "tokens"},
        {"name": "dense off", "date": "2020-01-01", "domain": "language", "parameters": 1e9,
         "compute": 6e21, "dataset_size": 1e10, "dataset_unit": "tokens"},
        {"name": "dense flagged", "date": "2020-01-01", "domain": "language", "parameters": 1e9,
         "compute": 6e21, "dataset_size": 1e10, "dataset_unit": "tokens",
         "notes": "Fine-tuned: 6ND of the fine-tuning tokens understates compute."},
        {"name": "moe", "date": "2022-01-01", "domain": "language", "parameters": 1e12,
         "compute": 1e22, "dataset_size": 1e12, "dataset_unit": "tokens",
         "notes": "Mixture-of-experts."},
        {"name": "pre-transformer", "date": "2014-01-01", "domain": "language",
         "parameters": 1e9, "compute": 1e15, "dataset_size": 1e10, "dataset_unit": "tokens"},
        {"name": "images", "date": "2020-01-01", "domain": "vision", "parameters": 1e9,
         "compute": 1e15, "dataset_size": 1e6, "dataset_unit": "images"},
    ])
    t = cc.six_nd(rows)
    assert sorted(t["name"]) == ["dense flagged", "dense off", "dense ok"]
    assert t.set_index("name").loc["dense off", "oom_diff"] == pytest.approx(2.0)
    assert cc.six_nd_offenders(rows)["name"].tolist() == ["dense off"]


def test_crosscheck_result_serialises(systems: pd.DataFrame, epoch: pd.DataFrame) -> None:
    import json

    result = cc.crosscheck(systems, epoch)
    d = result.to_dict()
    json.dumps(d)
    assert d["matched"] == len(result.matched) >= 100
    assert d["ok"] == (not d["epoch_offenders"] and not d["six_nd_offenders"]
                       and not d["unknown_aliases"] and not d["epoch_gaps"])


# --- the CLI on the embedded data --------------------------------------------------------------

def test_cli_shows_a_science_row_with_its_source(cli) -> None:
    r = cli("data", "show", "AlphaFold 2")
    assert r.exit_code == 0, r.output
    assert "s41586-021-03819-2" in r.output.replace("\n", "")
    assert "92.4" in r.output.replace("\n", "")


def test_cli_show_prints_the_full_row_with_source(cli) -> None:
    r = cli("data", "show", "AlphaGo Zero")
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    for field in ("organization", "compute", "compute_method", "source_url", "notes"):
        assert field in flat
    assert "nature24270" in flat


def test_cli_stats_counts_every_area_and_era(cli, systems: pd.DataFrame) -> None:
    import json

    r = cli("data", "stats", "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.output)
    assert info["systems"]["rows"] == len(systems)
    by_area = {row["area"]: row for row in info["by_area_and_era"]}
    early = systems["date"].lt(pd.Timestamp("2010-01-01"))
    for area in ("vision", "games", "language", "science", "other"):
        in_area = systems["area"].eq(area)
        assert by_area[area]["all"] == int(in_area.sum())
        assert by_area[area]["pre-deep-learning with compute"] == int(
            (in_area & early & systems["compute"].notna()).sum())
    # the pre-2010 era is covered in vision, language and other (perceptron to LSTM)
    for area in ("vision", "language", "other"):
        assert by_area[area]["pre-deep-learning with compute"] >= 5
