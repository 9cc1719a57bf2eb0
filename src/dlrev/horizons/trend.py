"""The trend of the 50% horizon over release dates, for state-of-the-art agents.

An agent is state of the art (SOTA) when its 50% horizon is at least that of every agent
released before it (METR's rule). The trend is dlrev.trends' log-linear fit of log10(p50
minutes) on decimal year, with two intervals on the doubling time:
  - the trends engine's percentile bootstrap over the SOTA agents (resampling agents), and
  - METR's: the same line refitted on each hierarchical bootstrap draw of the horizons (the
    agents fixed, their horizons re-estimated), which carries the per-agent fit uncertainty.
Breakpoints come from trends.breakpoints; the dates the trend reaches a working day, week and
month of human work come from trends.extrapolate (prediction interval: refits plus scatter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev import trends
from dlrev.errors import DlrevError
from dlrev.horizons.fit import HorizonFit
from dlrev.jsonio import plain

# Work time, as METR counts it: a month is ~167 working hours (Kwa et al. 2025, arXiv
# 2503.14499, section 'Extrapolating towards one-month-horizon AI'); a day 8 hours, a week 40.
WORK_LEVELS: dict[str, float] = {"day": 8 * 60.0, "week": 40 * 60.0, "month": 167 * 60.0}
WORK_DEFINITION = ("work time, as METR counts it: a day is 8 working hours (480 minutes), a "
                   "week 40 (2,400 minutes), a month 167 (10,020 minutes; METR's 'one-month' "
                   "threshold, arXiv 2503.14499)")


@dataclass
class HorizonTrendFit:
    """The SOTA 50%-horizon trend over one window: doubling time with its intervals."""

    label: str
    since: str | None
    agents: list[str]
    n: int
    fitted: bool
    slope: float = math.nan  # log10(minutes) per year
    intercept: float = math.nan
    r2: float = math.nan
    growth: float = math.nan  # x per year
    doubling_months: float = math.nan
    doubling_low: float = math.nan
    doubling_high: float = math.nan
    doubling_days: float = math.nan
    doubling_days_low: float = math.nan
    doubling_days_high: float = math.nan
    metr_doubling_low: float = math.nan
    metr_doubling_high: float = math.nan
    metr_doubling_days_low: float = math.nan
    metr_doubling_days_high: float = math.nan
    metr_draws_used: int = 0
    ci: float = 0.95
    interval_method: str = ""
    metr_interval_method: str = ""
    first_date: str | None = None
    last_date: str | None = None
    note: str = ""
    era: trends.EraFit | None = field(default=None, repr=False)

    def predict_minutes(self, date: str | float) -> float:
        x = trends.to_decimal_year(date) if isinstance(date, str) else float(date)
        return float(10 ** (self.intercept + self.slope * x))

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "era"}
        return plain(d)  # type: ignore[no-any-return]


@dataclass
class Crossing:
    """When the SOTA trend's 50% horizon reaches `minutes` of human work."""

    level: str
    minutes: float
    date: str
    low_date: str  # prediction interval
    high_date: str
    trend_low_date: str  # interval on the trend line alone
    trend_high_date: str
    year: float
    ci: float
    method: str
    notes: list[str] = field(default_factory=list)
    # The first agent (in release order) measured at or above the level, from the data: what
    # actually happened, beside when the line says it would.
    first_agent: str | None = None
    first_agent_date: str | None = None
    first_agent_minutes: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return plain(dict(self.__dict__))  # type: ignore[no-any-return]


@dataclass
class HorizonTrend:
    points: pd.DataFrame  # agent, release_date, x, p50, p50_low, p50_high, sota
    windows: list[HorizonTrendFit]
    breakpoint: dict[str, Any] | None
    breakpoint_note: str
    crossings: list[Crossing]
    definition: str = WORK_DEFINITION
    settings: dict[str, Any] = field(default_factory=dict)
    # The same levels at the rate since the breakpoint, when the break is supported.
    recent_crossings: list[Crossing] = field(default_factory=list)

    @property
    def sota(self) -> list[str]:
        return list(self.points.loc[self.points["sota"], "agent"])

    def window(self, label: str) -> HorizonTrendFit:
        for w in self.windows:
            if w.label == label:
                return w
        raise DlrevError(f"no trend window {label!r}; windows are "
                         f"{', '.join(w.label for w in self.windows)}.")

    def to_dict(self) -> dict[str, Any]:
        pts = self.points.drop(columns=["x"]).copy()
        return {"sota": self.sota,
                "points": {r["agent"]: plain({k: v for k, v in r.items() if k != "agent"})
                           for r in pts.to_dict(orient="records")},
                "windows": [w.to_dict() for w in self.windows],
                "breakpoint": self.breakpoint, "breakpoint_note": self.breakpoint_note,
                "crossings": [c.to_dict() for c in self.crossings],
                "recent_crossings": [c.to_dict() for c in self.recent_crossings],
                "definition": self.definition, "settings": self.settings}


def trend_points(fit: HorizonFit) -> pd.DataFrame:
    """Agents with a release date and a positive 50% horizon, in release order, SOTA marked."""
    rows = [{"agent": a.agent, "release_date": a.release_date, "p50": a.p50,
             "p50_low": a.p50_low, "p50_high": a.p50_high}
            for a in fit.agents if a.release_date and a.p50 > 0 and math.isfinite(a.p50)]
    pts = pd.DataFrame(rows, columns=["agent", "release_date", "p50", "p50_low", "p50_high"])
    pts["x"] = [trends.to_decimal_year(d) for d in pts["release_date"]]
    # Same-day releases: the better one first, so the lesser is not counted as beating it.
    pts = pts.sort_values(["x", "p50"], ascending=[True, False], kind="mergesort")
    best = -math.inf
    sota = []
    for v in pts["p50"]:
        sota.append(v >= best)
        best = max(best, v)
    pts["sota"] = sota
    return pts.reset_index(drop=True)


def frontier_trend(fit: HorizonFit, since: str | None = None, label: str | None = None,
                   bootstrap: int = 1000, ci: float = 0.95, seed: int = 42) -> HorizonTrendFit:
    """Doubling time of the SOTA agents' 50% horizon (from `since`, ISO date), with the trends
    engine's bootstrap interval and METR's interval from the hierarchical draws."""
    pts = trend_points(fit)
    sel = pts[pts["sota"]]
    if since is not None:
        sel = sel[sel["x"] >= trends.to_decimal_year(since)]
    x = sel["x"].to_numpy(float)
    y = np.log10(sel["p50"].to_numpy(float))
    lab = label or (f"since {since}" if since else "all SOTA agents")
    era = trends.fit_one(x, y, label=lab, start=since, bootstrap=bootstrap, ci=ci,
                         rng=np.random.default_rng(seed),
                         method=f"percentile bootstrap: {bootstrap} resamples of the SOTA agents "
                                f"with replacement, seed {seed}")
    out = HorizonTrendFit(lab, since, list(sel["agent"]), len(sel), era.fitted, ci=ci,
                          first_date=era.first_date, last_date=era.last_date, note=era.note,
                          era=era, interval_method=era.interval_method)
    if not era.fitted:
        return out
    md = trends.MONTH_DAYS
    out.slope, out.intercept, out.r2, out.growth = era.slope, era.intercept, era.r2, era.growth
    out.doubling_months, out.doubling_low, out.doubling_high = (
        era.doubling_months, era.doubling_low, era.doubling_high)
    out.doubling_days = era.doubling_months * md
    out.doubling_days_low, out.doubling_days_high = era.doubling_low * md, era.doubling_high * md
    boot = fit.boot_p50
    if boot.size:
        names = [a.agent for a in fit.agents]
        cols = [names.index(a) for a in sel["agent"]]
        with np.errstate(divide="ignore", invalid="ignore"):
            yb = np.log10(boot[:, cols])
        good = np.isfinite(yb).all(axis=1)
        xc = x - x.mean()
        slopes = (yb[good] - yb[good].mean(axis=1, keepdims=True)) @ xc / (xc @ xc)
        if len(slopes):
            lo, hi = np.percentile(slopes, [50 * (1 - ci), 50 * (1 + ci)])
            out.metr_doubling_low = trends.doubling_months(hi)
            out.metr_doubling_high = trends.doubling_months(lo)
            out.metr_doubling_days_low = out.metr_doubling_low * md
            out.metr_doubling_days_high = out.metr_doubling_high * md
            out.metr_draws_used = int(len(slopes))
            out.metr_interval_method = (
                f"{round(ci * 100)}% percentile interval of the line refitted on each of "
                f"{len(slopes)} hierarchical bootstrap draws of the horizons (the SOTA agents "
                "fixed; METR's method)")
    return out


def horizon_trend(fit: HorizonFit, bootstrap: int = 1000, ci: float = 0.95, seed: int = 42,
                  since: str = "2023-01-01", min_points: int = 4) -> HorizonTrend:
    """The SOTA trend from the first agent and from `since`, a breakpoint found from the data,
    and the dates the trend reaches a working day, week and month (prediction intervals)."""
    pts = trend_points(fit)
    windows = [frontier_trend(fit, None, "from the first agent", bootstrap, ci, seed),
               frontier_trend(fit, since, f"from {since[:4]}", bootstrap, ci, seed)]
    sota = pts[pts["sota"]][["x"]].assign(y=np.log10(pts.loc[pts["sota"], "p50"]))
    bp: dict[str, Any] | None = None
    res: Any = None
    note = ""
    try:
        res = trends.breakpoints(sota, k=1, metric="p50 horizon", bootstrap=bootstrap, ci=ci,
                                 seed=seed, min_points=min_points, resolution=1 / 12,
                                 prepared=True)
        bp = res.to_dict()
        bp["hinge_doubling_months"] = [trends.doubling_months(s) for s in res.hinge_slopes]
        better = res.bic < res.bic_no_break
        note = (f"one break at {res.boundaries[0].date} (hinge model, monthly candidates, at "
                f"least {min_points} SOTA agents per side); BIC {res.bic:.1f} against "
                f"{res.bic_no_break:.1f} for one line: the break is "
                + ("supported." if better else "not supported; one line fits as well."))
    except DlrevError as exc:
        note = f"no breakpoint: {exc}"
    if bp is not None and res.bic < res.bic_no_break:
        start = res.boundaries[0].date
        recent = frontier_trend(fit, start, f"since the break ({start})", bootstrap, ci, seed)
        if recent.fitted:
            windows.append(recent)
    main = windows[0]
    crossings = _crossings(main, ci, seed, pts)
    recent_crossings = _crossings(windows[2], ci, seed, pts) if len(windows) > 2 else []
    settings = {"sota_rule": "p50 at least that of every agent released earlier (same-day "
                             "releases: the better first)",
                "y": "log10(p50 horizon in human minutes)", "x": "decimal year of release",
                "bootstrap": bootstrap, "ci": ci, "seed": seed,
                "month_days": trends.MONTH_DAYS,
                "crossings_from": main.label}
    return HorizonTrend(pts, windows, bp, note, crossings, WORK_DEFINITION, settings,
                        recent_crossings)


def _crossings(w: HorizonTrendFit, ci: float, seed: int, pts: pd.DataFrame) -> list[Crossing]:
    """When the window's trend reaches a working day, week and month (prediction intervals),
    and the first agent in `pts` (trend_points, release order) measured at or above each."""
    out: list[Crossing] = []
    if not (w.fitted and w.era is not None):
        return out
    for level, minutes in WORK_LEVELS.items():
        ex = trends.extrapolate(w.era, reach=minutes, ci=ci, seed=seed)
        reached = pts[pts["p50"] >= minutes]
        first = reached.iloc[0] if len(reached) else None
        out.append(Crossing(
            level, minutes, ex.date, ex.low_date, ex.high_date,
            trends.from_decimal_year(ex.trend_low), trends.from_decimal_year(ex.trend_high),
            ex.value, ci, ex.method, list(ex.notes),
            None if first is None else str(first["agent"]),
            None if first is None else str(first["release_date"]),
            None if first is None else float(first["p50"])))
    return out
