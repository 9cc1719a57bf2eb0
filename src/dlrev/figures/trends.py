"""Figures of the trend engine: the revolution's main chart, breakpoints, sensitivity, backtest.

Each function takes analysis results (and the systems they came from) and returns a matplotlib
Figure; `dlrev.figures.common.save` writes it deterministically.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from dlrev.figures.common import (
    AREA_COLORS,
    INK,
    MUTED,
    PALETTE,
    figure_style,
    log_axis,
    new_figure,
    source_line,
    year_axis,
)
from dlrev.trends.breakpoints import BreakpointResult, SensitivityResult
from dlrev.trends.core import METRIC_UNITS, EraFit, TrendFit, prepare
from dlrev.trends.forecast import Backtest

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
# Systems worth naming on the main chart when present, in order of preference.
LANDMARKS = (
    "Theseus", "Perceptron Mark I", "Neocognitron", "NetTalk", "LeNet-5", "LSTM", "TD-Gammon",
    "Deep Blue", "GPU DBNs", "AlexNet", "Word2Vec (large)", "Seq2Seq LSTM", "GANs",
    "AlphaGo Lee", "Transformer", "AlphaGo Zero", "BERT-Large", "GPT-2 (1.5B)", "GPT-3 175B (davinci)",
    "PaLM (540B)", "GPT-4", "Gemini 1.0 Ultra", "Llama 3.1-405B", "Grok 3", "Grok 4",
)


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
                  fontsize: float = 6.5) -> None:
    """Label points greedily: for each, the first of several offsets whose text box overlaps
    neither an earlier label nor the axes' edge (skip the label when none fits)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    placed: list[Bbox] = []
    offsets = [(6, 6), (6, -10), (-6, 6), (-6, -10), (10, 14), (-10, 14), (10, -18), (-10, -18),
               (0, 20), (0, -24)]
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
    # Keep them spread over time: at most one per ~(span / n) years, preferring listed order.
    span = max(float(data["x"].max() - data["x"].min()), 1.0)
    gap = span / (n * 1.5)
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
            ax.scatter(d["x"], 10 ** d["y"], s=7, color=AREA_COLORS[area], alpha=0.55, lw=0,
                       label=area, zorder=2, rasterized=False)
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
        ymax = 10 ** (float(data["y"].max()) + 1.0) if len(data) else 10.0
        ax.set_ylim(ymin, ymax)
        ax.set_xlim(x_lo, x_hi)
        labels_drawn: set[str] = set()
        for i, e in enumerate(f for f in fit.eras if f.fitted):
            color = INK if e.group in ("all", "") else PALETTE[(i + 4) % len(PALETTE)]
            xs = np.linspace(e.x_first, e.x_last, 60)
            band = _trend_band(e, xs, fit.ci)
            if band is not None:
                ax.fill_between(xs, 10 ** band[0], 10 ** band[1], color=color, alpha=0.18, lw=0,
                                zorder=3)
            ax.plot(xs, 10 ** e.predict_log10(xs), color=color, lw=1.4, zorder=4)
            key = f"{e.label}|{e.group}"
            if key in labels_drawn:
                continue
            labels_drawn.add(key)
        # Era names along the top.
        for i in range(len(edges) - 1):
            label = _era_name(fit, i)
            if label:
                ax.text((edges[i] + edges[i + 1]) / 2, 0.985, label, transform=ax.get_xaxis_transform(),
                        ha="center", va="top", fontsize=7, color=MUTED)
        log_axis(ax, "y", label=METRIC_LABELS.get(metric, metric))
        year_axis(ax, x_lo, x_hi)
        ax.grid(axis="x", visible=False)
        # Growth written on each line, rotated along it (after the scales are final).
        for i, e in enumerate(f for f in fit.eras if f.fitted):
            if e.x_last - e.x_first < 1.5:
                continue
            xm = e.x_first + 0.62 * (e.x_last - e.x_first)
            p0 = ax.transData.transform((xm - 0.5, 10 ** float(e.predict_log10(xm - 0.5))))
            p1 = ax.transData.transform((xm + 0.5, 10 ** float(e.predict_log10(xm + 0.5))))
            angle = math.degrees(math.atan2(p1[1] - p0[1], p1[0] - p0[0]))
            group = "" if e.group in ("all", "") else f"{e.group}: "
            ax.annotate(f"{group}{_format_growth(e)}", (xm, 10 ** float(e.predict_log10(xm))),
                        xytext=(0, 7), textcoords="offset points", rotation=angle,
                        rotation_mode="anchor", ha="center", va="bottom", fontsize=7.5,
                        color=INK, fontweight="bold", zorder=6)
        if landmarks > 0 and len(data):
            lm = pick_landmarks(data, landmarks)
            _place_labels(ax, fig, [(float(r["x"]), float(10 ** r["y"]), str(r["name"]))
                                    for _, r in lm.iterrows()])
        handles = [Patch(color=AREA_COLORS[a], label=a) for a in areas]
        if handles:
            ax.legend(handles=handles, loc="lower right", ncol=len(handles), fontsize=7,
                      handlelength=0.8, columnspacing=1.0)
        first = int(math.floor(data["x"].min())) if len(data) else 0
        last = int(math.floor(data["x"].max())) if len(data) else 0
        ax.set_title(title or f"{METRIC_TITLES.get(metric, metric)}, {first}–{last}")
        pct = round(fit.ci * 100)
        note = (f"Lines: OLS of log10 {metric} on date per era; bands and brackets: {pct}% "
                f"intervals ({fit.interval_method}). n = {fit.n_used} systems.")
        fig.subplots_adjust(left=0.1, right=0.98, top=0.92)
        source_line(fig, sources, note)
    return fig


def _dy(date: str) -> float:
    from dlrev.trends.core import to_decimal_year

    return to_decimal_year(date)


def _era_name(fit: TrendFit, i: int) -> str:
    edges = [None, *fit.boundaries, None]
    start, end = edges[i], edges[i + 1]
    for e in fit.eras:
        if e.start == start and e.end == end:
            return e.label
    return ""


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
        for i, e in enumerate(bp.segments):
            if e.fitted:
                xs = np.linspace(e.x_first, e.x_last, 50)
                ax.plot(xs, 10 ** e.predict_log10(xs), color=PALETTE[i % len(PALETTE)], lw=1.6,
                        zorder=4, label=f"era {i + 1}: {e.growth:.2f}x/year (n = {e.n})")
        for j, b in enumerate(bp.boundaries):
            for a in (ax, hx):
                if math.isfinite(b.low):
                    a.axvspan(b.low, b.high, color=PALETTE[4], alpha=0.15, lw=0, zorder=1)
                a.axvline(b.year, color=PALETTE[4], lw=1.0, ls="--", zorder=3)
            ax.text(b.year, 0.98, f" {b}", transform=ax.get_xaxis_transform(), ha="left",
                    va="top", fontsize=7.5, color=INK)
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
        source_line(fig, sources, f"Separate OLS lines per era; exact search over "
                                  f"{bp.n_candidates} candidate dates; {bp.interval_method}.")
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


__all__ = ["plot_trends", "plot_breakpoints", "plot_sensitivity", "plot_backtest",
           "pick_landmarks", "LANDMARKS", "METRIC_UNITS"]
