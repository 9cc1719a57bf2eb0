"""The trend engine's result objects, and the one place they are rendered as text and HTML.

An EraFit stores what the fit measured (the line, its data range, the bootstrap draws); every
other number (growth, doubling time, their intervals, fitted start and end values) is derived
from those as a property, so nothing can disagree with the line it came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.jsonio import plain
from dlrev.trends.prepare import METRIC_UNITS
from dlrev.trends.stats import MONTH_DAYS, doubling_months, percentile_interval

# The keys of EraFit.to_dict(), in order: stored fields and derived properties together.
ERA_KEYS = (
    "label", "start", "end", "group", "n", "fitted", "slope", "intercept", "r2", "growth",
    "doubling_months", "start_value", "end_value", "slope_low", "slope_high", "growth_low",
    "growth_high", "doubling_low", "doubling_high", "start_low", "start_high", "end_low",
    "end_high", "slope_median", "doubling_median", "sigma", "first_date", "last_date", "x_first",
    "x_last", "ci", "interval_method", "bootstrap", "month_days", "note",
)


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

    # --- derived from the line ---
    def _doubling(self, slope: float) -> float:
        return math.nan if math.isnan(slope) else float(doubling_months(slope, self.month_days))

    @property
    def growth(self) -> float:
        return float(10**self.slope)

    @property
    def doubling_months(self) -> float:
        return self._doubling(self.slope)

    @property
    def start_value(self) -> float:
        return float(10 ** self.predict_log10(self.x_first))

    @property
    def end_value(self) -> float:
        return float(10 ** self.predict_log10(self.x_last))

    # --- derived from the bootstrap draws (computed once) ---
    @cached_property
    def _slope_interval(self) -> tuple[float, float]:
        return percentile_interval(self.boot_slopes, self.ci)

    @property
    def slope_low(self) -> float:
        return self._slope_interval[0]

    @property
    def slope_high(self) -> float:
        return self._slope_interval[1]

    @cached_property
    def slope_median(self) -> float:
        bs = self.boot_slopes
        return float(np.nanmedian(bs)) if np.isfinite(bs).any() else math.nan

    @property
    def growth_low(self) -> float:
        return float(10**self.slope_low)

    @property
    def growth_high(self) -> float:
        return float(10**self.slope_high)

    @property
    def doubling_low(self) -> float:
        return self._doubling(self.slope_high)

    @property
    def doubling_high(self) -> float:
        return self._doubling(self.slope_low)

    @property
    def doubling_median(self) -> float:
        return self._doubling(self.slope_median)

    def _value_interval(self, x: float) -> tuple[float, float]:
        lo, hi = percentile_interval(self.boot_intercepts + self.boot_slopes * x, self.ci)
        return float(10**lo), float(10**hi)

    @cached_property
    def _start_interval(self) -> tuple[float, float]:
        return self._value_interval(self.x_first)

    @cached_property
    def _end_interval(self) -> tuple[float, float]:
        return self._value_interval(self.x_last)

    @property
    def start_low(self) -> float:
        return self._start_interval[0]

    @property
    def start_high(self) -> float:
        return self._start_interval[1]

    @property
    def end_low(self) -> float:
        return self._end_interval[0]

    @property
    def end_high(self) -> float:
        return self._end_interval[1]

    def to_dict(self) -> dict[str, Any]:
        return {k: plain(getattr(self, k)) for k in ERA_KEYS}

    def predict_log10(self, year: float | np.ndarray) -> Any:
        return self.intercept + self.slope * np.asarray(year, dtype=float)

    def summary(self) -> str:
        if not self.fitted:
            return f"{self.label} ({self.group}): not fitted, n = {self.n}"
        return (f"{self.label} ({self.group}, n = {self.n}): {self.growth:.2f}x/year "
                f"[{self.growth_low:.2f}, {self.growth_high:.2f}], doubling "
                f"{self.doubling_months:.1f} months [{self.doubling_low:.1f}, "
                f"{self.doubling_high:.1f}] ({round(self.ci * 100)}% interval)")


def html_table(frame: pd.DataFrame, title: str) -> str:
    """A result table as HTML for notebooks (every result's _repr_html_ uses this one)."""
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
        return html_table(self.to_frame(), title)

    def __str__(self) -> str:
        return "\n".join(e.summary() for e in self.eras)
