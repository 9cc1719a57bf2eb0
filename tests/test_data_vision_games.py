"""The curated vision and games data from 2010 on: systems, milestones and families.

Checks the rows against the schema, the systems the story names (with their key numbers), the
estimates we derived ourselves (recomputed here from the published sizes), Epoch AI's figures,
and the links between milestones, systems and families.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import dlrev
from dlrev import schema
from dlrev.catalog import read_table_file
from dlrev.paths import DATA_DIR

SYSTEM_FILES = {"vision": DATA_DIR / "systems" / "vision.csv",
                "games": DATA_DIR / "systems" / "games.csv"}
MILESTONE_FILES = {"vision": DATA_DIR / "milestones" / "vision.csv",
                   "games": DATA_DIR / "milestones" / "games.csv"}
FAMILY_FILE = DATA_DIR / "families" / "vision.csv"

SUBAREAS = {
    "vision": {"image recognition", "image generation", "video generation"},
    "games": {"video games", "strategy games"},
}

# Every vision and games system the issue names, with key numbers: (parameters, compute) where
# public; None means the figure is not published and must stay empty.
NAMED: dict[str, tuple[float | None, float | None]] = {
    "AlexNet": (6.0e7, 4.7e17),
    "ResNet-152": (6.02e7, 1.04e19),
    "GAN": (None, 5.2e17),
    "DCGAN": (None, None),
    "Progressive GAN": (4.62e7, 1.3e19),
    "BigGAN": (1.58e8, 3.0e20),
    "StyleGAN": (2.62e7, 2.3e19),
    "StyleGAN2": (3.0e7, 3.2e19),
    "DALL-E": (1.2e10, 4.7e22),
    "GLIDE": (3.5e9, 4.7e22),
    "DALL-E 2": (3.5e9, 3.4e23),
    "Imagen": (7.76e9, 1.46e22),
    "Stable Diffusion": (8.6e8, 5.0e22),
    "Parti (350M)": (3.5e8, 8.9e21),
    "Parti (750M)": (7.5e8, 1.9e22),
    "Parti (3B)": (3.0e9, 7.6e22),
    "Parti (20B)": (2.0e10, 5.1e23),
    "DVD-GAN": (None, None),
    "Video Diffusion Models": (None, None),
    "CogVideo": (9.4e9, None),
    "Make-A-Video": (None, None),
    "Imagen Video": (1.16e10, None),
    "DQN": (680_770, 2.85e15),  # layer sizes with valid convolutions, 18 outputs
    "DQN (2015)": (1_693_362, 7.7e15),
    "AlphaGo Fan": (8.21e6, 3.8e20),
    "AlphaGo Lee": (None, 1.9e21),
    "AlphaGo Master": (None, 3.41e20),
    "AlphaGo Zero": (4.64e7, 6.49e20),
    "AlphaZero": (None, 1.06e20),
    "OpenAI Five": (1.59e8, 6.7e22),
    "AlphaStar": (1.39e8, 1.08e23),
    "VPT": (5.0e8, 2.1e22),
    "Cicero": (2.7e9, None),
}
NAMED_DATES = {
    "AlexNet": "2012-09-30", "GAN": "2014-06-10", "DQN": "2013-12-19",
    "DQN (2015)": "2015-02-25", "AlphaGo Zero": "2017-10-18", "GLIDE": "2021-12-20",
    "Imagen Video": "2022-10-05", "Cicero": "2022-11-22", "VPT": "2022-06-23",
}
PETAFLOP_DAY = 1e15 * 86400


@pytest.fixture(scope="module")
def own() -> dict[str, pd.DataFrame]:
    """Our two systems files, each validated on its own against the schema."""
    out = {}
    for area, path in SYSTEM_FILES.items():
        frame = read_table_file(path, schema.SYSTEMS)
        out[area] = schema.add_system_derived(frame, origin="dlrev")
    return out


@pytest.fixture(scope="module")
def systems(own: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(own.values(), ignore_index=True).set_index("name", drop=False)


@pytest.fixture(scope="module")
def catalog() -> dlrev.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def milestones() -> dict[str, pd.DataFrame]:
    return {a: read_table_file(p, schema.MILESTONES) for a, p in MILESTONE_FILES.items()}


def close(a: float, b: float, rel: float = 0.02) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# --- schema and coverage ---------------------------------------------------------------------

def test_files_have_exactly_the_schema_columns() -> None:
    for path in SYSTEM_FILES.values():
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == schema.SYSTEMS.column_names[:14], path


def test_counts_meet_the_share(own: dict[str, pd.DataFrame]) -> None:
    vision, games = own["vision"], own["games"]
    assert len(vision) >= 138 and vision["compute"].notna().sum() >= 94
    assert len(games) >= 40 and games["compute"].notna().sum() >= 26


def test_rows_are_in_their_area_and_era(own: dict[str, pd.DataFrame]) -> None:
    for area, frame in own.items():
        wrong = frame.loc[frame["area"] != area, "name"].tolist()
        assert not wrong, f"{area} file holds rows of another area: {wrong}"
        early = frame.loc[frame["date"] < pd.Timestamp("2010-01-01"), "name"].tolist()
        assert not early, f"pre-2010 rows belong to the early-era file: {early}"
        assert frame["date"].max() <= pd.Timestamp("2026-12-31")


def test_every_row_has_source_and_confidence(systems: pd.DataFrame) -> None:
    assert systems["source_url"].str.startswith("https://").all()
    assert systems["confidence"].notna().all()
    assert systems["task"].notna().all()


def test_compute_always_says_how(systems: pd.DataFrame) -> None:
    has = systems["compute"].notna()
    assert systems.loc[has, "compute_method"].notna().all()
    # a missing figure is explained, never silently blank
    missing = systems.loc[~has]
    assert missing["notes"].str.contains("not published|no compute", case=False).all(), (
        missing.loc[~missing["notes"].str.contains("not published|no compute", case=False,
                                                   na=False), "name"].tolist())


def test_dataset_sizes_carry_a_unit(systems: pd.DataFrame) -> None:
    with_size = systems["dataset_size"].notna()
    assert systems.loc[with_size, "dataset_unit"].notna().all()


# --- the systems the story names --------------------------------------------------------------

def test_named_systems_present_with_key_numbers(systems: pd.DataFrame) -> None:
    missing = [n for n in NAMED if n not in systems.index]
    assert not missing, missing
    for name, (params, compute) in NAMED.items():
        row = systems.loc[name]
        for col, want in (("parameters", params), ("compute", compute)):
            got = row[col]
            if want is None:
                assert pd.isna(got), f"{name}: {col} is not public but the row has {got}"
            else:
                assert close(got, want, 0.05), f"{name}: {col} {got:.3g}, expected {want:.3g}"
    for name, date in NAMED_DATES.items():
        assert systems.loc[name, "date"] == pd.Timestamp(date), name


def test_openai_five_matches_the_reported_petaflop_days(systems: pd.DataFrame) -> None:
    assert close(systems.loc["OpenAI Five", "compute"], 770 * PETAFLOP_DAY, 0.07)
    assert close(systems.loc["OpenAI Five Rerun", "compute"], 150 * PETAFLOP_DAY, 0.05)


def dqn_2015_layers(actions: int = 18) -> tuple[int, int]:
    """Parameters and multiply-adds of the Nature DQN from its published layer sizes."""
    params = macs = 0
    h, c = 84, 4
    for filters, k, stride in ((32, 8, 4), (64, 4, 2), (64, 3, 1)):
        h = (h - k) // stride + 1
        params += k * k * c * filters + filters
        macs += h * h * k * k * c * filters
        c = filters
    for n_in, n_out in ((h * h * c, 512), (512, actions)):
        params += n_in * n_out + n_out
        macs += n_in * n_out
    return params, macs


def test_dqn_2015_estimate_recomputed_from_architecture(systems: pd.DataFrame) -> None:
    params, macs = dqn_2015_layers()
    assert params == systems.loc["DQN (2015)", "parameters"]
    forward = 2 * macs
    agent_steps = 50e6 / 4  # 50M frames with a frame skip of 4
    updates = agent_steps / 4  # one minibatch of 32 every 4 agent steps
    flop = forward * 4 * 32 * updates + forward * agent_steps
    assert close(systems.loc["DQN (2015)", "compute"], flop, 0.05)
    # Double DQN runs the same network four times as long with one more forward pass per sample
    double = forward * 5 * 32 * updates * 4 + forward * agent_steps * 4
    assert close(systems.loc["Double DQN", "compute"], double, 0.05)


def test_parti_sizes_are_one_schedule(systems: pd.DataFrame) -> None:
    tokens = 450_000 * 8192 * (1024 + 128)
    parti = systems[systems["family"] == "parti"].sort_values("parameters")
    assert parti["name"].tolist() == ["Parti (350M)", "Parti (750M)", "Parti (3B)", "Parti (20B)"]
    for _, row in parti.iterrows():
        assert close(row["compute"], 6 * row["parameters"] * tokens, 0.03), row["name"]
        assert close(row["dataset_size"], tokens, 0.01)


def test_hardware_estimates_recomputed(systems: pd.DataFrame) -> None:
    day = 86400
    v100_fp32, v100_fp16, tpu3_core = 15.7e12, 125e12, 61.5e12
    cases = {
        "Progressive GAN": 8 * 4 * day * v100_fp32 * 0.3,
        "StyleGAN": 8 * 7 * day * v100_fp32 * 0.3,
        "StyleGAN2": 8 * 9.75 * day * v100_fp32 * 0.3,
        "BigGAN": 128 * 1.5 * day * tpu3_core * 0.3,
        "VPT": 720 * 9 * day * v100_fp16 * 0.3,
    }
    for name, flop in cases.items():
        assert close(systems.loc[name, "compute"], flop, 0.06), name


def test_glide_compute_follows_dall_e(systems: pd.DataFrame) -> None:
    assert systems.loc["GLIDE", "compute"] == systems.loc["DALL-E", "compute"]


def test_scale_ordering_of_the_story(systems: pd.DataFrame) -> None:
    c = systems["compute"]
    assert c["AlexNet"] < c["ResNet-152"] < c["DALL-E"] < c["Parti (20B)"]
    assert c["DQN"] < c["AlphaGo Fan"] < c["OpenAI Five"] < c["AlphaStar"]
    assert c["OpenAI Five Rerun"] < c["OpenAI Five"]


def test_dense_transformers_match_6nd(systems: pd.DataFrame) -> None:
    rows = systems[(systems["dataset_unit"] == "tokens") & systems["compute"].notna()
                   & systems["parameters"].notna()]
    assert len(rows) >= 4
    ratio = rows["compute"] / (6 * rows["parameters"] * rows["dataset_size"])
    assert ratio.between(0.1, 10).all(), ratio[~ratio.between(0.1, 10)]


# --- cross-check with Epoch AI ------------------------------------------------------------------

def epoch_name(row: pd.Series) -> str:
    m = re.search(r"Epoch: (.+)$", row["notes"] or "")
    return m.group(1).strip() if m else row["name"]


def test_compute_within_half_an_order_of_epoch(systems: pd.DataFrame, epoch_csv: Path) -> None:
    epoch = pd.read_csv(epoch_csv, usecols=["Model", "Training compute (FLOP)"])
    theirs = epoch.dropna().drop_duplicates("Model").set_index("Model")["Training compute (FLOP)"]
    matched, offenders = 0, []
    for _, row in systems.iterrows():
        name = epoch_name(row)
        if name not in theirs.index or pd.isna(row["compute"]):
            continue
        matched += 1
        gap = abs(math.log10(row["compute"] / theirs[name]))
        if gap > 0.5 and "differ from Epoch" not in (row["notes"] or ""):
            offenders.append(f"{row['name']}: ours {row['compute']:.3g}, Epoch {theirs[name]:.3g}")
    assert matched >= 109
    assert not offenders, offenders


def test_epoch_names_in_notes_exist(systems: pd.DataFrame, epoch_csv: Path) -> None:
    models = set(pd.read_csv(epoch_csv, usecols=["Model"])["Model"])
    for _, row in systems.iterrows():
        m = re.search(r"Epoch: (.+)$", row["notes"] or "")
        if m:
            assert m.group(1).strip() in models, row["name"]


# --- families and milestones -------------------------------------------------------------------

def test_family_keys_exist_and_have_several_sizes(systems: pd.DataFrame,
                                                  catalog: dlrev.Catalog) -> None:
    known = set(catalog.families["family"])
    used = set(systems["family"].dropna())
    assert used <= known, used - known
    own = read_table_file(FAMILY_FILE, schema.FAMILIES)
    assert "parti" in set(own["family"])
    for fam in own["family"]:
        assert (systems["family"] == fam).sum() >= 2, fam


def test_milestones_cover_the_subareas(milestones: dict[str, pd.DataFrame]) -> None:
    for domain, frame in milestones.items():
        assert len(frame) >= {"vision": 35, "games": 28}[domain], domain
        assert (frame["domain"] == domain).all()
        assert set(frame["subarea"]) == SUBAREAS[domain]
        assert frame["source_url"].str.startswith("https://").all()


def test_milestone_systems_exist(milestones: dict[str, pd.DataFrame],
                                 catalog: dlrev.Catalog) -> None:
    names = set(catalog.systems["name"])
    for frame in milestones.values():
        for mid, listed in zip(frame["id"], frame["systems"], strict=True):
            assert listed, f"milestone {mid} names no system"
            missing = [s for s in listed.split(";") if s not in names]
            assert not missing, f"milestone {mid}: {missing}"


def test_milestone_summaries_are_two_sentences(milestones: dict[str, pd.DataFrame]) -> None:
    for frame in milestones.values():
        for mid, text in zip(frame["id"], frame["summary"], strict=True):
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
            assert len(sentences) == 2 and text.endswith("."), mid


def test_milestone_headlines_match_the_systems(milestones: dict[str, pd.DataFrame]) -> None:
    both = pd.concat(milestones.values()).set_index("id")
    assert both.loc["alphago-zero", "headline"] == "100-0 against AlphaGo Lee"
    assert "15.3%" in both.loc["alexnet-imagenet", "headline"]
    assert "7.23" in both.loc["parti-scale", "headline"]
    assert both.loc["alphago-lee", "date"] == pd.Timestamp("2016-03-15")
    # systems are dated by their paper, milestones by the event: they agree within a year
    systems = dlrev.load().systems.set_index("name")
    for mid, row in both.iterrows():
        first = min(systems.loc[s, "date"] for s in row["systems"].split(";"))
        assert abs(row["date"] - first) <= pd.Timedelta(days=366), mid


# --- the command line ---------------------------------------------------------------------------

def test_data_show_prints_the_full_row(cli) -> None:
    result = cli("data", "show", "AlphaGo Zero", "--json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["source_url"] == "https://www.nature.com/articles/nature24270"
    assert row["area"] == "games" and row["parameters"] == pytest.approx(46_400_244)
