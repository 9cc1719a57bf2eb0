"""Era boundaries found from the data, and how much a trend depends on the chosen era start.

`breakpoints` searches every candidate date (the first day of each quarter, by default) exactly:
for k boundaries it evaluates every combination, fitting a separate line to each segment
(segments need `min_points` systems), and keeps the one with the least squared error in log10
space. A batched bootstrap (resampling systems, refitting every candidate on each resample)
gives a percentile interval on each boundary date. Segment sums come from prefix sums, so a
candidate costs O(1) and the whole search is a few vectorised array operations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.jsonio import plain
from dlrev.trends.fit import fit_one
from dlrev.trends.prepare import prepare
from dlrev.trends.results import EraFit, html_table
from dlrev.trends.stats import (
    MONTH_DAYS,
    from_decimal_year,
    percentile_interval,
    to_decimal_year,
)

BOOT_CHUNK = 250


@dataclass
class Boundary:
    year: float  # decimal year of the boundary (first day of the later era)
    date: str
    low: float = math.nan
    high: float = math.nan
    low_date: str = ""
    high_date: str = ""
    median: float = math.nan

    def to_dict(self) -> dict[str, Any]:
        return {k: plain(v) for k, v in self.__dict__.items()}

    def __str__(self) -> str:
        if math.isfinite(self.low):
            return f"{self.year:.1f} [{self.low:.1f}, {self.high:.1f}]"
        return f"{self.year:.1f}"


@dataclass
class BreakpointResult:
    metric: str
    k: int
    boundaries: list[Boundary]
    segments: list[EraFit]
    sse: float
    sse_no_break: float
    bic: float
    bic_no_break: float
    n: int
    n_candidates: int
    resolution_years: float
    min_points: int
    ci: float
    bootstrap: int
    seed: int
    interval_method: str
    boot_years: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    model: str = "continuous"
    # Continuous model: log10 y = c0 + c1 x + sum_j c_(j+2) (x - boundary_j)+ ; the slope of each
    # era (OOM/year) is in hinge_slopes.
    hinge_coef: list[float] = field(default_factory=list)
    hinge_slopes: list[float] = field(default_factory=list)

    def predict_log10(self, x: np.ndarray | float) -> Any:
        """The fitted piecewise line: the hinge fit (continuous) or each era's own line."""
        xs = np.asarray(x, dtype=float)
        if self.model == "continuous" and self.hinge_coef:
            c = self.hinge_coef
            out = c[0] + c[1] * xs
            for j, b in enumerate(self.boundaries):
                out = out + c[j + 2] * np.clip(xs - b.year, 0, None)
            return out
        edges = [-np.inf, *[b.year for b in self.boundaries], np.inf]
        out = np.full(xs.shape, np.nan)
        for i, seg in enumerate(self.segments):
            m = (xs >= edges[i]) & (xs < edges[i + 1])
            out = np.where(m, seg.intercept + seg.slope * xs, out)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "k": self.k, "n": self.n, "model": self.model,
            "hinge_coef": plain(self.hinge_coef), "hinge_slopes": plain(self.hinge_slopes),
            "hinge_growth": plain([10**v for v in self.hinge_slopes]),
            "boundaries": [b.to_dict() for b in self.boundaries],
            "segments": [s.to_dict() for s in self.segments],
            "sse": plain(self.sse), "sse_no_break": plain(self.sse_no_break),
            "bic": plain(self.bic), "bic_no_break": plain(self.bic_no_break),
            "n_candidates": self.n_candidates, "resolution_years": self.resolution_years,
            "min_points": self.min_points, "ci": self.ci, "bootstrap": self.bootstrap,
            "seed": self.seed, "interval_method": self.interval_method,
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"boundary": i + 1, "year": b.year, "date": b.date, "low": b.low,
                              "high": b.high, "low_date": b.low_date, "high_date": b.high_date}
                             for i, b in enumerate(self.boundaries)])

    def _repr_html_(self) -> str:
        return html_table(self.to_frame(), f"{self.k} era boundary(ies) in {self.metric} "
                                            f"({round(self.ci * 100)}% bootstrap intervals)")

    def __str__(self) -> str:
        return "; ".join(f"boundary {i + 1}: {b}" for i, b in enumerate(self.boundaries))


def _quarter_candidates(x: np.ndarray, resolution: float) -> np.ndarray:
    """Candidate boundary dates as decimal years: first days of months on a grid of
    `resolution` years (0.25 = quarters) strictly inside the data's range."""
    months = max(1, int(round(resolution * 12)))
    lo = pd.Timestamp(from_decimal_year(float(x.min())))
    hi = pd.Timestamp(from_decimal_year(float(x.max())))
    start = pd.Timestamp(year=lo.year, month=1, day=1)
    dates = pd.date_range(start, hi, freq=f"{months}MS")
    if len(dates) == 0:
        return np.empty(0)
    from dlrev.schema import decimal_year

    g = decimal_year(pd.Series(dates)).to_numpy()
    return g[(g > x.min()) & (g <= x.max())]


def _prefix(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(B, n+1, 6) cumulative weighted sums of 1, x, y, x^2, xy, y^2."""
    cols = np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)  # (n, 6)
    c = w[:, :, None] * cols[None, :, :]
    out = np.zeros((w.shape[0], len(x) + 1, 6))
    np.cumsum(c, axis=1, out=out[:, 1:, :])
    return out


def _sse(pa: np.ndarray, pb: np.ndarray, min_points: int) -> np.ndarray:
    """Squared error of a separate line through each segment given prefix sums at its ends."""
    s = pb - pa
    s1, sx, sy, sxx, sxy, syy = (s[..., i] for i in range(6))
    with np.errstate(divide="ignore", invalid="ignore"):
        vxx = sxx - sx * sx / s1
        vxy = sxy - sx * sy / s1
        vyy = syy - sy * sy / s1
        sse = vyy - np.where(vxx > 1e-9, vxy * vxy / vxx, np.inf)
    bad = (s1 < min_points - 1e-9) | ~(vxx > 1e-9)
    return np.where(bad, np.inf, np.maximum(sse, 0.0))


def _search(pref: np.ndarray, pos: np.ndarray, k: int, min_points: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Best candidate indices (B, k) and their SSE (B,) for each row of prefix sums."""
    b_count, n1, _ = pref.shape
    start, end = pref[:, 0, :], pref[:, n1 - 1, :]
    at = pref[:, pos, :]  # (B, C, 6)
    left = _sse(start[:, None, :], at, min_points)  # (B, C)
    right = _sse(at, end[:, None, :], min_points)
    if k == 1:
        cost = left + right
        best = np.argmin(cost, axis=1)
        return best[:, None], cost[np.arange(b_count), best]
    return _best_pairs(left, right, lambda i: _sse(at[:, i:i + 1, :], at[:, i + 1:, :],
                                                   min_points))


def _best_pairs(left: np.ndarray, right: np.ndarray, middle: Any) -> tuple[np.ndarray, np.ndarray]:
    """min over i < j of left[:, i] + middle(i)[:, j - i - 1] + right[:, j], looping over i so
    each step is a slice, not a gather."""
    b_count, c = left.shape
    best_cost = np.full(b_count, np.inf)
    best = np.zeros((b_count, 2), dtype=np.intp)
    rows = np.arange(b_count)
    for i in range(c - 1):
        cost = left[:, i:i + 1] + middle(i) + right[:, i + 1:]
        j = np.argmin(cost, axis=1)
        cj = cost[rows, j]
        better = cj < best_cost
        best_cost = np.where(better, cj, best_cost)
        best[better, 0] = i
        best[better, 1] = j[better] + i + 1
    return best, best_cost


def _hinge_search(w: np.ndarray, x: np.ndarray, y: np.ndarray, pos: np.ndarray, t: np.ndarray,
                  k: int, min_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Continuous piecewise-linear search: y = a + b x + sum_j c_j (x - t_j)+ for every candidate
    (pair of) hinge date(s) t, on weights w (B, n). Each candidate's squared error comes in
    closed form: regress out [1, x], then solve the 1x1 or 2x2 system of the hinge columns."""
    cols = np.stack([np.ones_like(x), x, x * x, y, x * y], axis=1)  # (n, 5)
    suf = np.zeros((w.shape[0], len(x) + 1, 5))
    suf[:, :-1, :] = np.cumsum((w[:, :, None] * cols[None])[:, ::-1, :], axis=1)[:, ::-1, :]
    s0, s1, s2 = w.sum(1), w @ x, w @ (x * x)
    sy, sxy, syy = w @ y, w @ (x * y), w @ (y * y)
    det = s0 * s2 - s1 * s1
    with np.errstate(divide="ignore", invalid="ignore"):
        sse0 = syy - (s2 * sy * sy - 2 * s1 * sy * sxy + s0 * sxy * sxy) / det
        tt = suf[:, pos, :]  # (B, C, 5): sums over points at or after each candidate
        t0, t1, t2, ty, txy = (tt[..., i] for i in range(5))
        h = t1 - t * t0  # sum of the hinge column
        xh = t2 - t * t1
        hh = t2 - 2 * t * t1 + t * t * t0
        yh = txy - t * ty
        S0, S1, S2, D = (v[:, None] for v in (s0, s1, s2, det))
        SY, SXY = sy[:, None], sxy[:, None]

        def res(u: np.ndarray, xu: np.ndarray, v: np.ndarray, xv: np.ndarray) -> np.ndarray:
            return (S2 * u * v - S1 * (u * xv + xu * v) + S0 * xu * xv) / D

        m = hh - res(h, xh, h, xh)  # residual sum of squares of the hinge column
        q = yh - res(h, xh, SY, SXY)
        after = t0
        before = s0[:, None] - t0
        if k == 1:
            gain = np.where(m > 1e-9, q * q / m, -np.inf)
            ok = (before >= min_points - 1e-9) & (after >= min_points - 1e-9)
            cost = np.where(ok, sse0[:, None] - gain, np.inf)
            best = np.argmin(cost, axis=1)
            return best[:, None], cost[np.arange(len(best)), best]
        # Second hinge j > i: the cross term sum over x >= t_j of (x - t_i)(x - t_j) is
        # xh_j - t_i h_j; the [1, x] projection splits into a_i U_j + b_i V_j.
        u = (S2 * h - S1 * xh) / D
        v = (S0 * xh - S1 * h) / D
        qq = q * q
        ok_before = before >= min_points - 1e-9
        ok_after = after >= min_points - 1e-9

        def middle(i: int) -> np.ndarray:
            sl = slice(i + 1, None)
            m12 = xh[:, sl] - t[i] * h[:, sl] - h[:, i:i + 1] * u[:, sl] - xh[:, i:i + 1] * v[:, sl]
            m11, m22 = m[:, i:i + 1], m[:, sl]
            dd = m11 * m22 - m12 * m12
            num = m22 * qq[:, i:i + 1] - 2 * m12 * q[:, i:i + 1] * q[:, sl] + m11 * qq[:, sl]
            ok = (dd > 1e-9) & ok_before[:, i:i + 1] & ok_after[:, sl] & (
                t0[:, i:i + 1] - t0[:, sl] >= min_points - 1e-9)
            return np.where(ok, -num / np.where(ok, dd, 1.0), np.inf)

        zero = np.zeros_like(m)
        best, cost = _best_pairs(zero, zero, middle)
        return best, sse0 + cost


def _rep_year(cands: np.ndarray, groups: list[np.ndarray], idx: np.ndarray) -> np.ndarray:
    """The date reported for a chosen partition: the middle candidate among those that give it."""
    mids = np.array([g[len(g) // 2] for g in groups])
    return cands[mids[idx]]


def breakpoints(df: pd.DataFrame, k: int = 1, metric: str = "compute", bootstrap: int = 1000,
                ci: float = 0.9, seed: int = 0, min_points: int = 5, resolution: float = 0.25,
                since: str | None = None, until: str | None = None,
                month_days: float = MONTH_DAYS, prepared: bool = False,
                model: str = "continuous") -> BreakpointResult:
    """The k era boundaries (1 or 2) that minimise the squared error of a piecewise-linear fit
    of log10 value on date, with a percentile-bootstrap interval on each boundary date.

    model 'continuous': one line whose slope changes at each boundary (a hinge); the question
    'when did growth speed up'. model 'separate': an independent line per era, as the era fits
    draw them, so a jump in level also counts. Candidates are the first days of each period of
    `resolution` years (quarters by default) leaving `min_points` systems in every era."""
    if model not in ("continuous", "separate"):
        raise DlrevError(f"unknown breakpoint model {model!r}; choose continuous or separate.")
    if k not in (1, 2):
        raise DlrevError(f"breakpoints finds 1 or 2 boundaries (got k = {k}).")
    if min_points < 3:
        raise DlrevError(f"each era needs at least 3 points to fit (min_points = {min_points}).")
    if not resolution > 0:
        raise DlrevError(f"the candidate spacing must be positive (got {resolution} years).")
    data = df if prepared else prepare(df, metric)[0]
    if since is not None:
        data = data[data["x"] >= to_decimal_year(since)]
    if until is not None:
        data = data[data["x"] < to_decimal_year(until)]
    data = data.sort_values("x", kind="mergesort")
    x = data["x"].to_numpy(dtype=float)
    y = data["y"].to_numpy(dtype=float)
    n = len(x)
    if n < (k + 1) * min_points:
        raise DlrevError(f"{k} boundary(ies) with at least {min_points} systems per era need "
                         f"{(k + 1) * min_points} systems; there are {n}.")
    cands = _quarter_candidates(x, resolution)
    pos_all = np.searchsorted(x, cands, side="left")
    # Candidates that split the data the same way form one partition.
    uniq, first = np.unique(pos_all, return_index=True)
    groups = np.split(np.arange(len(cands)), first[1:]) if len(cands) else []
    keep = (uniq >= min_points) & (uniq <= n - min_points)
    pos = uniq[keep]
    groups = [g for g, kp in zip(groups, keep, strict=True) if kp]
    if len(pos) < k:
        raise DlrevError(f"too few candidate dates leave {min_points} systems on each side "
                         f"for {k} boundary(ies).")
    xm = x.mean()
    xc = x - xm
    # The hinge model's error changes with the date even between two systems, so it tries every
    # candidate; the separate-lines model tries one per distinct split of the systems.
    hpos_all = np.searchsorted(x, cands, side="left")
    hkeep = (hpos_all >= min_points) & (hpos_all <= n - min_points)
    hpos, hcands = hpos_all[hkeep], cands[hkeep]

    def search(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if model == "continuous":
            bb, bc = _hinge_search(w, xc, y, hpos, hcands - xm, k, min_points)
            return hcands[bb], bc
        bb, bc = _search(_prefix(w, xc, y), pos, k, min_points)
        return _rep_year(cands, groups, bb), bc

    if model == "continuous" and len(hpos) < k:
        raise DlrevError(f"too few candidate dates leave {min_points} systems on each side "
                         f"for {k} boundary(ies).")
    pref = _prefix(np.ones((1, n)), xc, y)
    best_years, cost = search(np.ones((1, n)))
    years = best_years[0]
    sse0 = float(_sse(pref[:, 0, :], pref[:, n, :], 1)[0])
    sse = float(cost[0])
    # BIC with Gaussian errors: line parameters plus each boundary date.
    n_line = 2 * (k + 1) if model == "separate" else 2 + k
    bic = n * math.log(max(sse, 1e-300) / n) + (n_line + k) * math.log(n)
    bic0 = n * math.log(max(sse0, 1e-300) / n) + 2 * math.log(n)

    boot_years = np.empty((0, k))
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        out = np.full((bootstrap, k), np.nan)
        for s in range(0, bootstrap, BOOT_CHUNK):
            c = min(BOOT_CHUNK, bootstrap - s)
            idx = rng.integers(0, n, size=(c, n)) + (n * np.arange(c))[:, None]
            w = np.bincount(idx.ravel(), minlength=c * n).reshape(c, n).astype(float)
            yrs, bc = search(w)
            yrs = yrs.astype(float)
            yrs[~np.isfinite(bc)] = np.nan
            out[s:s + c] = yrs
        boot_years = out
    bounds: list[Boundary] = []
    for i, yv in enumerate(years):
        b = Boundary(float(yv), from_decimal_year(float(yv)))
        if len(boot_years):
            b.low, b.high = percentile_interval(boot_years[:, i], ci)
            b.median = float(np.nanmedian(boot_years[:, i]))
            b.low_date, b.high_date = from_decimal_year(b.low), from_decimal_year(b.high)
        bounds.append(b)
    edges = [None, *[b.date for b in bounds], None]
    edge_x = [-np.inf, *[b.year for b in bounds], np.inf]
    segments = []
    for i in range(k + 1):
        m = (x >= edge_x[i]) & (x < edge_x[i + 1])
        segments.append(fit_one(x[m], y[m], label=f"era {i + 1}", start=edges[i],
                                end=edges[i + 1], bootstrap=0, month_days=month_days))
    method = (f"percentile bootstrap: {bootstrap} resamples of systems with replacement, seed "
              f"{seed}; every candidate refitted on each resample" if bootstrap else
              "no interval (bootstrap = 0)")
    coef: list[float] = []
    hslopes: list[float] = []
    if model == "continuous":
        design = np.column_stack([np.ones(n), x, *[np.clip(x - b.year, 0, None) for b in bounds]])
        coef = [float(v) for v in np.linalg.lstsq(design, y, rcond=None)[0]]
        hslopes = [float(v) for v in np.cumsum(coef[1:])]
    return BreakpointResult(
        metric=metric, k=k, boundaries=bounds, segments=segments, sse=sse, sse_no_break=sse0,
        bic=bic, bic_no_break=bic0, n=n,
        n_candidates=len(hpos) if model == "continuous" else len(pos),
        resolution_years=resolution,
        min_points=min_points, ci=ci, bootstrap=bootstrap, seed=seed, interval_method=method,
        boot_years=boot_years, model=model, hinge_coef=coef, hinge_slopes=hslopes,
    )


__all__ = ["Boundary", "BreakpointResult", "breakpoints"]
