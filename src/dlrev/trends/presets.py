"""The trend presets, as data defined once: the trend engine, the CLI and the explorer all read
them from here (era boundaries, labels, bootstrap size, interval level, month length)."""

from __future__ import annotations

from dataclasses import dataclass

from dlrev.trends.stats import MONTH_DAYS


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
    # How a chart shows the preset: a short title, the dates shown, and which (era label, group)
    # rows it draws (empty: every fitted row).
    title: str = ""
    shown_from: str | None = None
    shown_to: str | None = None
    drawn: tuple[tuple[str, str], ...] = ()


PRESETS: dict[str, Preset] = {
    "epoch": Preset(
        "epoch",
        "Epoch AI / Our World in Data: notable systems with a positive value, split at "
        "2010-01-01, OLS of log10 value on decimal year, 1,000 bootstrap resamples, 90% interval.",
        eras=("2010-01-01",), labels=("Pre-deep-learning era", "Deep learning era"),
        bootstrap=1000, ci=0.9, estimate_noise=None, month_days=MONTH_DAYS, closed="left",
        notable_only=True, title="Epoch: two eras split at 2010",
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
        sevilla=True, title="Sevilla et al. 2022 figure 1",
        shown_from="1952-01-01", shown_to="2022-02-01",
        drawn=(("Pre-Deep Learning era", "all"), ("Deep Learning era (all models)", "all"),
               ("Large-Scale era", "large-scale")),
    ),
}


