"""Read Epoch AI's benchmark-stitching tables as the long table the capability index fits.

    read_stitching(folder) -> StitchingTables
        folder: the `data/` folder of github.com/epoch-research/benchmark-stitching (MIT licence,
        Copyright (c) 2025 Epoch AI): one `external_benchmark_<name>.csv` per benchmark,
        `benchmarks_runs.csv` (Epoch's own runs, scored as fractions) and `model_versions.csv`
        (release dates and display names).

The reader is generous: a row without a model id, with a blank or unreadable score, or with a
score outside the benchmark's range is skipped and counted by reason, never guessed. A folder that
is not such a folder at all (no model_versions.csv, no benchmark table, a table without its score
column) is a DataError naming the file.

Which tables and columns are read, each benchmark's chance level and the scale of bare numbers are
listed in TABLES (docs/capability.md says why).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dlrev.csvio import read_text_frame
from dlrev.errors import DataError
from dlrev.jsonio import atomic_write

ATTRIBUTION = ("Epoch AI, benchmark-stitching data (github.com/epoch-research/benchmark-"
               "stitching), MIT licence, Copyright (c) 2025 Epoch AI")


@dataclass(frozen=True)
class Table:
    """One benchmark: where its scores are and how to read them."""

    benchmark: str  # the name Epoch's fit uses
    file: str  # file name in the folder
    column: str  # score column
    bare_scale: float  # a bare number is divided by this (100: percent; 10: a 0-10 mark; 1)
    chance: float  # score of random guessing, as a fraction
    task: str | None = None  # row filter for benchmarks_runs.csv


RUNS = "benchmarks_runs.csv"
RUNS_SCORE = "Best score (across scorers)"


def _ext(stem: str, benchmark: str, column: str, chance: float = 0.0,
         bare: float = 100.0) -> Table:
    return Table(benchmark, f"external_benchmark_{stem}.csv", column, bare, chance)


def _run(task: str, chance: float = 0.0) -> Table:
    return Table(task, RUNS, RUNS_SCORE, 1.0, chance, task=task)


# The benchmarks in the fit: those of Epoch's own loader (data_loader.py in the repository),
# with its score columns and its random-guess baselines (data_loader_rescale.py). Left out, as
# Epoch leaves them out: BoolQ (already part of SuperGLUE), MC-Bench (an arena win rate), METR
# (a time horizon, not a score) and the public FrontierMath splits (the private ones are used).
TABLES: tuple[Table, ...] = (
    _run("GPQA diamond", 0.25),
    _run("FrontierMath-2025-02-28-Private"),
    _run("FrontierMath-Tier-4-2025-07-01-Private"),
    _run("MATH level 5"),
    _run("OTIS Mock AIME 2024-2025", 0.001),
    _run("SWE-Bench verified"),
    _ext("aider_polyglot", "Aider polyglot", "Percent correct"),
    _ext("anli", "ANLI", "Score", 1 / 3),
    _ext("arc_agi", "ARC-AGI", "Score"),
    _ext("arc_ai2", "ARC AI2", "Challenge score", 0.25),
    _ext("balrog", "Balrog", "Average progress"),
    _ext("bbh", "BBH", "Average", 0.25),
    _ext("cadeval", "CadEval", "Overall pass (%)"),
    _ext("csqa2", "CSQA2", "Score", 0.5),
    _ext("cybench", "Cybench", "Unguided % Solved"),
    _ext("deepresearch", "DeepResearch Bench", "Average score"),
    _ext("factorio_learning_environment", "Factorio learning environment", "Lab Success %"),
    _ext("fictionlivebench", "Fiction.LiveBench", "16k token score"),
    _ext("geobench", "GeoBench", "ACW Country %"),
    _ext("gsm8k", "GSM8K", "EM"),
    _ext("gso_bench", "GSO-Bench", "Score OPT@1"),
    _ext("hellaswag", "HellaSwag", "Overall accuracy", 0.25),
    _ext("lambada", "LAMBADA", "Score"),
    _ext("lech_mazur_writing", "Lech Mazur Writing", "Mean score", bare=10.0),
    _ext("livebench", "LiveBench", "Global average"),
    _ext("mmlu", "MMLU", "EM", 0.25),
    _ext("openbookqa", "OpenBookQA", "Accuracy", 0.25),
    _ext("os_world", "OSWorld", "Score"),
    _ext("osuniverse", "OSUniverse", "Weighted Score"),
    _ext("piqa", "PIQA", "Score", 0.5),
    _ext("scienceqa", "ScienceQA", "Score", 0.25),
    _ext("simple_bench", "SimpleBench", "Score (AVG@5)"),
    _ext("superglue", "SuperGLUE", "Score"),
    _ext("terminal_bench", "Terminal Bench", "Accuracy mean"),
    _ext("the_agent_company", "The Agent Company", "% Resolved"),
    _ext("triviaqa", "TriviaQA", "EM"),
    _ext("videomme", "VideoMME", "Overall (no subtitles)", 0.25),
    _ext("vpct", "VPCT", "Correct"),
    _ext("weirdml", "WeirdML", "Accuracy"),
    _ext("winogrande", "Winogrande", "Accuracy", 0.5),
)

SCORE_COLUMNS = ["benchmark", "model", "score", "chance", "setting", "source", "file", "row"]


@dataclass
class StitchingTables:
    """Every usable score row, the models' dates and names, and what was skipped and why.

    scores: benchmark, model (Epoch's model version id), score (fraction of the benchmark's
    ceiling, before chance correction), chance, setting (shots or scorer notes), source, file,
    row (1-based data row in file). models: model, name (display name), date (release date,
    NaT when unknown)."""

    scores: pd.DataFrame
    models: pd.DataFrame
    folder: str
    skipped: dict[str, int] = field(default_factory=dict)
    missing_tables: list[str] = field(default_factory=list)
    attribution: str = ATTRIBUTION

    def to_dict(self) -> dict[str, Any]:
        per = self.scores.groupby("benchmark").size().to_dict() if len(self.scores) else {}
        return {"folder": self.folder, "rows": int(len(self.scores)),
                "per_benchmark": {str(k): int(v) for k, v in per.items()},
                "skipped": dict(self.skipped), "missing_tables": list(self.missing_tables),
                "attribution": self.attribution}


def _count(skipped: dict[str, int], reason: str, n: int) -> None:
    if n:
        skipped[reason] = skipped.get(reason, 0) + int(n)


def lenient_scores(text: pd.Series, bare_scale: float) -> np.ndarray:
    """'86.4%' -> 0.864; a bare number is divided by bare_scale; anything unreadable -> NaN."""
    s = text.fillna("").astype(str).str.strip().str.replace(",", "", regex=False)
    pct = s.str.endswith("%")
    body = s.where(~pct, s.str[:-1].str.strip())
    vals = pd.to_numeric(body, errors="coerce").to_numpy(dtype=float)
    return np.where(pct.to_numpy(), vals / 100.0, vals / bare_scale)


def read_models(folder: Path) -> pd.DataFrame:
    """model_versions.csv -> model, name, date (unreadable dates become NaT)."""
    path = folder / "model_versions.csv"
    if not path.is_file():
        raise DataError(f"{folder}: no model_versions.csv, so this is not Epoch's benchmark-"
                        f"stitching data folder (external_benchmark_*.csv and "
                        f"model_versions.csv).", file=str(folder))
    mv = read_text_frame(path)
    mv.columns = [str(c).lstrip("\ufeff").strip() for c in mv.columns]
    if "id" not in mv.columns:
        raise DataError(f"{path}: expected a column 'id' (Epoch's model version ids).",
                        file=str(path), column="id")
    ids = mv["id"].str.strip()

    def col(name: str) -> pd.Series:
        return (mv[name].str.strip() if name in mv.columns
                else pd.Series("", index=mv.index))

    name = col("Unique display name")
    for alt in ("Display name", "Model"):
        name = name.where(name.ne(""), col(alt))
    name = name.where(name.ne(""), ids)
    date = pd.to_datetime(col("Version release date"), format="%Y-%m-%d", errors="coerce")
    out = pd.DataFrame({"model": ids, "name": name, "date": date})
    out = out[ids.ne("")]
    return out.drop_duplicates("model", keep="first").reset_index(drop=True)


def _read_table(folder: Path, table: Table, cache: dict[str, pd.DataFrame],
                skipped: dict[str, int]) -> pd.DataFrame | None:
    path = folder / table.file
    if not path.is_file():
        return None
    if table.file not in cache:
        raw = read_text_frame(path)
        raw.columns = [str(c).lstrip("\ufeff").strip() for c in raw.columns]
        cache[table.file] = raw
    raw = cache[table.file]
    model_col = "model" if table.task else "Model version"
    for c in (table.column, model_col, *(["task"] if table.task else [])):
        if c not in raw.columns:
            raise DataError(f"{path}: expected a column {c!r}, which the capability index "
                            f"reads.", file=str(path), column=c)
    rows = np.arange(1, len(raw) + 1)
    if table.task:
        keep = raw["task"].str.strip().eq(table.task).to_numpy()
        raw, rows = raw[keep], rows[keep]
    model = raw[model_col].str.strip()
    score = lenient_scores(raw[table.column], table.bare_scale)
    blank = raw[table.column].str.strip().eq("").to_numpy()
    no_model = model.eq("").to_numpy()
    bad = np.isnan(score) & ~blank
    out_of_range = ~np.isnan(score) & ((score < 0) | (score > 1))
    _count(skipped, "no model id", no_model.sum())
    _count(skipped, "no score", (blank & ~no_model).sum())
    _count(skipped, "unreadable score", (bad & ~no_model).sum())
    _count(skipped, "score outside 0-100%", (out_of_range & ~no_model).sum())
    ok = ~no_model & ~np.isnan(score) & ~out_of_range
    setting = (raw["Shots"].str.strip() if "Shots" in raw.columns
               else pd.Series("", index=raw.index))
    source = (raw["Source"].str.strip() if "Source" in raw.columns
              else pd.Series("Epoch AI evaluations" if table.task else "", index=raw.index))
    return pd.DataFrame({
        "benchmark": table.benchmark, "model": model.to_numpy()[ok], "score": score[ok],
        "chance": table.chance, "setting": setting.to_numpy()[ok],
        "source": source.to_numpy()[ok], "file": table.file, "row": rows[ok],
    })


def read_stitching(folder: str | Path) -> StitchingTables:
    """Epoch's benchmark-stitching tables -> StitchingTables (see the module doc)."""
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{root}: not a folder; expected Epoch's benchmark-stitching tables "
                        f"(external_benchmark_*.csv and model_versions.csv).", file=str(root))
    models = read_models(root)
    skipped: dict[str, int] = {}
    cache: dict[str, pd.DataFrame] = {}
    frames, missing = [], []
    for table in TABLES:
        got = _read_table(root, table, cache, skipped)
        if got is None:
            missing.append(table.benchmark)
        else:
            frames.append(got)
    if not frames:
        raise DataError(f"{root}: none of the benchmark tables the capability index reads is "
                        f"there (e.g. external_benchmark_winogrande.csv).", file=str(root))
    scores = pd.concat(frames, ignore_index=True)[SCORE_COLUMNS]
    return StitchingTables(scores, models, str(root), skipped, missing)


def table_files() -> list[str]:
    """Every file the reader uses (to copy a folder into the cache)."""
    return sorted({"model_versions.csv", *(t.file for t in TABLES)})


def install_tables(folder: str | Path, dest: Path) -> list[str]:
    """Copy the files the reader uses from `folder` into `dest` (after reading them once, so a
    broken folder raises before anything is written); each file is written atomically, and the
    licence file travels with them. Returns the names copied."""
    root = Path(folder)
    read_stitching(root)
    names = [n for n in table_files() if (root / n).is_file()]
    names += [p.name for p in root.glob("LICENSE*") if p.is_file()]
    dest.mkdir(parents=True, exist_ok=True)
    for n in names:
        atomic_write(dest / n, (root / n).read_bytes())
    for old in dest.iterdir():  # files a previous import had and this folder lacks
        if old.is_file() and old.name not in names:
            old.unlink()
        elif old.is_dir():
            shutil.rmtree(old)
    return names


def cached_tables() -> Path:
    """Where `dlrev data import-benchmarks DIR` keeps its copy (under the user's cache)."""
    from dlrev.paths import cache_dir

    return cache_dir() / "benchmarks" / "stitching"


def has_cached_tables() -> bool:
    return (cached_tables() / "model_versions.csv").is_file()
