"""Published scaling-law constants, compute-optimal allocation and comparison of parameter sets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlrev.errors import DlrevError

PF_DAY = 8.64e19  # FLOP in one petaflop/s-day


@dataclass(frozen=True)
class ChinchillaParams:
    """One parameter set of L(N, D) = E + A / N^alpha + B / D^beta (N with embeddings)."""

    name: str
    E: float
    A: float
    B: float
    alpha: float
    beta: float
    source: str = ""

    def predict(self, n: Any, d: Any) -> np.ndarray:
        n, d = np.asarray(n, dtype=float), np.asarray(d, dtype=float)
        return self.E + self.A / n ** self.alpha + self.B / d ** self.beta

    @property
    def a(self) -> float:
        """Exponent of N_opt in C: beta / (alpha + beta)."""
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        """Exponent of D_opt in C: alpha / (alpha + beta)."""
        return self.alpha / (self.alpha + self.beta)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "E": self.E, "A": self.A, "B": self.B, "alpha": self.alpha,
                "beta": self.beta, "a": self.a, "b": self.b, "source": self.source}


# Hoffmann et al. 2022 (arXiv:2203.15556), Approach 3, the values printed in the paper body.
HOFFMANN = ChinchillaParams(
    "hoffmann", 1.69, 406.4, 410.7, 0.34, 0.28,
    "Hoffmann et al. 2022, 'Training Compute-Optimal Large Language Models', Approach 3 "
    "(rounded values of the paper body)")
# The unrounded values of the paper's TeX source (as used by Besiroglu et al.).
HOFFMANN_TEX = ChinchillaParams(
    "hoffmann-tex", math.exp(0.5267228), math.exp(6.0073404), math.exp(6.0179186),
    0.33917084, 0.2849083,
    "Hoffmann et al. 2022, unrounded Approach 3 values from the arXiv TeX source")
# Besiroglu, Erdil, Barnett & You 2024 (arXiv:2404.10102), fit on the 240 reconstructed points.
BESIROGLU = ChinchillaParams(
    "besiroglu", 1.8172, 482.01, 2085.43, 0.3478, 0.3658,
    "Besiroglu et al. 2024, 'Chinchilla Scaling: A replication attempt'")
PUBLISHED: dict[str, ChinchillaParams] = {p.name: p for p in (HOFFMANN, HOFFMANN_TEX, BESIROGLU)}


@dataclass(frozen=True)
class KaplanLaw:
    """A Kaplan et al. (2020) single-variable law L(X) = (Xc / X)^alpha (no irreducible term)."""

    x_name: str
    Xc: float
    alpha: float
    note: str

    def predict(self, x: Any) -> np.ndarray:
        return (self.Xc / np.asarray(x, dtype=float)) ** self.alpha

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x_name, "Xc": self.Xc, "alpha": self.alpha, "note": self.note}


# Kaplan et al. 2020 (arXiv:2001.08361), Eqs. 1.1-1.3; N counts non-embedding parameters and
# loss is in nats per token on WebText2, so these are reference shapes, not Chinchilla's units.
KAPLAN: dict[str, KaplanLaw] = {
    "N": KaplanLaw("N", 8.8e13, 0.076, "converged models, ample data (non-embedding N)"),
    "D": KaplanLaw("D", 5.4e13, 0.095, "large models with early stopping (tokens)"),
    "C": KaplanLaw("C", 3.1e8 * PF_DAY, 0.050,
                   "compute-efficient training, C_min in FLOP (3.1e8 PF-days)"),
}


@dataclass
class Optimum:
    """The compute-optimal split of a budget C = 6 N D under one parameter set."""

    params: str
    compute: float
    N: float
    D: float
    tokens_per_param: float
    loss: float
    a: float
    b: float
    G: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _as_params(fit: Any) -> ChinchillaParams:
    if isinstance(fit, ChinchillaParams):
        return fit
    if isinstance(fit, str):
        try:
            return PUBLISHED[fit.lower()]
        except KeyError:
            raise DlrevError(f"unknown parameter set {fit!r}; use one of "
                             f"{', '.join(PUBLISHED)} or a fit.") from None
    params = getattr(fit, "params", None)
    if isinstance(params, ChinchillaParams):
        return params
    raise DlrevError("optimal() needs a Chinchilla-form fit or parameter set "
                     "(E + A / N^alpha + B / D^beta).")


def optimal(fit: Any, compute: float) -> Optimum:
    """N_opt = G (C/6)^a, D_opt = (C/6)^b / G, G = (alpha A / (beta B))^(1/(alpha+beta))."""
    p = _as_params(fit)
    c = float(compute)
    if not math.isfinite(c) or c <= 0:
        raise DlrevError(f"compute must be a positive number of FLOP, not {compute!r}.")
    if p.alpha <= 0 or p.beta <= 0 or p.A <= 0 or p.B <= 0:
        raise DlrevError(f"parameter set {p.name!r} has non-positive A, B, alpha or beta; it "
                         "has no compute-optimal frontier.")
    g = (p.alpha * p.A / (p.beta * p.B)) ** (1.0 / (p.alpha + p.beta))
    n = g * (c / 6.0) ** p.a
    d = (c / 6.0) ** p.b / g
    return Optimum(p.name, c, float(n), float(d), float(d / n), float(p.predict(n, d)), p.a,
                   p.b, float(g))


def frontier(fit: Any, computes: Any) -> list[Optimum]:
    """The compute-optimal frontier at each budget in ``computes``."""
    return [optimal(fit, c) for c in np.atleast_1d(np.asarray(computes, dtype=float))]


def iso_param_curve(fit: Any, n: float, computes: Any) -> np.ndarray:
    """Predicted loss of a model of ``n`` parameters trained with each budget (D = C / 6N)."""
    p = _as_params(fit)
    c = np.asarray(computes, dtype=float)
    return p.predict(n, c / (6.0 * n))


@dataclass
class Comparison:
    """How well each parameter set predicts the same runs (residual = observed - predicted)."""

    rows: list[dict[str, Any]]
    best: str
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "best": self.best, "rows": self.rows}


def compare(fits: Any, n: Any, d: Any, loss: Any) -> Comparison:
    """Score parameter sets (names, ChinchillaParams or fits) on runs; lowest RMSE wins."""
    from dlrev.scaling.laws import goodness

    n, d, loss = (np.asarray(v, dtype=float) for v in (n, d, loss))
    rows = []
    for f in fits:
        p = _as_params(f)
        g = goodness(loss, p.predict(n, d))
        rows.append({"name": p.name, "E": p.E, "A": p.A, "B": p.B, "alpha": p.alpha,
                     "beta": p.beta, "tokens_per_param_at_1e24": optimal(p, 1e24).tokens_per_param,
                     **g.to_dict()})
    if not rows:
        raise DlrevError("compare() needs at least one parameter set.")
    best = min(rows, key=lambda r: r["rmse"])["name"]
    return Comparison(rows, best, int(loss.size))
