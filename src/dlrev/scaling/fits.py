"""Public fitting functions and their results: fit_power, fit (chinchilla | power | kaplan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DataError, DlrevError
from dlrev.scaling import laws
from dlrev.scaling.data import Runs, runs_from_frame
from dlrev.scaling.laws import DELTA, FitInfo, Goodness, Interval
from dlrev.scaling.params import ChinchillaParams

VARIABLES = ("N", "D", "C")


def _check_arrays(x: np.ndarray, loss: np.ndarray, n_params: int, what: str) -> None:
    for name, arr in ((what, x), ("loss", loss)):
        bad = ~np.isfinite(arr) | (arr <= 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(f"{name} value {arr.flat[i]!r} at position {i} is not a positive "
                            f"number; scaling fits need positive {what} and loss.",
                            row=i, column=name, value=arr.flat[i])
    if loss.size <= n_params:
        raise DlrevError(f"a fit of {n_params} parameters needs more than {n_params} runs; "
                         f"got {loss.size}.")


def _not_converged(solve: laws._Solve) -> None:
    if not solve.converged:
        raise DlrevError(f"the scaling-law fit did not converge (best of {solve.n_starts} starts "
                         f"stopped at objective {solve.fun:.6g} without meeting the tolerance); "
                         "the data may not follow this form.")


def _check_exponents(exps: dict[str, float], form: str) -> None:
    """A fitted law whose loss does not fall with scale is nonsense: say so, don't return it."""
    bad = {k: v for k, v in exps.items() if not np.isfinite(v) or v <= 0}
    if bad:
        shown = ", ".join(f"{k} = {v:.4g}" for k, v in bad.items())
        raise DlrevError(f"the best {form} fit has {shown} (loss not falling with scale); "
                         "the runs do not follow this form, so no fit is reported.")


@dataclass
class PowerFit:
    """L(X) = E + (X0 / X)^alpha fitted to runs of one variable X (N, D or C)."""

    x_name: str
    E: float
    X0: float
    alpha: float
    intervals: dict[str, Interval]
    fit: Goodness
    info: FitInfo
    residuals: np.ndarray = field(repr=False)

    @property
    def r2(self) -> float:
        return self.fit.r2

    def predict(self, x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return self.E + (self.X0 / x) ** self.alpha

    def to_dict(self) -> dict[str, Any]:
        return {"form": "power", "x": self.x_name, "law": f"L = E + (X0 / {self.x_name})^alpha",
                "E": self.E, "X0": self.X0, "alpha": self.alpha,
                "intervals": {k: v.to_dict() for k, v in self.intervals.items()},
                "r2": self.r2, "fit": self.fit.to_dict(), "info": self.info.to_dict()}


def _power_from_theta(th: np.ndarray) -> dict[str, float]:
    e, a, al = (float(v) for v in np.atleast_2d(th)[0])
    return {"E": float(np.exp(e)), "X0": float(np.exp(a / al)) if al != 0 else float("inf"),
            "alpha": al}


def fit_power(x: Any, loss: Any, *, x_name: str = "N", n_boot: int = 0, seed: int = 42,
              level: float = 0.95, delta: float = DELTA) -> PowerFit:
    """Fit L = E + (X0 / X)^alpha by Hoffmann et al.'s procedure (150 starts, Huber on log L).

    ``n_boot`` > 0 adds bootstrap intervals (standard error and percentile interval at ``level``).
    """
    xa = np.asarray(x, dtype=float).ravel()
    la = np.asarray(loss, dtype=float).ravel()
    if xa.shape != la.shape:
        raise DlrevError(f"{x_name} and loss have different lengths ({xa.size} and {la.size}).")
    _check_arrays(xa, la, 3, x_name)
    lx = np.log(xa)[None, :]
    sol = laws.solve("lse", lx, la, delta=delta)
    _not_converged(sol)
    point = _power_from_theta(sol.theta)
    _check_exponents({"alpha": point["alpha"]}, "power-law")
    draws, n_ok = None, 0
    if n_boot:
        th, ok = laws.bootstrap("lse", lx, la, sol.theta, n_boot, seed, delta)
        th, n_ok = th[ok], int(ok.sum())
        draws = {"E": np.exp(th[:, 0]), "X0": np.exp(th[:, 1] / th[:, 2]), "alpha": th[:, 2]}
    term = (point["X0"] / xa) ** point["alpha"]
    pred = point["E"] + term
    info = FitInfo(sol.n_starts, sol.n_converged, sol.fun * delta, n_boot, n_ok, delta)
    if float(np.max(term)) < 0.01 * float(np.max(la)):
        info.notes.append(f"the power-law term (X0 / {x_name})^alpha is under 1% of the loss at "
                          "every run: the runs show no scaling, only the constant E")
    return PowerFit(x_name=x_name, **point, intervals=laws.intervals(point, draws, n_boot, level),
                    fit=laws.goodness(la, pred, delta), info=info, residuals=la - pred)


@dataclass
class ChinchillaFit:
    """L(N, D) = E + A / N^alpha + B / D^beta fitted to training runs."""

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    intervals: dict[str, Interval]
    fit: Goodness
    info: FitInfo
    residuals: np.ndarray = field(repr=False)
    draws: dict[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def params(self) -> ChinchillaParams:
        return ChinchillaParams("this fit", self.E, self.A, self.B, self.alpha, self.beta,
                                "fitted by dlrev (Hoffmann et al. 2022 procedure)")

    @property
    def r2(self) -> float:
        return self.fit.r2

    def predict(self, n: Any, d: Any) -> np.ndarray:
        return self.params.predict(n, d)

    def to_dict(self) -> dict[str, Any]:
        a = self.beta / (self.alpha + self.beta)
        return {"form": "chinchilla", "law": "L = E + A / N^alpha + B / D^beta",
                "E": self.E, "A": self.A, "B": self.B, "alpha": self.alpha, "beta": self.beta,
                "a": a, "b": 1 - a,
                "intervals": {k: v.to_dict() for k, v in self.intervals.items()},
                "r2": self.r2, "fit": self.fit.to_dict(), "info": self.info.to_dict()}


@dataclass
class KaplanFit:
    """Kaplan et al. (2020) joint form L(N, D) = [(Nc / N)^(alpha_N / alpha_D) + Dc / D]^alpha_D."""

    Nc: float
    Dc: float
    alpha_N: float
    alpha_D: float
    intervals: dict[str, Interval]
    fit: Goodness
    info: FitInfo
    residuals: np.ndarray = field(repr=False)

    @property
    def r2(self) -> float:
        return self.fit.r2

    def predict(self, n: Any, d: Any) -> np.ndarray:
        n, d = np.asarray(n, dtype=float), np.asarray(d, dtype=float)
        return ((self.Nc / n) ** (self.alpha_N / self.alpha_D) + self.Dc / d) ** self.alpha_D

    def to_dict(self) -> dict[str, Any]:
        return {"form": "kaplan", "law": "L = [(Nc / N)^(alpha_N / alpha_D) + Dc / D]^alpha_D",
                "Nc": self.Nc, "Dc": self.Dc, "alpha_N": self.alpha_N, "alpha_D": self.alpha_D,
                "intervals": {k: v.to_dict() for k, v in self.intervals.items()},
                "r2": self.r2, "fit": self.fit.to_dict(), "info": self.info.to_dict()}


def _chin_point(th: np.ndarray) -> dict[str, np.ndarray]:
    th = np.atleast_2d(th)
    return {"E": np.exp(th[:, 0]), "A": np.exp(th[:, 1]), "B": np.exp(th[:, 2]),
            "alpha": th[:, 3], "beta": th[:, 4]}


def fit_runs(runs: Runs, form: str = "chinchilla", *, x: str = "N", n_boot: int = 0,
             seed: int = 42, level: float = 0.95, delta: float = DELTA
             ) -> ChinchillaFit | PowerFit | KaplanFit:
    """Fit ``form`` to validated runs (see :func:`fit` for a DataFrame)."""
    loss = runs.loss
    if form == "power":
        if x not in VARIABLES:
            raise DlrevError(f"--x must be one of N, D, C, not {x!r}.")
        return fit_power(runs.x(x), loss, x_name=x, n_boot=n_boot, seed=seed, level=level,
                         delta=delta)
    if form not in ("chinchilla", "kaplan"):
        raise DlrevError(f"unknown scaling-law form {form!r}; use chinchilla, power or kaplan.")
    n_par = 5 if form == "chinchilla" else 4
    if loss.size <= n_par:
        raise DlrevError(f"a {form} fit has {n_par} parameters and needs more than {n_par} "
                         f"runs; got {loss.size}.")
    lx = np.log(np.stack([runs.N, runs.D]))
    sol = laws.solve("lse" if form == "chinchilla" else "kaplan", lx, loss, delta=delta)
    _not_converged(sol)
    if form == "chinchilla":
        _check_exponents({"alpha": float(sol.theta[3]), "beta": float(sol.theta[4])}, form)
    else:
        _check_exponents({"alpha_N": float(sol.theta[2]), "alpha_D": float(sol.theta[3])}, form)
    boot, n_ok = None, 0
    if n_boot:
        th, ok = laws.bootstrap("lse" if form == "chinchilla" else "kaplan", lx, loss,
                                sol.theta, n_boot, seed, delta)
        boot, n_ok = th[ok], int(ok.sum())
    info = FitInfo(sol.n_starts, sol.n_converged, sol.fun * delta, n_boot, n_ok, delta)
    if runs.dropped:
        info.notes.append(f"dropped the {runs.dropped} highest-loss runs before fitting")
    if form == "chinchilla":
        point = {k: float(v[0]) for k, v in _chin_point(sol.theta).items()}
        draws = _chin_point(boot) if boot is not None else None
        p = ChinchillaParams("fit", point["E"], point["A"], point["B"], point["alpha"],
                             point["beta"])
        pred = p.predict(runs.N, runs.D)
        return ChinchillaFit(**point, intervals=laws.intervals(point, draws, n_boot, level),
                             fit=laws.goodness(loss, pred, delta), info=info,
                             residuals=loss - pred, draws=draws)
    lnc, ldc, an, ad = (float(v) for v in sol.theta)
    kp = {"Nc": float(np.exp(lnc)), "Dc": float(np.exp(ldc)), "alpha_N": an, "alpha_D": ad}
    kdraws = None
    if boot is not None:
        kdraws = {"Nc": np.exp(boot[:, 0]), "Dc": np.exp(boot[:, 1]), "alpha_N": boot[:, 2],
                  "alpha_D": boot[:, 3]}
    kf = KaplanFit(**kp, intervals=laws.intervals(kp, kdraws, n_boot, level),
                   fit=laws.goodness(loss, loss, delta), info=info, residuals=np.zeros(0))
    pred = kf.predict(runs.N, runs.D)
    kf.fit = laws.goodness(loss, pred, delta)
    kf.residuals = loss - pred
    return kf


def fit(df: pd.DataFrame, form: str = "chinchilla", *, x: str = "N", n_boot: int = 0,
        seed: int = 42, level: float = 0.95, drop_highest_loss: int = 0,
        n_col: str | None = None, d_col: str | None = None, c_col: str | None = None,
        loss_col: str | None = None, source: str | None = None, delta: float = DELTA
        ) -> ChinchillaFit | PowerFit | KaplanFit:
    """Fit a scaling law to the training runs in ``df`` (columns recognised by name).

    ``form``: 'chinchilla' (E + A/N^alpha + B/D^beta), 'power' (E + (X0/X)^alpha in ``x``) or
    'kaplan'. Hoffmann et al.'s procedure: Huber (delta 1e-3) on log loss, L-BFGS from the
    4,500-start grid, best start kept; ``n_boot`` resamples give the intervals.
    """
    need: tuple[str, ...] = (x, "loss") if form == "power" else ("N", "D", "loss")
    runs = runs_from_frame(df, need=need, n_col=n_col, d_col=d_col, c_col=c_col,
                           loss_col=loss_col, drop_highest_loss=drop_highest_loss,
                           source=source)
    return fit_runs(runs, form, x=x, n_boot=n_boot, seed=seed, level=level, delta=delta)
