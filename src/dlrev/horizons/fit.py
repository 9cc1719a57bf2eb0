"""Per-agent time horizons as METR fits them, with a batched hierarchical bootstrap.

Each agent: a weighted logistic regression of run success on log2(human minutes); each run
weighs its task's weight over the task's number of runs, normalised to sum to 1 over the
agent's runs; METR's regularisation (scikit-learn's C = 1/regularization; 1e-5 in Time Horizon
1.1's headline settings). The p% horizon is the task length where the fitted success is p%.

The bootstrap resamples task families, then tasks within each drawn family, then runs within
each agent x task, jointly for all agents (METR's "ftr" hierarchy). With per-task aggregates
the run level is exact in distribution: drawing c * n runs with replacement from a pool of
c copies of a task's n runs (k successes) gives Binomial(c * n, k / n) successes. So one draw is
a vector of task multiplicities (families, then tasks) and a matrix of success counts, and all
agents x draws are refitted in one batched Newton solve.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.horizons.logistic import fit_logistic, horizon_minutes
from dlrev.jsonio import plain
from dlrev.metr import MetrResults

REGULARIZATION = 1e-5  # th-1-1_figs.yaml, figs.wrangle_logistic.headline (METR @ 52cb829)
WEIGHTINGS = ("invsqrt", "file", "equal")
CHUNK = 1024  # problems (agent x draw) per Newton batch


@dataclass
class HorizonData:
    """A results file as arrays: A agents x T tasks (runs 0 where an agent lacks a task)."""

    agents: list[str]
    release: list[pd.Timestamp | None]
    task_ids: list[str]
    family: np.ndarray  # (T,) family index of each task
    families: list[str]
    minutes: np.ndarray  # (T,) human minutes
    runs: np.ndarray  # (A, T) int
    successes: np.ndarray  # (A, T) int
    weight: np.ndarray  # (A, T) weight of ONE run; each agent's runs sum to 1
    file_coef: np.ndarray  # (A,) METR's recorded values (NaN where absent)
    file_intercept: np.ndarray
    weighting: str
    notes: list[str] = field(default_factory=list)

    @property
    def x(self) -> np.ndarray:
        return np.log2(self.minutes)


def prepare(res: MetrResults, weighting: str = "invsqrt") -> HorizonData:
    """Arrays for the fit. weighting 'invsqrt' (METR's headline): a task weighs 1/sqrt(k), k the
    agent's tasks in its family; 'file': the file's task_weight (the same, rounded to 3
    decimals); 'equal': every task weighs 1."""
    if weighting not in WEIGHTINGS:
        raise DlrevError(f"unknown weighting {weighting!r}; choose {', '.join(WEIGHTINGS)}.")
    t = res.tasks
    agents = list(res.agents["agent"])
    task_ids = sorted(t["task_id"].unique())
    ti = pd.Index(task_ids).get_indexer(t["task_id"])
    ai = pd.Index(agents).get_indexer(t["agent"])
    mins = t.groupby("task_id", sort=True)["human_minutes"].agg(["first", "min", "max"])
    notes: list[str] = []
    spread = (mins["max"] / mins["min"]).to_numpy()
    if (spread > 1 + 1e-9).any():
        notes.append(f"{int((spread > 1 + 1e-9).sum())} task(s) have different human minutes "
                     "for different agents; the first value is used.")
    fam_names = sorted(t["family"].unique())
    fam_of_task = t.drop_duplicates("task_id").set_index("task_id")["family"]
    family = pd.Index(fam_names).get_indexer(fam_of_task.loc[task_ids])
    n_a, n_t = len(agents), len(task_ids)
    runs = np.zeros((n_a, n_t), dtype=np.int64)
    succ = np.zeros((n_a, n_t), dtype=np.int64)
    tw = np.zeros((n_a, n_t))
    runs[ai, ti] = t["n_runs"].to_numpy()
    succ[ai, ti] = t["n_successes"].to_numpy()
    if weighting == "file":
        tw[ai, ti] = t["task_weight"].to_numpy()
    else:
        tw[ai, ti] = 1.0
        if weighting == "invsqrt":
            has = (runs > 0).astype(float)
            per_family = np.zeros((n_a, len(fam_names)))
            np.add.at(per_family.T, family, has.T)
            k = per_family[:, family]
            with np.errstate(divide="ignore"):
                tw = np.where(runs > 0, 1.0 / np.sqrt(np.maximum(k, 1.0)), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(runs > 0, tw / np.maximum(runs, 1), 0.0)
    w /= (w * runs).sum(axis=1, keepdims=True)
    rel = [None if pd.isna(d) else pd.Timestamp(d) for d in res.agents["release_date"]]
    return HorizonData(agents, rel, task_ids, family, fam_names,
                       mins["first"].to_numpy(dtype=float), runs, succ, w,
                       res.agents["coefficient"].to_numpy(dtype=float),
                       res.agents["intercept"].to_numpy(dtype=float), weighting, notes)


# --- the bootstrap draws ----------------------------------------------------------------------

@dataclass
class Draws:
    """B hierarchical bootstrap draws: task multiplicities (B, T) and successes (B, A, T)."""

    multiplicity: np.ndarray
    successes: np.ndarray
    seed: int

    @property
    def n(self) -> int:
        return int(self.multiplicity.shape[0])


def draw_bootstrap(data: HorizonData, n_boot: int, seed: int = 42) -> Draws:
    """Families with replacement, then tasks within each drawn family copy, then runs within
    each agent x task (as Binomial counts); the same families and tasks for every agent."""
    rng = np.random.default_rng(seed)
    n_f, n_t = len(data.families), len(data.task_ids)
    fam_count = rng.multinomial(n_f, np.full(n_f, 1.0 / n_f), size=n_boot)  # (B, F)
    mult = np.zeros((n_boot, n_t), dtype=np.int64)
    for f in range(n_f):
        members = np.flatnonzero(data.family == f)
        k = len(members)
        # c copies of a family, each drawing k of its tasks, is one multinomial of c * k draws.
        mult[:, members] = rng.multinomial(fam_count[:, f] * k, np.full(k, 1.0 / k))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(data.runs > 0, data.successes / np.maximum(data.runs, 1), 0.0)
    succ = rng.binomial(mult[:, None, :] * data.runs[None, :, :], p[None, :, :])
    return Draws(mult, succ.astype(np.int32), seed)


def fit_draws(data: HorizonData, draws: Draws, reg: float = REGULARIZATION,
              start: tuple[np.ndarray, np.ndarray] | None = None, workers: int | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """Slopes and intercepts (B, A) of every agent on every draw; NaN where a draw leaves the
    agent with only successes or only failures (METR skips those) or the solve fails.

    Weights are not renormalised within a draw (as METR's bootstrap). Blocks of problems run on
    up to `workers` threads (numpy releases the GIL in this work); results do not depend on it."""
    n_b, n_a = draws.n, len(data.agents)
    x = data.x
    runs_drawn = draws.multiplicity @ data.runs.T  # (B, A) total runs per agent and draw
    s_tot = draws.successes.sum(axis=2)
    usable = ((s_tot > 0) & (s_tot < runs_drawn)).reshape(-1)
    slopes = np.full(n_b * n_a, np.nan)
    inters = np.full(n_b * n_a, np.nan)
    idx = np.flatnonzero(usable)
    blocks = [idx[lo:lo + CHUNK] for lo in range(0, len(idx), CHUNK)]

    def block(sel: np.ndarray) -> None:
        bi, ai = np.divmod(sel, n_a)
        w = data.weight[ai]
        succ = draws.successes[bi, ai]
        pos = succ * w
        neg = (draws.multiplicity[bi] * data.runs[ai] - succ) * w
        st = None if start is None else (start[0][ai], start[1][ai])
        b, a, ok = fit_logistic(x, pos, neg, reg, start=st)
        slopes[sel] = np.where(ok, b, np.nan)
        inters[sel] = np.where(ok, a, np.nan)

    workers = workers or min(os.cpu_count() or 1, 2)
    if workers > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(block, blocks))
    else:
        for sel in blocks:
            block(sel)
    return slopes.reshape(n_b, n_a), inters.reshape(n_b, n_a)


# --- results ----------------------------------------------------------------------------------

@dataclass
class AgentHorizon:
    """One agent's fit. Horizons are in human minutes; intervals are bootstrap percentiles."""

    agent: str
    release_date: str | None
    n_tasks: int
    n_runs: int
    n_successes: int
    coefficient: float
    intercept: float
    file_coefficient: float
    file_intercept: float
    p50: float
    p50_low: float
    p50_high: float
    p80: float
    p80_low: float
    p80_high: float
    bootstrap_used: int  # draws that gave the agent a fit
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return plain(dict(self.__dict__))  # type: ignore[no-any-return]


@dataclass
class HorizonFit:
    """Every agent's horizons, keyed by the agent's name in the file, and the settings used."""

    agents: list[AgentHorizon]
    settings: dict[str, Any]
    source: str
    notes: list[str] = field(default_factory=list)
    boot_p50: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    boot_p80: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)

    def agent(self, name: str) -> AgentHorizon:
        for a in self.agents:
            if a.agent == name:
                return a
        raise DlrevError(f"no agent named {name!r} in {self.source}.")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([a.to_dict() for a in self.agents])

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "settings": self.settings, "notes": self.notes,
                "agents": {a.agent: a.to_dict() for a in self.agents}}


def _pct(samples: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = 50 * (1 - ci), 50 * (1 + ci)
    with np.errstate(all="ignore"):
        ok = np.isfinite(samples).any(axis=0)
        out = np.full((2, samples.shape[1]), np.nan)
        if ok.any():
            out[:, ok] = np.nanpercentile(samples[:, ok], [lo, hi], axis=0)
    return out[0], out[1]


def fit_horizons(res: MetrResults, bootstrap: int = 1000, seed: int = 42, ci: float = 0.95,
                 reg: float = REGULARIZATION, weighting: str = "invsqrt") -> HorizonFit:
    """Fit every agent in `res`: coefficient, intercept, 50% and 80% horizons with hierarchical
    bootstrap intervals (`bootstrap` draws, percentile interval at level `ci`)."""
    if not 0 < ci < 1:
        raise DlrevError(f"the interval level must lie between 0 and 1 (got {ci}).")
    if bootstrap < 0:
        raise DlrevError(f"the number of bootstrap draws must be >= 0 (got {bootstrap}).")
    data = prepare(res, weighting)
    pos = data.successes * data.weight
    neg = (data.runs - data.successes) * data.weight
    slope, inter, ok = fit_logistic(data.x, pos, neg, reg)
    all_fail = data.successes.sum(axis=1) == 0
    all_pass = data.successes.sum(axis=1) == data.runs.sum(axis=1)
    p50 = horizon_minutes(slope, inter, 0.5)
    p80 = horizon_minutes(slope, inter, 0.8)
    p50[all_fail], p80[all_fail] = 0.0, 0.0  # METR: an agent that never succeeds has horizon 0
    slope[all_fail] = -np.inf
    p50[all_pass], p80[all_pass] = np.inf, np.inf  # no task too long for it: unbounded
    slope[all_pass], inter[all_pass] = np.nan, np.nan
    boot50 = boot80 = np.empty((0, len(data.agents)))
    if bootstrap:
        draws = draw_bootstrap(data, bootstrap, seed)
        bs, bi = fit_draws(data, draws, reg, start=(np.where(ok, slope, 0.0),
                                                    np.where(ok, inter, 0.0)))
        boot50, boot80 = horizon_minutes(bs, bi, 0.5), horizon_minutes(bs, bi, 0.8)
    lo50, hi50 = _pct(boot50, ci) if bootstrap else (p50 * np.nan, p50 * np.nan)
    lo80, hi80 = _pct(boot80, ci) if bootstrap else (p80 * np.nan, p80 * np.nan)
    used = np.isfinite(boot50).sum(axis=0) if bootstrap else np.zeros(len(data.agents), int)
    out = []
    for i, name in enumerate(data.agents):
        note = ("never succeeds: horizon 0 (as METR)" if all_fail[i] else
                "always succeeds: no finite horizon" if all_pass[i] else
                "" if ok[i] else "the solve did not converge")
        rel = data.release[i]
        out.append(AgentHorizon(
            name, rel.date().isoformat() if rel is not None else None,
            int((data.runs[i] > 0).sum()), int(data.runs[i].sum()),
            int(data.successes[i].sum()), float(slope[i]), float(inter[i]),
            float(data.file_coef[i]), float(data.file_intercept[i]), float(p50[i]),
            float(lo50[i]), float(hi50[i]), float(p80[i]), float(lo80[i]), float(hi80[i]),
            int(used[i]), note))
    settings = {
        "model": "logistic regression of run success on log2(human minutes)",
        "weighting": {"invsqrt": "invsqrt_task_weight: task weight 1/sqrt(tasks of the agent in "
                                 "its family), split evenly over the task's runs",
                      "file": "the file's task_weight (1/sqrt(k) rounded to 3 decimals), split "
                              "evenly over the task's runs",
                      "equal": "equal_task_weight: every task weighs 1, split evenly over its "
                               "runs"}[weighting] + "; normalised to sum 1 per agent",
        "regularization": reg, "sklearn_C": 1.0 / reg, "intercept_penalised": False,
        "success_percents": [50, 80], "bootstrap": bootstrap, "seed": seed, "ci": ci,
        "interval_method": (f"{round(ci * 100)}% percentile interval of {bootstrap} hierarchical "
                            "bootstrap draws: task families, then tasks within families, then "
                            "runs within agent x task, jointly for all agents; weights not "
                            "renormalised; draws where an agent has only successes or only "
                            "failures are skipped for that agent") if bootstrap else "none",
        "units": "human minutes",
    }
    return HorizonFit(out, settings, res.source, [*res.notes, *data.notes],
                      boot50, boot80)
