"""Forecasts and predictions against what happened.

Pure functions over the catalog's `forecasts`, `predictions`, `benchmarks` and
`benchmark_results` tables (no I/O):

    score_forecasts(catalog) -> ForecastScores
        `.table`: one row per forecast with the outcome's position relative to the interval
        ('below', 'inside', 'above'; computed from the bounds when published, else as the source
        reported it), its approximate percentile in the forecast distribution, the miss
        (outcome - median) and the miss in units of the interval's half-width;
        `.summary`: counts, e.g. '2 of 4 outcomes fell outside the 90% interval'.
    compare_with_trend(catalog, results=None) -> DataFrame
        per forecast: a naive straight-line extrapolation of the state-of-the-art records known
        at the forecast date, beside the forecasters' median and the outcome.
    prediction_timeline(catalog) -> DataFrame
        the predictions sorted by date made, with decimal years and the lead time.
    outcome_percentile(outcome, median, low, high, level) -> float

Percentiles. Only a median and an interval are published, so the forecast distribution is
approximated by a two-piece normal through them: the lower half has the spread implied by
(median - low), the upper half by (high - median), for a central interval of the stated level.
It is an approximation of the forecasters' distribution, not their distribution; rows without
both bounds and a level get no percentile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from dlrev.catalog import Catalog
from dlrev.schema import decimal_year

POSITIONS = ("below", "inside", "above")


def outcome_percentile(outcome: float, median: float, low: float, high: float,
                       level: float) -> float:
    """Percentile (0-100) of `outcome` under a two-piece normal through median and interval."""
    vals = np.array([outcome, median, low, high, level], dtype=float)
    if np.isnan(vals).any() or not (0 < level < 1) or not (low < median < high):
        return float("nan")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    sigma = (median - low) / z if outcome < median else (high - median) / z
    return float(100 * NormalDist().cdf((outcome - median) / sigma))


def _position(outcome: float, low: float, high: float) -> str | None:
    if np.isnan(outcome) or np.isnan(low) or np.isnan(high):
        return None
    if outcome < low:
        return "below"
    if outcome > high:
        return "above"
    return "inside"


@dataclass
class ForecastScores:
    """Per-forecast scores and a summary of how many outcomes fell outside their intervals."""

    table: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "forecasts": self.table.to_dict(orient="records")}


def score_forecasts(catalog: Catalog) -> ForecastScores:
    """Where each outcome fell relative to its forecast, and how many fell outside."""
    f = catalog.forecasts.copy()
    rows = []
    for _, r in f.iterrows():
        outcome, median = float(r["outcome"]), float(r["median"])
        low, high, level = float(r["low"]), float(r["high"]), float(r["interval_level"])
        pos = _position(outcome, low, high)
        pos_source = "computed" if pos else None
        if pos is None and not np.isnan(outcome) and isinstance(r["reported_position"], str):
            pos, pos_source = r["reported_position"], "reported"
        half = (high - median) if outcome >= median else (median - low)
        rows.append({
            "question": r["question"], "benchmark": r["benchmark"],
            "forecaster": r["forecaster"], "forecast_date": r["forecast_date"],
            "target_date": r["target_date"], "horizon_years": (
                (r["target_date"] - r["forecast_date"]).days / 365.25),
            "sota_at_forecast": r["sota_at_forecast"], "median": median, "low": low,
            "high": high, "interval_level": level, "outcome": outcome,
            "outcome_system": r["outcome_system"], "resolved": not np.isnan(outcome),
            "position": pos, "position_source": pos_source,
            "outside": None if pos is None else pos != "inside",
            "percentile": outcome_percentile(outcome, median, low, high, level),
            "miss": outcome - median,
            "miss_in_half_widths": (outcome - median) / half if half and half > 0 else np.nan,
            "source_url": r["source_url"], "outcome_source_url": r["outcome_source_url"],
            "notes": r["notes"],
        })
    table = pd.DataFrame(rows)
    return ForecastScores(table, _summary(table))


def _summary(t: pd.DataFrame) -> dict[str, Any]:
    if t.empty:
        return {"forecasts": 0, "resolved": 0, "groups": [], "text": "no forecasts."}
    groups = []
    scored = t[t["position"].notna()]
    for (target, level), g in scored.groupby([t["target_date"].dt.year,
                                              t["interval_level"].fillna(-1)], sort=True):
        n = len(g)
        out = int(g["outside"].sum())
        above = int((g["position"] == "above").sum())
        below = int((g["position"] == "below").sum())
        interval = (f"the {int(round(level * 100))}% interval" if level > 0
                    else "the stated range (level not published)")
        groups.append({
            "target_year": int(target), "interval_level": None if level < 0 else float(level),
            "scored": n, "outside": out, "above": above, "below": below,
            "higher_than_median": int((g["miss"] > 0).sum()),
            "text": f"{target}: {out} of {n} outcomes fell outside {interval} "
                    f"({above} above, {below} below)",
        })
    resolved = t[t["resolved"] & t["median"].notna()]
    return {
        "forecasts": int(len(t)),
        "resolved": int(t["resolved"].sum()),
        "scored": int(len(scored)),
        "outside": int(scored["outside"].sum()),
        "above_median": int((resolved["miss"] > 0).sum()),
        "with_median": int(len(resolved)),
        "groups": groups,
        "text": "; ".join(str(g["text"]) for g in groups) + "." if groups
        else "no scored forecasts.",
    }


def _records_before(results: pd.DataFrame, benchmark: str, when: pd.Timestamp,
                    direction: str) -> pd.DataFrame:
    r = results[(results["benchmark"] == benchmark) & (results["date"] <= when)]
    r = r.sort_values("date", kind="stable")
    if r.empty:
        return r
    v = r["value"].to_numpy(dtype=float)
    best = np.minimum.accumulate(v) if direction == "lower" else np.maximum.accumulate(v)
    prev = np.concatenate([[np.nan], best[:-1]])
    new = np.isnan(prev) | ((v < prev) if direction == "lower" else (v > prev))
    return r[new]


def compare_with_trend(catalog: Catalog, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """Naive straight-line extrapolation of SOTA records vs the forecasters' median.

    The 'trend' forecast is a least-squares line through the state-of-the-art records (value vs
    decimal year) dated on or before the forecast date, clipped to the benchmark's chance and
    ceiling; it needs at least two records on different dates. The 'persistence' forecast is
    the best result at the forecast date (no progress).
    """
    res = catalog.benchmark_results if results is None else results
    b = catalog.benchmarks.set_index("name")
    rows = []
    for _, f in catalog.forecasts.iterrows():
        direction = b.at[f["benchmark"], "direction"] if f["benchmark"] in b.index else "higher"
        rec = _records_before(res, f["benchmark"], f["forecast_date"], direction)
        x = decimal_year(rec["date"]).to_numpy() if len(rec) else np.array([])
        y = rec["value"].to_numpy(dtype=float) if len(rec) else np.array([])
        tx = float(decimal_year(pd.Series([f["target_date"]])).iloc[0])
        trend, slope = float("nan"), float("nan")
        if len(np.unique(x)) >= 2:
            slope, icpt = np.polyfit(x, y, 1)
            trend = float(slope * tx + icpt)
            lo = b.at[f["benchmark"], "chance"] if f["benchmark"] in b.index else np.nan
            hi = b.at[f["benchmark"], "ceiling"] if f["benchmark"] in b.index else np.nan
            lo_f = float(lo) if pd.notna(lo) else -np.inf
            hi_f = float(hi) if pd.notna(hi) else np.inf
            trend = min(max(trend, lo_f), hi_f)
        persistence = float(y.max() if direction == "higher" else y.min()) if len(y) else np.nan
        outcome, median = float(f["outcome"]), float(f["median"])
        rows.append({
            "question": f["question"], "benchmark": f["benchmark"],
            "forecast_date": f["forecast_date"], "target_date": f["target_date"],
            "records_used": len(rec), "trend_slope_per_year": slope,
            "trend": trend, "persistence": persistence, "median": median, "outcome": outcome,
            "trend_error": outcome - trend, "median_error": outcome - median,
            "closer": _closer(outcome, trend, median),
        })
    return pd.DataFrame(rows)


def _closer(outcome: float, trend: float, median: float) -> str | None:
    if np.isnan(outcome) or np.isnan(trend) or np.isnan(median):
        return None
    dt, dm = abs(outcome - trend), abs(outcome - median)
    return "trend" if dt < dm else "forecasters" if dm < dt else "tie"


def prediction_timeline(catalog: Catalog) -> pd.DataFrame:
    """Predictions sorted by date made, with decimal years and lead time to the predicted year."""
    p = catalog.predictions.copy()
    p["made_year"] = decimal_year(p["made"]) if len(p) else pd.Series(dtype=float)
    p["lead_years"] = p["predicted_year"] - p["made_year"]
    return p.sort_values(["made", "who"], kind="stable").reset_index(drop=True)
