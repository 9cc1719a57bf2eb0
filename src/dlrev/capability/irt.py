"""The item-response fit behind the capability index, batched over bootstrap draws.

Model: a (model m, benchmark b) score y in [0, 1] is predicted as sigmoid(a_b (C_m - D_b)).
Objective, per draw: sum_i w_i (pred_i - y_i)^2 + rho (|C|^2 + |D|^2 + |a_free|^2), with
rho = lam / (number of parameters), as in Epoch's fit; the reference benchmark's slope is fixed
at 1 and, after the fit, every C and D is shifted so that its difficulty is 0.

Solver: Levenberg-Marquardt on the Gauss-Newton normal equations, for B draws at once (each draw
has its own row weights: the bootstrap counts). The normal matrix has a diagonal model block (a
row touches one model), 2x2 blocks per benchmark, and a model x benchmark coupling; eliminating
the models (Schur complement) leaves one (2 nb x 2 nb) system per draw, solved by batched LAPACK.
Bounds as Epoch's: C, D in [-10, 10], a in [0.1, 10] (steps are projected onto them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BOUND_CD = 10.0
BOUND_A = (0.1, 10.0)


@dataclass
class IRTData:
    """Rows of the fit: model index, benchmark index, score (clipped away from 0 and 1)."""

    model: np.ndarray  # (n,) int
    bench: np.ndarray  # (n,) int
    y: np.ndarray  # (n,) float
    n_models: int
    n_bench: int
    ref: int  # index of the reference benchmark (slope fixed at 1, difficulty shifted to 0)


@dataclass
class IRTParams:
    """Parameters for B draws: C (B, n_models), D (B, n_bench), A (B, n_bench)."""

    C: np.ndarray
    D: np.ndarray
    A: np.ndarray
    loss: np.ndarray  # (B,) objective at the solution
    iterations: int
    converged: np.ndarray  # (B,) bool


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free logistic


def _objective(d: IRTData, w: np.ndarray, C: np.ndarray, D: np.ndarray, A: np.ndarray,
               rho: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss (B,), residuals (B, n), predictions (B, n)."""
    gap = np.take(C, d.model, axis=1) - np.take(D, d.bench, axis=1)
    s = _sigmoid(np.take(A, d.bench, axis=1) * gap)
    r = s - d.y
    free = np.ones(d.n_bench, dtype=bool)
    free[d.ref] = False
    pen = (C * C).sum(1) + (D * D).sum(1) + (A[:, free] ** 2).sum(1)
    return (w * r * r).sum(1) + rho * pen, r, s


def initial(d: IRTData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A deterministic start: C from each model's mean logit score, D from each benchmark's
    mean gap to its models, slopes 1."""
    logit = np.log(d.y / (1 - d.y))
    cnt_m = np.maximum(np.bincount(d.model, minlength=d.n_models), 1)
    C = np.bincount(d.model, logit, d.n_models) / cnt_m
    cnt_b = np.maximum(np.bincount(d.bench, minlength=d.n_bench), 1)
    D = np.bincount(d.bench, C[d.model] - logit, d.n_bench) / cnt_b
    return C, D, np.ones(d.n_bench)


def _pairs(d: IRTData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of rows (i, j), i < j, that share a model, and where their products land in the
    flattened (2 nb x 2 nb) benchmark block: the nonzeros of the models' coupling
    E^T diag(1/dm) E, so the Schur complement is built without a dense E. The diagonal pairs
    (i, i) and the mirror images are added in _step."""
    order = np.argsort(d.model, kind="stable")
    cnt = np.bincount(d.model, minlength=d.n_models)
    bounds = np.concatenate([[0], np.cumsum(cnt)])
    pi, pj = [], []
    for m in range(d.n_models):
        rows = order[bounds[m]:bounds[m + 1]]
        ii, jj = np.triu_indices(len(rows), 1)
        pi.append(rows[ii])
        pj.append(rows[jj])
    i, j = np.concatenate(pi).astype(np.int64), np.concatenate(pj).astype(np.int64)
    nb, K = d.n_bench, 2 * d.n_bench
    kD, kA = d.bench, nb + d.bench
    flat = np.concatenate([kD[i] * K + kD[j], kD[i] * K + kA[j],
                           kA[i] * K + kD[j], kA[i] * K + kA[j]])
    return i, j, flat


def _step(d: IRTData, w: np.ndarray, C: np.ndarray, D: np.ndarray, A: np.ndarray,
          r: np.ndarray, s: np.ndarray, mu: np.ndarray, rho: float, free: np.ndarray,
          pairs: tuple[np.ndarray, np.ndarray, np.ndarray]
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One damped Gauss-Newton step for each draw (rows of the arrays); returns the new
    parameters projected onto the bounds."""
    B = w.shape[0]
    nm, nb = d.n_models, d.n_bench
    K = 2 * nb
    q = s * (1 - s)
    jC = q * np.take(A, d.bench, axis=1)  # d pred / d C (and minus d pred / d D)
    gap = np.take(C, d.model, axis=1) - np.take(D, d.bench, axis=1)
    wr = w * r
    # a slope held at a bound by its gradient stays there this step (projected Newton: the
    # bound is its active set); without this, clipped steps crawl along the bound
    gA0 = _scatter(d.bench, wr * q * gap, nb) + rho * A
    lo, hi = BOUND_A
    held = ((A <= lo * (1 + 1e-9)) & (gA0 > 0)) | ((A >= hi * (1 - 1e-9)) & (gA0 < 0))
    free = free[None, :] * ~held
    fb = np.take(free, d.bench, axis=1)
    jA = q * gap * fb
    # gradient (halved) and the Gauss-Newton blocks
    gC = _scatter(d.model, wr * jC, nm) + rho * C
    gb = np.concatenate([-_scatter(d.bench, wr * jC, nb) + rho * D, gA0 * free], axis=1)
    wcc = w * jC * jC
    dm = _scatter(d.model, wcc, nm) + rho + mu[:, None]
    bi = np.arange(nb)
    Hb = np.zeros((B, K, K))
    Hb[:, bi, bi] = _scatter(d.bench, wcc, nb) + rho + mu[:, None]
    Hb[:, nb + bi, nb + bi] = (_scatter(d.bench, w * jA * jA, nb) + rho * free + (1 - free)
                               + mu[:, None])
    hDA = -_scatter(d.bench, w * jC * jA, nb)
    Hb[:, bi, nb + bi] = hDA
    Hb[:, nb + bi, bi] = hDA
    # coupling of model m's C with the D and slope of each benchmark it has a score on
    eD, eA = -wcc, w * jC * jA
    pi, pj, flat = pairs
    kD, kA = d.bench, nb + d.bench
    inv = 1.0 / np.take(dm, d.model[pi], axis=1)
    eDi, eAi, eDj, eAj = eD[:, pi] * inv, eA[:, pi] * inv, eD[:, pj], eA[:, pj]
    val = np.concatenate([eDi * eDj, eDi * eAj, eAi * eDj, eAi * eAj], axis=1)
    U = _scatter(flat, val, K * K).reshape(B, K, K)
    invd = 1.0 / np.take(dm, d.model, axis=1)  # the pairs (i, i)
    diag = np.concatenate([kD * K + kD, kD * K + kA, kA * K + kD, kA * K + kA])
    dval = np.concatenate([eD * eD * invd, eD * eA * invd, eA * eD * invd, eA * eA * invd],
                          axis=1)
    S = Hb - U - U.transpose(0, 2, 1) - _scatter(diag, dval, K * K).reshape(B, K, K)
    u = np.take(gC / dm, d.model, axis=1)
    rhs = -gb + np.concatenate([_scatter(d.bench, eD * u, nb),
                                _scatter(d.bench, eA * u, nb)], axis=1)
    db = np.linalg.solve(S, rhs[:, :, None])[:, :, 0]
    Edb = _scatter(d.model, eD * np.take(db, kD, axis=1) + eA * np.take(db, kA, axis=1), nm)
    dc = (-gC - Edb) / dm
    An = np.clip(A + db[:, nb:] * free, *BOUND_A)
    An[:, d.ref] = 1.0
    return (np.clip(C + dc, -BOUND_CD, BOUND_CD), np.clip(D + db[:, :nb], -BOUND_CD, BOUND_CD),
            An)


def fit_irt(d: IRTData, weights: np.ndarray, lam: float = 0.1,
            start: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
            max_iter: int = 200, tol: float = 1e-9, xtol: float = 1e-7) -> IRTParams:
    """Fit B draws at once; weights (B, n) are each draw's row weights (1 for the plain fit).
    Each draw stops when an accepted step lowers its loss by less than `tol` (relative), moves
    no parameter by more than `xtol`, or its damping grows past 1e8; only unfinished draws are
    computed. Returns parameters shifted so that the reference benchmark's difficulty is 0.
    Needs one row per (model, benchmark)."""
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    B = w.shape[0]
    nm, nb = d.n_models, d.n_bench
    rho = lam / (nm + 2 * nb - 1)
    C0, D0, A0 = start if start is not None else initial(d)
    C = np.tile(np.asarray(C0, float), (B, 1))
    D = np.tile(np.asarray(D0, float), (B, 1))
    A = np.tile(np.asarray(A0, float), (B, 1))
    A[:, d.ref] = 1.0
    free = np.ones(nb)
    free[d.ref] = 0.0
    pairs = _pairs(d)
    mu = np.full(B, 1e-3)
    loss, r, s = _objective(d, w, C, D, A, rho)
    done = np.zeros(B, dtype=bool)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007  (it is reported)
        a = np.flatnonzero(~done)
        Cn, Dn, An = _step(d, w[a], C[a], D[a], A[a], r[a], s[a], mu[a], rho, free, pairs)
        ln, rn, sn = _objective(d, w[a], Cn, Dn, An, rho)
        ok = ln < loss[a]
        gain = np.where(ok, (loss[a] - ln) / np.maximum(loss[a], 1e-300), 0.0)
        moved = np.maximum(np.abs(Cn - C[a]).max(1), np.abs(Dn - D[a]).max(1))
        moved = np.maximum(moved, np.abs(An - A[a]).max(1))
        acc = a[ok]
        C[acc], D[acc], A[acc] = Cn[ok], Dn[ok], An[ok]
        r[acc], s[acc], loss[acc] = rn[ok], sn[ok], ln[ok]
        mu[a] = np.where(ok, np.maximum(mu[a] / 3, 1e-9), mu[a] * 4)
        done[a] = (ok & ((gain < tol) | (moved < xtol))) | (mu[a] > 1e8)
        if done.all():
            break
    shift = D[:, d.ref].copy()
    return IRTParams(C - shift[:, None], D - shift[:, None], A, loss, it, done)


def _scatter(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Per-draw sums of values (B, n) into `size` bins by index (n,)."""
    B = values.shape[0]
    flat = (index[None, :] + size * np.arange(B)[:, None]).ravel()
    return np.bincount(flat, values.ravel(), B * size).reshape(B, size)


def bootstrap_weights(model: np.ndarray, n_models: int, n_boot: int,
                      rng: np.random.Generator) -> np.ndarray:
    """Row weights (n_boot, n) for resampling each model's rows with replacement: every model
    keeps its number of rows, drawn from its own rows."""
    n = len(model)
    order = np.argsort(model, kind="stable")
    cnt = np.bincount(model, minlength=n_models)
    start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
    m_sorted = model[order]
    u = rng.random((n_boot, n))
    pick = start[m_sorted] + np.floor(u * cnt[m_sorted]).astype(np.int64)
    rows = order[pick]  # (n_boot, n) original row ids
    flat = (rows + n * np.arange(n_boot)[:, None]).ravel()
    return np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n).astype(float)
