"""The growth figure: frontier compute (log), capability index and time horizon (log) in aligned
panels on one time axis, each with the fitted lines from 2010 and from 2023.

    >>> from dlrev.figures.growth import plot_growth
    >>> save(plot_growth(dlrev.growth.growth(cat, horizon_fit=fit)), "growth.svg")
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from dlrev import palette
from dlrev.figures.common import figure_style, log_axis, new_figure, source_line, year_axis
from dlrev.growth import WINDOWS, GrowthResult, GrowthRow

# One colour per measure (the web spec uses the same), and one line style per window.
PANEL_COLORS = {"compute": palette.OKABE_ITO[0], "capability": palette.OKABE_ITO[2],
                "horizon": palette.OKABE_ITO[4]}
OTHER = "#bbbbbb"
WINDOW_STYLES = {WINDOWS[0][0]: (palette.INK, "-"), WINDOWS[1][0]: (palette.OKABE_ITO[1], "--")}
MINUTE_TICKS = ((1, "1 min"), (4, "4 min"), (15, "15 min"), (60, "1 h"), (480, "8 h"),
                (2400, "40 h"), (10020, "167 h"))


def rate_text(r: GrowthRow) -> str:
    """'4.6x/year [4.2, 5.0]' or 'doubling 4.9 months [3.5, 5.6]' for a panel's legend."""
    if not r.available:
        return "not available"
    if r.unit == "doubling months":
        return f"doubling {r.value:.1f} months [{r.low:.1f}, {r.high:.1f}]"
    if r.unit == "x/year":
        return (f"{r.value:.1f}x/year [{r.low:.1f}, {r.high:.1f}], doubling "
                f"{r.doubling_months:.1f} months")
    return f"{r.value:.1f} {r.unit} [{r.low:.1f}, {r.high:.1f}]"


def _minutes_axis(ax: Axes) -> None:
    ax.set_yscale("log")
    lo, hi = ax.get_ylim()
    ticks = [(v, t) for v, t in MINUTE_TICKS if lo <= v <= hi]
    ax.yaxis.set_major_locator(FixedLocator([v for v, _ in ticks]))
    labels = dict(ticks)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: labels.get(v, "")))
    ax.yaxis.set_minor_locator(NullLocator())


def _panel(ax: Axes, key: str, panel: dict[str, Any], rows: list[GrowthRow]) -> None:
    color = PANEL_COLORS.get(key, palette.INK)
    ax.set_title(panel["title"], fontsize=10)
    ax.set_ylabel(panel["unit"], fontsize=8)
    pts = panel["points"]
    if not len(pts):
        ax.text(0.5, 0.5, panel.get("note") or "not available", transform=ax.transAxes,
                ha="center", va="center", color=palette.MUTED, fontsize=8, wrap=True)
        ax.set_yticks([])
        return
    other = pts[~pts["frontier"].astype(bool)]
    front = pts[pts["frontier"].astype(bool)]
    ax.scatter(other["x"], other["value"], s=7, color=OTHER, linewidths=0, zorder=2)
    ax.scatter(front["x"], front["value"], s=18, color=color, edgecolors=palette.INK,
               linewidths=0.4, zorder=3)
    handles = [Line2D([], [], marker="o", ls="", color=color, markeredgecolor=palette.INK,
                      markeredgewidth=0.4, label="frontier (record at release)")]
    lines = panel["lines"]
    for r in rows:
        if not r.available or not len(lines):
            continue
        seg = lines[lines["window"] == r.window]
        c, ls = WINDOW_STYLES.get(r.window, (palette.INK, "-"))
        ax.plot(seg["x"], seg["value"], color=c, ls=ls, lw=1.4, zorder=4)
        handles.append(Line2D([], [], color=c, ls=ls, label=f"{r.window}: {rate_text(r)}"))
    if panel.get("log"):
        if key == "horizon":
            _minutes_axis(ax)
        else:
            log_axis(ax, "y", max_ticks=6)
    ax.legend(handles=handles, loc="upper left", fontsize=7, handlelength=2.2)


def plot_growth(res: GrowthResult, title: str | None = None) -> Figure:
    """One panel per measure in res.panels (compute, capability when present, horizon), sharing
    the x axis from 2010 to past the newest point."""
    keys = list(res.panels)
    with figure_style():
        fig, axes = new_figure(7.2, 2.35 * len(keys) + 0.9, nrows=len(keys), sharex=True,
                               squeeze=False)
        lo, hi = res.x_range
        for ax, key in zip(axes[:, 0], keys, strict=True):
            _panel(ax, key, res.panels[key], [r for r in res.rows if r.measure == key])
        year_axis(axes[-1, 0], lo, hi)
        fig.suptitle(title or "Growth side by side: compute, capability and time horizon",
                     x=0.01, ha="left", fontsize=11, fontweight="bold")
        sources = [p.get("source", "") for p in res.panels.values()]
        levels = {r.measure: f"{round(r.ci * 100)}%" for r in res.rows
                  if r.available and r.measure in keys and math.isfinite(r.ci)}
        fig.tight_layout(rect=(0, 0.06, 1, 0.97))
        source_line(fig, sources, extra="Brackets: bootstrap intervals, " + ", ".join(
            f"{k} {v}" for k, v in levels.items()) + ".")
    return fig
