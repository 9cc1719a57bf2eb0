"""Scaling laws: fit them with honest intervals, compare parameter sets, plan compute-optimal runs.

Public API (pure functions; no file I/O, no printing; every result has ``.to_dict()``)::

    fit(df, form="chinchilla"|"power"|"kaplan", x="N", n_boot=0, drop_highest_loss=0,
        n_col=None, d_col=None, c_col=None, loss_col=None)   -> ChinchillaFit | PowerFit | KaplanFit
        Hoffmann et al. (2022) procedure: Huber (delta 1e-3) between log-sum-exp predictions and
        log L, L-BFGS from a grid of 4,500 starts run as one batch, best start kept; n_boot
        bootstrap resamples give se/low/high for every parameter (fit.intervals[name]).
        Columns N, D, C, loss are recognised by common names; D = C / (6 N) when only C is given.
    fit_power(x, loss, x_name="N", n_boot=0)                 -> PowerFit
        L = E + (X0 / X)^alpha; PowerFit has E, X0, alpha, intervals, r2, predict(x), to_dict().
    runs_from_frame(df, need=("N", "D", "loss"), ...)        -> Runs (validated numpy arrays)
    optimal(fit_or_params, compute)                           -> Optimum
        compute-optimal N, D (C = 6 N D), tokens_per_param, loss, and exponents a, b.
    frontier(fit_or_params, computes)                         -> list[Optimum]
    iso_param_curve(fit_or_params, n, computes)               -> predicted loss, D = C / (6 n)
    compare(fits, data)                                       -> Comparison (RMSE etc. per set)
        fits: names ('hoffmann', 'hoffmann-tex', 'besiroglu'), ChinchillaParams or fits;
        data: a DataFrame of runs or Runs.

Constants: HOFFMANN (paper body: E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28),
HOFFMANN_TEX (unrounded), BESIROGLU (E 1.8172, A 482.01, B 2085.43, alpha 0.3478,
beta 0.3658), PUBLISHED (name -> set), KAPLAN (single-variable laws for N, D, C).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dlrev.scaling.data import Runs, find_column, runs_from_frame
from dlrev.scaling.fits import ChinchillaFit, KaplanFit, PowerFit, fit, fit_power, fit_runs
from dlrev.scaling.laws import DELTA, FitInfo, Goodness, Interval
from dlrev.scaling.params import (
    BESIROGLU,
    HOFFMANN,
    HOFFMANN_TEX,
    KAPLAN,
    PUBLISHED,
    ChinchillaParams,
    Comparison,
    KaplanLaw,
    Optimum,
    frontier,
    iso_param_curve,
    optimal,
)
from dlrev.scaling.params import compare as _compare

CHINCHILLA_SOURCE = ("Hoffmann et al. 2022 (arXiv:2203.15556), Figure 4, as reconstructed by "
                     "Besiroglu et al. 2024 (arXiv:2404.10102)")


def compare(fits: Any, data: pd.DataFrame | Runs) -> Comparison:
    """Which parameter set predicts the runs better (lowest RMSE of loss wins)."""
    runs = data if isinstance(data, Runs) else runs_from_frame(data)
    return _compare(fits, runs.N, runs.D, runs.loss)


__all__ = [
    "BESIROGLU", "CHINCHILLA_SOURCE", "DELTA", "HOFFMANN", "HOFFMANN_TEX", "KAPLAN", "PUBLISHED",
    "ChinchillaFit", "ChinchillaParams", "Comparison", "FitInfo", "Goodness", "Interval",
    "KaplanFit", "KaplanLaw", "Optimum", "PowerFit", "Runs", "compare", "find_column", "fit",
    "fit_power", "fit_runs", "frontier", "iso_param_curve", "optimal", "runs_from_frame",
]
