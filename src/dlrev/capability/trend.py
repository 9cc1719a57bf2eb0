"""The frontier of the capability index over time, and when each benchmark falls to it.

    frontier_trend(index, since=None) -> FrontierTrend
        the frontier: each dated model whose index beats every model released before it; a line
        of index points per year through it (dlrev.trends.fit_one: OLS with a batched
        percentile bootstrap), era breakpoints found from the data (dlrev.trends.breakpoints on
        the same points), and for every benchmark the date the frontier line reaches a 50% and
        a 90% chance-corrected score on it.

Crossing dates: on the raw scale a benchmark's chance-corrected score is L where
C = D_b + logit(L) / a_b; that capability on the index scale, solved on the frontier line, is the
date. The interval pairs bootstrap draw k of the line with draw k of the item-response fit (so
it carries both the trend's and the benchmark's uncertainty).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.capability.index import CapabilityIndex
from dlrev.errors import DlrevError
from dlrev.jsonio import plain
from dlrev.trends import EraFit, breakpoints, fit_one, from_decimal_year, to_decimal_year

LEVELS = (0.5, 0.9)
TREND_BOOTSTRAP = 1000
TREND_SEED = 0


@dataclass
class FrontierTrend:
    """Index points per year along the frontier, with breakpoints and benchmark crossings."""

    since: str | None
    frontier: pd.DataFrame  # model, name, date, year, eci, eci_low, eci_high
    fit: EraFit  # slope = index points per year (growth/doubling fields do not apply)
    breakpoint: dict[str, Any] | None
    breakpoint_note: str
    crossings: pd.DataFrame  # benchmark, level, year, date, low_date, high_date, reached
    ci: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def points_per_year(self) -> float:
        return self.fit.slope

    @property
    def interval(self) -> tuple[float, float]:
        return self.fit.slope_low, self.fit.slope_high

    def summary(self) -> str:
        if not self.fit.fitted:
            return f"frontier trend not fitted: {self.fit.note}"
        return (f"frontier index: {self.fit.slope:.1f} points/year "
                f"[{self.fit.slope_low:.1f}, {self.fit.slope_high:.1f}] "
                f"({round(self.ci * 100)}% interval, {self.fit.n} frontier models, "
                f"{self.fit.first_date} to {self.fit.last_date})")

    def to_dict(self) -> dict[str, Any]:
        f = self.fit
        return plain({
            "since": self.since, "n": f.n, "fitted": f.fitted, "note": f.note,
            "points_per_year": f.slope, "points_per_year_low": f.slope_low,
            "points_per_year_high": f.slope_high, "intercept": f.intercept, "r2": f.r2,
            "first_date": f.first_date, "last_date": f.last_date, "ci": self.ci,
            "interval_method": f.interval_method, "breakpoint": self.breakpoint,
            "breakpoint_note": self.breakpoint_note, "frontier": self.frontier,
            "crossings": self.crossings, "summary": self.summary(),
        })


def frontier_models(index: CapabilityIndex) -> pd.DataFrame:
    """Dated models that beat every model released before them (ties of date: the best)."""
    m = index.models.dropna(subset=["date"]).copy()
    m = m.sort_values(["date", "eci"], ascending=[True, False], kind="mergesort")
    best = m["eci"].cummax().shift(1, fill_value=-np.inf)
    front = m[m["eci"] > best].copy()
    front["year"] = [to_decimal_year(d) for d in front["date"]]
    cols = ["model", "name", "date", "year", "eci", "eci_low", "eci_high"]
    return front[cols].reset_index(drop=True)


def _crossings(index: CapabilityIndex, fit: EraFit, levels: tuple[float, ...]) -> pd.DataFrame:
    b = index.benchmarks
    rows = []
    nb_boot = min(len(fit.boot_slopes), len(index.boot_D))
    lo_q, hi_q = 50 * (1 - index.ci), 50 * (1 + index.ci)
    for level in levels:
        logit = math.log(level / (1 - level))
        cap = b["difficulty"].to_numpy() + logit / b["slope"].to_numpy()
        target = index.to_eci(cap)
        with np.errstate(divide="ignore", invalid="ignore"):
            year = (target - fit.intercept) / fit.slope if fit.slope > 0 else np.full(
                len(b), np.nan)
        if nb_boot:
            bcap = index.boot_D[:nb_boot] + logit / index.boot_A[:nb_boot]
            bt = index.to_eci(bcap)
            s = fit.boot_slopes[:nb_boot, None]
            with np.errstate(divide="ignore", invalid="ignore"):
                by = np.where(s > 0, (bt - fit.boot_intercepts[:nb_boot, None]) / s, np.inf)
            q = np.nanpercentile(np.where(np.isfinite(by), by, np.nan), [lo_q, hi_q], axis=0)
        else:
            q = np.full((2, len(b)), np.nan)
        for k, name in enumerate(b["benchmark"]):
            y = float(year[k])
            rows.append({
                "benchmark": name, "level": level, "eci_needed": float(target[k]), "year": y,
                "date": from_decimal_year(y) if math.isfinite(y) else "",
                "low_date": from_decimal_year(float(q[0, k])) if math.isfinite(q[0, k]) else "",
                "high_date": from_decimal_year(float(q[1, k])) if math.isfinite(q[1, k]) else "",
                "reached": bool(math.isfinite(y) and y <= fit.x_last),
            })
    return pd.DataFrame(rows)


def frontier_trend(index: CapabilityIndex, since: str | None = None,
                   bootstrap: int = TREND_BOOTSTRAP, seed: int = TREND_SEED,
                   levels: tuple[float, ...] = LEVELS, breakpoint_min_points: int = 4
                   ) -> FrontierTrend:
    """The frontier's index points per year (from `since`, default all), its breakpoint, and
    each benchmark's 50% and 90% crossing dates (see the module doc). Pure."""
    front = frontier_models(index)
    if since is not None:
        front = front[front["year"] >= to_decimal_year(since)].reset_index(drop=True)
    x = front["year"].to_numpy(dtype=float)
    y = front["eci"].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    method = (f"percentile bootstrap: {bootstrap} resamples of frontier models with "
              f"replacement, seed {seed}")
    fit = fit_one(x, y, label="frontier" + (f" since {since}" if since else ""),
                  start=since, bootstrap=bootstrap, ci=index.ci, rng=rng, method=method)
    bp: dict[str, Any] | None = None
    note = ""
    try:
        res = breakpoints(front.assign(x=x, y=y), k=1,
                          bootstrap=bootstrap, ci=index.ci, seed=seed, prepared=True,
                          min_points=breakpoint_min_points)
        d = res.to_dict()
        # our y is index points, not log10: report the slopes as points per year
        bp = {"date": d["boundaries"][0]["date"], "low_date": d["boundaries"][0]["low_date"],
              "high_date": d["boundaries"][0]["high_date"],
              "points_per_year_before": res.hinge_slopes[0],
              "points_per_year_after": res.hinge_slopes[1],
              "bic": d["bic"], "bic_no_break": d["bic_no_break"],
              "supported": bool(d["bic"] < d["bic_no_break"]), "model": d["model"]}
    except DlrevError as exc:
        note = f"no breakpoint: {exc}"
    cross = _crossings(index, fit, levels) if fit.fitted else pd.DataFrame(
        columns=["benchmark", "level", "eci_needed", "year", "date", "low_date", "high_date",
                 "reached"])
    return FrontierTrend(since, front, fit, bp, note, cross, index.ci)


def index_growth(index: CapabilityIndex, since: str | None = None) -> FrontierTrend:
    """For the side-by-side growth table: the frontier index trend in points per year, with
    its interval (FrontierTrend.points_per_year / .interval / .to_dict())."""
    return frontier_trend(index, since=since)
