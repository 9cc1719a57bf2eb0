"""Benchmark: the 4,500-start Chinchilla fit and a 1,000-resample bootstrap, dlrev vs scipy loop.

Peer: a per-start loop of scipy.optimize.minimize(method="L-BFGS-B") on the same summed
Huber objective (delta 1e-3, log-sum-exp prediction of log L) - the way public replication
code runs Hoffmann et al.'s grid - here given an analytic gradient (jac=True), which makes the
peer faster than with finite differences. The loop is timed on a sample of the grid's starts
(default a random 450 of the 4,500) and scaled to 4,500; pass --full to run
them all. Both must reach the same best objective. Prints both numbers and the ratio.

    .venv/bin/python benchmarks/bench_scaling.py [--full] [--peer-starts 450]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from dlrev import scaling
from dlrev.scaling import laws

SHARED = Path(os.environ.get("DLREV_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CSV = SHARED / "data" / "chinchilla" / "svg_extracted_data.csv"
DELTA = 1e-3


def peer_objective(p: np.ndarray, log_n: np.ndarray, log_d: np.ndarray,
                   log_l: np.ndarray) -> tuple[float, np.ndarray]:
    """One start's summed Huber loss and gradient, written plainly with numpy."""
    e, a, b, alpha, beta = p
    terms = np.stack([a - alpha * log_n, b - beta * log_d, np.full_like(log_n, e)])
    m = terms.max(axis=0)
    w = np.exp(terms - m)
    z = w.sum(axis=0)
    r = m + np.log(z) - log_l
    w /= z
    ar = np.abs(r)
    f = np.where(ar <= DELTA, 0.5 * r * r, DELTA * (ar - 0.5 * DELTA)).sum()
    psi = np.clip(r, -DELTA, DELTA)
    g = np.array([(psi * w[2]).sum(), (psi * w[0]).sum(), (psi * w[1]).sum(),
                  -(psi * w[0] * log_n).sum(), -(psi * w[1] * log_d).sum()])
    return float(f), g


def peer_fit(starts: np.ndarray, log_n: np.ndarray, log_d: np.ndarray,
             log_l: np.ndarray) -> tuple[float, np.ndarray]:
    best_f, best_x = np.inf, starts[0]
    for x0 in starts:
        res = minimize(peer_objective, x0, args=(log_n, log_d, log_l), jac=True,
                       method="L-BFGS-B")
        if res.fun < best_f:
            best_f, best_x = float(res.fun), res.x
    return best_f, best_x


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="run the peer on all 4,500 starts")
    ap.add_argument("--peer-starts", type=int, default=450)
    ap.add_argument("--peer-resamples", type=int, default=50)
    args = ap.parse_args()
    if not CSV.is_file():
        print(f"skipped: {CSV} not found (set DLREV_SHARED)")
        return 0
    runs = scaling.runs_from_frame(pd.read_csv(CSV), drop_highest_loss=5)
    log_n, log_d, log_l = np.log(runs.N), np.log(runs.D), np.log(runs.loss)
    grid = laws.lse_grid(2)  # [e, a, b, alpha, beta], 4,500 rows

    # Warm up both sides once (imports, thread pool, first-call costs) on a small problem.
    scaling.fit_power(runs.N[:20], runs.loss[:20])
    minimize(peer_objective, grid[1], args=(log_n, log_d, log_l), jac=True, method="L-BFGS-B")

    t0 = time.perf_counter()
    ours = scaling.fit_runs(runs, "chinchilla")
    t_ours = time.perf_counter() - t0

    # A random sample of the grid (a fixed stride would alias with the grid's 5- and 6-value axes).
    n_sub = grid.shape[0] if args.full else min(args.peer_starts, grid.shape[0])
    sub = grid[np.sort(np.random.default_rng(0).permutation(grid.shape[0])[:n_sub])]
    t0 = time.perf_counter()
    peer_f, peer_x = peer_fit(sub, log_n, log_d, log_l)
    t_peer_sub = time.perf_counter() - t0
    t_peer = t_peer_sub * grid.shape[0] / sub.shape[0]

    print(f"4,500-start Chinchilla fit on {len(runs)} points")
    print(f"  dlrev (batched L-BFGS, one solve):      {t_ours:8.2f} s   objective "
          f"{ours.info.objective:.10f}  E={ours.E:.4f} A={ours.A:.1f} B={ours.B:.1f} "
          f"alpha={ours.alpha:.4f} beta={ours.beta:.4f}")
    what = "all starts" if n_sub == grid.shape[0] else f"{n_sub} random starts timed, scaled"
    print(f"  scipy minimize loop ({what}): {t_peer:8.2f} s   objective {peer_f:.10f}  "
          f"E={np.exp(peer_x[0]):.4f} alpha={peer_x[3]:.4f} beta={peer_x[4]:.4f}")
    print(f"  ratio (scipy / dlrev): {t_peer / t_ours:.1f}x   goal: >= 20x and dlrev < 5 s")

    # Bootstrap: 1,000 resamples, each refit from the point estimate.
    t0 = time.perf_counter()
    th, ok = laws.bootstrap("lse", np.log(np.stack([runs.N, runs.D])), runs.loss,
                            np.array([np.log(ours.E), np.log(ours.A), np.log(ours.B),
                                      ours.alpha, ours.beta]), 1000, seed=42)
    t_boot = time.perf_counter() - t0
    rng = np.random.default_rng(42)
    x_hat = np.array([np.log(ours.E), np.log(ours.A), np.log(ours.B), ours.alpha, ours.beta])
    t0 = time.perf_counter()
    for _ in range(args.peer_resamples):
        i = rng.integers(0, len(runs), len(runs))
        minimize(peer_objective, x_hat, args=(log_n[i], log_d[i], log_l[i]), jac=True,
                 method="L-BFGS-B")
    t_peer_boot = (time.perf_counter() - t0) * 1000 / args.peer_resamples
    print("1,000-resample bootstrap")
    print(f"  dlrev (one batched solve):              {t_boot:8.2f} s   "
          f"{int(ok.sum())} converged; se(E)={np.std(np.exp(th[ok, 0]), ddof=1):.4f}")
    print(f"  scipy loop ({args.peer_resamples} resamples timed, scaled): {t_peer_boot:8.2f} s")
    print(f"  ratio (scipy / dlrev): {t_peer_boot / t_boot:.1f}x   goal: dlrev < 60 s")
    same = abs(peer_f - ours.info.objective) <= 1e-9 * max(1.0, abs(peer_f))
    if not same and peer_f < ours.info.objective:
        print("FAILED: the scipy loop found a lower objective than dlrev")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
