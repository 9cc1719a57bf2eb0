"""The trend engine's main figure: the revolution's compute chart with its eras, trend lines and
landmark systems (diagnostic figures are in diagnostics.py).

Each function takes analysis results (and the systems they came from) and returns a matplotlib
Figure; `dlrev.figures.common.save` writes it deterministically.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from dlrev.figures.common import (
    AREA_COLORS,
    AREA_MARKERS,
    INK,
    MUTED,
    PALETTE,
    figure_style,
    log_axis,
    new_figure,
    source_line,
    year_axis,
)
from dlrev.landmarks import LANDMARK_SYSTEMS
from dlrev.trends.prepare import METRIC_UNITS, prepare
from dlrev.trends.results import EraFit, TrendFit

METRIC_LABELS = {
    "compute": "Training compute (FLOP)",
    "parameters": "Parameters",
    "data": "Training dataset size (datapoints)",
}
METRIC_TITLES = {
    "compute": "Training compute of notable AI systems",
    "parameters": "Parameters of notable AI systems",
    "data": "Training data of notable AI systems",
}
# Systems worth naming on the main chart when present: the shared landmark set first, then a few
# more that matter on a chart reaching back to 1950.
LANDMARKS = (*LANDMARK_SYSTEMS, "Theseus", "TD-Gammon", "Neocognitron", "BERT-Large",
             "Gemini 1.0 Ultra", "AlphaGo Lee", "NetTalk", "Deep Blue", "GPT-4.5", "Grok 3",
             "LSTM", "Word2Vec (large)", "GANs")


def _format_growth(e: EraFit) -> str:
    g = f"{e.growth:.1f}x/year" if e.growth < 100 else f"{e.growth:.3g}x/year"
    if math.isfinite(e.growth_low):
        return f"{g} [{e.growth_low:.1f}, {e.growth_high:.1f}]"
    return g


def _trend_band(e: EraFit, xs: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray] | None:
    bs, bi = e.boot_slopes, e.boot_intercepts
    good = np.isfinite(bs)
    if not good.any():
        return None
    lines = bi[good][:, None] + bs[good][:, None] * xs[None, :]
    lo, hi = np.percentile(lines, [50 * (1 - ci), 50 * (1 + ci)], axis=0)
    return lo, hi


def _place_labels(ax: Axes, fig: Figure, points: Sequence[tuple[float, float, str]],
                  fontsize: float = 6.5, placed: list[Bbox] | None = None) -> list[Bbox]:
    """Label points greedily: for each, the first of several offsets whose text box overlaps
    neither an earlier label nor the axes' edge (skip the label when none fits)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    placed = list(placed or [])
    offsets = [(6, 6), (6, -10), (-6, 6), (-6, -10), (10, 14), (-10, 14), (10, -18), (-10, -18),
               (14, 26), (-14, 26), (14, -30), (-14, -30), (24, 0), (-24, 0), (-30, 40),
               (-50, 25), (30, -40), (-60, 55), (-80, 30), (50, -30), (-40, 70)]
    for x, y, name in points:
        for dx, dy in offsets:
            t = ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points",
                            fontsize=fontsize, color=INK, ha="left" if dx >= 0 else "right",
                            va="bottom" if dy >= 0 else "top",
                            arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.4,
                                        "shrinkA": 0, "shrinkB": 2})
            bb = t.get_window_extent(renderer).expanded(1.05, 1.15)
            inside = (bb.x0 >= axbox.x0 and bb.x1 <= axbox.x1 and bb.y0 >= axbox.y0
                      and bb.y1 <= axbox.y1)
            if inside and not any(bb.overlaps(p) for p in placed):
                placed.append(bb)
                break
            t.remove()
    return placed


def pick_landmarks(data: pd.DataFrame, n: int = 10,
                   names: Iterable[str] | None = None) -> pd.DataFrame:
    """Up to n landmark systems present in `data` (prepared rows with x, y, name): the known
    names first, then record setters, spread across time."""
    if "name" not in data.columns or data.empty:
        return data.iloc[0:0]
    wanted = list(names) if names is not None else list(LANDMARKS)
    by_name = data.drop_duplicates("name").set_index("name")
    rows = [n_ for n_ in wanted if n_ in by_name.index]
    if len(rows) < n:
        prev = data["y"].cummax().shift(1, fill_value=-np.inf)
        records = data[data["y"] > prev]["name"].tolist()
        rows += [r for r in records[::-1] if r not in rows][: n - len(rows)]
    chosen = by_name.loc[rows[: max(n * 2, n)]].reset_index()
    # Keep them a little apart in time (the label placement then drops any that would overlap).
    span = max(float(data["x"].max() - data["x"].min()), 1.0)
    gap = span / (n * 5)
    keep: list[int] = []
    for i, r in chosen.iterrows():
        if all(abs(r["x"] - chosen.loc[j, "x"]) >= gap for j in keep):
            keep.append(int(i))  # type: ignore[arg-type]
        if len(keep) >= n:
            break
    return chosen.loc[keep].sort_values("x")


def plot_trends(fit: TrendFit, systems: pd.DataFrame, sources: Iterable[str] | str | None = None,
                title: str | None = None, landmarks: int = 10, width: float = 7.2,
                height: float = 4.6) -> Figure:
    """Metric against date on a log axis: points coloured by domain, era bands, each era's
    trend with its interval band and growth, labelled landmarks, and the source line."""
    metric = fit.metric
    data, _ = prepare(systems, metric)
    with figure_style():
        fig, ax = new_figure(width, height)
        areas = [a for a in AREA_COLORS if a in set(data.get("area", pd.Series(dtype=str)))]
        for area in areas:
            d = data[data["area"] == area]
            ax.scatter(d["x"], 10 ** d["y"], s=9, color=AREA_COLORS[area], alpha=0.6, lw=0,
                       marker=AREA_MARKERS[area], label=area, zorder=2, rasterized=False)
        if not areas and len(data):
            ax.scatter(data["x"], 10 ** data["y"], s=7, color=PALETTE[0], alpha=0.55, lw=0)
        x_lo = float(data["x"].min()) - 1 if len(data) else 1950.0
        x_hi = float(data["x"].max()) + 1 if len(data) else 2030.0
        # Era bands (alternating light grey) from the fit's boundaries.
        edges = [x_lo, *[_dy(b) for b in fit.boundaries], x_hi]
        for i in range(len(edges) - 1):
            if i % 2 == 1:
                ax.axvspan(edges[i], edges[i + 1], color="#f2f2f2", zorder=0, lw=0)
        ymin = 10 ** (float(data["y"].min()) - 0.5) if len(data) else 1.0
        ymax = 10 ** (float(data["y"].max()) + 1.6) if len(data) else 10.0
        ax.set_ylim(ymin, ymax)
        ax.set_xlim(x_lo, x_hi)
        shown = _eras_to_draw(fit)
        colors = _era_colors(shown)
        for e, color in zip(shown, colors, strict=True):
            xs = np.linspace(e.x_first, e.x_last, 60)
            band = _trend_band(e, xs, fit.ci)
            if band is not None:
                ax.fill_between(xs, 10 ** band[0], 10 ** band[1], color=color, alpha=0.18, lw=0,
                                zorder=3)
            ax.plot(xs, 10 ** e.predict_log10(xs), color=color, lw=1.4, zorder=4)
        # Era names along the top, wrapped to fit their band.
        span = edges[-1] - edges[0]
        era_texts = []
        for i in range(len(edges) - 1):
            label = _era_name(fit, i)
            if label:
                chars = max(8, int((edges[i + 1] - edges[i]) / span * 110))
                era_texts.append(ax.text(
                    (edges[i] + edges[i + 1]) / 2, 0.985, textwrap.fill(label, chars),
                    transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=7,
                    color=MUTED, linespacing=1.0))
        log_axis(ax, "y", label=METRIC_LABELS.get(metric, metric))
        year_axis(ax, x_lo, x_hi)
        ax.grid(axis="x", visible=False)
        handles = [Line2D([], [], color=AREA_COLORS[a], marker=AREA_MARKERS[a], lw=0, label=a)
                   for a in areas]
        legend = None
        if handles:
            legend = ax.legend(handles=handles, loc="lower right", ncol=len(handles), fontsize=7,
                               handlelength=0.8, columnspacing=1.0)
        first = int(math.floor(data["x"].min())) if len(data) else 0
        last = int(math.floor(data["x"].max())) if len(data) else 0
        ax.set_title(title or f"{METRIC_TITLES.get(metric, metric)}, {first}–{last}")
        pct = round(fit.ci * 100)
        note = (f"Lines: OLS of log10 {metric} on date per era; bands and brackets: {pct}% "
                f"intervals ({fit.interval_method}). n = {fit.n_used} systems.")
        fig.subplots_adjust(left=0.1, right=0.98, top=0.92)
        source_line(fig, sources, note)
        # Labels last, once the layout is final, so their overlap checks hold in the output.
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        placed = [t.get_window_extent(renderer) for t in era_texts]
        if legend is not None:
            placed.append(legend.get_window_extent(renderer))
        placed = _label_trends(ax, fig, shown, placed, colors)
        if landmarks > 0 and len(data):
            lm = pick_landmarks(data, landmarks)
            _place_labels(ax, fig, [(float(r["x"]), float(10 ** r["y"]), str(r["name"]))
                                    for _, r in lm.iterrows()], placed=placed)
    return fig


def _eras_to_draw(fit: TrendFit) -> list[EraFit]:
    """The fitted rows to draw: each era band's own fit and every grouped fit; an ungrouped fit
    spanning several bands (Sevilla's 'all models' row) would only repeat them."""
    edges = [None, *fit.boundaries, None]
    bands = set(zip(edges, edges[1:], strict=False))
    rows = [e for e in fit.eras if e.fitted and (e.group != "all" or (e.start, e.end) in bands)]
    return rows or [e for e in fit.eras if e.fitted]


def _era_colors(eras: Sequence[EraFit]) -> list[str]:
    """Ink for whole-era fits; for grouped fits, colours that no domain uses."""
    group_colors = ("#000000", "#7B3294", "#E69F00", "#8C510A", "#01665E")
    groups = sorted({e.group for e in eras if e.group not in ("all", "")})
    return [INK if e.group in ("all", "") else group_colors[groups.index(e.group) % 5]
            for e in eras]


def _label_trends(ax: Axes, fig: Figure, eras: Sequence[EraFit],
                  placed: list[Bbox] | None = None,
                  colors: Sequence[str] | None = None) -> list[Bbox]:
    """Write each trend's growth on its line, rotated along it, at the first position along the
    line whose box overlaps no earlier label; returns the boxes used."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    placed = list(placed or [])
    key_row = 0
    for k, e in enumerate(eras):
        color = colors[k] if colors else INK
        if e.x_last - e.x_first < 1.0:
            continue
        group = "" if e.group in ("all", "") else f"{e.group}: "
        text = f"{group}{_format_growth(e)}"
        for frac, dy in ((0.6, 8), (0.6, -10), (0.4, 8), (0.4, -10), (0.8, 8), (0.8, -10),
                         (0.25, 8), (0.25, -10)):
            xm = e.x_first + frac * (e.x_last - e.x_first)
            p0 = ax.transData.transform((xm - 0.5, 10 ** float(e.predict_log10(xm - 0.5))))
            p1 = ax.transData.transform((xm + 0.5, 10 ** float(e.predict_log10(xm + 0.5))))
            angle = math.degrees(math.atan2(p1[1] - p0[1], p1[0] - p0[0]))
            t = ax.annotate(text, (xm, 10 ** float(e.predict_log10(xm))), xytext=(0, dy),
                            textcoords="offset points", rotation=angle, rotation_mode="anchor",
                            ha="center", va="bottom" if dy > 0 else "top", fontsize=7.5,
                            color=color, fontweight="bold", zorder=6,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                  "alpha": 0.8})
            bb = t.get_window_extent(renderer)
            inside = axbox.x0 <= bb.x0 and bb.x1 <= axbox.x1 and axbox.y0 <= bb.y0 and \
                bb.y1 <= axbox.y1
            boxes = _rotated_boxes(t, renderer, angle)
            if inside and not any(b.overlaps(p) for b in boxes for p in placed):
                placed.extend(boxes)
                break
            t.remove()
        else:
            # No room on the line: write it in a key at the upper left.
            key = ax.text(0.015, 0.86 - 0.06 * key_row, f"— {text}", transform=ax.transAxes,
                          fontsize=7.5, color=color, fontweight="bold", ha="left", va="top",
                          zorder=6)
            key_row += 1
            placed.append(key.get_window_extent(renderer))
    return placed


def _rotated_boxes(t: Text, renderer: Any, angle: float, pieces: int = 8) -> list[Bbox]:
    """Small boxes that cover a rotated text closely (its axis-aligned box covers far more)."""
    t.set_rotation(0)
    flat = t.get_window_extent(renderer)
    t.set_rotation(angle)
    full = t.get_window_extent(renderer)
    w, h = flat.width, flat.height
    cx, cy = (full.x0 + full.x1) / 2, (full.y0 + full.y1) / 2
    ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    out = []
    for k in range(pieces):
        f = (k + 0.5) / pieces - 0.5
        px, py = cx + f * w * ux, cy + f * w * uy
        r = max(h, w / pieces) / 2
        out.append(Bbox.from_extents(px - r, py - r, px + r, py + r))
    return out


def _dy(date: str) -> float:
    from dlrev.trends.stats import to_decimal_year

    return to_decimal_year(date)


def _era_name(fit: TrendFit, i: int) -> str:
    edges = [None, *fit.boundaries, None]
    start, end = edges[i], edges[i + 1]
    for e in fit.eras:
        if e.start == start and e.end == end:
            return e.label
    return ""


__all__ = ["LANDMARKS", "METRIC_UNITS", "pick_landmarks", "plot_trends"]
