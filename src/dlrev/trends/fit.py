"""Fit log-linear trends per era (and group): `fit` for a whole table, `fit_one` for one era."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.trends.prepare import prepare, sevilla_flags
from dlrev.trends.presets import PRESETS
from dlrev.trends.results import EraFit, TrendFit
from dlrev.trends.stats import (
    MONTH_DAYS,
    bootstrap_ols,
    from_decimal_year,
    ols,
    to_decimal_year,
)


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
    if bootstrap > 0:
        if n < 10:
            era.note = (f"only {n} points: the bootstrap interval understates the uncertainty "
                        "(few distinct resamples)")
        rng = rng or np.random.default_rng(0)
        era.boot_slopes, era.boot_intercepts = bootstrap_ols(x, y, bootstrap, rng,
                                                             noise=estimate_noise)
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
        from dlrev.trends.breakpoints import breakpoints  # breakpoints builds on fit_one

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


