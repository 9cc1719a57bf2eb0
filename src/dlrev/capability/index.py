"""The capability index: the item-response fit, its bootstrap, and Epoch's published scale.

    >>> from dlrev.stitching import read_stitching
    >>> from dlrev import capability
    >>> t = read_stitching(folder)
    >>> idx = capability.fit_index(capability.prepare(t.scores, t.models))
    >>> idx.models.head()        # model, name, date, eci, eci_low, eci_high, ...

Scale: eci = offset + scale * C, with the two anchor models at 130 and 150 (Claude 3.5 Sonnet of
June 2024 and GPT-5 at medium effort, as Epoch publishes); difficulties map the same way and
slopes are divided by `scale`. Intervals: percentile bootstrap over each model's benchmark rows,
each draw refitted in full and shifted so the reference benchmark's difficulty is 0, then put on
the scale by the point estimate's map (as Epoch's code does), so the anchors have intervals too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.capability.data import CLIP, FitInput
from dlrev.capability.irt import IRTData, bootstrap_weights, fit_irt
from dlrev.errors import DlrevError

REFERENCE = "Winogrande"
ANCHORS: tuple[tuple[str, float], tuple[str, float]] = (
    ("claude-3-5-sonnet-20240620", 130.0), ("gpt-5-2025-08-07_medium", 150.0))
LAMBDA = 0.1
BOOTSTRAP = 500
SEED = 12345
CI = 0.9
CHUNK = 100  # bootstrap draws fitted together (memory: CHUNK x models x 2 benchmarks doubles)


@dataclass
class CapabilityIndex:
    """The fitted index. models: model, name, date, n_benchmarks, capability (raw scale), eci,
    eci_low, eci_high. benchmarks: benchmark, chance, n_models, difficulty, slope (raw), edi,
    edi_low, edi_high, slope_eci (per index point), reference."""

    models: pd.DataFrame
    benchmarks: pd.DataFrame
    offset: float
    scale: float
    reference: str
    anchors: list[tuple[str, float]]
    lam: float
    bootstrap: int
    seed: int
    ci: float
    counts: dict[str, int]
    settings: dict[str, Any]
    converged: bool
    boot_converged: int = 0
    rmse: float = math.nan
    boot_C: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    boot_D: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    boot_A: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)

    def to_eci(self, capability: Any) -> Any:
        return self.offset + self.scale * np.asarray(capability, dtype=float)

    @property
    def interval_method(self) -> str:
        if not self.bootstrap:
            return "no interval (bootstrap = 0)"
        return (f"{round(self.ci * 100)}% percentile bootstrap: {self.bootstrap} draws, each "
                f"model's benchmark rows resampled with replacement, full refit per draw, "
                f"seed {self.seed}")

    def model(self, key: str) -> pd.Series:
        """One model's row, by Epoch's model id or display name."""
        hit = self.models[(self.models["model"] == key) | (self.models["name"] == key)]
        if hit.empty:
            raise DlrevError(f"no model {key!r} in the capability index.")
        return hit.iloc[0]

    def to_dict(self) -> dict[str, Any]:
        from dlrev.jsonio import plain

        return plain({
            "method": {
                "model": "score = sigmoid(slope_b * (C_m - D_b)), least squares, L2 penalty "
                         f"{self.lam} x |params|^2 / n_params",
                "reference_benchmark": self.reference,
                "scale": {"offset": self.offset, "per_raw_unit": self.scale,
                          "anchors": [{"model": m, "eci": v} for m, v in self.anchors]},
                "interval": self.interval_method, "ci": self.ci, "score_clip": CLIP,
                "converged": self.converged, "bootstrap_converged": self.boot_converged,
                "rmse": self.rmse, **self.settings},
            "counts": self.counts,
            "models": self.models.sort_values("eci", ascending=False),
            "benchmarks": self.benchmarks.sort_values("edi"),
        })


def _irt_data(inp: FitInput, reference: str) -> tuple[IRTData, list[str], list[str]]:
    models = list(inp.models["model"])
    benches = list(inp.benchmarks["benchmark"])
    if reference not in benches:
        raise DlrevError(f"the reference benchmark {reference!r} has no usable scores; the "
                         f"index needs it (benchmarks present: {', '.join(sorted(benches))}).")
    mi = pd.Index(models).get_indexer(inp.rows["model"])
    bi = pd.Index(benches).get_indexer(inp.rows["benchmark"])
    y = np.clip(inp.rows["y"].to_numpy(dtype=float), CLIP, 1 - CLIP)
    return IRTData(mi, bi, y, len(models), len(benches), benches.index(reference)), models, benches


def fit_index(inp: FitInput, reference: str = REFERENCE,
              anchors: tuple[tuple[str, float], tuple[str, float]] = ANCHORS, lam: float = LAMBDA,
              bootstrap: int = BOOTSTRAP, seed: int = SEED, ci: float = CI) -> CapabilityIndex:
    """Fit the index on prepared rows (see capability.prepare); pure and deterministic."""
    if not 0 < ci < 1:
        raise DlrevError(f"the interval level must be between 0 and 1 (got {ci}).")
    if bootstrap < 0:
        raise DlrevError(f"the number of bootstrap draws cannot be negative (got {bootstrap}).")
    d, models, benches = _irt_data(inp, reference)
    pos = {m: i for i, m in enumerate(models)}
    for m, _ in anchors:
        if m not in pos:
            raise DlrevError(f"the anchor model {m!r} is not in the fit (it needs scores on "
                             f"{inp.settings.get('min_benchmarks', 4)} benchmarks), so the index "
                             f"cannot be put on Epoch's scale.")
    point = fit_irt(d, np.ones((1, len(d.y))), lam=lam)
    C, D, A = point.C[0], point.D[0], point.A[0]
    (m_lo, v_lo), (m_hi, v_hi) = anchors
    gap = C[pos[m_hi]] - C[pos[m_lo]]
    if not gap > 0:
        raise DlrevError(f"the anchor {m_hi!r} does not score above {m_lo!r} on the raw scale, "
                         f"so the two anchors cannot set Epoch's scale.")
    scale = (v_hi - v_lo) / gap
    offset = v_lo - scale * C[pos[m_lo]]
    pred = 1 / (1 + np.exp(-A[d.bench] * (C[d.model] - D[d.bench])))
    rmse = float(np.sqrt(np.mean((pred - d.y) ** 2)))

    rng = np.random.default_rng(seed)
    bC, bD, bA, ok = [], [], [], 0
    for start in range(0, bootstrap, CHUNK):
        n = min(CHUNK, bootstrap - start)
        w = bootstrap_weights(d.model, d.n_models, n, rng)
        p = fit_irt(d, w, lam=lam, start=(C, D, A))
        bC.append(p.C)
        bD.append(p.D)
        bA.append(p.A)
        ok += int(p.converged.sum())
    boot_C = np.vstack(bC) if bC else np.empty((0, len(C)))
    boot_D = np.vstack(bD) if bD else np.empty((0, len(D)))
    boot_A = np.vstack(bA) if bA else np.empty((0, len(A)))
    lo_q, hi_q = 50 * (1 - ci), 50 * (1 + ci)

    def band(samples: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        if not len(samples):
            return np.full(n, np.nan), np.full(n, np.nan)
        q = np.percentile(samples, [lo_q, hi_q], axis=0)
        return offset + scale * q[0], offset + scale * q[1]

    m = inp.models.set_index("model").loc[models].reset_index()
    m["capability"] = C
    m["eci"] = offset + scale * C
    m["eci_low"], m["eci_high"] = band(boot_C, len(C))
    b = inp.benchmarks.set_index("benchmark").loc[benches].reset_index()
    b["difficulty"], b["slope"] = D, A
    b["edi"] = offset + scale * D
    b["edi_low"], b["edi_high"] = band(boot_D, len(D))
    b["slope_eci"] = A / scale
    b["reference"] = [x == reference for x in benches]
    return CapabilityIndex(
        models=m, benchmarks=b, offset=float(offset), scale=float(scale), reference=reference,
        anchors=[(a, float(v)) for a, v in anchors], lam=lam, bootstrap=bootstrap, seed=seed,
        ci=ci, counts=dict(inp.counts), settings=dict(inp.settings),
        converged=bool(point.converged[0]), boot_converged=ok, rmse=rmse,
        boot_C=boot_C, boot_D=boot_D, boot_A=boot_A)
