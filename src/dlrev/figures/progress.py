"""Publication figures for benchmarks, forecasts and predictions (matplotlib).

    benchmarks_figure(catalog, results=None) -> Figure
        every benchmark's running best on one 'years since introduction' axis, as the fraction
        of the way from chance to the human-expert level (or ceiling); 1.0 is drawn as a
        reference line.
    forecasts_figure(catalog, results=None) -> Figure
        one panel per forecast benchmark: state-of-the-art history (solid steps), forecast
        medians with their intervals (bands where bounds are published), outcomes (marks),
        the naive trend projection (dashed) and human baselines (dotted reference lines).
    predictions_figure(catalog) -> Figure
        dated predictions of human-level AI: from when each was made (dot) to the year it
        predicts (diamond), with its interval as a bar.

Each takes the catalog (and optional extra results) and returns a Figure for
`dlrev.figures.common.save`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from dlrev import benchmarks as bm
from dlrev import forecasts as fc
from dlrev.catalog import Catalog
from dlrev.figures.common import (
    AREA_COLORS,
    INK,
    MUTED,
    PALETTE,
    figure_style,
    new_figure,
    source_line,
    year_axis,
)
from dlrev.schema import decimal_year

SOURCE = "dlrev curated benchmark results (each row cites its paper)"
FORECAST_SOURCE = ("Steinhardt, 'AI Forecasting: One Year In' (2022), Hypermind contest of 2021; "
                   "FRI, 'Assessing Near-Term Accuracy in the XPT' (2025); outcomes from the "
                   "cited papers or the dlrev results table")


def _main_series(curves: pd.DataFrame, sat: pd.DataFrame) -> pd.DataFrame:
    """One series per benchmark: the one with the most results (ties: first by name)."""
    keep = (sat.sort_values(["benchmark", "results", "series"], ascending=[True, False, True])
            .drop_duplicates("benchmark")[["benchmark", "series"]])
    return curves.merge(keep, on=["benchmark", "series"])


def benchmarks_figure(catalog: Catalog, results: pd.DataFrame | None = None) -> Figure:
    curves = bm.sota_curves(catalog, results=results)
    sat = bm.saturation(catalog, results=results).table
    curves = _main_series(curves, sat)
    curves = curves[curves["best_progress"].notna()]
    with figure_style():
        fig, ax = new_figure(7.2, 4.6)
        names = list(dict.fromkeys(curves.sort_values("date")["benchmark"]))
        domains = catalog.benchmarks.set_index("name")["domain"]
        counters: dict[str, int] = {}
        styles = ("-", "--", "-.", ":")
        xmax = 0.0
        for name in names:
            g = curves[curves["benchmark"] == name].sort_values("years_since_intro")
            x = g["years_since_intro"].to_numpy(dtype=float)
            y = np.minimum(g["best_progress"].to_numpy(dtype=float), 1.25)
            dom = str(domains.get(name, "other"))
            k = counters.get(dom, 0)
            counters[dom] = k + 1
            ax.step(np.append(x, x[-1] + 0.5), np.append(y, y[-1]), where="post",
                    color=AREA_COLORS.get(dom, MUTED), linestyle=styles[k % len(styles)],
                    linewidth=1.4, label=name)
            ax.plot(x, y, "o", color=AREA_COLORS.get(dom, MUTED), markersize=2.5)
            xmax = max(xmax, float(x[-1]) + 0.5)
        ax.axhline(1.0, color=INK, linewidth=0.8, linestyle=":")
        ax.text(0.2, 1.02, "human expert level (or ceiling)", fontsize=7, color=MUTED,
                va="bottom")
        ax.axhline(0.0, color=MUTED, linewidth=0.6)
        ax.set_xlim(0, min(max(xmax, 1.0), 30))
        ax.set_ylim(-0.05, 1.3)
        ax.set_xlabel("years since the benchmark was introduced")
        ax.set_ylabel("share of the way from chance to human level\n(running best)")
        ax.set_title("Benchmarks fall: time from introduction to human level")
        ax.legend(fontsize=6.5, ncol=2, loc="lower right", frameon=False)
        skipped = sorted(set(catalog.benchmarks["name"]) - set(names))
        extra = (f"Not shown (no human level or ceiling to measure against): "
                 f"{', '.join(skipped)}." if skipped else None)
        source_line(fig, [SOURCE], extra)
    return fig


def forecasts_figure(catalog: Catalog, results: pd.DataFrame | None = None) -> Figure:
    scored = fc.score_forecasts(catalog, results=results)
    scores = scored.table
    trend = fc.compare_with_trend(catalog, results=results)
    res = catalog.benchmark_results if results is None else results
    # one panel per benchmark for score forecasts; forecasts of a date are not drawn here
    # (the summary line under the figure still counts them)
    is_value = (scores["kind"] == "value").to_numpy()
    scores, trend = scores[is_value], trend[is_value]
    drawable = scores["median"].notna() | scores["outcome"].notna()
    names = list(dict.fromkeys(scores.loc[drawable, "benchmark"]))
    left_out = sorted(set(scores["benchmark"]) - set(names))
    no_line = sorted(set(trend.loc[trend["trend"].isna(), "benchmark"]) & set(names)
                     - set(trend.loc[trend["trend"].notna(), "benchmark"]))
    n = max(len(names), 1)
    cols = 2 if n > 1 else 1
    rows = math.ceil(n / cols)
    b = catalog.benchmarks.set_index("name")
    with figure_style():
        fig, axes_obj = new_figure(7.2, 2.6 * rows + 0.6, nrows=rows, ncols=cols, squeeze=False)
        axes: Any = axes_obj
        for i, name in enumerate(names):
            ax = axes[i // cols][i % cols]
            f = scores[scores["benchmark"] == name]
            r = res[res["benchmark"] == name].sort_values("date")
            if "series" in r:
                r = r[r["series"].fillna("").eq("")]
            direction = b.at[name, "direction"] if name in b.index else "higher"
            if len(r):
                x = decimal_year(r["date"]).to_numpy()
                best = bm.running_best(r["value"], direction)
                ax.step(x, best, where="post", color=INK, linewidth=1.3,
                        label="state of the art")
            fx = decimal_year(f["target_date"]).to_numpy()
            for (_, row), xx in zip(f.iterrows(), fx, strict=True):
                if pd.notna(row["low"]) and pd.notna(row["high"]):
                    ax.fill_between([xx - 0.18, xx + 0.18], row["low"], row["high"],
                                    color=PALETTE[0], alpha=0.25, linewidth=0)
            has_med = f["median"].notna()
            ax.plot(fx[has_med.to_numpy()], f.loc[has_med, "median"], "o", color=PALETTE[0],
                    markersize=4, label="forecast median (band: stated range)")
            has_out = f["outcome"].notna()
            ax.plot(fx[has_out.to_numpy()], f.loc[has_out, "outcome"], "x", color=PALETTE[1],
                    markersize=6, markeredgewidth=1.6, label="outcome")
            # the numbers themselves, written beside the marks
            for (_, row), xx in zip(f.iterrows(), fx, strict=True):
                for col, colour, dy in (("median", PALETTE[0], -9), ("outcome", PALETTE[1], 4)):
                    if pd.notna(row[col]):
                        ax.annotate(f"{row[col]:.3g}", (xx, row[col]), xytext=(4, dy),
                                    textcoords="offset points", fontsize=6, color=colour)
            t = trend[(trend["benchmark"] == name) & trend["trend"].notna()]
            for _, g in t.groupby("forecast_date", sort=True):
                x0 = float(decimal_year(g["forecast_date"]).iloc[0])
                tx = decimal_year(g["target_date"]).to_numpy()
                slope = g["trend_slope_per_year"].to_numpy()
                ax.plot(np.concatenate([[x0], tx]),
                        np.concatenate([[g["trend"].iloc[0] - slope[0] * (tx[0] - x0)],
                                        g["trend"].to_numpy()]),
                        linestyle=":", color=PALETTE[2], linewidth=1.3,
                        label="naive trend (a straight line through earlier records)")
            for col, lab in (("human_expert", "human expert"),
                             ("human_nonexpert", "human non-expert")):
                v = b.at[name, col] if name in b.index else np.nan
                if pd.notna(v):
                    ax.axhline(float(v), color=MUTED, linestyle=":", linewidth=0.9)
                    ax.text(ax.get_xlim()[0], float(v), f" {lab}", fontsize=6.5, color=MUTED,
                            va="bottom")
            lo = min(float(x[0]), float(fx.min())) if len(r) else float(fx.min())
            year_axis(ax, math.floor(lo) - 0.3, math.ceil(float(fx.max())) + 0.5, 6)
            ax.set_title(name, fontsize=9)
            unit = b.at[name, "unit"] if name in b.index else ""
            ax.set_ylabel(f"{b.at[name, 'metric'] if name in b.index else ''} ({unit})",
                          fontsize=7.5)
        for j in range(len(names), rows * cols):
            axes[j // cols][j % cols].set_visible(False)
        seen: dict[str, Any] = {}
        for row_axes in axes:
            for a in row_axes:
                for h, lab in zip(*a.get_legend_handles_labels(), strict=True):
                    seen.setdefault(lab, h)
        handles, labels = list(seen.values()), list(seen)
        fig.legend(handles, labels, loc="upper center", ncol=4, fontsize=7, frameon=False)
        fig.subplots_adjust(top=1 - 0.45 / (2.6 * rows + 0.6), hspace=0.45, wspace=0.3)
        summary = scored.summary.get("text", "")
        if no_line:
            summary += (f" No trend line for {', '.join(no_line)}: fewer than 3 records before "
                        "the forecast date.")
        if left_out:
            summary += f" Not drawn (no published figures yet): {', '.join(left_out)}."
        source_line(fig, [FORECAST_SOURCE], summary)
    return fig


def predictions_figure(catalog: Catalog) -> Figure:
    p = fc.prediction_timeline(catalog)
    p = p[p["predicted_year"].notna()].reset_index(drop=True)
    with figure_style():
        fig, ax = new_figure(7.2, 0.32 * max(len(p), 3) + 1.4)
        y = np.arange(len(p))[::-1]
        for yy, (_, r) in zip(y, p.iterrows(), strict=True):
            ax.plot([r["made_year"], r["predicted_year"]], [yy, yy], linestyle="--",
                    color=MUTED, linewidth=0.8)
            if pd.notna(r["low_year"]) and pd.notna(r["high_year"]):
                ax.plot([r["low_year"], r["high_year"]], [yy, yy], color=PALETTE[0],
                        linewidth=4, alpha=0.35, solid_capstyle="butt")
            ax.plot(r["made_year"], yy, "o", color=INK, markersize=3.5)
            ax.plot(r["predicted_year"], yy, "D", color=PALETTE[1], markersize=5)
        ax.set_yticks(y)
        ax.set_yticklabels([f"{r['who']} ({int(r['made_year'])}): {r['kind']}"
                            for _, r in p.iterrows()], fontsize=7)
        lo = float(np.nanmin(p["made_year"])) if len(p) else 1990.0
        hi = float(np.nanmax(p[["predicted_year", "high_year"]].to_numpy())) if len(p) else 2060
        year_axis(ax, math.floor(lo) - 1, math.ceil(hi) + 2, 10)
        ax.set_title("When human-level AI was predicted to arrive")
        ax.set_xlabel("year (dot: prediction made; diamond: predicted year; bar: stated range)")
        fig.subplots_adjust(left=0.42)
        source_line(fig, ["dlrev curated predictions (each row cites its source)"])
    return fig
