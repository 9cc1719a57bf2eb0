"""The capability index's bootstrap: dlrev's batched solver against scipy.optimize.least_squares
refitting one draw at a time (Epoch's own way: trf, bounds, warm start at the point fit), same
run, same draws, on Epoch's benchmark-stitching tables.

Prints the seconds per draw of each, the speed-up, and how far apart the two answers are (the
largest difference in any model's index, in index points). BENCH_DRAWS sets the draws the peer
refits (default 2: each takes minutes); dlrev fits the same draws, then the full 500 draws of
`dlrev capability`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from dlrev import capability
from dlrev.capability.index import _irt_data
from dlrev.capability.irt import bootstrap_weights, fit_irt
from dlrev.stitching import read_stitching

SHARED = Path(os.environ.get("DLREV_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FOLDER = SHARED / "data" / "benchmarks" / "epoch-benchmark-stitching"
DRAWS = int(os.environ.get("BENCH_DRAWS", "2"))
LAM = 0.1


def scipy_draw(d, w, start, lam=LAM, analytic=False):
    """One bootstrap draw refitted by least_squares: Epoch's settings (finite-difference
    Jacobian), or with the exact Jacobian (a stronger peer)."""
    nm, nb, ref = d.n_models, d.n_bench, d.ref
    rho = lam / (nm + 2 * nb - 1)
    sw = np.sqrt(w)
    free = np.arange(nb) != ref

    def res(t):
        c, dd = t[:nm], t[nm:nm + nb]
        a = np.ones(nb)
        a[free] = t[nm + nb:]
        r = sw * (1 / (1 + np.exp(-a[d.bench] * (c[d.model] - dd[d.bench]))) - d.y)
        return np.r_[r, np.sqrt(rho) * np.r_[c, dd, a[free]]]

    def jac(t):
        c, dd = t[:nm], t[nm:nm + nb]
        a = np.ones(nb)
        a[free] = t[nm + nb:]
        s = 1 / (1 + np.exp(-a[d.bench] * (c[d.model] - dd[d.bench])))
        q = sw * s * (1 - s)
        n = len(d.y)
        free_pos = np.cumsum(free) - 1  # column of each free slope
        J = np.zeros((n + nm + 2 * nb - 1, nm + 2 * nb - 1))
        rows = np.arange(n)
        J[rows, d.model] = q * a[d.bench]
        J[rows, nm + d.bench] = -q * a[d.bench]
        hasa = free[d.bench]
        J[rows[hasa], nm + nb + free_pos[d.bench[hasa]]] = (
            q * (c[d.model] - dd[d.bench]))[hasa]
        J[n + np.arange(nm + 2 * nb - 1), np.arange(nm + 2 * nb - 1)] = np.sqrt(rho)
        return J

    C0, D0, A0 = start
    lo = np.r_[np.full(nm + nb, -10.0), np.full(nb - 1, 0.1)]
    hi = np.r_[np.full(nm + nb, 10.0), np.full(nb - 1, 10.0)]
    sol = least_squares(res, np.r_[C0, D0, A0[free]], bounds=(lo, hi), method="trf",
                        jac=jac if analytic else "2-point")
    return sol.x[:nm] - sol.x[nm + ref]


def main() -> int:
    if not FOLDER.is_dir():
        print(f"skip: {FOLDER} not found (set DLREV_SHARED)")
        return 0
    t = read_stitching(FOLDER)
    inp = capability.prepare(t.scores, t.models)
    d, _, _ = _irt_data(inp, capability.REFERENCE)
    t0 = time.perf_counter()
    point = fit_irt(d, np.ones((1, len(d.y))))
    t_point = time.perf_counter() - t0
    start = (point.C[0], point.D[0], point.A[0])
    w = bootstrap_weights(d.model, d.n_models, DRAWS, np.random.default_rng(1))
    t0 = time.perf_counter()
    peer = np.vstack([scipy_draw(d, w[k], start) for k in range(DRAWS)])
    t_peer = (time.perf_counter() - t0) / DRAWS
    t0 = time.perf_counter()
    exact = np.vstack([scipy_draw(d, w[k], start, analytic=True) for k in range(DRAWS)])
    t_exact = (time.perf_counter() - t0) / DRAWS
    t0 = time.perf_counter()
    ours = fit_irt(d, w, start=start)
    t_same = (time.perf_counter() - t0) / DRAWS
    t0 = time.perf_counter()
    idx = capability.fit_index(inp, bootstrap=500)
    t_full = time.perf_counter() - t0
    scale = idx.scale
    gap = float(np.abs(peer - ours.C).max() * scale)
    gap_exact = float(np.abs(exact - ours.C).max() * scale)
    print(f"tables: {len(d.y)} scores, {d.n_models} models, {d.n_bench} benchmarks")
    print(f"point fit (dlrev)                       {t_point:8.2f} s")
    print(f"scipy least_squares, per draw (peer)    {t_peer:8.2f} s   ({DRAWS} draws)")
    print(f"  the same with the exact Jacobian      {t_exact:8.2f} s")
    print(f"dlrev batched, per draw (same draws)    {t_same:8.2f} s")
    print(f"dlrev fit_index, 500 draws in all       {t_full:8.2f} s   "
          f"({t_full / 500:.3f} s per draw)")
    print(f"speed-up per draw (500-draw run)        {t_peer / (t_full / 500):8.1f}x "
          f"(exact-Jacobian peer: {t_exact / (t_full / 500):.1f}x)")
    print(f"largest difference, any model, any draw {gap:8.3f} index points "
          f"(exact-Jacobian peer: {gap_exact:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
