"""Diagnostic figures of the trend engine: where the era breaks, how growth depends on the era's
start, and how well extrapolating the frontier has worked (the main chart is in trends.py)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from dlrev.figures.common import (
    INK,
    MUTED,
    PALETTE,
    figure_style,
    log_axis,
    new_figure,
    source_line,
    year_axis,
)
from dlrev.figures.trends import METRIC_LABELS, _dy
from dlrev.trends.breakpoints import BreakpointResult
from dlrev.trends.forecast import Backtest
from dlrev.trends.prepare import prepare
from dlrev.trends.sensitivity import SensitivityResult


def plot_breakpoints(bp: BreakpointResult, systems: pd.DataFrame,
                     sources: Iterable[str] | str | None = None, title: str | None = None,
                     width: float = 7.2, height: float = 5.2) -> Figure:
    """Points, the fitted segments, each boundary with its interval, and the bootstrap
    distribution of the boundary dates below."""
    data, _ = prepare(systems, bp.metric)
    with figure_style():
        fig, (ax, hx) = new_figure(width, height, nrows=2, sharex=True,
                                   gridspec_kw={"height_ratios": [3, 1], "hspace": 0.08})
        ax.scatter(data["x"], 10 ** data["y"], s=6, color="#9a9a9a", alpha=0.6, lw=0, zorder=2)
        edges = [float(data["x"].min()), *[b.year for b in bp.boundaries],
                 float(data["x"].max())]
        for i, e in enumerate(bp.segments):
            if not e.fitted:
                continue
            if bp.model == "continuous" and bp.hinge_slopes:
                xs = np.linspace(edges[i], edges[i + 1], 50)
                growth = 10 ** bp.hinge_slopes[i]
            else:
                xs = np.linspace(e.x_first, e.x_last, 50)
                growth = e.growth
            ax.plot(xs, 10 ** bp.predict_log10(xs), color=PALETTE[i % len(PALETTE)], lw=1.6,
                    zorder=4, label=f"era {i + 1}: {growth:.2f}x/year (n = {e.n})")
        for j, b in enumerate(bp.boundaries):
            for a in (ax, hx):
                if math.isfinite(b.low):
                    a.axvspan(b.low, b.high, color=PALETTE[4], alpha=0.15, lw=0, zorder=1)
                a.axvline(b.year, color=PALETTE[4], lw=1.0, ls="--", zorder=3)
            right = b.year > float(data["x"].max()) - 12
            ax.text(b.year, 0.98 - 0.07 * j, f" {b} " if not right else f"{b} ",
                    transform=ax.get_xaxis_transform(), ha="right" if right else "left",
                    va="top", fontsize=7.5, color=INK,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
        x_lo, x_hi = float(data["x"].min()) - 1, float(data["x"].max()) + 1
        log_axis(ax, "y", label=METRIC_LABELS.get(bp.metric, bp.metric))
        ax.legend(loc="lower right")
        if bp.boot_years.size:
            bins = np.arange(math.floor(x_lo), math.ceil(x_hi) + 0.5, 0.5)
            for j in range(bp.boot_years.shape[1]):
                v = bp.boot_years[:, j]
                hx.hist(v[np.isfinite(v)], bins=bins, color=PALETTE[j % len(PALETTE)],
                        alpha=0.7, lw=0)
            hx.set_ylabel("resamples")
        hx.grid(axis="x", visible=False)
        year_axis(hx, x_lo, x_hi)
        pct = round(bp.ci * 100)
        ax.set_title(title or f"Era boundaries found from the data ({bp.k} break"
                              f"{'s' if bp.k > 1 else ''}, {pct}% bootstrap intervals)")
        fig.subplots_adjust(left=0.1, right=0.98, top=0.93)
        what = ("One line whose slope changes at each boundary (continuous piecewise OLS)"
                if bp.model == "continuous" else "Separate OLS lines per era")
        source_line(fig, sources, f"{what}; exact search over {bp.n_candidates} candidate "
                                  f"dates; {bp.interval_method}.")
    return fig


def plot_sensitivity(se: SensitivityResult, sources: Iterable[str] | str | None = None,
                     title: str | None = None, mark: str | None = "2010-01-01",
                     width: float = 7.2, height: float = 3.6) -> Figure:
    """Doubling time (months) of the latest era against the chosen start date, with its band."""
    r = se.rows[se.rows["fitted"]]
    with figure_style():
        fig, ax = new_figure(width, height)
        ax.fill_between(r["year"], r["doubling_low"], r["doubling_high"], color=PALETTE[0],
                        alpha=0.2, lw=0, label=f"{round(se.ci * 100)}% interval")
        ax.plot(r["year"], r["doubling_months"], color=PALETTE[0], lw=1.4, marker="o", ms=2.5,
                label="doubling time")
        if mark:
            ax.axvline(_dy(mark), color=MUTED, lw=0.8, ls="--")
            ax.text(_dy(mark), 0.98, f" {mark}", transform=ax.get_xaxis_transform(),
                    fontsize=7, va="top", color=MUTED)
        ax.set_ylabel("doubling time (months)")
        ax.set_xlabel("chosen start of the era")
        if len(r):
            year_axis(ax, float(r["year"].min()) - 0.25, float(r["year"].max()) + 0.25)
        ax.legend(loc="upper right")
        ax.set_title(title or f"How the {se.metric} trend depends on where the era starts")
        fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.18)
        source_line(fig, sources, se.interval_method)
    return fig


def plot_backtest(bt: Backtest, sources: Iterable[str] | str | None = None,
                  title: str | None = None, width: float = 7.2, height: float = 3.6) -> Figure:
    """Left: forecast error by origin year for each horizon. Right: mean absolute error of the
    trend against a no-growth baseline, with interval coverage."""
    with figure_style():
        fig, (ax, bx) = new_figure(width, height, ncols=2,
                                   gridspec_kw={"width_ratios": [3, 2], "wspace": 0.3})
        for i, h in enumerate(bt.horizons):
            r = bt.rows[bt.rows["horizon"] == h]
            if len(r):
                ax.plot(r["origin"], r["error"], marker="o", ms=3, lw=1.2,
                        color=PALETTE[i % len(PALETTE)], label=f"{h} year{'s' if h > 1 else ''}")
        ax.axhline(0, color=MUTED, lw=0.8)
        ax.set_xlabel("forecast made at the end of")
        ax.set_ylabel("actual − predicted (orders of magnitude)")
        ax.legend(title="horizon", fontsize=7, title_fontsize=7)
        s = bt.summary[bt.summary["n"] > 0]
        pos = np.arange(len(s))
        bx.bar(pos - 0.2, s["mae"], width=0.4, color=PALETTE[0], label="trend")
        bx.bar(pos + 0.2, s["baseline_mae"], width=0.4, color="#bbbbbb", label="no growth")
        for p, (_, row) in zip(pos, s.iterrows(), strict=True):
            bx.text(p - 0.2, row["mae"], f"{row['coverage']:.0%}", ha="center", va="bottom",
                    fontsize=6.5, color=INK)
        bx.set_xticks(pos, [f"{int(h)}y" for h in s["horizon"]])
        bx.set_ylabel("mean absolute error (OOM)")
        bx.set_xlabel("horizon (labels: interval coverage)")
        bx.legend(fontsize=7)
        bx.grid(axis="x", visible=False)
        fig.suptitle(title or f"Backtest: extrapolating the {bt.metric} frontier "
                              f"(largest system per year)", x=0.01, ha="left",
                     fontweight="bold", fontsize=11)
        fig.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.2)
        source_line(fig, sources, bt.method)
    return fig


__all__ = ["plot_backtest", "plot_breakpoints", "plot_sensitivity"]
