"""Fitting scaling laws the Hoffmann et al. (2022) way, vectorised over starts and resamples.

The objective is the sum over runs of Huber_delta(log L_hat - log L) with delta = 1e-3, where
log L_hat is a log-sum-exp of the law's terms:

    power        L(X)    = E + (X0 / X)^alpha          log L_hat = LSE(e, a - alpha log X)
    chinchilla   L(N, D) = E + A / N^alpha + B / D^beta
                                               log L_hat = LSE(e, a - alpha log N, b - beta log D)
    kaplan       L(N, D) = [(Nc / N)^(aN / aD) + Dc / D]^aD     (no irreducible term)

with E = e^e, A = e^a, B = e^b, X0 = e^(a / alpha). Every start of the initialisation grid is
minimised with L-BFGS (all starts in one batched solve, see optim.py) and the best is kept.
Internally log X is centred on its mean (a' = a - alpha * mean log X); this is the same
objective from the same starting points in better-conditioned coordinates. The starts are run
with scipy's default L-BFGS-B stopping rule (on the summed objective; at most MAX_ITER
iterations, first trial step capped at MAX_STEP), then the best 20 are polished to tight
tolerances. Bootstrap: resample runs with replacement, refit every resample
from the point estimate (again one batched solve), report standard errors and percentile
intervals.
"""

from __future__ import annotations

import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlrev.errors import DlrevError
from dlrev.scaling.optim import lbfgs_batch

DELTA = 1e-3
# Hoffmann et al. (2022), App. D.2: the grid of initialisations (5 * 6 * 6 * 5 * 5 = 4,500).
GRID_E = np.arange(-1.0, 1.01, 0.5)
GRID_A = np.arange(0.0, 25.1, 5.0)
GRID_EXP = np.arange(0.0, 2.01, 0.5)
N_POLISH = 20
# Largest first trial step of a line search, in the (centred) parameters' units: one tenth of
# the grid's span in a and b; found to halve the iterations of the 4,500-start fit.
MAX_STEP: float | None = 3.0
# Iterations per start in the grid phase. Starts still moving after this many are creeping
# along a flat valley (typically towards a dead term); they stay in the pool unconverged.
MAX_ITER = 2000


def _huber_sum(r: np.ndarray, w: np.ndarray | None, delta: float) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """Sum over the last axis of Huber_delta(r) / delta, and d/dr of each term (scaled by w)."""
    ar = np.abs(r)
    inner = np.maximum(delta - ar, 0.0)
    h = ar - 0.5 * delta + inner * inner / (2.0 * delta)
    psi = np.clip(r, -delta, delta) / delta
    if w is not None:
        h = h * w
        psi = psi * w
    return h.sum(axis=-1), psi


_CHUNK = 128  # rows per block: a block's work arrays (~1.5 MB) stay in cache
_POOL: ThreadPoolExecutor | None = None


def _threads() -> int:
    """Cores this process may use (the affinity mask, not the machine's count), at most 8."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(1, min(8, n, int(os.environ.get("DLREV_THREADS", "8"))))


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="dlrev-scaling")
    return _POOL


class _LseProblem:
    """Objective and gradient of the LSE forms for a batch of parameter rows.

    theta = [e, a_1..a_K, alpha_1..alpha_K] in centred coordinates; weights (S, n) are bootstrap
    counts (row idx of the batch uses weights[idx]) or None for the plain fit. Work arrays are
    per-thread blocks of _CHUNK rows, allocated once and reused, so they stay in cache.
    """

    def __init__(self, lx: np.ndarray, ly: np.ndarray, weights: np.ndarray | None = None,
                 delta: float = DELTA) -> None:
        self.lx, self.ly, self.weights, self.delta = lx, ly, weights, delta
        self.k = lx.shape[0]
        self._basis = [np.stack([np.ones_like(x), -x]) for x in lx]  # (2, n) per variable
        self._local = threading.local()

    def _scratch(self) -> np.ndarray:
        """Work arrays for one chunk, one set per thread (small enough to stay in cache)."""
        buf = getattr(self._local, "buf", None)
        if buf is None:
            buf = np.empty((self.k + 3, _CHUNK, self.ly.size))
            self._local.buf = buf
        return buf

    def __call__(self, th: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = th.shape[0]
        f = np.empty(rows)
        g = np.empty_like(th)
        cuts = list(range(0, rows, _CHUNK)) + [rows]
        spans = list(zip(cuts[:-1], cuts[1:], strict=True))

        def run(group: list[tuple[int, int]]) -> None:
            buf = self._scratch()
            for lo, hi in group:
                f[lo:hi], g[lo:hi] = self._eval(th[lo:hi], idx[lo:hi], buf[:, :hi - lo])

        n_threads = min(_threads(), len(spans) // 4)
        if n_threads < 2:
            run(spans)
        else:  # numpy releases the GIL inside these array operations: share the chunks out.
            list(_pool().map(run, [spans[i::n_threads] for i in range(n_threads)]))
        bad = ~np.isfinite(f) | ~np.all(np.isfinite(g), axis=1)
        f[bad] = np.inf
        return f, g

    def _eval(self, th: np.ndarray, idx: np.ndarray, buf: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
        k, d = self.k, self.delta
        ex, z, r, psi = buf[:k], buf[k], buf[k + 1], buf[k + 2]
        cols = [[1 + j, 1 + k + j] for j in range(k)]
        with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
            e0 = np.exp(th[:, 0])
            for j in range(k):  # a_j - alpha_j x_j as one product with [1; -x_j]
                np.matmul(th[:, cols[j]], self._basis[j], out=ex[j])
                np.exp(ex[j], out=ex[j])
            np.add(ex[0], e0[:, None], out=z)
            for j in range(1, k):
                z += ex[j]
            np.log(z, out=r)
            r -= self.ly
            # With psi = clip(r, -delta, delta) / delta:  Huber_delta(r) / delta
            # = psi r - (delta / 2) psi^2  (|r| - delta/2 outside, r^2 / (2 delta) inside).
            np.clip(r, -d, d, out=psi)
            psi *= 1.0 / d
            w = None if self.weights is None else self.weights[idx]
            if w is None:
                f = np.einsum("ij,ij->i", psi, r) - 0.5 * d * np.einsum("ij,ij->i", psi, psi)
            else:
                f = np.einsum("ij,ij->i", w, psi * (r - 0.5 * d * psi))
                psi *= w
            psi /= z
            g = np.empty_like(th)
            g[:, 0] = psi.sum(axis=1) * e0
            for j in range(k):  # [sum psi e_j, -sum psi e_j x_j] as one product
                np.multiply(psi, ex[j], out=ex[j])
                g[:, cols[j]] = ex[j] @ self._basis[j].T
        return f, g


class _KaplanProblem:
    """log L_hat = aD LSE(q (lNc - log N), lDc - log D), q = aN / aD; theta = [lNc, lDc, aN, aD]."""

    def __init__(self, lx: np.ndarray, ly: np.ndarray, weights: np.ndarray | None = None,
                 delta: float = DELTA) -> None:
        self.lx, self.ly, self.weights, self.delta = lx, ly, weights, delta

    def __call__(self, th: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lnc, ldc, an, ad = (th[:, j:j + 1] for j in range(4))
        with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
            q = an / ad
            u = q * (lnc - self.lx[0])
            v = ldc - self.lx[1]
            m = np.maximum(u, v)
            eu, ev = np.exp(u - m), np.exp(v - m)
            z = eu + ev
            s = m + np.log(z)
            wu, wv = eu / z, ev / z
            r = ad * s - self.ly
            w = None if self.weights is None else self.weights[idx]
            f, psi = _huber_sum(r, w, self.delta)
            g = np.empty_like(th)
            g[:, 0] = (psi * wu).sum(axis=1) * an[:, 0]
            g[:, 1] = (psi * wv).sum(axis=1) * ad[:, 0]
            g[:, 2] = (psi * wu * (lnc - self.lx[0])).sum(axis=1)
            g[:, 3] = (psi * (s - wu * u)).sum(axis=1)
        bad = ~np.isfinite(f) | ~np.all(np.isfinite(g), axis=1)
        f[bad] = np.inf
        return f, g


def _scipy_tolerances(delta: float, gtol: float = 1e-5) -> tuple[float, float]:
    """scipy L-BFGS-B's default stopping rule (factr 1e7) on the summed Huber objective.

    Our objective is that sum divided by delta, so the same rule on the change of the objective
    reads 2.2e-9 / delta while the raw objective is below 1.
    """
    return 2.220446049250313e-09 / delta, gtol


@dataclass
class _Solve:
    theta: np.ndarray     # best parameters, raw coordinates
    fun: float            # best objective (sum of Huber / delta)
    converged: bool
    n_starts: int
    n_converged: int
    nit: int


def _to_raw(th: np.ndarray, mu: np.ndarray) -> np.ndarray:
    th = np.array(th, dtype=float, copy=True)
    k = mu.size
    th[..., 1:1 + k] += th[..., 1 + k:] * mu
    return th


def _to_centred(th: np.ndarray, mu: np.ndarray) -> np.ndarray:
    th = np.array(th, dtype=float, copy=True)
    k = mu.size
    th[..., 1:1 + k] -= th[..., 1 + k:] * mu
    return th


def lse_grid(k: int) -> np.ndarray:
    """Hoffmann's starts in raw coordinates [e, a.., alpha..]: 4,500 rows for k = 2, 150 for 1."""
    axes = [GRID_E] + [GRID_A] * k + [GRID_EXP] * k
    return np.array(list(itertools.product(*axes)), dtype=float)


def kaplan_grid() -> np.ndarray:
    ln = np.log([1e11, 1e13, 1e15])
    ex = np.array([0.05, 0.1, 0.2, 0.4])
    return np.array(list(itertools.product(ln, ln, ex, ex)), dtype=float)


def solve(form: str, lx: np.ndarray, loss: np.ndarray, starts: np.ndarray | None = None,
          delta: float = DELTA) -> _Solve:
    """Minimise the Huber objective of ``form`` ('lse' or 'kaplan') from every start."""
    ly = np.log(loss)
    if form == "kaplan":
        mu = np.zeros(0)
        problem: Any = _KaplanProblem(lx, ly, delta=delta)
        x0 = kaplan_grid() if starts is None else starts
    else:
        mu = lx.mean(axis=1)
        problem = _LseProblem(lx - mu[:, None], ly, delta=delta)
        x0 = _to_centred(lse_grid(lx.shape[0]) if starts is None else starts, mu)
    ftol, gtol = _scipy_tolerances(delta)
    first = lbfgs_batch(problem, x0, ftol=ftol, gtol=gtol, max_iter=MAX_ITER, max_step=MAX_STEP)
    ok = np.isfinite(first.fun)
    if not ok.any():
        raise DlrevError("the scaling-law fit did not converge: the objective was not finite "
                         "from any starting point (check the data for extreme values).")
    order = np.argsort(np.where(ok, first.fun, np.inf))[:N_POLISH]
    order = order[ok[order]]
    polish = lbfgs_batch(problem, first.x[order], ftol=1e-15, gtol=1e-10, max_iter=1000)
    j = int(np.argmin(polish.fun))
    th = polish.x[j]
    theta = th if form == "kaplan" else _to_raw(th, mu)
    return _Solve(theta=theta, fun=float(polish.fun[j]),
                  converged=bool(polish.converged[j]) and bool(np.all(np.isfinite(theta))),
                  n_starts=int(x0.shape[0]), n_converged=int(first.converged.sum()),
                  nit=int(first.nit[order[j]] + polish.nit[j]))


def bootstrap(form: str, lx: np.ndarray, loss: np.ndarray, theta: np.ndarray, n_boot: int,
              seed: int = 42, delta: float = DELTA) -> tuple[np.ndarray, np.ndarray]:
    """Refit ``n_boot`` resamples (with replacement) from ``theta``; (thetas, converged) raw."""
    n = loss.size
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(n_boot, n))
    weights = np.zeros((n_boot, n))
    np.add.at(weights, (np.arange(n_boot)[:, None], picks), 1.0)
    ly = np.log(loss)
    if form == "kaplan":
        mu = np.zeros(0)
        problem: Any = _KaplanProblem(lx, ly, weights, delta)
        x0 = np.repeat(theta[None, :], n_boot, axis=0)
    else:
        mu = lx.mean(axis=1)
        problem = _LseProblem(lx - mu[:, None], ly, weights, delta)
        x0 = np.repeat(_to_centred(theta, mu)[None, :], n_boot, axis=0)
    res = lbfgs_batch(problem, x0, ftol=1e-13, gtol=1e-8, max_iter=5000)
    out = res.x if form == "kaplan" else _to_raw(res.x, mu)
    return out, res.converged & np.isfinite(res.fun)


@dataclass
class Interval:
    """A point estimate with its bootstrap standard error and percentile interval."""

    estimate: float
    se: float | None = None
    low: float | None = None
    high: float | None = None
    level: float = 0.95
    method: str = "no bootstrap"

    def to_dict(self) -> dict[str, Any]:
        return {"estimate": self.estimate, "se": self.se, "low": self.low, "high": self.high,
                "level": self.level, "method": self.method}


def intervals(point: dict[str, float], draws: dict[str, np.ndarray] | None, n_boot: int,
              level: float = 0.95) -> dict[str, Interval]:
    if not draws:
        return {k: Interval(v) for k, v in point.items()}
    q = (1 - level) / 2
    method = f"bootstrap: {n_boot} resamples of the runs, percentile interval"
    out = {}
    for k, v in point.items():
        d = draws[k][np.isfinite(draws[k])]
        if d.size < 2:
            out[k] = Interval(v)
            continue
        out[k] = Interval(v, float(np.std(d, ddof=1)), float(np.quantile(d, q)),
                          float(np.quantile(d, 1 - q)), level, method)
    return out


@dataclass
class Goodness:
    """How well a law predicts the runs (residual = observed - predicted loss)."""

    n: int
    rmse: float
    rmse_log: float
    mean_residual: float
    r2: float
    huber: float  # sum of Huber_delta on log loss (the fitted objective, unscaled)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def goodness(loss: np.ndarray, pred: np.ndarray, delta: float = DELTA) -> Goodness:
    res = loss - pred
    lres = np.log(pred) - np.log(loss)
    ss_tot = float(np.sum((loss - loss.mean()) ** 2))
    h, _ = _huber_sum(lres, None, delta)
    return Goodness(n=int(loss.size), rmse=float(np.sqrt(np.mean(res ** 2))),
                    rmse_log=float(np.sqrt(np.mean(lres ** 2))),
                    mean_residual=float(res.mean()),
                    r2=float(1 - np.sum(res ** 2) / ss_tot) if ss_tot > 0 else float("nan"),
                    huber=float(h) * delta)


@dataclass
class FitInfo:
    """What the optimiser did: starts, how many converged, bootstrap size."""

    n_starts: int
    n_converged: int
    objective: float
    n_boot: int
    n_boot_converged: int
    delta: float = DELTA
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)
