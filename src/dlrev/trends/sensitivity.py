"""How the latest era's growth depends on the date it is taken to start: one fit per candidate
start, each with its bootstrap interval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.jsonio import plain
from dlrev.trends.fit import fit_one
from dlrev.trends.prepare import prepare
from dlrev.trends.results import html_table
from dlrev.trends.stats import MONTH_DAYS, to_decimal_year


@dataclass
class SensitivityResult:
    metric: str
    end: str | None
    rows: pd.DataFrame  # start, year, n, slope, growth, doubling_months and their intervals
    ci: float
    bootstrap: int
    seed: int
    month_days: float
    interval_method: str

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "end": self.end, "ci": self.ci,
                "bootstrap": self.bootstrap, "seed": self.seed, "month_days": self.month_days,
                "interval_method": self.interval_method,
                "rows": [{k: plain(v) for k, v in r.items()}
                         for r in self.rows.to_dict(orient="records")]}

    def to_frame(self) -> pd.DataFrame:
        return self.rows.copy()

    def _repr_html_(self) -> str:
        return html_table(self.rows, f"Doubling time of {self.metric} by chosen era start")


def sensitivity(df: pd.DataFrame, metric: str = "compute", starts: list[str] | None = None,
                end: str | None = None, first: str = "2005-01-01", last: str = "2016-01-01",
                step_months: int = 3, bootstrap: int = 200, ci: float = 0.9, seed: int = 0,
                month_days: float = MONTH_DAYS) -> SensitivityResult:
    """The latest era's trend as a function of its start date: one fit per candidate start
    (every `step_months` from `first` to `last`, or the given `starts`), to `end` (or the data's
    end)."""
    if starts is None:
        if step_months < 1:
            raise DlrevError(f"step_months must be at least 1 (got {step_months}).")
        if pd.Timestamp(last) <= pd.Timestamp(first):
            raise DlrevError(f"the last start ({last}) must come after the first ({first}).")
        starts = [d.date().isoformat() for d in
                  pd.date_range(first, last, freq=f"{step_months}MS")]
    data, _ = prepare(df, metric)
    x = data["x"].to_numpy()
    y = data["y"].to_numpy()
    hi = to_decimal_year(end) if end else np.inf
    rows = []
    for i, s in enumerate(starts):
        lo = to_decimal_year(s)
        m = (x >= lo) & (x < hi)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        e = fit_one(x[m], y[m], label=s, start=s, end=end, bootstrap=bootstrap, ci=ci, rng=rng,
                    month_days=month_days)
        rows.append({"start": s, "year": lo, "n": e.n, "fitted": e.fitted, "slope": e.slope,
                     "slope_low": e.slope_low, "slope_high": e.slope_high, "growth": e.growth,
                     "growth_low": e.growth_low, "growth_high": e.growth_high,
                     "doubling_months": e.doubling_months, "doubling_low": e.doubling_low,
                     "doubling_high": e.doubling_high, "r2": e.r2})
    method = (f"percentile bootstrap per start: {bootstrap} resamples, seed {seed}"
              if bootstrap else "no interval")
    return SensitivityResult(metric, end, pd.DataFrame(rows), ci, bootstrap, seed, month_days,
                             method)


__all__ = ["SensitivityResult", "sensitivity"]
