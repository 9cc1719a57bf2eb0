"""The IsoFLOP experiment (Hoffmann et al. 2022, approach 2) at home: for a few compute budgets
spaced ~3x, train several model sizes each with the tokens that make 6 N D equal the budget,
then find each budget's best size (see isofit.py).

``design`` is pure: from the seconds per step of each ladder shape (the speed probe, or given)
it picks the smallest budget C1 so that the whole grid fits the wall-clock budget, and for each
budget the sizes nearest to a wide grid around the family's prior for the best tokens per
parameter (IsoFamily.centre_tpp); the parabola then finds the minimum wherever it lies.
``run`` trains the grid into a folder, resumable like ``dlrev lab run``:

    isoflop.json            what was asked and designed (corpus, device, budgets, runs)
    runs/<run>.json         one finished run (<run> = c<k>-<model>): N, D, C, loss, curve
    runs/<run>.ckpt         a run still in training
    results.json            every run and the fits (isofit.analyse)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlrev import jsonio
from dlrev.errors import DlrevError
from dlrev.lab import device as dev
from dlrev.lab import isofit, utilisation
from dlrev.lab.corpus import Corpus
from dlrev.lab.families import ISO_FAMILIES, IsoFamily
from dlrev.lab.results import check_kind, read, refuse_other_kind
from dlrev.lab.spec import ModelSpec

FORMAT = 1
Event = Callable[[str, dict], None]


@dataclass
class IsoRun:
    key: str  # "c<k>-<model>"
    budget: int  # index of the compute budget
    compute: float  # the nominal budget C (FLOP)
    spec: ModelSpec  # with the steps that give D = C / 6N
    params: int
    tokens: int  # steps x batch x context (the nominal D rounded to whole steps)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "budget": self.budget, "compute": self.compute,
                "spec": self.spec.to_dict(), "params": self.params, "tokens": self.tokens}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> IsoRun:
        return cls(d["key"], d["budget"], d["compute"], ModelSpec.from_dict(d["spec"]),
                   d["params"], d["tokens"])


@dataclass
class Design:
    family: str
    context: int
    batch: int
    computes: list[float]
    runs: list[IsoRun]
    estimated_s: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "context": self.context, "batch": self.batch,
                "computes": self.computes, "runs": [r.to_dict() for r in self.runs],
                "estimated_s": self.estimated_s, "notes": self.notes}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Design:
        return cls(d["family"], d["context"], d["batch"], list(d["computes"]),
                   [IsoRun.from_dict(r) for r in d["runs"]], d.get("estimated_s"),
                   list(d.get("notes", [])))


def grid(fam: IsoFamily, c1: float, vocab: int, n_budgets: int = 3, per_budget: int = 5,
         ratio: float = 3.0, speeds: dict[str, float] | None = None) -> list[IsoRun]:
    """The runs for budgets c1 * ratio^k: per budget the ``per_budget`` ladder shapes nearest (in
    log N) to N* spread^j, N* = sqrt(C / (6 * centre_tpp)) and j centred on 0, keeping only
    shapes that train at least ``fam.min_steps`` steps (and, given ``speeds``, were probed)."""
    tokens_per_step = fam.batch * fam.context
    sizes = [(m, m.params(vocab, fam.context)) for m in fam.ladder
             if speeds is None or m.name in speeds]
    runs: list[IsoRun] = []
    for k in range(n_budgets):
        c = c1 * ratio**k
        usable = [(m, n) for m, n in sizes if c / (6 * n) / tokens_per_step >= fam.min_steps]
        centre = math.sqrt(c / (6 * fam.centre_tpp))
        targets = [math.log(centre) + (j - (per_budget - 1) / 2) * math.log(fam.spread)
                   for j in range(per_budget)]
        chosen: list[tuple[ModelSpec, int]] = []
        for t in targets:
            free = [s for s in usable if s not in chosen]
            if free:
                chosen.append(min(free, key=lambda s: abs(math.log(s[1]) - t)))
        for m, n in sorted(chosen, key=lambda s: s[1]):
            steps = max(1, round(c / (6 * n) / tokens_per_step))
            runs.append(IsoRun(f"c{k}-{m.name}", k, c, m.with_steps(steps), n,
                               steps * tokens_per_step))
    return runs


# the share of a wall-clock budget (after the probe) the grid is planned to fill: step times on
# a shared 2-core machine ran 5-25 % over the probe's (benchmarks/README.md), and the budget is
# a promise
PLAN_SHARE = 0.9


def cost(runs: list[IsoRun], seconds_per_step: dict[str, float], fam: IsoFamily,
         fixed_s: float = 1.0, warmup: dict[str, float] | None = None) -> float:
    """Projected seconds: the steps, plus the evaluations (a forward pass is about a third of a
    training step per character), a fixed second per run and each run's warm-up (on a GPU,
    torch.compile's compilation, measured by the probe)."""
    tps = fam.batch * fam.context
    total = 0.0
    for r in runs:
        sps = seconds_per_step[r.spec.name]
        evals = sps / tps / 3 * (fam.eval_points * fam.eval_tokens + fam.final_eval_tokens)
        total += r.spec.steps * sps + evals + fixed_s + (warmup or {}).get(r.spec.name, 0.0)
    return total


def design(fam: IsoFamily, budget_s: float | None, seconds_per_step: dict[str, float] | None,
           vocab: int, *, compute: float | None = None, n_budgets: int = 3,
           per_budget: int = 5, ratio: float = 3.0, spent_s: float = 0.0,
           warmup: dict[str, float] | None = None) -> Design:
    """The grid for a wall-clock budget (the largest C1 whose grid fits), or for a given
    smallest compute budget ``compute``; refuses when fewer than four sizes fit a budget.
    When five sizes per budget cannot fit the time, four are tried before refusing.
    ``spent_s`` of the budget are already gone (the speed probe). The grid is planned to
    ``PLAN_SHARE`` of the rest, since a shared machine's step times wander."""
    if budget_s is not None:
        budget_s = (budget_s - spent_s) * PLAN_SHARE
    if compute is None and per_budget > 4:
        try:
            return _design(fam, budget_s, seconds_per_step, vocab, None, n_budgets, per_budget,
                           ratio, spent_s, warmup)
        except DlrevError:
            d = _design(fam, budget_s, seconds_per_step, vocab, None, n_budgets, 4, ratio,
                        spent_s, warmup)
            d.notes.append(f"to fit the time, 4 sizes per compute budget instead of "
                           f"{per_budget}")
            return d
    return _design(fam, budget_s, seconds_per_step, vocab, compute, n_budgets, per_budget, ratio,
                   spent_s, warmup)


def _design(fam: IsoFamily, budget_s: float | None, seconds_per_step: dict[str, float] | None,
            vocab: int, compute: float | None, n_budgets: int, per_budget: int,
            ratio: float, spent_s: float = 0.0,
            warmup: dict[str, float] | None = None) -> Design:
    larger = "--compute" if compute is not None or budget_s is None else "--budget"
    if compute is None:
        if budget_s is None or seconds_per_step is None:
            raise DlrevError("an IsoFLOP run needs a wall-clock --budget or a --compute")

        def valid(log_c: float) -> bool:
            runs = grid(fam, math.exp(log_c), vocab, n_budgets, per_budget, ratio,
                        seconds_per_step)
            return all(sum(1 for r in runs if r.budget == k) >= 4 for k in range(n_budgets))

        def fits(log_c: float) -> bool:
            runs = grid(fam, math.exp(log_c), vocab, n_budgets, per_budget, ratio,
                        seconds_per_step)
            return valid(log_c) and cost(runs, seconds_per_step, fam, warmup=warmup) <= budget_s

        lo = math.log(1e5)
        while not valid(lo) and lo < math.log(1e22):
            lo += math.log(1.25)
        if not fits(lo):
            need = cost(grid(fam, math.exp(lo), vocab, n_budgets, per_budget, ratio,
                             seconds_per_step),
                        seconds_per_step, fam, warmup=warmup)
            probe = f", after {spent_s:.0f} s of speed probe" if spent_s >= 1 else ""
            raise DlrevError(
                f"a budget of {budget_s / PLAN_SHARE + spent_s:.0f} s is too small for an "
                f"IsoFLOP grid of {n_budgets} compute budgets with 4 or more sizes each on this "
                f"machine (the smallest takes about {need:.0f} s{probe}); give at least "
                f"--budget {math.ceil((need / PLAN_SHARE + spent_s) / 60)}m")
        hi = math.log(1e22)
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid)
        unit = 10.0 ** (math.floor(lo / math.log(10)) - 1)
        compute = math.floor(math.exp(lo) / unit) * unit  # two digits, rounded down
        while compute > unit and not fits(math.log(compute)):  # the rounding moved a size
            compute -= unit
    runs = grid(fam, compute, vocab, n_budgets, per_budget, ratio, seconds_per_step)
    d = Design(fam.name, fam.context, fam.batch, [compute * ratio**k for k in range(n_budgets)],
               runs)
    for k, c in enumerate(d.computes):
        n = sum(1 for r in runs if r.budget == k)
        if n < 4:
            raise DlrevError(
                f"the compute budget {c:.2g} FLOP gets only {n} model sizes from the {fam.name} "
                f"ladder that train at least {fam.min_steps} steps (an IsoFLOP curve needs 4); "
                f"give a larger {larger}")
    if seconds_per_step is not None:
        d.estimated_s = cost(runs, seconds_per_step, fam, warmup=warmup)
    return d


@dataclass
class IsoConfig:
    budget: str | None = "10m"
    device: str = "auto"
    family: str | None = None  # None: 'gpu' on a GPU, 'cpu' otherwise
    compute: float | None = None  # the smallest compute budget, instead of planning from time
    seed: int = 0
    threads: int | None = None
    compile: bool | None = None
    n_budgets: int = 3
    per_budget: int = 5
    n_boot: int = 200


def run(corpus: Corpus, out: Path, cfg: IsoConfig, on_event: Event | None = None) -> dict:
    """Train the IsoFLOP grid into ``out`` (resuming what is there); return results.json's data."""
    from dlrev.lab.sweep import probe_speed
    from dlrev.lab.train import TrainConfig, save_atomic, train_model, use_compile

    emit = on_event or (lambda kind, info: None)
    device = dev.resolve_device(cfg.device)
    name = cfg.family or ("gpu" if device.startswith("cuda") else "cpu")
    if name not in ISO_FAMILIES:
        raise DlrevError(f"--family {name!r} is not one of {', '.join(ISO_FAMILIES)}")
    fam = ISO_FAMILIES[name]
    budget_s = dev.parse_budget(cfg.budget)
    corpus.check_context(fam.context)
    rank, world = dev.rank_world()  # under torchrun the runs are split over the processes
    out = Path(out)
    manifest_path = out / "isoflop.json"
    if out.exists() and not out.is_dir():
        raise DlrevError(f"--out {out} exists and is not a folder")
    refuse_other_kind(out, "isoflop.json")  # before the probe writes or trains anything
    t_start = time.perf_counter()
    threads, why = (dev.choose_threads(cfg.threads) if device == "cpu"
                    else (dev._torch().get_num_threads(), "GPU run"))
    emit("threads", {"threads": threads, "reason": why})
    dev.barrier()
    previous = read(manifest_path) if manifest_path.is_file() else None
    if previous is not None:
        for key, now in (("family", fam.name), ("seed", cfg.seed),
                         ("corpus_sha256", corpus.sha256), ("device_type", device.split(":")[0])):
            # (any number of processes may resume: each run is trained by one process alone)
            if previous.get(key) != now:
                raise DlrevError(f"{manifest_path} holds a run with {key} {previous.get(key)!r}, "
                                 f"not {now!r}; resume it with the same settings or choose "
                                 f"another --out")
        the_design = Design.from_dict(previous["design"])
        emit("resume", {"done": sorted(p.stem for p in (out / "runs").glob("*.json"))})
    else:
        speeds: dict[str, float] | None = None
        warmup: dict[str, float] | None = None
        if cfg.compute is None:
            emit("probe", {"models": len(fam.ladder)})
            speeds, warmup = {}, {}
            for m in fam.ladder:  # smallest first; stop at a shape too slow for any grid
                speeds.update(probe_speed(corpus, fam.context, fam.batch, [m], device,
                                          cfg.compile, warmup=warmup))
                if budget_s is not None and speeds[m.name] * fam.min_steps > budget_s / 12:
                    break
        the_design = design(fam, budget_s, speeds, corpus.vocab_size, compute=cfg.compute,
                            n_budgets=cfg.n_budgets, per_budget=cfg.per_budget,
                            spent_s=time.perf_counter() - t_start + 5,  # +5: the fits
                            warmup=warmup)
        if rank == 0:
            jsonio.write_json(manifest_path, {
                "format": FORMAT, "kind": "isoflop", "family": fam.name, "seed": cfg.seed,
                "corpus": corpus.to_dict(), "corpus_sha256": corpus.sha256, "device": device,
                "device_type": device.split(":")[0], "device_name": utilisation.device_name(device),
                "world_size": world, "threads": threads,
                "threads_reason": why, "budget_s": budget_s, "torch": dev._torch().__version__,
                "seconds_per_step": speeds, "warmup_s": warmup, "design": the_design.to_dict(),
                "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "notes": list(corpus.notes)},
                indent=1)
    dev.barrier()
    if rank != 0 and previous is None:
        the_design = Design.from_dict(read(manifest_path)["design"])
    emit("design", the_design.to_dict())

    tcfg = TrainConfig(context=fam.context, batch=fam.batch, eval_points=fam.eval_points,
                       eval_tokens=fam.eval_tokens, final_eval_tokens=fam.final_eval_tokens,
                       seed=cfg.seed, device=device, sample_chars=0, data_parallel=False)
    done: list[dict] = []
    for i, r in enumerate(the_design.runs):
        path = out / "runs" / f"{r.key}.json"
        if path.is_file():
            done.append(read(path))
            emit("skip", {"key": r.key})
            continue
        if i % world != rank:  # another process trains this one
            continue
        ckpt = out / "runs" / f"{r.key}.ckpt"
        emit("run_start", {"key": r.key, "index": i, "of": len(the_design.runs),
                           "steps": r.spec.steps, "compute": r.compute, "params": r.params})

        def progress(step: int, steps: int, info: dict, _key: str = r.key) -> None:
            emit("step", {"key": _key, "step": step, "steps": steps, **info})

        tcfg.compile = use_compile(r.spec, device, cfg.compile)
        result, state = train_model(r.spec, corpus.train, corpus.val, corpus.vocab_size, tcfg,
                                    checkpoint=ckpt, progress=progress)
        row = {"key": r.key, "budget": r.budget, "compute": r.compute, "N": r.params,
               "D": r.tokens, "C": 6.0 * r.params * r.tokens,
               "epochs": r.tokens / max(1, len(corpus.train)), **result.to_dict()}
        row.update(threads=threads, rank=rank, world_size=world)
        save_atomic({"spec": r.spec.to_dict(), "vocab": corpus.chars, "context": fam.context,
                     "state_dict": state}, out / "runs" / f"{r.key}.pt")
        jsonio.write_json(path, row, indent=1)
        ckpt.unlink(missing_ok=True)
        done.append(row)
        emit("run_done", row)
    dev.barrier()  # every process has written its runs
    if world > 1:
        if rank != 0:
            return {"rank": rank}
        done = [read(out / "runs" / f"{r.key}.json") for r in the_design.runs]

    results_path = out / "results.json"
    if results_path.is_file() and len(done) == len(the_design.runs) and all(
            "key" in r for r in done):
        previous_summary = read(results_path)  # finished before: the same runs, the same fits
        if [r["key"] for r in previous_summary.get("runs", [])] == [r["key"] for r in done]:
            emit("done", previous_summary)
            return previous_summary
    manifest = read(manifest_path)
    analysis = isofit.analyse(done, the_design.computes, n_boot=cfg.n_boot, seed=cfg.seed,
                              corpus_chars=len(corpus.train))
    summary = {"format": FORMAT, "kind": "isoflop", "manifest": manifest, "runs": done,
               **analysis, "seconds": time.perf_counter() - t_start,
               "utilisation": utilisation.of_largest(done, manifest.get("device_name"))}
    if rank == 0:
        jsonio.write_json(results_path, summary, indent=1)
    emit("done", summary)
    return summary


def is_isoflop(folder: str | Path) -> bool:
    return (Path(folder) / "isoflop.json").is_file()


def load(folder: str | Path) -> dict:
    """An IsoFLOP folder read back: results.json when finished, otherwise the analysis of the
    runs done so far (``complete`` says which)."""
    folder = Path(folder)
    manifest_path = folder / "isoflop.json"
    if not manifest_path.is_file():
        raise DlrevError(f"{folder} is not an IsoFLOP folder (it has no isoflop.json); make one "
                         f"with `dlrev lab isoflop --out {folder}`")
    check_kind(folder, "isoflop.json")
    if (folder / "results.json").is_file():
        done = read(folder / "results.json")
        if "utilisation" not in done:  # written before the lab reported it
            done["utilisation"] = utilisation.of_largest(
                done.get("runs", []), done.get("manifest", {}).get("device_name"))
        return {**done, "folder": str(folder), "complete": True}
    manifest = read(manifest_path)
    runs = [read(p) for p in sorted((folder / "runs").glob("*.json"))]
    computes = manifest["design"]["computes"]
    chars = manifest.get("corpus", {}).get("train_characters")
    return {"format": FORMAT, "kind": "isoflop", "manifest": manifest, "runs": runs,
            **isofit.analyse(runs, computes, n_boot=0, corpus_chars=chars),
            "utilisation": utilisation.of_largest(runs, manifest.get("device_name")),
            "folder": str(folder), "complete": False}
