"""A batched L-BFGS: many independent smooth minimisations advanced together in numpy.

Each problem (one row of ``x0``) keeps its own curvature history, its own Armijo
backtracking line search and its own stopping test, so the batch gives the same answers
as running the problems one by one; only the arithmetic is shared. Problems leave the
active set as they converge, so later iterations cost less.

``fun(x, idx)`` must return ``(f, g)`` for the parameter rows ``x`` (shape (k, P)) of the
problems ``idx`` (shape (k,)): objective values (k,) and gradients (k, P). Non-finite
values are treated as "too far" by the line search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Objective = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass
class BatchResult:
    x: np.ndarray          # (S, P) final parameters
    fun: np.ndarray        # (S,) final objective values (inf where a start failed)
    grad: np.ndarray       # (S, P)
    nit: np.ndarray        # (S,) iterations taken
    converged: np.ndarray  # (S,) bool: met a tolerance (not the iteration cap)
    nfev: int              # batched evaluations made (each over the active problems)


def lbfgs_batch(fun: Objective, x0: np.ndarray, *, m: int = 10, max_iter: int = 2000,
                gtol: float = 1e-9, ftol: float = 1e-13, max_ls: int = 40,
                c1: float = 1e-4) -> BatchResult:
    """Minimise S independent problems from the starts ``x0`` (S, P) with L-BFGS."""
    x = np.array(x0, dtype=float, copy=True)
    n_prob, n_par = x.shape
    f, g = fun(x, np.arange(n_prob))
    f = np.where(np.isfinite(f), f, np.inf)
    bad = ~np.isfinite(f) | ~np.all(np.isfinite(g), axis=1)
    g = np.where(np.isfinite(g), g, 0.0)
    s_hist = np.zeros((n_prob, m, n_par))
    y_hist = np.zeros((n_prob, m, n_par))
    rho = np.zeros((n_prob, m))
    nit = np.zeros(n_prob, dtype=int)
    converged = np.zeros(n_prob, dtype=bool)
    active = ~bad
    converged[np.max(np.abs(g), axis=1) <= gtol] = True
    active &= ~converged
    nfev = 1
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        xa, fa, ga = x[idx], f[idx], g[idx]
        sa, ya, ra = s_hist[idx], y_hist[idx], rho[idx]
        # Two-loop recursion, newest pair at position 0; empty slots have rho = 0.
        q = ga.copy()
        alph = np.zeros((idx.size, m))
        for i in range(m):
            a_i = ra[:, i] * np.einsum("kp,kp->k", sa[:, i], q)
            alph[:, i] = a_i
            q -= a_i[:, None] * ya[:, i]
        sy = np.einsum("kp,kp->k", sa[:, 0], ya[:, 0])
        yy = np.einsum("kp,kp->k", ya[:, 0], ya[:, 0])
        has = ra[:, 0] > 0
        gnorm = np.sqrt(np.einsum("kp,kp->k", ga, ga))
        gamma = np.where(has, sy / np.where(yy > 0, yy, 1.0),
                         1.0 / np.maximum(gnorm, 1e-300))
        r = gamma[:, None] * q
        for i in range(m - 1, -1, -1):
            b_i = ra[:, i] * np.einsum("kp,kp->k", ya[:, i], r)
            r += sa[:, i] * (alph[:, i] - b_i)[:, None]
        d = -r
        slope = np.einsum("kp,kp->k", d, ga)
        reset = ~(slope < 0) | ~np.all(np.isfinite(d), axis=1)
        if reset.any():
            d[reset] = -ga[reset] / np.maximum(gnorm[reset], 1e-300)[:, None]
            slope[reset] = -gnorm[reset]
            ra[reset] = 0.0
        # Armijo backtracking, each problem with its own step.
        step = np.ones(idx.size)
        f_new = np.full(idx.size, np.inf)
        g_new = np.zeros_like(ga)
        todo = np.arange(idx.size)
        for _ls in range(max_ls):
            xt = xa[todo] + step[todo, None] * d[todo]
            ft, gt = fun(xt, idx[todo])
            nfev += 1
            ok = (np.isfinite(ft) & np.all(np.isfinite(gt), axis=1)
                  & (ft <= fa[todo] + c1 * step[todo] * slope[todo]))
            acc = todo[ok]
            f_new[acc] = ft[ok]
            g_new[acc] = gt[ok]
            todo = todo[~ok]
            if todo.size == 0:
                break
            # Quadratic interpolation where the value is finite, else halve; keep in [0.1, 0.5].
            fv = ft[~ok]
            st = step[todo]
            denom = 2.0 * (fv - fa[todo] - slope[todo] * st)
            with np.errstate(divide="ignore", invalid="ignore"):
                t_q = -slope[todo] * st * st / denom
            t_q = np.where(np.isfinite(t_q) & (denom > 0), t_q, 0.5 * st)
            step[todo] = np.clip(t_q, 0.1 * st, 0.5 * st)
        failed = np.zeros(idx.size, dtype=bool)
        failed[todo] = True
        moved = ~failed
        s_vec = step[:, None] * d
        y_vec = g_new - ga
        curv = np.einsum("kp,kp->k", s_vec, y_vec)
        upd = moved & (curv > 1e-300)
        if upd.any():
            sa[upd, 1:] = sa[upd, :-1]
            ya[upd, 1:] = ya[upd, :-1]
            ra[upd, 1:] = ra[upd, :-1]
            sa[upd, 0] = s_vec[upd]
            ya[upd, 0] = y_vec[upd]
            ra[upd, 0] = 1.0 / curv[upd]
        x_next = np.where(moved[:, None], xa + s_vec, xa)
        f_next = np.where(moved, f_new, fa)
        g_next = np.where(moved[:, None], g_new, ga)
        rel = (fa - f_next) / np.maximum(np.maximum(np.abs(fa), np.abs(f_next)), 1.0)
        done = failed | (np.max(np.abs(g_next), axis=1) <= gtol) | (moved & (rel <= ftol))
        x[idx], f[idx], g[idx] = x_next, f_next, g_next
        s_hist[idx], y_hist[idx], rho[idx] = sa, ya, ra
        nit[idx] += 1
        converged[idx[done]] = True
        active[idx[done]] = False
    return BatchResult(x=x, fun=f, grad=g, nit=nit, converged=converged, nfev=nfev)
