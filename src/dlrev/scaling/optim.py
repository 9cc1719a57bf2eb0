"""A batched L-BFGS: many independent smooth minimisations advanced together in numpy.

Each problem (one row of ``x0``) keeps its own curvature history (applied in the compact
representation, as small batched matrix products), its own Armijo
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

_LOWER = {m: np.tril(np.ones((m, m))) for m in range(1, 31)}
_DIAG = {m: np.arange(m) for m in range(1, 31)}
Objective = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _tri_solve(r: np.ndarray, b: np.ndarray, lower: bool) -> np.ndarray:
    """Solve r x = b (lower) or r^T x = b (not lower) for a batch of lower-triangular r."""
    k, m = b.shape
    if k < 256:  # small batches: LAPACK per matrix is cheaper than m numpy steps
        mat = r if lower else np.swapaxes(r, 1, 2)
        return np.linalg.solve(mat, b[:, :, None])[:, :, 0]
    x = np.empty_like(b)
    if lower:  # forward substitution
        for i in range(m):
            x[:, i] = (b[:, i] - np.einsum("kj,kj->k", r[:, i, :i], x[:, :i])) / r[:, i, i]
    else:  # back substitution with r^T (upper): row i of r^T is column i of r
        for i in range(m - 1, -1, -1):
            x[:, i] = (b[:, i] - np.einsum("kj,kj->k", r[:, i + 1:, i], x[:, i + 1:])) / r[:, i, i]
    return x


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
                c1: float = 1e-4, max_step: float | None = None) -> BatchResult:
    """Minimise S independent problems from the starts ``x0`` (S, P) with L-BFGS.

    ``max_step`` caps the first trial step of each line search so that no parameter moves by
    more than that (a standard safeguard; it saves long backtracking after a poor curvature
    estimate).
    """
    if not 1 <= m <= 30:
        raise ValueError("m must be between 1 and 30")
    x = np.array(x0, dtype=float, copy=True)
    n_prob, n_par = x.shape
    f, g = fun(x, np.arange(n_prob))
    f = np.where(np.isfinite(f), f, np.inf)
    bad = ~np.isfinite(f) | ~np.all(np.isfinite(g), axis=1)
    g = np.where(np.isfinite(g), g, 0.0)
    nit = np.zeros(n_prob, dtype=int)
    converged = np.zeros(n_prob, dtype=bool)
    converged[~bad & (np.max(np.abs(g), axis=1) <= gtol)] = True
    nfev = 1
    # The working set: problems still running, compacted whenever some finish, so that an
    # iteration touches only live rows (no gather/scatter of the histories every step).
    idx = np.flatnonzero(~bad & ~converged)
    xa, fa, ga = x[idx], f[idx], g[idx]
    sa = np.zeros((idx.size, m, n_par))
    ya = np.zeros((idx.size, m, n_par))
    ra = np.zeros((idx.size, m))
    it = 0
    while idx.size and it < max_iter:
        it += 1
        k = idx.size
        # H g in the compact form (Byrd, Nocedal & Schnabel 1994; Nocedal & Wright eq. 7.24):
        # a few batched small-matrix operations instead of the two-loop's 4m vector steps.
        # Slots are newest first; empty slots have rho = 0 and s = y = 0 (made independent by
        # a unit diagonal in R), so they add nothing.
        valid = ra > 0
        sm = sa * valid[:, :, None]
        ym = ya * valid[:, :, None]
        gnorm = np.sqrt((ga * ga).sum(axis=1))
        sy0 = (sm[:, 0] * ym[:, 0]).sum(axis=1)
        yy0 = (ym[:, 0] * ym[:, 0]).sum(axis=1)
        gamma = np.where(valid[:, 0], sy0 / np.where(yy0 > 0, yy0, 1.0),
                         1.0 / np.maximum(gnorm, 1e-300))
        s_g = np.einsum("kmp,kp->km", sm, ga)
        y_g = gamma[:, None] * np.einsum("kmp,kp->km", ym, ga)
        sty = np.matmul(sm, ym.transpose(0, 2, 1))
        rmat = sty * _LOWER[m]
        dvec = np.diagonal(sty, axis1=1, axis2=2).copy()
        rmat[:, _DIAG[m], _DIAG[m]] = np.where(valid, dvec, 1.0)
        q = -_tri_solve(rmat, s_g, lower=True)
        yty = np.matmul(ym, ym.transpose(0, 2, 1))
        rhs = -(gamma[:, None] * np.einsum("kij,kj->ki", yty, q) + dvec * q) - y_g
        pv = _tri_solve(rmat, rhs, lower=False)
        r = (gamma[:, None] * ga + np.einsum("kmp,km->kp", sm, pv)
             + gamma[:, None] * np.einsum("kmp,km->kp", ym, q))
        d = -r
        slope = (d * ga).sum(axis=1)
        reset = ~(slope < 0) | ~np.all(np.isfinite(d), axis=1)
        if reset.any():
            d[reset] = -ga[reset] / np.maximum(gnorm[reset], 1e-300)[:, None]
            slope[reset] = -gnorm[reset]
            ra[reset] = 0.0
        # Armijo backtracking, each problem with its own step.
        if max_step is None:
            step = np.ones(k)
        else:
            step = np.minimum(1.0, max_step / np.maximum(np.max(np.abs(d), axis=1), 1e-300))
        f_new = np.full(k, np.inf)
        g_new = np.zeros_like(ga)
        todo = np.arange(k)
        for _ls in range(max_ls):
            xt = xa[todo] + step[todo, None] * d[todo]
            ft, gt = fun(xt, idx[todo])
            nfev += 1
            ok = (np.isfinite(ft) & np.all(np.isfinite(gt), axis=1)
                  & (ft <= fa[todo] + c1 * step[todo] * slope[todo]))
            if ok.all():
                f_new[todo] = ft
                g_new[todo] = gt
                todo = todo[:0]
                break
            acc = todo[ok]
            f_new[acc] = ft[ok]
            g_new[acc] = gt[ok]
            todo = todo[~ok]
            # Quadratic interpolation where the value is finite, else halve; keep in [0.1, 0.5].
            fv = ft[~ok]
            st = step[todo]
            denom = 2.0 * (fv - fa[todo] - slope[todo] * st)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                t_q = -slope[todo] * st * st / denom
            t_q = np.where(np.isfinite(t_q) & (denom > 0), t_q, 0.5 * st)
            step[todo] = np.clip(t_q, 0.1 * st, 0.5 * st)
        failed = np.zeros(k, dtype=bool)
        failed[todo] = True
        moved = ~failed
        s_vec = step[:, None] * d
        y_vec = g_new - ga
        curv = (s_vec * y_vec).sum(axis=1)
        upd = moved & (curv > 1e-300)
        if upd.all():
            sa[:, 1:] = sa[:, :-1]
            ya[:, 1:] = ya[:, :-1]
            ra[:, 1:] = ra[:, :-1]
            sa[:, 0], ya[:, 0], ra[:, 0] = s_vec, y_vec, 1.0 / curv
        elif upd.any():
            sa[upd, 1:] = sa[upd, :-1]
            ya[upd, 1:] = ya[upd, :-1]
            ra[upd, 1:] = ra[upd, :-1]
            sa[upd, 0] = s_vec[upd]
            ya[upd, 0] = y_vec[upd]
            ra[upd, 0] = 1.0 / curv[upd]
        if failed.any():
            f_next = np.where(moved, f_new, fa)
            xa = np.where(moved[:, None], xa + s_vec, xa)
            ga = np.where(moved[:, None], g_new, ga)
        else:
            f_next = f_new
            xa = xa + s_vec
            ga = g_new
        rel = (fa - f_next) / np.maximum(np.maximum(np.abs(fa), np.abs(f_next)), 1.0)
        fa = f_next
        done = failed | (np.max(np.abs(ga), axis=1) <= gtol) | (moved & (rel <= ftol))
        nit[idx] += 1
        if done.any():
            fin = idx[done]
            x[fin], f[fin], g[fin] = xa[done], fa[done], ga[done]
            converged[fin] = True
            keep = ~done
            idx, xa, fa, ga = idx[keep], xa[keep], fa[keep], ga[keep]
            sa, ya, ra = sa[keep], ya[keep], ra[keep]
    if idx.size:  # hit max_iter: keep where they got to, not converged
        x[idx], f[idx], g[idx] = xa, fa, ga
    return BatchResult(x=x, fun=f, grad=g, nit=nit, converged=converged, nfev=nfev)
