"""Log-linear trend fits per era and group, with a batched percentile bootstrap.

x is the decimal year (`year` column of catalog.systems, from dlrev.schema.decimal_year); y is
log10 of the metric. Slopes are in orders of magnitude (OOM) per year; growth is 10**slope per
year; the doubling time is log10(2)/slope years, expressed in months of `month_days` days.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.schema import decimal_year

METRICS = {"compute": "compute", "parameters": "parameters", "data": "dataset_size"}
METRIC_UNITS = {"compute": "FLOP", "parameters": "parameters", "data": "datapoints"}
YEAR_DAYS = 365.25
MONTH_DAYS = YEAR_DAYS / 12
LOG2 = math.log10(2.0)
CHUNK = 128  # bootstrap resamples per block: small enough to stay in cache


# --- small numeric helpers --------------------------------------------------------------------

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


# --- results ----------------------------------------------------------------------------------

@dataclass
class EraFit:
    """One era's (and group's) log-linear fit with bootstrap intervals.

    log10(value) = intercept + slope * year; growth = 10**slope per year; start_value and
    end_value are the fitted values (metric units) at the era's first and last data point."""

    label: str
    start: str | None
    end: str | None
    group: str
    n: int
    fitted: bool
    slope: float = math.nan
    intercept: float = math.nan
    r2: float = math.nan
    growth: float = math.nan
    doubling_months: float = math.nan
    start_value: float = math.nan
    end_value: float = math.nan
    slope_low: float = math.nan
    slope_high: float = math.nan
    growth_low: float = math.nan
    growth_high: float = math.nan
    doubling_low: float = math.nan
    doubling_high: float = math.nan
    start_low: float = math.nan
    start_high: float = math.nan
    end_low: float = math.nan
    end_high: float = math.nan
    slope_median: float = math.nan
    doubling_median: float = math.nan
    sigma: float = math.nan  # scatter of log10 values around the line (OOM)
    first_date: str | None = None
    last_date: str | None = None
    x_first: float = math.nan
    x_last: float = math.nan
    ci: float = 0.9
    interval_method: str = ""
    bootstrap: int = 0
    month_days: float = MONTH_DAYS
    note: str = ""
    boot_slopes: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False,
                                    compare=False)
    boot_intercepts: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False,
                                        compare=False)
    x_mean: float = field(default=math.nan, repr=False)
    sxx: float = field(default=math.nan, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("boot_slopes", "boot_intercepts", "x_mean", "sxx"):
            d.pop(k)
        return {k: _clean(v) for k, v in d.items()}

    def predict_log10(self, year: float | np.ndarray) -> Any:
        return self.intercept + self.slope * np.asarray(year, dtype=float)

    def summary(self) -> str:
        if not self.fitted:
            return f"{self.label} ({self.group}): not fitted, n = {self.n}"
        return (f"{self.label} ({self.group}, n = {self.n}): {self.growth:.2f}x/year "
                f"[{self.growth_low:.2f}, {self.growth_high:.2f}], doubling "
                f"{self.doubling_months:.1f} months [{self.doubling_low:.1f}, "
                f"{self.doubling_high:.1f}] ({round(self.ci * 100)}% interval)")


def _clean(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        f = float(v)
        return None if not math.isfinite(f) else f
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    return v


def _html_table(frame: pd.DataFrame, title: str) -> str:
    return f"<p><b>{title}</b></p>" + frame.to_html(index=False, na_rep="", float_format=_fmt)


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return ""
    return f"{v:.3g}" if abs(v) >= 1e5 or abs(v) < 1e-3 and v != 0 else f"{v:.3f}".rstrip(
        "0").rstrip(".")


@dataclass
class TrendFit:
    """All era fits of one metric, with what was dropped and how intervals were made."""

    metric: str
    eras: list[EraFit]
    preset: str | None = None
    boundaries: list[str] = field(default_factory=list)
    n_used: int = 0
    n_dropped: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    ci: float = 0.9
    bootstrap: int = 1000
    seed: int = 0
    estimate_noise: float | None = None
    month_days: float = MONTH_DAYS
    interval_method: str = ""
    notes: list[str] = field(default_factory=list)
    flags: pd.DataFrame | None = field(default=None, repr=False)  # per-system labels (Sevilla)

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "unit": METRIC_UNITS.get(self.metric, ""),
            "preset": self.preset,
            "boundaries": list(self.boundaries),
            "n_used": self.n_used,
            "n_dropped": self.n_dropped,
            "dropped": dict(self.dropped),
            "ci": self.ci,
            "bootstrap": self.bootstrap,
            "seed": self.seed,
            "estimate_noise": self.estimate_noise,
            "month_days": self.month_days,
            "interval_method": self.interval_method,
            "notes": list(self.notes),
            "eras": [e.to_dict() for e in self.eras],
        }

    def era(self, label: str | int = -1, group: str | None = None) -> EraFit:
        """An era by label or position among the fitted ones (-1 = the latest)."""
        pool = [e for e in self.eras if e.fitted and (group is None or e.group == group)]
        if isinstance(label, int):
            if not pool:
                raise DlrevError("no era could be fitted (each needs at least 3 points).")
            return pool[label]
        for e in pool:
            if e.label == label:
                return e
        raise DlrevError(f"no fitted era named {label!r}; eras are "
                         f"{', '.join(e.label for e in self.eras)}.")

    def to_frame(self) -> pd.DataFrame:
        cols = ["label", "group", "start", "end", "n", "fitted", "slope", "slope_low", "slope_high",
                "growth", "growth_low", "growth_high", "doubling_months", "doubling_low",
                "doubling_high", "r2"]
        return pd.DataFrame([{c: getattr(e, c) for c in cols} for e in self.eras], columns=cols)

    def _repr_html_(self) -> str:
        title = (f"Trends in {self.metric} ({self.preset or 'custom'}; "
                 f"{round(self.ci * 100)}% intervals: {self.interval_method})")
        return _html_table(self.to_frame(), title)

    def __str__(self) -> str:
        return "\n".join(e.summary() for e in self.eras)


# --- data preparation -------------------------------------------------------------------------

def prepare(df: pd.DataFrame, metric: str = "compute", notable_only: bool = False
            ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Rows usable for a fit of `metric`: a date and a positive, finite value.

    Returns the rows (sorted by date, with columns x and y = log10 value) and the counts of
    rows dropped by reason."""
    if metric not in METRICS:
        raise DlrevError(f"unknown metric {metric!r}; choose compute, parameters or data.")
    col = METRICS[metric]
    if col not in df.columns:
        raise DlrevError(f"the systems table has no {col!r} column, which metric {metric!r} needs.")
    frame = df
    dropped: dict[str, int] = {}
    if notable_only and "notability" in frame.columns:
        nb = frame["notability"].fillna("").astype(str).str.strip().ne("")
        if nb.any() and not nb.all():
            dropped["not notable"] = int((~nb).sum())
            frame = frame[nb]
    if "year" in frame.columns:
        x = pd.to_numeric(frame["year"], errors="coerce")
    elif "date" in frame.columns:
        x = decimal_year(frame["date"])
    else:
        raise DlrevError("the systems table has neither a 'year' nor a 'date' column.")
    v = pd.to_numeric(frame[col], errors="coerce")
    no_date = x.isna()
    missing = ~no_date & v.isna()
    nonpos = ~no_date & v.notna() & ~(v > 0) | (~no_date & ~np.isfinite(v.fillna(1.0)))
    if no_date.any():
        dropped["no date"] = int(no_date.sum())
    if missing.any():
        dropped[f"no {col}"] = int(missing.sum())
    if nonpos.any():
        dropped[f"non-positive {col}"] = int(nonpos.sum())
    keep = ~(no_date | missing | nonpos)
    out = frame[keep].copy()
    out["x"] = x[keep].astype(float)
    out["y"] = np.log10(v[keep].astype(float))
    out = out.sort_values(["x", "y"], kind="mergesort").reset_index(drop=True)
    return out, dropped


# --- Sevilla et al. 2022: windowed z-scores ----------------------------------------------------

def sevilla_flags(data: pd.DataFrame, window_days: int = 364, low_z: float = -2.0,
                  high_z: float = 0.76, large_scale_from: str = "2015-09-01") -> pd.DataFrame:
    """Per system: z-score of log10 value against all systems within +-window_days (inclusive,
    itself included, population s.d.); 'outlier' if z < low_z; 'large-scale' if z > high_z and
    dated after large_scale_from; else 'regular-scale'."""
    if "date" in data.columns and data["date"].notna().all():
        days = pd.to_datetime(data["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    else:
        days = np.round(data["x"].to_numpy() * YEAR_DAYS).astype(np.int64)
    y = data["y"].to_numpy()
    near = np.abs(days[:, None] - days[None, :]) <= window_days
    cnt = near.sum(axis=1)
    mean = (near @ y) / cnt
    var = (near @ (y * y)) / cnt - mean**2
    sd = np.sqrt(np.clip(var, 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 1e-12, (y - mean) / sd, 0.0)
    ls_day = np.datetime64(pd.Timestamp(large_scale_from).date(), "D").astype(np.int64)
    label = np.where(z < low_z, "outlier",
                     np.where((z > high_z) & (days > ls_day), "large-scale", "regular-scale"))
    return pd.DataFrame({"z": z, "window_n": cnt, "label": label}, index=data.index)


# --- presets ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    eras: tuple[str, ...]
    labels: tuple[str, ...]
    bootstrap: int
    ci: float
    estimate_noise: float | None
    month_days: float
    # 'left': a system dated on a boundary opens the later era; 'right': it closes the earlier one
    closed: str
    notable_only: bool = False
    sevilla: bool = False


PRESETS: dict[str, Preset] = {
    "epoch": Preset(
        "epoch",
        "Epoch AI / Our World in Data: notable systems with a positive value, split at "
        "2010-01-01, OLS of log10 value on decimal year, 1,000 bootstrap resamples, 90% interval.",
        eras=("2010-01-01",), labels=("Pre-deep-learning era", "Deep learning era"),
        bootstrap=1000, ci=0.9, estimate_noise=None, month_days=MONTH_DAYS, closed="left",
        notable_only=True,
    ),
    "sevilla2022": Preset(
        "sevilla2022",
        "Sevilla et al. 2022, 'Compute Trends Across Three Eras of Machine Learning': eras split "
        "at 2009-12-31 and 2015-09-01; z-scores against systems within +-364 days drop z < -2 "
        "and mark z > 0.76 after 2015-09-01 large-scale; 1,000 resamples with each value "
        "jittered by a uniform factor in [1/2, 2]; 95% interval; 30-day months.",
        eras=("2009-12-31", "2015-09-01"),
        labels=("Pre-Deep Learning era", "Deep Learning era", "Large-Scale era"),
        bootstrap=1000, ci=0.95, estimate_noise=2.0, month_days=30.0, closed="right",
        sevilla=True,
    ),
}


# --- the fit ----------------------------------------------------------------------------------

def _era_mask(x: np.ndarray, lo: float | None, hi: float | None, closed: str) -> np.ndarray:
    m = np.ones(len(x), dtype=bool)
    if closed == "left":
        if lo is not None:
            m &= x >= lo
        if hi is not None:
            m &= x < hi
    else:
        if lo is not None:
            m &= x > lo
        if hi is not None:
            m &= x <= hi
    return m


def fit_one(x: np.ndarray, y: np.ndarray, *, label: str, group: str = "all",
            start: str | None = None, end: str | None = None, bootstrap: int = 1000,
            ci: float = 0.9, estimate_noise: float | None = None,
            rng: np.random.Generator | None = None, month_days: float = MONTH_DAYS,
            method: str = "") -> EraFit:
    """Fit one era: point estimate by OLS, intervals by the batched bootstrap."""
    n = len(x)
    era = EraFit(label=label, start=start, end=end, group=group, n=n, fitted=False, ci=ci,
                 month_days=month_days, interval_method=method, bootstrap=bootstrap)
    if n:
        era.first_date, era.last_date = from_decimal_year(x.min()), from_decimal_year(x.max())
        era.x_first, era.x_last = float(x.min()), float(x.max())
    if n < 3 or np.ptp(x) <= 0:
        era.note = (f"not fitted: {n} point(s), a trend needs at least 3" if n < 3
                    else "not fitted: all points share one date")
        return era
    line = ols(x, y)
    era.fitted = True
    era.slope, era.intercept, era.r2, era.sigma = line.slope, line.intercept, line.r2, line.sigma
    era.x_mean, era.sxx = line.x_mean, line.sxx
    era.growth = 10**line.slope
    era.doubling_months = doubling_months(line.slope, month_days)
    era.start_value = 10 ** float(line.predict(era.x_first))
    era.end_value = 10 ** float(line.predict(era.x_last))
    if bootstrap > 0:
        if n < 10:
            era.note = (f"only {n} points: the bootstrap interval understates the uncertainty "
                        "(few distinct resamples)")
        rng = rng or np.random.default_rng(0)
        bs, bi = bootstrap_ols(x, y, bootstrap, rng, noise=estimate_noise)
        era.boot_slopes, era.boot_intercepts = bs, bi
        era.slope_low, era.slope_high = percentile_interval(bs, ci)
        era.slope_median = float(np.nanmedian(bs)) if np.isfinite(bs).any() else math.nan
        era.growth_low, era.growth_high = 10**era.slope_low, 10**era.slope_high
        era.doubling_low = doubling_months(era.slope_high, month_days)
        era.doubling_high = doubling_months(era.slope_low, month_days)
        era.doubling_median = doubling_months(era.slope_median, month_days)
        sv = bi + bs * era.x_first
        ev = bi + bs * era.x_last
        lo, hi = percentile_interval(sv, ci)
        era.start_low, era.start_high = 10**lo, 10**hi
        lo, hi = percentile_interval(ev, ci)
        era.end_low, era.end_high = 10**lo, 10**hi
    return era


def _method_text(bootstrap: int, seed: int, noise: float | None) -> str:
    if bootstrap <= 0:
        return "no interval (bootstrap = 0)"
    text = (f"percentile bootstrap: {bootstrap} resamples of systems with replacement, "
            f"seed {seed}")
    if noise:
        text += f", each value jittered by a uniform factor in [1/{noise:g}, {noise:g}]"
    return text


def parse_eras(eras: str | Sequence[str] | None) -> list[str] | str | None:
    """'2010-01-01,2015-09-01' -> list; 'auto' / 'auto:2' kept; None kept."""
    if eras is None:
        return None
    if isinstance(eras, str):
        text = eras.strip()
        if text.lower().startswith("auto"):
            return text.lower()
        return [p.strip() for p in text.split(",") if p.strip()]
    return [str(e).strip() for e in eras]


def fit(df: pd.DataFrame, metric: str = "compute", eras: str | Sequence[str] | None = None,
        groups: str | None = None, bootstrap: int | None = None, ci: float | None = None,
        estimate_noise: float | None = None, seed: int = 0, preset: str | None = None,
        month_days: float | None = None, labels: Sequence[str] | None = None,
        since: str | None = None, until: str | None = None) -> TrendFit:
    """Log-linear fits of `metric` against decimal year, one per era (and group).

    eras: None for the preset's boundaries (no preset: split at 2010-01-01, Epoch's convention);
    a list of ISO dates (boundaries, in order, inside the data); [] for one era over all data;
    'auto' (or 'auto:2') to take the boundaries that `breakpoints` finds.
    groups: None, a column of df (e.g. 'area'), or 'scale' (Sevilla's large- vs regular-scale).
    Arguments left as None take the preset's value (the 'epoch' preset when none is named).
    since/until: keep only systems dated on/after since and before until.
    """
    if preset is not None and preset not in PRESETS:
        raise DlrevError(f"unknown preset {preset!r}; presets are {', '.join(PRESETS)}.")
    p = PRESETS[preset or "epoch"]
    bootstrap = p.bootstrap if bootstrap is None else int(bootstrap)
    ci = p.ci if ci is None else float(ci)
    if not 0 < ci < 1:
        raise DlrevError(f"the interval level must lie between 0 and 1 (got {ci}).")
    if bootstrap < 0:
        raise DlrevError(f"the number of bootstrap resamples cannot be negative (got {bootstrap}).")
    noise = p.estimate_noise if (estimate_noise is None and preset) else estimate_noise
    if noise is not None and not noise > 1:
        raise DlrevError(f"estimate_noise is a factor above 1, e.g. 2.0 (got {noise}).")
    mdays = p.month_days if month_days is None else float(month_days)

    data, dropped = prepare(df, metric, notable_only=p.notable_only)
    n_dropped = sum(v for k, v in dropped.items() if k != "not notable")
    if since is not None:
        lo = to_decimal_year(since)
        dropped[f"before {since}"] = int((data["x"] < lo).sum())
        data = data[data["x"] >= lo]
    if until is not None:
        hi = to_decimal_year(until)
        dropped[f"on or after {until}"] = int((data["x"] >= hi).sum())
        data = data[data["x"] < hi]
    dropped = {k: v for k, v in dropped.items() if v}
    notes: list[str] = []

    spec = parse_eras(eras)
    user_eras = spec is not None
    if spec is None:
        bounds = list(p.eras)
    elif isinstance(spec, str):
        from dlrev.trends.breakpoints import breakpoints

        k = int(spec.split(":")[1]) if ":" in spec else (2 if spec == "auto2" else 1)
        bp = breakpoints(data, metric=metric, k=k, bootstrap=0, prepared=True)
        bounds = [b.date for b in bp.boundaries]
        notes.append("era boundaries found from the data: " + ", ".join(bounds))
        user_eras = False
    else:
        bounds = list(spec)
    bx = [to_decimal_year(b) for b in bounds]
    if any(b2 <= b1 for b1, b2 in zip(bx, bx[1:], strict=False)):
        raise DlrevError(f"era boundaries must be in increasing order (got {', '.join(bounds)}).")
    x_all = data["x"].to_numpy()
    if user_eras and len(x_all):
        for b, v in zip(bounds, bx, strict=True):
            if not x_all.min() < v <= x_all.max():
                raise DlrevError(
                    f"era boundary {b} lies outside the data, which runs from "
                    f"{from_decimal_year(x_all.min())} to {from_decimal_year(x_all.max())}.")
    if labels is not None:
        names = list(labels)
    elif spec is None and len(p.labels) == len(bounds) + 1:
        names = list(p.labels)
    else:
        edges = [None, *bounds, None]
        names = ["all years" if a is None and b is None else f"before {b}" if a is None
                 else f"from {a}" if b is None else f"{a} to {b}"
                 for a, b in zip(edges, edges[1:], strict=False)]
    if len(names) != len(bounds) + 1:
        raise DlrevError(f"{len(bounds) + 1} eras need {len(bounds) + 1} labels "
                         f"(got {len(names)}).")

    flags = None
    if p.sevilla:
        flags = sevilla_flags(data, large_scale_from=bounds[-1] if bounds else "2015-09-01")
        n_out = int((flags["label"] == "outlier").sum())
        notes.append(f"{n_out} low outlier(s) (z < -2 within +-364 days) removed; "
                     f"{int((flags['label'] == 'large-scale').sum())} large-scale system(s) "
                     "(z > 0.76 after the last boundary).")
        if n_out:
            dropped["low outlier (Sevilla z < -2)"] = n_out
        data = data.assign(scale=flags["label"])
        data = data[data["scale"] != "outlier"]
    elif groups == "scale":
        flags = sevilla_flags(data, large_scale_from=bounds[-1] if bounds else "2015-09-01")
        data = data.assign(scale=flags["label"].replace({"outlier": "regular-scale"}))

    method = _method_text(bootstrap, seed, noise)
    closed = p.closed
    x = data["x"].to_numpy()
    y = data["y"].to_numpy()
    edges_x: list[float | None] = [None, *bx, None]
    edges_d: list[str | None] = [None, *bounds, None]
    plan: list[tuple[str, str | None, str | None, float | None, float | None, str | None]] = []
    for i, name in enumerate(names):
        plan.append((name, edges_d[i], edges_d[i + 1], edges_x[i], edges_x[i + 1], groups))
    if p.sevilla and spec is None and len(bounds) == 2:
        # The paper's headline rows: the whole Deep Learning era with all (non-outlier) systems,
        # and the Large-Scale era split into large-scale and regular-scale systems.
        plan = [plan[0], plan[1],
                ("Deep Learning era (all models)", bounds[0], None, bx[0], None, None),
                (names[2], bounds[1], None, bx[1], None, "scale")]
    fits: list[EraFit] = []
    for i, (name, sd, ed, sx, ex, grp) in enumerate(plan):
        mask = _era_mask(x, sx, ex, closed)
        if grp is None:
            parts = [("all", mask)]
        else:
            if grp not in data.columns:
                raise DlrevError(f"cannot group by {grp!r}: the systems table has no such "
                                 f"column (try area, domain, organization or scale).")
            g = data[grp].fillna("unknown").astype(str).to_numpy()
            parts = [(str(v), mask & (g == v)) for v in sorted(set(g[mask]))]
        for j, (gname, m) in enumerate(parts):
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i, j)))
            fits.append(fit_one(x[m], y[m], label=name, group=gname, start=sd, end=ed,
                                bootstrap=bootstrap, ci=ci, estimate_noise=noise, rng=rng,
                                month_days=mdays, method=method))
    return TrendFit(metric=metric, eras=fits, preset=preset, boundaries=bounds,
                    n_used=len(data), n_dropped=n_dropped, dropped=dropped, ci=ci,
                    bootstrap=bootstrap, seed=seed, estimate_noise=noise, month_days=mdays,
                    interval_method=method, notes=notes, flags=flags)


def filter_domain(df: pd.DataFrame, domain: str | None) -> pd.DataFrame:
    """Systems of one story area (vision, games, language, science, other) or one domain label
    (e.g. 'speech'); None keeps all."""
    if not domain:
        return df
    d = domain.strip().lower()
    from dlrev.schema import AREAS, DOMAIN_AREA

    if d not in AREAS and d not in DOMAIN_AREA:
        raise DlrevError(f"unknown domain {domain!r}; use one of {', '.join(AREAS)} or a domain "
                         f"label such as {', '.join(sorted(DOMAIN_AREA)[:6])}, ...")
    area = df["area"].astype(str).str.lower() == d if "area" in df.columns else False
    labels = df["domain"].fillna("").astype(str).str.lower().str.split(",").map(
        lambda xs: d in [x.strip() for x in xs])
    return df[area | labels]
