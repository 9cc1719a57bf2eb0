"""Trend engine speed: dlrev's batched bootstrap and breakpoint search against per-resample loops.

1. 10,000 bootstrap refits of a 500-point log-linear fit: dlrev.trends.bootstrap_ols (one batched
   computation) against the obvious loop that public ETL code uses (numpy.linalg.lstsq per
   resample; scikit-learn's LinearRegression too when it is installed). Goal: >= 50x faster
   than the loop and under 0.1 s.
2. breakpoints(k=2, 1,000 resamples) on ~530 systems (Epoch's file when ../shared has it, else
   synthetic): goal under 2 s. Peer: a brute-force loop (lstsq per candidate per resample) timed
   on a few resamples and scaled.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dlrev import trends


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_bootstrap(n: int = 500, n_boot: int = 10_000) -> None:
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(2010, 2026, n))
    y = 0.64 * x - 1270 + rng.normal(0, 1.6, n)

    def ours() -> np.ndarray:
        return trends.bootstrap_ols(x, y, n_boot, np.random.default_rng(1))[0]

    def lstsq_loop() -> np.ndarray:
        g = np.random.default_rng(1)
        a = np.column_stack([np.ones(n), x])
        out = np.empty(n_boot)
        for b in range(n_boot):
            i = g.integers(0, n, n)
            out[b] = np.linalg.lstsq(a[i], y[i], rcond=None)[0][1]
        return out

    t_ours = best_of(ours, 5)
    t_loop = best_of(lstsq_loop, 1)
    s_ours, s_loop = ours(), lstsq_loop()
    print(f"bootstrap: {n_boot} refits of a {n}-point log-linear fit")
    print(f"  dlrev batched            {t_ours * 1000:9.1f} ms")
    print(f"  numpy lstsq loop         {t_loop * 1000:9.1f} ms   ratio {t_loop / t_ours:6.1f}x")
    print(f"  slope s.d.: dlrev {np.std(s_ours):.5f}, loop {np.std(s_loop):.5f}")
    t_sk: float | None = None
    try:
        from sklearn.linear_model import LinearRegression  # type: ignore[import-not-found]
    except ImportError:
        print("  scikit-learn loop        (not installed)")
    else:
        def sk_loop() -> None:
            g = np.random.default_rng(1)
            xx = x[:, None]
            for _ in range(n_boot):
                i = g.integers(0, n, n)
                LinearRegression().fit(xx[i], y[i])

        t_sk = best_of(sk_loop, 1)
        print(f"  scikit-learn loop        {t_sk * 1000:9.1f} ms   ratio {t_sk / t_ours:6.1f}x")
    print(f"  goal < 0.1 s: {'met' if t_ours < 0.1 else 'NOT met'}; goal >= 50x the loop: "
          f"{'met' if t_loop / t_ours >= 50 else 'NOT met'} against the lstsq loop"
          + ("" if t_sk is None else
             f", {'met' if t_sk / t_ours >= 50 else 'NOT met'} against the scikit-learn loop"))


def _systems() -> tuple[pd.DataFrame, str]:
    shared = Path(os.environ.get("DLREV_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    f = shared / "data" / "epoch" / "notable_ai_models.csv"
    if f.exists():
        import dlrev

        return dlrev.read_epoch(f).systems, "Epoch notable_ai_models.csv"
    rng = np.random.default_rng(2)
    x = np.sort(rng.uniform(1950, 2026, 530))
    y = 3 + 0.18 * (x - 1950) + 0.46 * np.clip(x - 2010, 0, None) + rng.normal(0, 1.5, 530)
    return pd.DataFrame({"name": [f"s{i}" for i in range(530)], "year": x,
                         "compute": 10**y}), "synthetic, 530 systems"


def bench_breakpoints() -> None:
    systems, label = _systems()
    print(f"\nbreakpoints on {label}")
    for k in (1, 2):
        for model in ("continuous", "separate"):
            t = best_of(lambda k=k, model=model: trends.breakpoints(
                systems, k=k, bootstrap=1000, model=model), 2)
            print(f"  dlrev k={k} {model:<10} 1000 resamples {t:7.2f} s")
    data, _ = trends.prepare(systems)
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    from dlrev.trends.breakpoints import _quarter_candidates

    cands = _quarter_candidates(x, 0.25)
    n = len(x)

    def brute(n_res: int) -> None:
        g = np.random.default_rng(0)
        for _ in range(n_res):
            i = g.integers(0, n, n)
            xb, yb = x[i], y[i]
            for t in cands:
                a = np.column_stack([np.ones(n), xb, np.clip(xb - t, 0, None)])
                np.linalg.lstsq(a, yb, rcond=None)

    few = 5
    t_b = best_of(lambda: brute(few), 1) / few
    t_ours = best_of(lambda: trends.breakpoints(systems, k=1, bootstrap=1000), 2)
    print(f"  k=1 continuous, per-resample loop of lstsq over {len(cands)} dates: "
          f"{t_b * 1000:.1f} s per 1000 resamples (scaled from {few}); dlrev {t_ours:.2f} s; "
          f"ratio {t_b * 1000 / t_ours:.0f}x")
    t2 = best_of(lambda: trends.breakpoints(systems, k=2, bootstrap=1000), 2)
    print(f"  goal (k=2, 1000 resamples < 2 s): {'met' if t2 < 2 else 'NOT met'} ({t2:.2f} s)")


def main() -> int:
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    bench_bootstrap()
    bench_breakpoints()
    return 0


if __name__ == "__main__":
    sys.exit(main())
