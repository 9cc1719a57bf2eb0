"""Extrapolating a fitted trend, and backtesting how well extrapolation would have worked.

extrapolate() gives two intervals: one for the trend line itself (fit uncertainty, from the
bootstrap refits) and a prediction interval for a system on the trend, which adds the scatter
of systems around the line (normal with the fit's residual s.d.) to every bootstrap refit.

backtest() walks forward: for each origin year Y it fits the frontier (the largest system of each
calendar year) from `start` through Y, predicts the largest system of year Y + h, and compares
with what happened, in orders of magnitude; a no-growth baseline (the record so far) is scored
beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from dlrev.errors import DlrevError
from dlrev.jsonio import plain
from dlrev.trends.frontier import yearly_max
from dlrev.trends.prepare import prepare
from dlrev.trends.results import EraFit, TrendFit, html_table
from dlrev.trends.stats import from_decimal_year, ols, percentile_interval, to_decimal_year


@dataclass
class Extrapolation:
    metric: str
    era: str
    group: str
    mode: str  # 'reach' (the date a level is reached) or 'year' (the level at a date)
    target: float  # the level (metric units) or the decimal year asked about
    value: float  # the year reached (mode 'reach') or the level in metric units (mode 'year')
    trend_low: float
    trend_high: float
    low: float  # prediction interval: fit uncertainty plus scatter around the trend
    high: float
    ci: float
    growth: float
    sigma: float
    n: int
    method: str
    date: str = ""  # ISO date of value (mode 'reach')
    low_date: str = ""
    high_date: str = ""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: plain(v) for k, v in self.__dict__.items()}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()])

    def _repr_html_(self) -> str:
        return html_table(self.to_frame(), f"Extrapolation of {self.metric} ({self.era})")

    def __str__(self) -> str:
        pct = round(self.ci * 100)
        if self.mode == "reach":
            return (f"{self.target:.3g} reached in {self.value:.1f} (trend {pct}%: "
                    f"{self.trend_low:.1f}-{self.trend_high:.1f}; prediction {pct}%: "
                    f"{self.low:.1f}-{self.high:.1f})")
        return (f"{self.value:.3g} in {self.target:g} (trend {pct}%: {self.trend_low:.3g}-"
                f"{self.trend_high:.3g}; prediction {pct}%: {self.low:.3g}-{self.high:.3g})")


def _pick(fit: TrendFit | EraFit, era: str | int, group: str | None) -> tuple[EraFit, str]:
    if isinstance(fit, EraFit):
        if not fit.fitted:
            raise DlrevError(f"era {fit.label!r} was not fitted ({fit.n} points).")
        return fit, ""
    e = fit.era(era, group)
    return e, fit.metric


def extrapolate(fit: TrendFit | EraFit, reach: float | None = None, year: float | str | None = None,
                era: str | int = -1, group: str | None = None, ci: float | None = None,
                seed: int = 0) -> Extrapolation:
    """The date `reach` is reached, or the level in `year`, on one era's trend (the latest by
    default), with a trend interval and a prediction interval."""
    if (reach is None) == (year is None):
        raise DlrevError("give exactly one of reach (a level, e.g. 1e27) or year (e.g. 2030).")
    e, metric = _pick(fit, era, group)
    level = ci if ci is not None else e.ci
    if not 0 < level < 1:
        raise DlrevError(f"the interval level must lie between 0 and 1 (got {level}).")
    rng = np.random.default_rng(seed)
    bs, bi = e.boot_slopes, e.boot_intercepts
    have_boot = len(bs) > 0 and np.isfinite(bs).any()
    sigma = e.sigma if math.isfinite(e.sigma) else 0.0
    tq = float(stats.t.ppf(0.5 + level / 2, max(e.n - 2, 1)))
    notes: list[str] = []
    if have_boot:
        good = np.isfinite(bs)
        bs, bi = bs[good], bi[good]
        scatter = rng.normal(0.0, sigma, size=len(bs))
        method = (f"trend: percentiles of {len(bs)} bootstrap refits; prediction: each refit "
                  f"plus normal scatter with the residual s.d. ({sigma:.2f} OOM)")
    else:
        method = "analytic OLS intervals (t distribution); the fit has no bootstrap refits"
    if year is not None:
        t = to_decimal_year(year) if isinstance(year, str) else float(year)
        center = float(e.predict_log10(t))
        if have_boot:
            tr = percentile_interval(bi + bs * t, level)
            pr = percentile_interval(bi + bs * t + scatter, level)
        else:
            se_m = sigma * math.sqrt(1 / e.n + (t - e.x_mean) ** 2 / e.sxx)
            se_p = sigma * math.sqrt(1 + 1 / e.n + (t - e.x_mean) ** 2 / e.sxx)
            tr = (center - tq * se_m, center + tq * se_m)
            pr = (center - tq * se_p, center + tq * se_p)
        if t > e.x_last + 5:
            notes.append(f"{t - e.x_last:.0f} years past the last data point: a long reach.")
        return Extrapolation(metric, e.label, e.group, "year", t, 10**center, 10 ** tr[0],
                             10 ** tr[1], 10 ** pr[0], 10 ** pr[1], level, e.growth, sigma, e.n,
                             method, notes=notes)
    assert reach is not None
    if not reach > 0:
        raise DlrevError(f"the level to reach must be positive (got {reach}).")
    if not e.slope > 0:
        raise DlrevError(f"era {e.label!r} does not grow (slope {e.slope:.3f} OOM/year); "
                         "a level is never reached.")
    lv = math.log10(reach)
    center = (lv - e.intercept) / e.slope
    if have_boot:
        pos = bs > 0
        if pos.mean() < 1 - (1 - level) / 2:
            notes.append("some bootstrap refits do not grow; the interval is open-ended.")
        with np.errstate(divide="ignore", invalid="ignore"):
            yt = np.where(pos, (lv - bi) / bs, np.inf)
            yp = np.where(pos, (lv - bi - scatter) / bs, np.inf)
        tr = _pct_inf(yt, level)
        pr = _pct_inf(yp, level)
    else:
        # Invert the analytic bands: the years where the band's edge crosses the level.
        grid = np.linspace(center - 50, center + 50, 20001)
        band_m = sigma * np.sqrt(1 / e.n + (grid - e.x_mean) ** 2 / e.sxx)
        band_p = sigma * np.sqrt(1 + 1 / e.n + (grid - e.x_mean) ** 2 / e.sxx)
        line = e.intercept + e.slope * grid
        tr = (_cross(grid, line + tq * band_m, lv), _cross(grid, line - tq * band_m, lv))
        pr = (_cross(grid, line + tq * band_p, lv), _cross(grid, line - tq * band_p, lv))
    if center > e.x_last + 5:
        notes.append(f"{center - e.x_last:.0f} years past the last data point: a long reach.")
    return Extrapolation(metric, e.label, e.group, "reach", reach, center, tr[0], tr[1], pr[0],
                         pr[1], level, e.growth, sigma, e.n, method,
                         date=from_decimal_year(center), low_date=from_decimal_year(pr[0]),
                         high_date=from_decimal_year(pr[1]), notes=notes)


def _pct_inf(v: np.ndarray, level: float) -> tuple[float, float]:
    lo, hi = np.percentile(v, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def _cross(grid: np.ndarray, curve: np.ndarray, level: float) -> float:
    above = np.flatnonzero(curve >= level)
    return float(grid[above[0]]) if len(above) else math.inf


# --- backtest ---------------------------------------------------------------------------------

@dataclass
class Backtest:
    metric: str
    start: str
    horizons: list[int]
    ci: float
    rows: pd.DataFrame  # one row per (origin, horizon)
    summary: pd.DataFrame  # one row per horizon
    last_complete_year: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "start": self.start, "horizons": self.horizons,
            "ci": self.ci, "last_complete_year": self.last_complete_year,
            "method": self.method,
            "summary": [{k: plain(v) for k, v in r.items()}
                        for r in self.summary.to_dict(orient="records")],
            "rows": [{k: plain(v) for k, v in r.items()}
                     for r in self.rows.to_dict(orient="records")],
        }

    def _repr_html_(self) -> str:
        return html_table(self.summary, f"Backtest of frontier extrapolation ({self.metric}, "
                                         f"error in orders of magnitude)")


def backtest(df: pd.DataFrame, metric: str = "compute", since: int = 2015,
             horizons: Sequence[int] = (1, 2, 3, 5), start: str = "2010-01-01",
             until: int | None = None, ci: float = 0.9, min_points: int = 3,
             horizon_years: Sequence[int] | int | None = None) -> Backtest:
    """Walk-forward test of extrapolating the frontier (largest system per calendar year).

    For each origin year Y from `since`: fit log10 of the yearly maxima dated from `start` to
    the end of Y (OLS), predict the largest system of year Y + h at mid-year, and compare with
    the actual largest of that year. Targets run to `until` (default: the last complete year).
    `horizon_years` is an alias of `horizons` (one int or several).
    Errors are actual - predicted in OOM: positive means the future was larger than forecast.
    """
    if not 0 < ci < 1:
        raise DlrevError(f"the interval level must lie between 0 and 1 (got {ci}).")
    if horizon_years is not None:  # the name the issue uses; one int or several
        horizons = [horizon_years] if isinstance(horizon_years, int) else horizon_years
    hs = sorted({int(h) for h in horizons})
    if not hs or hs[0] < 1:
        raise DlrevError("horizons are whole years of at least 1, e.g. 1,2,3,5.")
    data, _ = prepare(df, metric)
    if data.empty:
        raise DlrevError(f"no systems with a date and a positive {metric} to backtest.")
    last = int(math.floor(data["x"].max()))
    last_complete = last if data["x"].max() >= last + 0.999 else last - 1
    if until is not None:
        last_complete = min(last_complete, int(until))
    ym = yearly_max(data, metric, prepared=True)
    x0 = to_decimal_year(start)
    ym = ym[ym["x"] >= x0]
    by_year = ym.set_index("calendar_year")
    rows = []
    record = data.assign(cal=np.floor(data["x"]).astype(int)).groupby("cal")["y"].max().cummax()
    for origin in range(int(since), last_complete):
        train = ym[ym["calendar_year"] <= origin]
        if len(train) < min_points:
            continue
        line = ols(train["x"].to_numpy(), train["y"].to_numpy())
        if not math.isfinite(line.slope):
            continue
        n = line.n
        tq = float(stats.t.ppf(0.5 + ci / 2, max(n - 2, 1)))
        base = float(record[record.index <= origin].iloc[-1])
        for h in hs:
            target = origin + h
            if target > last_complete or target not in by_year.index:
                continue
            xt = target + 0.5
            pred = float(line.predict(xt))
            se = line.sigma * math.sqrt(1 + 1 / n + (xt - line.x_mean) ** 2 / line.sxx)
            actual = float(by_year.loc[target, "y"])
            rows.append({
                "origin": origin, "horizon": h, "target_year": target, "n_fit": n,
                "slope": line.slope, "predicted": pred, "low": pred - tq * se,
                "high": pred + tq * se, "actual": actual, "error": actual - pred,
                "covered": bool(pred - tq * se <= actual <= pred + tq * se),
                "baseline": base, "baseline_error": actual - base,
                "actual_system": str(by_year.loc[target, "name"])
                if "name" in by_year.columns else "",
            })
    table = pd.DataFrame(rows, columns=[
        "origin", "horizon", "target_year", "n_fit", "slope", "predicted", "low", "high",
        "actual", "error", "covered", "baseline", "baseline_error", "actual_system"])
    summ: list[dict[str, Any]] = []
    for h in hs:
        r = table[table["horizon"] == h]
        if r.empty:
            summ.append({"horizon": h, "n": 0})
            continue
        err = r["error"].to_numpy(dtype=float)
        berr = r["baseline_error"].to_numpy(dtype=float)
        summ.append({
            "horizon": h, "n": len(r), "bias": float(err.mean()),
            "mae": float(np.abs(err).mean()), "rmse": float(np.sqrt((err**2).mean())),
            "median_abs": float(np.median(np.abs(err))),
            "coverage": float(r["covered"].mean()),
            "baseline_mae": float(np.abs(berr).mean()),
        })
    summary = pd.DataFrame(summ, columns=["horizon", "n", "bias", "mae", "rmse", "median_abs",
                                          "coverage", "baseline_mae"])
    method = (f"OLS of log10 yearly-maximum {metric} on decimal year, refitted at each origin "
              f"from {start}; {round(ci * 100)}% t prediction intervals; baseline: the record "
              "so far (no growth)")
    return Backtest(metric, start, hs, ci, table, summary, last_complete, method)


__all__ = ["Extrapolation", "extrapolate", "Backtest", "backtest"]
