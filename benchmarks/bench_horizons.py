"""Time horizons: all agents x 1,000 hierarchical bootstrap draws, dlrev's batched Newton solve
against the per-draw scikit-learn loop METR's pipeline runs (one LogisticRegression per agent
per draw). Goal: the whole set in under 10 s on 2 cores.

Data: METR's task_results_1_1.yaml from $DLREV_SHARED when present (23 agents x 228 tasks),
else a synthetic file of the same shape. The peer fits the SAME draws (same seed), so the two
also agree number for number; it is timed on a slice of draws and scaled to 1,000.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dlrev import horizons
from dlrev.metr import MetrResults, read_metr

N_BOOT = 1000
PEER_DRAWS = 20


def load() -> tuple[MetrResults, str]:
    shared = Path(os.environ.get("DLREV_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    f = shared / "data" / "metr" / "task_results_1_1.yaml"
    if f.exists():
        return read_metr(f), "METR task_results_1_1.yaml"
    rng = np.random.default_rng(0)
    n_t, fams = 228, rng.integers(0, 79, 228)
    minutes = np.exp2(rng.uniform(-3, 11, n_t))
    rows = []
    for a in range(23):
        icpt = 1 + 0.2 * a
        p = 1 / (1 + np.exp(-(icpt - 0.6 * np.log2(minutes))))
        for t in range(n_t):
            rows.append({"agent": f"agent {a}", "task_id": f"f{fams[t]}/t{t}",
                         "human_minutes": minutes[t], "n_successes": rng.binomial(6, p[t]),
                         "n_runs": 6, "task_weight": 1.0, "family": f"f{fams[t]}"})
    tasks = pd.DataFrame(rows)
    agents = pd.DataFrame({"agent": [f"agent {a}" for a in range(23)],
                           "release_date": pd.date_range("2023-01-01", periods=23, freq="45D"),
                           "coefficient": np.nan, "intercept": np.nan, "n_tasks": n_t})
    return MetrResults(agents, tasks, "synthetic"), "synthetic (23 agents x 228 tasks)"


def sklearn_loop(data: horizons.HorizonData, draws: horizons.Draws, n: int) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    out = np.full((n, len(data.agents)), np.nan)
    x = data.x
    for b in range(n):
        for a in range(len(data.agents)):
            runs = draws.multiplicity[b] * data.runs[a]
            s = draws.successes[b, a]
            w = data.weight[a]
            if s.sum() in (0, runs.sum()):
                continue
            xx = np.concatenate([x, x])[:, None]
            yy = np.r_[np.ones(len(x)), np.zeros(len(x))]
            ww = np.concatenate([s * w, (runs - s) * w])
            keep = ww > 0
            m = LogisticRegression(C=1 / horizons.REGULARIZATION)
            m.fit(xx[keep], yy[keep], sample_weight=ww[keep])
            out[b, a] = horizons.horizon_minutes(m.coef_[0][0], m.intercept_[0], 0.5)
    return out


def main() -> None:
    res, label = load()
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"data: {label}; {len(res.agents)} agents, {N_BOOT} draws, cores: {os.cpu_count()}, "
          f"load average {busy:.1f}")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        fit = horizons.fit_horizons(res, bootstrap=N_BOOT, seed=42)
        times.append(time.perf_counter() - t)
    t_ours = min(times)
    data = horizons.prepare(res)
    t = time.perf_counter()
    draws = horizons.draw_bootstrap(data, N_BOOT, seed=42)
    t_draw = time.perf_counter() - t
    from threadpoolctl import threadpool_limits

    t = time.perf_counter()
    with threadpool_limits(1):  # one thread per small fit: oversubscription only slows it
        peer = sklearn_loop(data, draws, PEER_DRAWS)
    t_peer = (time.perf_counter() - t) * N_BOOT / PEER_DRAWS
    ours = fit.boot_p50[:PEER_DRAWS]
    both = np.isfinite(ours) & np.isfinite(peer)
    rel = np.abs(ours[both] / peer[both] - 1).max()
    print(f"  dlrev fit_horizons (all agents x {N_BOOT} draws, incl. draws) "
          f"{t_ours:7.2f} s  (goal < 10 s; draws alone {t_draw:.2f} s)")
    print(f"  scikit-learn loop, same draws (timed on {PEER_DRAWS}, scaled) "
          f"{t_peer:7.2f} s  ratio {t_peer / t_ours:5.1f}x")
    print(f"  agreement on the {PEER_DRAWS} shared draws: max relative p50 difference {rel:.1e}")


if __name__ == "__main__":
    main()
