"""Many weighted two-parameter logistic regressions at once, by a batched damped Newton solve.

Each problem p has, at every point t of a shared grid x_t, a weight of successes pos[p, t] and of
failures neg[p, t]; it minimises

    sum_t pos * log(1 + e^-eta) + neg * log(1 + e^eta) + reg / 2 * slope^2,   eta = a + slope * x

which is scikit-learn's LogisticRegression(C=1/reg) objective with sample weights (the intercept
is not penalised). The loss is convex, so Newton's method converges from any start; steps that
would raise the loss are halved. All problems advance together as whole-array operations; a
problem leaves the active set once its step is below `tol`.
"""

from __future__ import annotations

import numpy as np

MAX_ITER = 100
MAX_HALVINGS = 30


def _loss(eta: np.ndarray, pos: np.ndarray, tot: np.ndarray, slope: np.ndarray, reg: float
          ) -> np.ndarray:
    return (tot * np.logaddexp(0.0, eta) - pos * eta).sum(axis=1) + 0.5 * reg * slope**2


def fit_logistic(x: np.ndarray, pos: np.ndarray, neg: np.ndarray, reg: float,
                 start: tuple[np.ndarray, np.ndarray] | None = None, tol: float = 1e-10
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slopes, intercepts and a converged flag for each row of pos/neg (shape (P, T)).

    x has shape (T,). `start` gives (slopes, intercepts) to begin from (e.g. the full-data fit
    when refitting bootstrap resamples); the default is zero."""
    pos = np.asarray(pos, dtype=float)
    tot = pos + np.asarray(neg, dtype=float)
    n_prob = pos.shape[0]
    xm = float(np.mean(x))
    xc = np.asarray(x, dtype=float) - xm
    xc2 = xc * xc
    slope = np.zeros(n_prob) if start is None else np.array(start[0], dtype=float)
    # Work with the intercept at the centre of x: better conditioned, same penalty.
    icpt = np.zeros(n_prob) if start is None else np.array(start[1], dtype=float) + slope * xm
    slope = np.where(np.isfinite(slope), slope, 0.0)
    icpt = np.where(np.isfinite(icpt), icpt, 0.0)
    done = np.zeros(n_prob, dtype=bool)
    active = np.arange(n_prob)
    for _ in range(MAX_ITER):
        if len(active) == 0:
            break
        b, a = slope[active], icpt[active]
        pa, ta = pos[active], tot[active]
        eta = a[:, None] + b[:, None] * xc
        prob = 1.0 / (1.0 + np.exp(-eta))
        r = ta * prob - pa
        h = ta * prob * (1.0 - prob)
        g0 = r.sum(axis=1)
        g1 = r @ xc + reg * b
        h00 = h.sum(axis=1)
        h01 = h @ xc
        h11 = h @ xc2 + reg
        det = h00 * h11 - h01 * h01
        with np.errstate(divide="ignore", invalid="ignore"):
            d0 = (h11 * g0 - h01 * g1) / det
            d1 = (h00 * g1 - h01 * g0) / det
        bad = ~np.isfinite(d0) | ~np.isfinite(d1)
        d0[bad], d1[bad] = 0.0, 0.0
        f_old = _loss(eta, pa, ta, b, reg)
        step = np.ones(len(active))
        new_a, new_b = a - d0, b - d1
        f_new = _loss(new_a[:, None] + new_b[:, None] * xc, pa, ta, new_b, reg)
        worse = f_new > f_old + 1e-12 * np.abs(f_old)
        for _h in range(MAX_HALVINGS):
            if not worse.any():
                break
            w = np.flatnonzero(worse)
            step[w] *= 0.5
            new_a[w] = a[w] - step[w] * d0[w]
            new_b[w] = b[w] - step[w] * d1[w]
            f_w = _loss(new_a[w, None] + new_b[w, None] * xc, pa[w], ta[w], new_b[w], reg)
            worse[w] = f_w > f_old[w] + 1e-12 * np.abs(f_old[w])
        icpt[active], slope[active] = new_a, new_b
        moved = np.maximum(np.abs(step * d0), np.abs(step * d1))
        fin = (moved < tol * (1.0 + np.abs(new_b))) | bad
        done[active[fin]] = ~bad[fin]
        active = active[~fin]
    return slope, icpt - slope * xm, done


def horizon_minutes(slope: np.ndarray | float, intercept: np.ndarray | float, success: float
                    ) -> np.ndarray:
    """Human minutes at which the fitted success probability equals `success` (0 < success < 1):
    2 ** ((logit(success) - intercept) / slope)."""
    logit = np.log(success / (1.0 - success))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.exp2((logit - np.asarray(intercept, dtype=float))
                       / np.asarray(slope, dtype=float))
