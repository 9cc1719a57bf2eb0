"""The statistics under every trend: decimal-year dates, least squares and the batched bootstrap.

x is the decimal year (`year` column of catalog.systems, from dlrev.schema.decimal_year); y is
log10 of the metric. Slopes are in orders of magnitude (OOM) per year; growth is 10**slope per
year; the doubling time is log10(2)/slope years, expressed in months of `month_days` days.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.schema import decimal_year

YEAR_DAYS = 365.25
MONTH_DAYS = YEAR_DAYS / 12
LOG2 = math.log10(2.0)
CHUNK = 128  # bootstrap resamples per block: small enough to stay in cache


def doubling_months(slope: float | np.ndarray, month_days: float = MONTH_DAYS) -> Any:
    """Doubling time in months for a slope in OOM/year (inf for a flat or falling trend)."""
    s = np.asarray(slope, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(s > 0, LOG2 / s * YEAR_DAYS / month_days, np.inf)
    return float(out) if out.ndim == 0 else out


def to_decimal_year(date: str | pd.Timestamp) -> float:
    """'2010-01-01' -> 2010.0 (the same decimal-year rule as the systems table)."""
    try:
        ts = pd.Timestamp(date)
    except (ValueError, TypeError) as exc:
        raise DlrevError(f"{date!r} is not a date; write it as YYYY-MM-DD.") from exc
    if pd.isna(ts):
        raise DlrevError(f"{date!r} is not a date; write it as YYYY-MM-DD.")
    return float(decimal_year(pd.Series([ts])).iloc[0])


def from_decimal_year(x: float) -> str:
    """2010.5 -> '2010-07-02' (inverse of decimal_year, to the day)."""
    if not math.isfinite(x):
        return ""
    year = int(math.floor(x))
    days = 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365
    day = int(round((x - year) * days))
    if day >= days:
        year, day = year + 1, 0
    return (pd.Timestamp(year=year, month=1, day=1) + pd.Timedelta(days=day)).date().isoformat()


@dataclass
class OLS:
    """A least-squares line y = intercept + slope * x, with what the intervals need."""

    n: int
    slope: float
    intercept: float
    r2: float
    sigma: float  # residual standard deviation (n - 2 degrees of freedom)
    x_mean: float
    sxx: float

    def predict(self, x: float | np.ndarray) -> Any:
        return self.intercept + self.slope * np.asarray(x, dtype=float)


def ols(x: np.ndarray, y: np.ndarray) -> OLS:
    n = len(x)
    mx, my = float(x.mean()), float(y.mean())
    dx, dy = x - mx, y - my
    sxx = float(dx @ dx)
    if n < 2 or sxx <= 0:
        return OLS(n, math.nan, math.nan, math.nan, math.nan, mx, sxx)
    slope = float(dx @ dy) / sxx
    intercept = my - slope * mx
    resid = dy - slope * dx
    sst = float(dy @ dy)
    sse = float(resid @ resid)
    r2 = 1.0 - sse / sst if sst > 0 else math.nan
    sigma = math.sqrt(sse / (n - 2)) if n > 2 else math.nan
    return OLS(n, slope, intercept, r2, sigma, mx, sxx)


def bootstrap_ols(x: np.ndarray, y: np.ndarray, n_boot: int, rng: np.random.Generator,
                  noise: float | None = None, chunk: int = CHUNK,
                  workers: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Slopes and intercepts of `n_boot` OLS refits on resamples (with replacement) of (x, y).

    One batched computation: resamples are drawn in blocks of `chunk` as an index matrix, and
    the four sums a line needs (sum x, sum y, sum x^2, sum xy) come from whole-block array
    operations, never a per-resample loop. Each block has its own child generator spawned from
    `rng`, so the result depends only on rng's state, not on `workers` (blocks run on up to that
    many threads; numpy releases the GIL in this work). With `noise` (a factor, e.g. 2.0), every
    drawn y is also moved by a uniform amount in [-log10(noise), +log10(noise)] (Sevilla et al.'s
    allowance for estimate error). Resamples with fewer than 3 distinct points give NaN.
    """
    n = len(x)
    slopes = np.full(n_boot, np.nan)
    inters = np.full(n_boot, np.nan)
    if n < 3 or n_boot <= 0:
        return slopes, inters
    x0, y0 = float(x.mean()), float(y.mean())
    xc, yc = x - x0, y - y0
    idx_dtype = np.int16 if n < 2**15 else np.int64
    half = math.log10(noise) if noise else 0.0
    tiny = 1e-12 * max(1.0, float(xc @ xc))
    starts = list(range(0, n_boot, chunk))
    children = rng.spawn(len(starts))

    def block(k: int) -> None:
        start = starts[k]
        c = min(chunk, n_boot - start)
        g = children[k]
        idx = g.integers(0, n, size=(c, n), dtype=idx_dtype)
        xb = xc.take(idx)
        yb = yc.take(idx)
        if half:
            yb += g.uniform(-half, half, size=(c, n))
        mx = xb.sum(axis=1) / n
        my = yb.sum(axis=1) / n
        sxx = np.einsum("ij,ij->i", xb, xb) - n * mx * mx
        sxy = np.einsum("ij,ij->i", xb, yb) - n * mx * my
        ok = sxx > tiny
        if n <= 64:  # fewer than 3 distinct points is only plausible for small samples
            srt = np.sort(idx, axis=1)
            ok &= 1 + np.count_nonzero(np.diff(srt, axis=1), axis=1) >= 3
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.where(ok, sxy / sxx, np.nan)
        slopes[start:start + c] = b
        inters[start:start + c] = (y0 + my) - b * (x0 + mx)

    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if n_boot * n >= 1_000_000 else 1
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(block, range(len(starts))))
    else:
        for k in range(len(starts)):
            block(k)
    return slopes, inters


def percentile_interval(samples: np.ndarray, ci: float) -> tuple[float, float]:
    good = samples[np.isfinite(samples)]
    if len(good) == 0:
        return math.nan, math.nan
    lo, hi = np.percentile(good, [50 * (1 - ci), 50 * (1 + ci)])
    return float(lo), float(hi)


