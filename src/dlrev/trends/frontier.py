"""The frontier: the subset of systems that pushes a metric, chosen one of three ways.

- 'top-k'     the k largest systems of each calendar year ('top-k per year');
- 'records'   record setters: systems larger than every system dated before them;
- 'residual'  systems far above their era's trend line: residual >= threshold OOM (by default
              0.76 residual standard deviations, Sevilla et al.'s large-scale cut-off).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.jsonio import plain
from dlrev.trends.fit import fit
from dlrev.trends.prepare import METRICS, prepare
from dlrev.trends.results import html_table
from dlrev.trends.stats import from_decimal_year

HOW_ALIASES = {
    "top-k": "top-k", "top-k per year": "top-k", "topk": "top-k", "top": "top-k",
    "records": "records", "record setters": "records", "record": "records",
    "record-setters": "records",
    "residual": "residual", "residual above trend": "residual", "residuals": "residual",
}


@dataclass
class FrontierResult:
    metric: str
    how: str
    params: dict[str, Any]
    systems: pd.DataFrame  # the frontier rows: the input columns plus x, y (log10) and why
    n_candidates: int

    @property
    def n(self) -> int:
        return len(self.systems)

    def to_dict(self) -> dict[str, Any]:
        cols = [c for c in ("name", "organization", "date", "area", "x", "y", "rank",
                            "residual") if c in self.systems.columns]
        rows = []
        for r in self.systems[cols].to_dict(orient="records"):
            r["value"] = 10 ** r["y"]
            if "date" in r and r["date"] is not None and not pd.isna(r["date"]):
                r["date"] = pd.Timestamp(r["date"]).date().isoformat()
            else:
                r["date"] = from_decimal_year(float(r["x"]))
            rows.append({k: plain(v) for k, v in r.items()})
        return {"metric": self.metric, "how": self.how, "params": plain(self.params),
                "n": self.n, "n_candidates": self.n_candidates, "systems": rows}

    def _repr_html_(self) -> str:
        cols = [c for c in ("name", "date", "y", "rank", "residual") if c in self.systems]
        return html_table(self.systems[cols], f"Frontier of {self.metric} ({self.how}, "
                                               f"{self.n} of {self.n_candidates} systems)")


def frontier(df: pd.DataFrame, how: str = "top-k", metric: str = "compute", k: int = 1,
             threshold: float | None = None, eras: Any = None,
             prepared: bool = False) -> FrontierResult:
    """The frontier subset of `df` by `how` ('top-k' per calendar year, 'records',
    'residual' above the era trend)."""
    key = HOW_ALIASES.get(how.strip().lower())
    if key is None:
        raise DlrevError(f"unknown frontier method {how!r}; choose top-k, records or residual.")
    if metric not in METRICS:
        raise DlrevError(f"unknown metric {metric!r}; choose compute, parameters or data.")
    data = df.copy() if prepared else prepare(df, metric)[0]
    data = data.sort_values(["x", "y"], kind="mergesort")
    n_all = len(data)
    params: dict[str, Any] = {}
    if key == "top-k":
        if k < 1:
            raise DlrevError(f"top-k needs k of at least 1 (got {k}).")
        cal = np.floor(data["x"]).astype(int)
        rank = data.groupby(cal)["y"].rank(ascending=False, method="first")
        out = data.assign(rank=rank.astype(int))[rank <= k]
        params = {"k": k}
    elif key == "records":
        prev = data["y"].cummax().shift(1, fill_value=-np.inf)
        out = data[data["y"] > prev]
    else:
        tf = fit(data.drop(columns=["x", "y"]) if not prepared else _unprepare(data),
                 metric=metric, eras=eras, bootstrap=0)
        resid = pd.Series(np.nan, index=data.index)
        for e in tf.eras:
            if not e.fitted:
                continue
            lo = -np.inf if e.start is None else _dy(e.start)
            hi = np.inf if e.end is None else _dy(e.end)
            m = (data["x"] >= lo) & (data["x"] < hi)
            resid[m] = data.loc[m, "y"] - e.predict_log10(data.loc[m, "x"].to_numpy())
        if threshold is None:
            sd = float(np.nanstd(resid.to_numpy()))
            thr = 0.76 * sd
            params = {"threshold_oom": thr, "rule": "0.76 x residual s.d."}
        else:
            thr = float(threshold)
            params = {"threshold_oom": thr}
        params["eras"] = tf.boundaries
        out = data.assign(residual=resid)[resid >= thr]
    return FrontierResult(metric, key, params, out, n_all)


def _dy(date: str) -> float:
    from dlrev.trends.stats import to_decimal_year

    return to_decimal_year(date)


def _unprepare(data: pd.DataFrame) -> pd.DataFrame:
    """A prepared frame back to a systems-like frame with year and the metric column."""
    out = data.copy()
    out["year"] = out["x"]
    return out.drop(columns=["x", "y"])


def yearly_max(df: pd.DataFrame, metric: str = "compute", prepared: bool = False) -> pd.DataFrame:
    """The largest system of each calendar year: columns calendar_year, x, y, name (if known)."""
    data = df if prepared else prepare(df, metric)[0]
    if data.empty:
        return pd.DataFrame(columns=["calendar_year", "x", "y"])
    cal = np.floor(data["x"]).astype(int)
    i = data.assign(calendar_year=cal).groupby("calendar_year")["y"].idxmax()
    out = data.loc[i.to_numpy()].assign(calendar_year=i.index.to_numpy())
    return out.reset_index(drop=True)


__all__ = ["FrontierResult", "frontier", "yearly_max", "HOW_ALIASES"]
