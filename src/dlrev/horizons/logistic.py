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
SMALL_STEP = 0.05  # steps below this (in intercept and slope) skip the loss check


def _terms(eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """exp(-|eta|) and softplus(eta) = log(1 + e^eta), from one exp and one log1p."""
    e = np.exp(-np.abs(eta))
    return e, np.maximum(eta, 0.0) + np.log1p(e)


def _prob(eta: np.ndarray, e: np.ndarray) -> np.ndarray:
    return np.where(eta >= 0, 1.0, e) / (1.0 + e)


def _loss(sp: np.ndarray, eta: np.ndarray, pos: np.ndarray, tot: np.ndarray, slope: np.ndarray,
          reg: float) -> np.ndarray:
    return np.einsum("pt,pt->p", tot, sp) - np.einsum("pt,pt->p", pos, eta) + 0.5 * reg * slope**2


def fit_logistic(x: np.ndarray, pos: np.ndarray, neg: np.ndarray, reg: float,
                 start: tuple[np.ndarray, np.ndarray] | None = None, tol: float = 1e-9
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
    eta = icpt[:, None] + slope[:, None] * xc
    e = np.exp(-np.abs(eta))
    pa, ta = pos, tot
    basis = np.column_stack([np.ones_like(xc), xc, xc2])  # sums as one BLAS product each
    check = np.ones(len(active), dtype=bool)  # steps whose loss is checked (halved if worse)
    for _ in range(MAX_ITER):
        if len(active) == 0:
            break
        b, a = slope[active], icpt[active]
        prob = _prob(eta, e)
        tp = ta * prob
        g = (tp - pa) @ basis[:, :2]
        hm = (tp - tp * prob) @ basis
        g1 = g[:, 1] + reg * b
        h00, h01, h11 = hm[:, 0], hm[:, 1], hm[:, 2] + reg
        det = h00 * h11 - h01 * h01
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            d0 = (h11 * g[:, 0] - h01 * g1) / det
            d1 = (h00 * g1 - h01 * g[:, 0]) / det
        bad = ~np.isfinite(d0) | ~np.isfinite(d1)
        d0[bad], d1[bad] = 0.0, 0.0
        step = np.ones(len(active))
        new_a, new_b = a - d0, b - d1
        eta_n = new_a[:, None] + new_b[:, None] * xc
        # Near the optimum the quadratic model is exact enough that a Newton step always
        # lowers the loss; only steps that are still large are checked (and halved if worse).
        check = (np.abs(d0) > SMALL_STEP) | (np.abs(d1) > SMALL_STEP)
        if check.any():
            c = np.flatnonzero(check)
            e_c, sp_c = _terms(eta_n[c])
            f_c = _loss(sp_c, eta_n[c], pa[c], ta[c], new_b[c], reg)
            f_old = _loss(_terms(eta[c])[1], eta[c], pa[c], ta[c], b[c], reg)
            worse = f_c > f_old + 1e-12 * np.abs(f_old)
            for _h in range(MAX_HALVINGS):
                if not worse.any():
                    break
                w = np.flatnonzero(worse)
                cw = c[w]
                step[cw] *= 0.5
                new_a[cw] = a[cw] - step[cw] * d0[cw]
                new_b[cw] = b[cw] - step[cw] * d1[cw]
                eta_n[cw] = new_a[cw, None] + new_b[cw, None] * xc
                f_c[w] = _loss(_terms(eta_n[cw])[1], eta_n[cw], pa[cw], ta[cw], new_b[cw], reg)
                worse[w] = f_c[w] > f_old[w] + 1e-12 * np.abs(f_old[w])
        icpt[active], slope[active] = new_a, new_b
        moved = np.maximum(np.abs(step * d0), np.abs(step * d1))
        fin = (moved < tol * (1.0 + np.abs(new_b))) | bad
        done[active[fin]] = ~bad[fin]
        keep = ~fin
        active = active[keep]
        if not keep.all():
            eta_n, pa, ta = eta_n[keep], pa[keep], ta[keep]
        eta = eta_n
        e = np.exp(-np.abs(eta))
    return slope, icpt - slope * xm, done


def horizon_minutes(slope: np.ndarray | float, intercept: np.ndarray | float, success: float
                    ) -> np.ndarray:
    """Human minutes at which the fitted success probability equals `success` (0 < success < 1):
    2 ** ((logit(success) - intercept) / slope)."""
    logit = np.log(success / (1.0 - success))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.exp2((logit - np.asarray(intercept, dtype=float))
                       / np.asarray(slope, dtype=float))
