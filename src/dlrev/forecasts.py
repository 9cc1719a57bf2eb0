"""Forecasts and predictions against what happened: a scored record.

Pure functions over the catalog's `forecasts`, `predictions`, `benchmarks` and
`benchmark_results` tables (no I/O):

    score_forecasts(catalog, as_of=None) -> ForecastScores
        `.table`: one row per forecast: the outcome (published, or resolved from our results
        table when the target date has passed and no resolution was published), where it fell
        ('below', 'inside', 'above' the interval; computed from the bounds when published, else
        as the source reported it), its percentile in the forecast distribution, the naive
        trend's value on the target date, and a plain sentence;
        `.summary`: how many outcomes came faster than the forecasters' range, slower, inside it.
        Two kinds of forecast: 'value' (a benchmark score on a target date; a higher score than
        the range is faster for a higher-is-better metric) and 'date' (when an event happens, in
        decimal years; an event before the range is faster). `speed` reads each position that way.
    compare_with_trend(catalog, results=None) -> DataFrame
        per forecast: a straight line through the state-of-the-art records known at the forecast
        date (trends.fit_one), its value at the target date with a bootstrap interval.
    prediction_timeline(catalog) -> DataFrame
    outcome_percentile(outcome, median, low, high, level) -> float

Percentiles. Only a median and an interval are published, so the forecast distribution is
approximated by a two-piece normal through them: the lower half has the spread implied by
(median - low), the upper half by (high - median), for a central interval of the stated level.
It approximates the forecasters' distribution; rows without both bounds and a level get none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from dlrev import trends
from dlrev.catalog import Catalog
from dlrev.errors import DataError, where
from dlrev.forecast_words import sentence
from dlrev.schema import decimal_year

POSITIONS = ("below", "inside", "above")
SPEEDS = ("faster", "inside", "slower")
KINDS = ("value", "date")
TREND_MIN_RECORDS = 3  # trends.fit_one fits nothing below this
TREND_CI = 0.9
TREND_BOOTSTRAP = 1000
TREND_SEED = 0


def outcome_percentile(outcome: float, median: float, low: float, high: float,
                       level: float) -> float:
    """Percentile (0-100) of `outcome` under a two-piece normal through median and interval."""
    vals = np.array([outcome, median, low, high, level], dtype=float)
    if np.isnan(vals).any() or not (0 < level < 1) or not (low < median < high):
        return float("nan")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    sigma = (median - low) / z if outcome < median else (high - median) / z
    return float(100 * NormalDist().cdf((outcome - median) / sigma))


def position_of(outcome: float, low: float, high: float) -> str | None:
    """'below', 'inside' or 'above' [low, high]; None when any is missing."""
    if np.isnan(outcome) or np.isnan(low) or np.isnan(high):
        return None
    if outcome < low:
        return "below"
    if outcome > high:
        return "above"
    return "inside"


def speed_of(position: str | None, kind: str = "value", direction: str = "higher") -> str | None:
    """Read a position on the number line as progress: 'faster', 'slower' or 'inside'.

    A score above the range is faster when higher is better (below it when lower is better);
    an event dated before the range is faster."""
    if position is None:
        return None
    if position == "inside":
        return "inside"
    earlier_is_faster = kind == "date" or direction == "lower"
    return "faster" if (position == "below") == earlier_is_faster else "slower"


def median_speed(miss: float, kind: str = "value", direction: str = "higher",
                 prob_by_target: float = float("nan"), by_target: bool = False) -> str | None:
    """'faster', 'slower' or 'as forecast' against the median (miss = outcome - median).

    Without a median, a date forecast that gave the event less than 50% by the target date put
    its median after the target; an event by the target date then came faster than the median."""
    if not np.isnan(miss):
        if miss == 0:
            return "as forecast"
        earlier_is_faster = kind == "date" or direction == "lower"
        return "faster" if (miss < 0) == earlier_is_faster else "slower"
    if kind == "date" and by_target and not np.isnan(prob_by_target) and prob_by_target < 0.5:
        return "faster"
    return None


def main_series(results: pd.DataFrame, benchmark: str,
                direction: str = "higher") -> pd.DataFrame:
    """A benchmark's results in its main series (no `series` label), by date, the best of a
    day first (so a worse result on the same day is not a record)."""
    r = results[(results["benchmark"] == benchmark) & results["series"].isna()]
    return r.sort_values(["date", "value"], ascending=[True, direction == "lower"],
                         kind="stable")


def records_before(results: pd.DataFrame, benchmark: str, when: pd.Timestamp,
                   direction: str = "higher") -> pd.DataFrame:
    """State-of-the-art records (each result that beat every earlier one) dated on or before
    `when`, in the benchmark's main series."""
    r = main_series(results, benchmark, direction)
    r = r[r["date"] <= when]
    if r.empty:
        return r
    v = r["value"].to_numpy(dtype=float)
    best = np.minimum.accumulate(v) if direction == "lower" else np.maximum.accumulate(v)
    prev = np.concatenate([[np.nan], best[:-1]])
    new = np.isnan(prev) | ((v < prev) if direction == "lower" else (v > prev))
    return r[new]


def best_by(results: pd.DataFrame, benchmark: str, when: pd.Timestamp,
            direction: str = "higher") -> pd.Series | None:
    """The best main-series result dated on or before `when` (None if there is none)."""
    rec = records_before(results, benchmark, when, direction)
    return None if rec.empty else rec.iloc[-1]


@dataclass
class ForecastScores:
    """Per-forecast scores and a summary of where the outcomes fell."""

    table: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "forecasts": self.table.to_dict(orient="records")}


def _bench_info(catalog: Catalog) -> dict[str, dict[str, Any]]:
    return {str(b["name"]): b.to_dict() for _, b in catalog.benchmarks.iterrows()}


def _kind(value: Any) -> str:
    return value if isinstance(value, str) and value in KINDS else "value"


YEAR_RANGE = (1800.0, 2500.0)  # a date forecast's figures are years; a score here is a slip


def check_forecasts(f: pd.DataFrame, file: str = "forecasts.csv") -> None:
    """Raise DataError at the first row whose figures do not fit its kind."""
    for i, r in f.reset_index(drop=True).iterrows():
        row = int(str(i)) + 1
        if _kind(r.get("kind")) == "value":
            if pd.notna(r.get("outcome_date")):
                raise DataError(
                    f"{where(file, row, 'outcome_date')}: only a forecast of kind 'date' has an "
                    "outcome date; a score forecast's outcome goes in 'outcome'.",
                    file=file, row=row, column="outcome_date", value=r.get("outcome_date"))
            continue
        if pd.notna(r["outcome"]):
            raise DataError(
                f"{where(file, row, 'outcome')}: a date forecast's outcome is the day the event "
                "happened; put it in 'outcome_date' and leave 'outcome' empty.",
                file=file, row=row, column="outcome", value=r["outcome"])
        for col in ("median", "low", "high"):
            v = r[col]
            if pd.notna(v) and not YEAR_RANGE[0] <= float(v) <= YEAR_RANGE[1]:
                raise DataError(
                    f"{where(file, row, col)}: {v!r} is not a year; a date forecast gives its "
                    "median and range as decimal years (e.g. 2030.5).",
                    file=file, row=row, column=col, value=v)


def score_forecasts(catalog: Catalog, as_of: pd.Timestamp | None = None,
                    results: pd.DataFrame | None = None) -> ForecastScores:
    """Resolve, score and describe every forecast; `as_of` (default today) decides which target
    dates have passed."""
    check_forecasts(catalog.forecasts)
    res = catalog.benchmark_results if results is None else results
    today = pd.Timestamp.today().normalize() if as_of is None else pd.Timestamp(as_of)
    info = _bench_info(catalog)
    trend = compare_with_trend(catalog, res).set_index("row")
    rows = []
    for i, r in catalog.forecasts.reset_index(drop=True).iterrows():
        kind = _kind(r.get("kind"))
        b = info.get(str(r["benchmark"]), {}) if kind == "value" else {}
        direction = str(b.get("direction") or "higher")
        outcome, system = float(r["outcome"]), r["outcome_system"]
        out_url = r["outcome_source_url"]
        basis: str | None = "published"
        when = r.get("outcome_date")
        if kind == "date":
            # a date forecast resolves when the event has happened (by `as_of`)
            happened = isinstance(when, pd.Timestamp) and when <= today
            outcome = float(decimal_year(pd.Series([when])).iloc[0]) if happened else np.nan
            if not happened:
                basis, system, out_url = None, None, None
        elif np.isnan(outcome):
            basis = None
            best = (best_by(res, r["benchmark"], r["target_date"], direction)
                    if r["target_date"] <= today else None)
            if best is not None:
                outcome, system, out_url = float(best["value"]), best["system"], best["source_url"]
                basis = "results table"
        median = float(r["median"])
        low, high, level = float(r["low"]), float(r["high"]), float(r["interval_level"])
        pos = position_of(outcome, low, high)
        pos_source = "computed" if pos else None
        if pos is None and basis == "published" and isinstance(r["reported_position"], str):
            pos, pos_source = r["reported_position"], "reported"
        half = (high - median) if outcome >= median else (median - low)
        prob = float(r["reported_outcome_probability"])
        by_target = basis is not None and kind == "date" and when <= r["target_date"]
        t = trend.loc[i]
        row = {
            "question": r["question"], "benchmark": r["benchmark"], "kind": kind,
            "forecaster": r["forecaster"], "publisher": r["publisher"],
            "forecast_date": r["forecast_date"], "target_date": r["target_date"],
            "horizon_years": (r["target_date"] - r["forecast_date"]).days / 365.25,
            "sota_at_forecast": r["sota_at_forecast"], "median": median, "low": low,
            "high": high, "interval_level": level, "reported_outcome_probability": prob,
            "outcome": outcome, "outcome_date": when if kind == "date" else pd.NaT,
            "outcome_system": system, "outcome_basis": basis,
            "resolved": basis is not None, "position": pos, "position_source": pos_source,
            "outside": None if pos is None else pos != "inside",
            "speed": speed_of(pos, kind, direction),
            "median_speed": (median_speed(outcome - median, kind, direction, prob, by_target)
                             if basis is not None else None),
            "percentile": outcome_percentile(outcome, median, low, high, level),
            "miss": outcome - median,
            "miss_in_half_widths": (outcome - median) / half if half and half > 0 else np.nan,
            "trend": t["trend"], "trend_low": t["trend_low"], "trend_high": t["trend_high"],
            "trend_records": t["records_used"], "trend_note": t["note"],
            "trend_slope_per_year": t["trend_slope_per_year"], "persistence": t["persistence"],
            "closer": _closer(outcome, t["trend"], median),
            "unit": b.get("unit") if isinstance(b.get("unit"), str) else "",
            "source_url": r["source_url"], "outcome_source_url": out_url, "notes": r["notes"],
        }
        row["sentence"] = sentence(row, today)
        rows.append(row)
    table = pd.DataFrame(rows)
    return ForecastScores(table, summarize(table))


# --- the summary ---------------------------------------------------------------------------------

def summarize(t: pd.DataFrame) -> dict[str, Any]:
    """Counts of outcomes faster than, slower than and inside the forecasters' range (and
    against the median where only a median was published), and one line."""
    if t.empty:
        return {"forecasts": 0, "resolved": 0, "text": "No forecasts."}
    resolved = t[t["resolved"]]
    ranged = resolved[resolved["speed"].notna()]
    counts = {p: int((ranged["speed"] == p).sum()) for p in SPEEDS}
    median_only = resolved[resolved["speed"].isna() & resolved["median_speed"].notna()]
    m_counts = {p: int((median_only["median_speed"] == p).sum()) for p in ("faster", "slower")}
    scored = pd.concat([ranged["speed"], median_only["median_speed"]])
    text = (f"Of {len(ranged)} resolved forecasts scored against a range, {counts['faster']} "
            "outcomes came faster than the forecasters' range (a score above it, or an event "
            f"before it), {counts['slower']} slower and {counts['inside']} inside")
    if len(median_only):
        text += (f"; of {len(median_only)} more with only a median (or a probability that puts "
                 f"the median after the target date), {m_counts['faster']} came faster than the "
                 f"median and {m_counts['slower']} slower")
    text += (f". In all, {int((scored == 'faster').sum())} of {len(scored)} scored outcomes "
             f"came faster than forecast and {int((scored == 'slower').sum())} slower.")
    groups = []
    for year, g in ranged.groupby(ranged["target_date"].dt.year, sort=True):
        groups.append({"target_year": int(year), "scored": int(len(g)),
                       **{p: int((g["speed"] == p).sum()) for p in SPEEDS}})
    publishers = sorted(resolved["publisher"].dropna().astype(str).unique())
    return {
        "forecasts": int(len(t)), "resolved": int(len(resolved)),
        "resolved_from_table": int((resolved["outcome_basis"] == "results table").sum()),
        "sources": len(publishers), "publishers": publishers,
        "by_kind": {k: int((resolved["kind"] == k).sum()) for k in KINDS},
        "with_range": int(len(ranged)), **counts,
        "median_only": int(len(median_only)), "median_faster": m_counts["faster"],
        "median_slower": m_counts["slower"], "scored": int(len(scored)),
        "scored_faster": int((scored == "faster").sum()),
        "scored_slower": int((scored == "slower").sum()),
        "unscored": int(len(resolved) - len(scored)), "groups": groups, "text": text,
    }


# --- the naive trend ----------------------------------------------------------------------------

def naive_trend(records: pd.DataFrame, target: pd.Timestamp, *, log: bool = False,
                floor: float = -np.inf, ceiling: float = np.inf,
                label: str = "records") -> dict[str, Any]:
    """trends.fit_one through `records` (value against decimal year; log10 values when `log`),
    evaluated at `target` with a bootstrap interval, clipped to [floor, ceiling]."""
    x = decimal_year(records["date"]).to_numpy(dtype=float)
    y = records["value"].to_numpy(dtype=float)
    y = np.log10(y) if log else y
    era = trends.fit_one(x, y, label=label, bootstrap=TREND_BOOTSTRAP, ci=TREND_CI,
                         rng=np.random.default_rng(TREND_SEED))
    out: dict[str, Any] = {"records_used": len(records), "fit": era, "trend": np.nan,
                           "trend_low": np.nan, "trend_high": np.nan,
                           "trend_slope_per_year": np.nan}
    if not era.fitted:
        out["note"] = (f"no straight line: {len(records)} state-of-the-art record(s) before the "
                       f"forecast date, the trend engine needs at least {TREND_MIN_RECORDS}")
        return out
    tx = float(decimal_year(pd.Series([target])).iloc[0])

    def back(v: np.ndarray | float) -> np.ndarray:
        return np.clip(10 ** np.asarray(v) if log else np.asarray(v), floor, ceiling)

    out["trend"] = float(back(era.predict_log10(tx)))
    if era.boot_slopes is not None and len(era.boot_slopes):
        lo, hi = trends.percentile_interval(
            back(era.boot_intercepts + era.boot_slopes * tx), TREND_CI)
        out["trend_low"], out["trend_high"] = lo, hi
    out["trend_slope_per_year"] = float(era.slope) if not log else np.nan
    out["note"] = f"straight line through {len(records)} records (trends.fit_one)" + (
        f"; {era.note}" if era.note else "")
    return out


def compare_with_trend(catalog: Catalog, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per forecast: the naive straight-line extrapolation of the state-of-the-art records known
    at the forecast date, beside the forecasters' median (score_forecasts adds the outcome).

    'persistence' is the best result at the forecast date (no progress)."""
    res = catalog.benchmark_results if results is None else results
    info = _bench_info(catalog)
    rows = []
    for i, f in catalog.forecasts.reset_index(drop=True).iterrows():
        b = info.get(str(f["benchmark"]), {})
        direction = str(b.get("direction") or "higher")
        rec = records_before(res, f["benchmark"], f["forecast_date"], direction)
        lo, hi = b.get("chance"), b.get("ceiling")
        t = naive_trend(rec, f["target_date"], log=b.get("scale") == "log",
                        floor=float(lo) if lo is not None and pd.notna(lo) else -np.inf,
                        ceiling=float(hi) if hi is not None and pd.notna(hi) else np.inf,
                        label=f"{f['benchmark']} records to {f['forecast_date']:%Y-%m-%d}")
        if _kind(f.get("kind")) == "date":
            t["note"] = ("no straight line: a forecast of when an event happens, not of a "
                         "benchmark score")
        elif not b:
            t["note"] = "no straight line: the benchmark is not in our results table"
        y = rec["value"].to_numpy(dtype=float)
        persistence = (float(y.max() if direction == "higher" else y.min()) if len(y)
                       else np.nan)
        rows.append({
            "row": i, "question": f["question"], "benchmark": f["benchmark"],
            "forecaster": f["forecaster"],
            "forecast_date": f["forecast_date"], "target_date": f["target_date"],
            "records_used": t["records_used"], "trend_slope_per_year": t["trend_slope_per_year"],
            "trend": t["trend"], "trend_low": t["trend_low"], "trend_high": t["trend_high"],
            "note": t["note"], "persistence": persistence, "median": float(f["median"]),
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
