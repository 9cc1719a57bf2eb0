"""From score rows to the fit's input: chance-corrected, one score per (model, benchmark).

Pure: takes the frames dlrev.stitching reads (or any frames with the same columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError

CLIP = 1e-3  # scores are kept in [CLIP, 1 - CLIP], as in Epoch's fit
MIN_BENCHMARKS = 4  # a model needs scores on this many benchmarks (Epoch: more than 3)


@dataclass
class FitInput:
    """One row per (model, benchmark): model, benchmark, y (chance-corrected score in [0, 1]),
    raw (the best reported score), n_rows (how many rows were merged), setting of the best
    row. models: model, name, date (NaT when unknown), n_benchmarks; benchmarks: benchmark,
    chance, n_models. counts: rows in, rows dropped by reason."""

    rows: pd.DataFrame
    models: pd.DataFrame
    benchmarks: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def prepare(scores: pd.DataFrame, models: pd.DataFrame, min_benchmarks: int = MIN_BENCHMARKS,
            since: str | None = None, exclude: list[str] | None = None) -> FitInput:
    """Score rows (benchmark, model, score, chance, setting) and model info (model, name,
    date) -> FitInput. Steps, in order:

    1. rows whose model is not in the model table are dropped (Epoch joins on it too);
    2. with `since`, models released before that date (or undated) are dropped;
    3. each score is corrected for chance, (score - chance) / (1 - chance); a score below
       chance counts as chance (0);
    4. several rows for one model and benchmark (other shots, sources or scorers) become one:
       the highest, as Epoch's loader does;
    5. models with scores on fewer than `min_benchmarks` benchmarks are dropped;
    6. `exclude` leaves out whole benchmarks by name.
    """
    counts: dict[str, int] = {"score rows": int(len(scores))}
    s = scores.copy()
    if exclude:
        unknown = sorted(set(exclude) - set(s["benchmark"]))
        if unknown:
            raise DlrevError(f"cannot exclude {unknown[0]!r}: no such benchmark in the tables "
                             f"(they have {', '.join(sorted(set(s['benchmark'])))}).")
        out = s["benchmark"].isin(exclude)
        counts["excluded benchmark"] = int(out.sum())
        s = s[~out]
    info = models.set_index("model")
    known = s["model"].isin(info.index)
    counts["model not in model_versions.csv"] = int((~known).sum())
    s = s[known]
    if since is not None:
        cut = pd.Timestamp(since)
        when = s["model"].map(info["date"])
        old = ~(when >= cut)
        counts[f"model released before {since} or undated"] = int(old.sum())
        s = s[~old.to_numpy()]
    chance = s["chance"].to_numpy(dtype=float)
    y = (s["score"].to_numpy(dtype=float) - chance) / (1.0 - chance)
    counts["below chance (counted as chance)"] = int((y < 0).sum())
    s = s.assign(y=np.clip(y, 0.0, 1.0))
    # the best row per (model, benchmark); ties keep the first in file order
    s = s.sort_values(["model", "benchmark", "y"], ascending=[True, True, False],
                      kind="mergesort")
    n_rows = s.groupby(["model", "benchmark"], sort=False).size()
    best = s.drop_duplicates(["model", "benchmark"], keep="first").copy()
    best["n_rows"] = n_rows.to_numpy()
    counts["merged duplicates"] = int(len(s) - len(best))
    per_model = best.groupby("model")["benchmark"].nunique()
    few = per_model[per_model < min_benchmarks].index
    drop = best["model"].isin(few)
    counts[f"model with fewer than {min_benchmarks} benchmarks"] = int(drop.sum())
    best = best[~drop]
    if best.empty:
        raise DlrevError("no model has scores on enough benchmarks to fit the capability "
                         f"index (each needs {min_benchmarks}).")
    rows = pd.DataFrame({
        "model": best["model"].to_numpy(), "benchmark": best["benchmark"].to_numpy(),
        "y": best["y"].to_numpy(), "raw": best["score"].to_numpy(),
        "n_rows": best["n_rows"].to_numpy(), "setting": best["setting"].to_numpy(),
    }).reset_index(drop=True)
    counts["fit rows"] = int(len(rows))
    m = (rows.groupby("model").size().rename("n_benchmarks").reset_index()
         .merge(models[["model", "name", "date"]], on="model", how="left"))
    b = (rows.groupby("benchmark").size().rename("n_models").reset_index()
         .merge(scores.drop_duplicates("benchmark")[["benchmark", "chance"]], on="benchmark"))
    settings = {"min_benchmarks": min_benchmarks, "since": since, "exclude": exclude or [],
                "duplicates": "highest score per model and benchmark",
                "below_chance": "counted as chance", "clip": CLIP}
    return FitInput(rows, m[["model", "name", "date", "n_benchmarks"]],
                    b[["benchmark", "chance", "n_models"]], counts, settings)
