"""The IsoFLOP analysis, pure (no torch, no files): Hoffmann et al. 2022's approach 2 and 3 on
the lab's runs, set beside the published answers.

* per compute budget, a parabola of loss in log10 N (approach 2) whose vertex is the best size;
  its 95 % interval comes from the delta method on the fitted coefficients (t with n - 3 degrees
  of freedom), so four sizes give a wide one and five a usable one;
* across budgets, N_opt = k C^a by least squares in log-log space; D_opt = C / (6 N_opt), so
  b = 1 - a. The interval on a is a parametric bootstrap that redraws every budget's vertex
  from its own interval and refits the line;
* over all runs, L(N, D) = E + A / N^alpha + B / D^beta through dlrev.scaling (approach 3), whose
  compute-optimal split gives a = beta / (alpha + beta) with a bootstrap interval;
* tokens per parameter at the optimum, next to Chinchilla's ~20 and Kaplan's recipe.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats

PUBLISHED: dict[str, dict[str, Any]] = {
    "hoffmann_approach1": {"label": "Hoffmann et al. approach 1", "a": 0.50, "a_low": 0.488,
                           "a_high": 0.502, "b": 0.50, "b_low": 0.501, "b_high": 0.512},
    "hoffmann_approach2": {"label": "Hoffmann et al. approach 2 (IsoFLOP)", "a": 0.49,
                           "a_low": 0.462, "a_high": 0.534, "b": 0.51, "b_low": 0.483,
                           "b_high": 0.529},
    "hoffmann_approach3": {"label": "Hoffmann et al. approach 3", "a": 0.46, "a_low": 0.454,
                           "a_high": 0.455, "b": 0.54, "b_low": 0.542, "b_high": 0.543},
    "kaplan": {"label": "Kaplan et al. 2020", "a": 0.73, "a_low": None, "a_high": None,
               "b": 0.27, "b_low": None, "b_high": None},
}
PUBLISHED_SOURCE = ("Hoffmann et al. 2022, 'Training Compute-Optimal Large Language Models' "
                    "(arXiv:2203.15556), Table 2: intervals are 10th-90th bootstrap percentiles; "
                    "Kaplan et al. 2020 (arXiv:2001.08361) as transcribed there")
TOKENS_PER_PARAM_REF: dict[str, dict[str, Any]] = {
    "chinchilla": {"value": 20.0, "label": "Chinchilla: 70B parameters on 1.4T tokens",
                   "source": "Hoffmann et al. 2022 (arXiv:2203.15556)"},
    "kaplan": {"value": 1.7, "label": "GPT-3, sized by Kaplan's recipe: 175B parameters on "
                                      "300B tokens", "source": "Brown et al. 2020 "
                                                               "(arXiv:2005.14165)"},
}
HOFFMANN_ISOFLOP: dict[str, Any] = {"compute_low": 6e18, "compute_high": 3e21, "params_low": 7e7,
                    "source": "Hoffmann et al. 2022, Figure 3 (IsoFLOP budgets and sizes)"}


def parabola(n: Any, loss: Any) -> dict[str, Any]:
    """loss = p2 x^2 + p1 x + p0 with x = log10 N; the vertex and its 95 % interval."""
    x = np.log10(np.asarray(n, float))
    y = np.asarray(loss, float)
    out: dict[str, Any] = {"n_points": int(x.size), "coef": None, "N_opt": None, "N_low": None,
                           "N_high": None, "loss_opt": None, "log10_N_se": None, "r2": None,
                           "at_edge": False, "note": ""}
    if x.size < 3:
        out["note"] = "fewer than three sizes: no parabola"
        return out
    X = np.stack([x**2, x, np.ones_like(x)], axis=1)
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    p2, p1, p0 = (float(v) for v in coef)
    resid = y - X @ coef
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    out["coef"] = [p2, p1, p0]
    out["r2"] = 1 - float(resid @ resid) / ss_tot if ss_tot > 0 else None
    xv = -p1 / (2 * p2) if p2 > 0 else math.inf
    if not abs(xv - float(x.mean())) < 6:  # no upward curve, or one too flat to place
        out["note"] = "the losses do not curve upward: no minimum at this budget"
        return out
    out["N_opt"] = 10**xv
    out["loss_opt"] = p0 - p1**2 / (4 * p2)
    dof = x.size - 3
    if dof > 0:
        cov = float(resid @ resid) / dof * np.linalg.inv(X.T @ X)
        g = np.array([p1 / (2 * p2**2), -1 / (2 * p2), 0.0])
        se = math.sqrt(max(float(g @ cov @ g), 0.0))
        half = float(stats.t.ppf(0.975, dof)) * se
        out.update(log10_N_se=se, N_low=10 ** (xv - half), N_high=10 ** (xv + half))
    if not x.min() <= xv <= x.max():
        out["at_edge"] = True
        out["note"] = "the minimum lies outside the sizes tried (extrapolated)"
    return out


def _tpp(c: float, n: float | None) -> float | None:
    return None if n is None else c / (6.0 * n * n)


def exponent(computes: Any, n_opt: Any, se: Any, n_draws: int = 4000,
             seed: int = 0) -> dict[str, Any]:
    """N_opt = k C^a by least squares in log10 space; a's interval by redrawing each vertex."""
    lc = np.log10(np.asarray(computes, float))
    ln = np.log10(np.asarray(n_opt, float))
    a, lk = (float(v) for v in np.polyfit(lc, ln, 1))
    out: dict[str, Any] = {"a": a, "b": 1 - a, "log10_k": lk, "n_budgets": int(lc.size),
                           "a_low": None, "a_high": None, "b_low": None, "b_high": None,
                           "method": "least squares of log N_opt on log C; 95% interval from "
                                     f"{n_draws} redraws of every budget's vertex"}
    se_arr = np.asarray(se, float)
    if lc.size >= 2 and np.all(np.isfinite(se_arr)):
        rng = np.random.default_rng(seed)
        draws = ln[None, :] + rng.standard_normal((n_draws, lc.size)) * se_arr[None, :]
        cm = lc - lc.mean()
        slopes = (draws - draws.mean(axis=1, keepdims=True)) @ cm / float(cm @ cm)
        lo, hi = (float(v) for v in np.percentile(slopes, [2.5, 97.5]))
        out.update(a_low=lo, a_high=hi, b_low=1 - hi, b_high=1 - lo)
        mid = float(lc.mean())
        n_mid = (draws.mean(axis=1) + slopes * (mid - lc.mean()))
        tpp = 10**mid / (6 * 10 ** (2 * n_mid))
        out["tokens_per_param"] = {
            "compute": 10**mid, "value": 10**mid / (6 * 10 ** (2 * (lk + a * mid))),
            "low": float(np.percentile(tpp, 2.5)), "high": float(np.percentile(tpp, 97.5))}
    else:
        out["tokens_per_param"] = {"compute": 10 ** float(lc.mean()),
                                   "value": 10 ** float(lc.mean())
                                   / (6 * 10 ** (2 * (lk + a * float(lc.mean())))),
                                   "low": None, "high": None}
    return out


def approach3(runs: list[dict], computes: list[float], n_boot: int, seed: int) -> dict[str, Any]:
    """L(N, D) over all runs with dlrev.scaling, and the compute-optimal split it implies."""
    import pandas as pd

    from dlrev.errors import DlrevError
    from dlrev.scaling import fit, optimal

    df = pd.DataFrame({"N": [r["N"] for r in runs], "D": [r["D"] for r in runs],
                       "loss": [r["val_loss"] for r in runs]})
    try:
        with np.errstate(all="ignore"):  # a few bootstrap resamples run off to infinity
            f = fit(df, "chinchilla", n_boot=n_boot, seed=seed)
    except DlrevError as exc:
        return {"ok": False, "note": str(exc)}
    out: dict[str, Any] = {"ok": True, **f.to_dict(), "optima": []}  # type: ignore[union-attr]
    draws = getattr(f, "draws", None)
    a_draws = None
    if draws is not None and len(draws["alpha"]):
        al, be = draws["alpha"], draws["beta"]
        a_draws = be / (al + be)
        out["a_low"], out["a_high"] = (float(v) for v in np.percentile(a_draws, [2.5, 97.5]))
        out["b_low"], out["b_high"] = 1 - out["a_high"], 1 - out["a_low"]
    for c in computes:
        try:
            o = optimal(f, c)
        except DlrevError as exc:
            out["note"] = str(exc)
            break
        row = {"compute": c, "N": o.N, "D": o.D, "tokens_per_param": o.tokens_per_param,
               "loss": o.loss, "low": None, "high": None}
        if draws is not None and a_draws is not None:
            al, be, A, B = draws["alpha"], draws["beta"], draws["A"], draws["B"]
            with np.errstate(all="ignore"):
                g = (al * A / (be * B)) ** (1 / (al + be))
                n = g * (c / 6) ** a_draws
                d = (c / 6) ** (1 - a_draws) / g
            with np.errstate(all="ignore"):
                ok = np.isfinite(d / n) & (n > 0)
            if ok.any():
                row["low"], row["high"] = (float(v) for v in np.percentile((d / n)[ok],
                                                                           [2.5, 97.5]))
        out["optima"].append(row)
    return out


def caveat(runs: list[dict], computes: list[float], corpus_chars: int | None) -> str:
    """How far these runs can speak to the frontier's answer, in numbers from the runs."""
    ns = [r["N"] for r in runs] or [0]
    epochs = max((r["D"] / corpus_chars for r in runs), default=0.0) if corpus_chars else None
    gap = math.log10(float(HOFFMANN_ISOFLOP["compute_low"]) / max(computes)) if computes else 0
    text = (f"These are character-level models of {min(ns):,.0f} to {max(ns):,.0f} parameters with "
            f"compute budgets of {min(computes):.1e} to {max(computes):.1e} FLOP: the smallest "
            f"of Hoffmann et al.'s IsoFLOP budgets ({HOFFMANN_ISOFLOP['compute_low']:.0e} FLOP) "
            f"is {gap:.0f} orders of magnitude larger, and their smallest model "
            f"({HOFFMANN_ISOFLOP['params_low']:.0e} parameters) is larger than any here. ")
    if epochs is not None:
        text += (f"The longest run reads the training text {epochs:.1f} times, where Chinchilla's "
                 f"runs saw each token about once; ")
    text += ("a character carries a few times less information than a subword token, and "
             "embeddings are a large share of these small models' parameters. So the method "
             "transfers (a U-shaped loss at fixed compute whose minimum moves to larger models "
             "as compute grows, and exponents that can be compared), but the number of tokens "
             "per parameter measured here is this corpus's and this scale's answer, not a "
             "test of Chinchilla's 20.")
    return text


def analyse(runs: list[dict], computes: list[float], *, n_boot: int = 200, seed: int = 0,
            corpus_chars: int | None = None, joint: bool = True) -> dict[str, Any]:
    """Approach 2 per budget and across budgets, approach 3 over all runs (unless ``joint`` is
    False), and the references. ``runs`` rows need budget (index), N, D, val_loss."""
    budgets = []
    notes: list[str] = []
    for k, c in enumerate(computes):
        rows = sorted((r for r in runs if r["budget"] == k), key=lambda r: r["N"])
        p = parabola([r["N"] for r in rows], [r["val_loss"] for r in rows])
        b = {"budget": k, "compute": c, "n_runs": len(rows), **p,
             "points": [{"N": r["N"], "D": r["D"], "loss": r["val_loss"]} for r in rows],
             "D_opt": None if p["N_opt"] is None else c / (6 * p["N_opt"]),
             "tokens_per_param": _tpp(c, p["N_opt"]), "tpp_low": _tpp(c, p["N_high"]),
             "tpp_high": _tpp(c, p["N_low"])}
        if p["note"] and rows:
            notes.append(f"budget {c:.2g} FLOP: {p['note']}")
        budgets.append(b)
    good = [b for b in budgets if b["N_opt"] is not None and not b["at_edge"]]
    exps = None
    if len(good) >= 2:
        exps = exponent([b["compute"] for b in good], [b["N_opt"] for b in good],
                        [b["log10_N_se"] if b["log10_N_se"] is not None else math.nan
                         for b in good], seed=seed)
    elif runs:
        notes.append("fewer than two budgets have a minimum inside their sizes, so no exponent")
    a3 = approach3(runs, computes, n_boot, seed) if len(runs) > 5 and joint else {
        "ok": False, "note": "approach 3 needs more than five runs" if joint else "not fitted"}
    return {"budgets": budgets, "exponents": exps, "approach3": a3, "published": PUBLISHED,
            "published_source": PUBLISHED_SOURCE, "tokens_per_param_ref": TOKENS_PER_PARAM_REF,
            "caveat": caveat(runs, computes, corpus_chars) if runs else "", "notes": notes}
