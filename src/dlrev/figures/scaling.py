"""Publication figures for scaling laws (matplotlib).

    scaling_figure(runs=None, fit=None, computes=None) -> Figure
        left: loss against training compute - the runs (coloured by model size), iso-parameter
        curves L(N, C / 6N) of one parameter set (the fit if given, else Besiroglu et al.), and
        the compute-optimal frontier of each published set (and the fit);
        right: the compute-optimal model size against compute for the same sets, with
        tokens per parameter at 1e24 FLOP in the legend.
    residuals_figure(runs, sets=None) -> Figure
        the published parameter sets side by side: observed minus predicted loss of every run
        against compute, with each set's RMSE and mean residual.

Each returns a Figure for `dlrev.figures.common.save`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from dlrev import scaling
from dlrev.figures.common import INK, MUTED, figure_style, log_axis, source_line
from dlrev.palette import SCALING_SETS

SET_STYLE = {"hoffmann": (SCALING_SETS["hoffmann"], "--"),
             "hoffmann-tex": (SCALING_SETS["hoffmann-tex"], ":"),
             "besiroglu": (SCALING_SETS["besiroglu"], "-"),
             "this fit": (SCALING_SETS["this fit"], "-.")}


def scaling_figure(runs: scaling.Runs | None = None, fit: Any = None,
                   computes: Any = None) -> Figure:
    """Loss-compute chart with iso-parameter curves and frontiers, beside N_opt against C."""
    import matplotlib.pyplot as plt

    sets: list[scaling.ChinchillaParams] = list(scaling.PUBLISHED.values())
    if fit is not None:
        sets.append(fit.params if hasattr(fit, "params") else fit)
    base = sets[-1] if fit is not None else scaling.BESIROGLU
    if computes is None:
        lo, hi = (1e18, 1e25) if runs is None else (runs.C.min() / 3, max(runs.C.max() * 30,
                                                                            1e24))
        computes = np.logspace(np.log10(lo), np.log10(hi), 120)
    computes = np.asarray(computes, dtype=float)
    with figure_style():
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.6, 4.4),
                                      gridspec_kw={"width_ratios": [1.35, 1]})
        if runs is not None:
            sc = ax.scatter(runs.C, runs.loss, c=runs.N, s=9, cmap="viridis",
                            norm=LogNorm(), linewidths=0, alpha=0.85, zorder=3)
            cb = fig.colorbar(sc, ax=ax, pad=0.01, fraction=0.05)
            cb.set_label("parameters N")
        for n in (1e8, 1e9, 1e10, 1e11):
            cc = computes[computes / (6 * n) >= 1e8]
            if cc.size:
                ax.plot(cc, scaling.iso_param_curve(base, n, cc), color=MUTED, lw=0.7,
                        zorder=2)
                ax.annotate(f"N={n:.0e}".replace("e+", "e"), (cc[-1], float(
                    scaling.iso_param_curve(base, n, cc[-1:])[0])), fontsize=6, color=MUTED,
                    ha="right", va="bottom")
        for p in sets:
            color, ls = SET_STYLE.get(p.name, (INK, "-"))
            front = scaling.frontier(p, computes)
            ax.plot(computes, [o.loss for o in front], color=color, ls=ls, lw=1.6, zorder=4,
                    label=f"{p.name} frontier")
            tpp = scaling.optimal(p, 1e24).tokens_per_param
            ax2.plot(computes, [o.N for o in front], color=color, ls=ls, lw=1.6,
                     label=f"{p.name}: {tpp:.0f} tokens/param at 1e24")
        ax.set_ylabel("final loss (nats/token)")
        ax.set_title("Loss against compute")
        log_axis(ax, "x", label="training compute C (FLOP)")
        ymin = min(1.6, float(np.min(runs.loss)) - 0.1) if runs is not None else 1.6
        ax.set_ylim(ymin, 6.0 if runs is None else float(np.max(runs.loss)) + 0.2)
        ax.legend(loc="upper right")
        ax2.set_title("Compute-optimal model size")
        log_axis(ax2, "x", label="training compute C (FLOP)")
        log_axis(ax2, "y", label="parameters N (C = 6 N D)")
        ax2.legend(loc="upper left", fontsize=6.5)
        fig.subplots_adjust(left=0.07, right=0.98, wspace=0.42, top=0.9)
        source_line(fig, [scaling.CHINCHILLA_SOURCE] if runs is not None else [],
                    extra="Iso-parameter curves (grey) use "
                          f"{base.name}'s parameters; frontiers minimise E + A/N^α + B/D^β "
                          "at C = 6ND.")
    return fig


def residuals_figure(runs: scaling.Runs, sets: Any = None) -> Figure:
    """Observed - predicted loss of each run under each parameter set, one panel per set."""
    import matplotlib.pyplot as plt

    params = [scaling.params._as_params(p) for p in (sets or list(scaling.PUBLISHED))]
    cmp = scaling.compare(params, runs)
    with figure_style():
        fig, axes = plt.subplots(1, len(params), figsize=(3.2 * len(params) + 0.6, 3.6),
                                 sharey=True, squeeze=False)
        lim = 0.0
        for ax, p, row in zip(axes[0], params, cmp.rows, strict=True):
            res = runs.loss - p.predict(runs.N, runs.D)
            lim = max(lim, float(np.max(np.abs(res))))
            sc = ax.scatter(runs.C, res, c=runs.N, s=7, cmap="viridis", norm=LogNorm(),
                            linewidths=0, alpha=0.85)
            ax.axhline(0.0, color=INK, lw=0.8)
            ax.set_title(p.name)
            ax.text(0.03, 0.04, f"RMSE {row['rmse']:.4f}\nmean {row['mean_residual']:+.4f}",
                    transform=ax.transAxes, fontsize=7, color=INK, va="bottom")
            log_axis(ax, "x", label="compute C (FLOP)")
        axes[0][0].set_ylabel("observed − predicted loss")
        for ax in axes[0]:
            ax.set_ylim(-1.05 * lim, 1.05 * lim)
        fig.subplots_adjust(left=0.08, right=0.89, top=0.86, wspace=0.08)
        cb = fig.colorbar(sc, cax=fig.add_axes((0.91, 0.3, 0.012, 0.56)))
        cb.set_label("parameters N")
        source_line(fig, [scaling.CHINCHILLA_SOURCE],
                    extra=f"{cmp.n} runs; lowest RMSE: {cmp.best}.")
    return fig
