"""Benchmark progress: state-of-the-art curves and how fast each benchmark saturated.

Pure functions over the catalog's `benchmarks` and `benchmark_results` tables (no I/O):

    sota_curves(catalog, names=None, results=None) -> DataFrame
        one row per result, sorted by date within (benchmark, series), with the running best
        (`best`), whether the result set a new record (`record`), the decimal year, years since
        the benchmark's introduction and `progress` (0 = chance, 1 = human expert or ceiling).
    saturation(catalog, levels=(0.5, 0.8, 0.9), names=None, results=None) -> SaturationTable
        per (benchmark, series): the reference points used, the current best, and the date and
        years since introduction at which the running best first covered 50/80/90% of the way
        from chance to the human-expert level (or ceiling). `.table` is a DataFrame,
        `.to_dict()` is JSON-ready.
    benchmark_info(catalog, name) -> dict       one benchmark's row, matched case-insensitively
    progress_fraction(values, start, target, scale) -> ndarray
    years_to_level(dates, values, introduced, start, target, direction, scale, level)

The `results` argument replaces the catalog's curated results, e.g. with curated plus imported
rows (see `dlrev.benchmark_import`).

How progress is measured. The start is the benchmark's chance level, or its first result when
chance is unknown. The target is the human-expert level, else the human non-expert level, else
the ceiling; benchmarks with none of these (FID, perplexity) get no saturation figures. For
benchmarks whose `scale` is 'log' (error rates, perplexity) the fraction is computed on log10 of
the values, so that 10% -> 1% error counts as much as 1% -> 0.1%. Once the best result passes the
target, progress is above 1 and every level counts as reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.catalog import Catalog
from dlrev.errors import DlrevError
from dlrev.schema import decimal_year

LEVELS = (0.5, 0.8, 0.9)
DAYS_PER_YEAR = 365.25

TARGET_COLUMNS = (("human_expert", "human expert"), ("human_nonexpert", "human non-expert"),
                  ("ceiling", "ceiling"))


def _num(x: Any) -> float:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return f


def benchmark_info(catalog: Catalog, name: str) -> dict[str, Any]:
    """One benchmark's row as a dict, by exact or case-insensitive name."""
    b = catalog.benchmarks
    hit = b[b["name"] == name]
    if hit.empty:
        hit = b[b["name"].str.lower() == name.strip().lower()]
    if hit.empty:
        from dlrev.catalog import suggest

        hint = (suggest(name, b["name"].astype(str).tolist())
                or f" Known benchmarks: {', '.join(b['name'])}.")
        raise DlrevError(f"no benchmark named {name!r}.{hint}")
    return {str(k): v for k, v in hit.iloc[0].to_dict().items()}


def reference_points(bench: dict[str, Any], first_value: float | None = None
                     ) -> tuple[float, str, float, str]:
    """(start, start_kind, target, target_kind) for one benchmark row; NaN where unknown."""
    start = _num(bench.get("chance"))
    start_kind = "chance"
    if np.isnan(start):
        start = _num(first_value)
        start_kind = "first result" if not np.isnan(start) else ""
    target, target_kind = float("nan"), ""
    for col, kind in TARGET_COLUMNS:
        v = _num(bench.get(col))
        if not np.isnan(v):
            target, target_kind = v, kind
            break
    return start, start_kind, target, target_kind


def progress_fraction(values: np.ndarray | pd.Series | float, start: float, target: float,
                      scale: str = "linear") -> np.ndarray:
    """Fraction of the way from `start` to `target` (works for higher- and lower-is-better).

    On a log scale the fraction is taken on log10 of the values; non-positive values or
    references give NaN there.
    """
    v = np.asarray(values, dtype=float)
    if np.isnan(start) or np.isnan(target) or start == target:
        return np.full(v.shape, np.nan)
    if scale == "log":
        if start <= 0 or target <= 0:
            return np.full(v.shape, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            lv = np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan)
        return np.asarray((lv - np.log10(start)) / (np.log10(target) - np.log10(start)))
    return np.asarray((v - start) / (target - start))


def running_best(values: np.ndarray | pd.Series, direction: str) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    return np.minimum.accumulate(v) if direction == "lower" else np.maximum.accumulate(v)


def years_to_level(dates: pd.Series, values: pd.Series, introduced: pd.Timestamp, start: float,
                   target: float, direction: str, scale: str, level: float
                   ) -> tuple[pd.Timestamp | None, float]:
    """First date the running best covered `level` of the way from start to target, and the
    years since `introduced` (NaN, None when not reached or not defined)."""
    order = np.argsort(pd.to_datetime(dates).to_numpy(), kind="stable")
    d = pd.to_datetime(dates).to_numpy()[order]
    best = running_best(np.asarray(values, dtype=float)[order], direction)
    frac = progress_fraction(best, start, target, scale)
    hit = np.flatnonzero(frac >= level - 1e-12)
    if not len(hit):
        return None, float("nan")
    when = pd.Timestamp(d[hit[0]])
    years = (when - pd.Timestamp(introduced)).days / DAYS_PER_YEAR
    return when, float(years)


def _row(b: pd.Series) -> dict[str, Any]:
    return {str(k): v for k, v in b.to_dict().items()}


def _results(catalog: Catalog, results: pd.DataFrame | None) -> pd.DataFrame:
    r = catalog.benchmark_results if results is None else results
    return r.assign(series=r["series"].fillna("").astype(str))


def _select(catalog: Catalog, names: list[str] | None) -> pd.DataFrame:
    b = catalog.benchmarks
    if not names:
        return b
    rows = [benchmark_info(catalog, n)["name"] for n in names]
    return b[b["name"].isin(rows)]


def sota_curves(catalog: Catalog, names: list[str] | None = None,
                results: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every result with its running best, record flag and progress, tidy for plotting."""
    benches = _select(catalog, names)
    res = _results(catalog, results)
    cols = ["benchmark", "series", "date", "year", "years_since_intro", "system", "value",
            "best", "record", "progress", "best_progress", "setting", "source_url", "direction",
            "unit"]
    frames = []
    for _, b in benches.iterrows():
        rb = res[res["benchmark"] == b["name"]]
        for series, g in rb.groupby("series", sort=True):
            g = g.sort_values(["date", "value"], ascending=[True, b["direction"] == "lower"],
                              kind="stable").copy()
            best = running_best(g["value"], b["direction"])
            prev = np.concatenate([[np.nan], best[:-1]])
            improved = (g["value"].to_numpy() < prev) if b["direction"] == "lower" else (
                g["value"].to_numpy() > prev)
            start, _, target, _ = reference_points(_row(b), float(g["value"].iloc[0]))
            scale = b.get("scale") or "linear"
            g["series"] = series
            g["year"] = decimal_year(g["date"]).to_numpy()
            g["years_since_intro"] = ((g["date"] - b["introduced"]).dt.days / DAYS_PER_YEAR)
            g["best"] = best
            g["record"] = np.isnan(prev) | improved
            g["progress"] = progress_fraction(g["value"], start, target, scale)
            g["best_progress"] = progress_fraction(best, start, target, scale)
            g["direction"] = b["direction"]
            g["unit"] = b.get("unit")
            frames.append(g.reindex(columns=cols))
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)


@dataclass
class SaturationTable:
    """Per (benchmark, series) saturation figures; `levels` are fractions of the way to target."""

    table: pd.DataFrame
    levels: tuple[float, ...] = LEVELS
    method: str = field(default=(
        "progress = (best - start) / (target - start), on log10 values for log-scale benchmarks; "
        "start = chance (else the first result); target = human expert, else human non-expert, "
        "else ceiling; years counted from the benchmark's introduction date"))

    def to_dict(self) -> dict[str, Any]:
        return {"levels": list(self.levels), "method": self.method,
                "benchmarks": self.table.to_dict(orient="records")}


def saturation(catalog: Catalog, levels: tuple[float, ...] = LEVELS,
               names: list[str] | None = None, results: pd.DataFrame | None = None
               ) -> SaturationTable:
    """How long each benchmark took from introduction to each level of the way to its target."""
    benches = _select(catalog, names)
    res = _results(catalog, results)
    rows = []
    for _, b in benches.iterrows():
        rb = res[res["benchmark"] == b["name"]]
        groups = list(rb.groupby("series", sort=True)) or [("", rb)]
        for series, g in groups:
            g = g.sort_values("date", kind="stable")
            first = float(g["value"].iloc[0]) if len(g) else None
            start, start_kind, target, target_kind = reference_points(_row(b), first)
            scale = b.get("scale") or "linear"
            row: dict[str, Any] = {
                "benchmark": b["name"], "series": series, "domain": b["domain"],
                "introduced": b["introduced"], "metric": b["metric"], "unit": b.get("unit"),
                "direction": b["direction"], "scale": scale, "results": len(g),
                "start": start, "start_kind": start_kind,
                "target": target, "target_kind": target_kind,
            }
            if len(g):
                best = running_best(g["value"], b["direction"])
                i_best = int(np.argmin(g["value"].to_numpy()) if b["direction"] == "lower"
                             else np.argmax(g["value"].to_numpy()))
                row.update(first_date=g["date"].iloc[0], first_value=first,
                           best_value=float(best[-1]), best_system=g["system"].iloc[i_best],
                           best_date=g["date"].iloc[i_best])
                row["progress_now"] = float(progress_fraction(best[-1:], start, target,
                                                              scale)[0])
            else:
                row.update(first_date=None, first_value=np.nan, best_value=np.nan,
                           best_system=None, best_date=None, progress_now=np.nan)
            for lev in levels:
                pct = int(round(lev * 100))
                when, yrs = (years_to_level(g["date"], g["value"], b["introduced"], start,
                                            target, b["direction"], scale, lev)
                             if len(g) else (None, float("nan")))
                row[f"date_{pct}"] = when
                row[f"years_to_{pct}"] = yrs
            rows.append(row)
    return SaturationTable(pd.DataFrame(rows), tuple(levels))


def catalog_summary(catalog: Catalog, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per benchmark: introduced, metric, baselines, number of results, latest best."""
    sat = saturation(catalog, results=results).table
    main = sat.sort_values(["benchmark", "results"], ascending=[True, False]).drop_duplicates(
        "benchmark")
    b = catalog.benchmarks.set_index("name")
    out = main[["benchmark", "domain", "introduced", "metric", "unit", "direction",
                "results", "best_value", "best_system", "best_date", "progress_now",
                "years_to_90"]].copy()
    out["results"] = out["benchmark"].map(
        _results(catalog, results).groupby("benchmark").size()).fillna(0).astype(int)
    for col in ("chance", "human_nonexpert", "human_expert", "ceiling"):
        out[col] = out["benchmark"].map(b[col])
    order = {n: i for i, n in enumerate(catalog.benchmarks["name"])}
    return out.sort_values("benchmark", key=lambda s: s.map(order)).reset_index(drop=True)


def saturation_finding(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The headline of the Benchmarks page and the Story, from the saturation table's records
    (`saturation(...).table` as plain rows): how many years benchmarks took
    to get 90% of the way from chance to human level (or the ceiling), older against newer.
    One row per benchmark (its main series, else its first); the split is the median
    introduction year."""
    first: dict[str, dict[str, Any]] = {}
    for r in rows:
        b = str(r["benchmark"])
        if b not in first or (first[b].get("series") and not r.get("series")):
            first[b] = r
    done, open_ = [], []
    for r in first.values():
        if r.get("target") is None:
            continue
        year = int(str(r["introduced"])[:4])
        if r.get("years_to_90") is not None:
            done.append((year, float(r["years_to_90"]), str(r["benchmark"])))
        else:
            open_.append(str(r["benchmark"]))
    if len(done) < 4:
        return {"text": "", "points": []}
    years = sorted(y for y, _, _ in done)
    split = years[len(years) // 2]
    old = sorted(t for y, t, _ in done if y < split)
    new = sorted(t for y, t, _ in done if y >= split)
    if not old or not new:
        return {"text": "", "points": []}

    def median(v: list[float]) -> float:
        m = len(v) // 2
        return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2

    xs = [float(y) for y, _, _ in done]
    ys = [t for _, t, _ in done]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    faster = median(new) < median(old)
    verdict = "Newer benchmarks fall faster" if faster else "Newer benchmarks do not fall faster"
    text = (f"{verdict}: "
            f"the {len(old)} introduced before {split} took a median of {median(old):.1f} years "
            f"to get 90% of the way from chance to human level (or the ceiling), the {len(new)} "
            f"introduced since took {median(new):.1f} (least-squares trend: {slope:+.2f} years "
            "per year of introduction)")
    if open_:
        text += f"; {len(open_)} not there yet ({', '.join(sorted(open_))})"
    return {"text": text + ".", "split": split, "median_before": median(old),
            "median_since": median(new), "slope": slope, "not_yet": sorted(open_),
            "points": [{"benchmark": b, "introduced": y, "years_to_90": t} for y, t, b in done]}
