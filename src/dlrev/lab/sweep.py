"""The resumable sweep: train a family into a folder, skipping what is done, and fit the laws.

A lab folder holds:

    lab.json            what was asked and planned: corpus, family, seed, device, threads, models
    ngram.json          the Kneser-Ney baselines (loss per order, table size, a sample)
    runs/<name>.json    one finished neural model: loss curve, final loss, speed, sample
    runs/<name>.pt      its trained weights
    runs/<name>.ckpt    a model still in training (removed once it finishes)
    results.json        the summary: every model, the power-law fits, the compute frontier

Every file is written atomically (dlrev.jsonio), so an interrupted run leaves only whole files;
running the same command again skips what is finished and resumes the model in progress.
The families are in families.py, the budget plan in plan.py, the device and threads in
device.py, one training run in train.py, the fits in results.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dlrev import jsonio
from dlrev.errors import DlrevError
from dlrev.lab import device as dev
from dlrev.lab import utilisation
from dlrev.lab.corpus import Corpus
from dlrev.lab.families import FAMILIES, family_of
from dlrev.lab.ngram import evaluate_family
from dlrev.lab.plan import Plan, plan
from dlrev.lab.results import FORMAT, read, refuse_other_kind, summarize
from dlrev.lab.spec import ModelSpec

Event = Callable[[str, dict], None]
__all__ = ["FAMILIES", "Event", "LabConfig", "prompt_ids", "probe_speed", "run"]


@dataclass
class LabConfig:
    family: str = "default"
    budget: str | None = "5m"
    device: str = "auto"
    seed: int = 0
    threads: int | None = None
    steps: int | None = None  # force this many steps for every neural model
    compile: bool | None = None  # None: on for CUDA GPTs of width 128+, off on CPU
    probe: bool = True
    only: list[str] | None = None  # train only these models of the family


def prompt_ids(corpus: Corpus) -> list[int]:
    """The prompt every model continues: a newline (or the text's first character)."""
    first = "\n" if "\n" in corpus.chars else corpus.chars[0]
    return corpus.encode(first)


def probe_speed(corpus: Corpus, context: int, batch: int, models: list[ModelSpec], device: str,
                compile: bool | None = None, probe_steps: int = 3,
                warmup: dict[str, float] | None = None) -> dict[str, float]:
    """Seconds per optimizer step of each model, timed on the training step itself; the
    one-off warm-up (compilation) of each goes into ``warmup`` when given."""
    from dlrev.lab.train import TrainConfig, time_steps, use_compile

    out = {}
    for m in models:
        cfg = TrainConfig(context=context, batch=batch, device=device,
                          compile=use_compile(m, device, compile))
        out[m.name], warm = time_steps(m, corpus.train, corpus.vocab_size, cfg, probe_steps)
        if warmup is not None:
            warmup[m.name] = warm
    return out


def _check_manifest(previous: dict, expected: dict, path: Path) -> None:
    for key, now in expected.items():
        if previous.get(key) != now:
            raise DlrevError(
                f"{path} holds a run with {key} {previous.get(key)!r}, not {now!r}; "
                f"resume it with the same settings or choose another --out")


def run(corpus: Corpus, out: Path, cfg: LabConfig, on_event: Event | None = None) -> dict:
    """Train the family into ``out`` (resuming what is there) and return the summary."""
    torch = dev._torch()
    from dlrev.lab.train import RunResult, TrainConfig, save_atomic, train_model, use_compile

    emit = on_event or (lambda kind, info: None)
    family = family_of(cfg.family)
    device = dev.resolve_device(cfg.device)
    budget_s = dev.parse_budget(cfg.budget)
    corpus.check_context(family.context)
    if cfg.steps is not None and cfg.steps < 1:
        raise DlrevError("--steps must be at least 1")
    rank, world = dev.rank_world()
    if family.batch % world:
        raise DlrevError(f"the {family.name} family's batch of {family.batch} does not split "
                         f"over {world} processes")
    out = Path(out)
    manifest_path = out / "lab.json"
    if out.exists() and not out.is_dir():
        raise DlrevError(f"--out {out} exists and is not a folder")
    refuse_other_kind(out, "lab.json")  # before the probe writes or trains anything
    if cfg.only:
        for name in cfg.only:
            family.model(name)  # an unknown name is an error before anything runs
    t_start = time.perf_counter()
    if device == "cpu":
        threads, why = dev.choose_threads(cfg.threads)
    else:
        threads, why = torch.get_num_threads(), "GPU run"
    emit("threads", {"threads": threads, "reason": why})

    dev.barrier()  # every rank looks at the folder before rank 0 writes to it
    previous = read(manifest_path) if manifest_path.is_file() else None
    if previous is not None:
        _check_manifest(previous, {"family": family.name, "seed": cfg.seed,
                                   "corpus_sha256": corpus.sha256,
                                   "device_type": device.split(":")[0], "world_size": world},
                        manifest_path)
        the_plan = Plan.from_dict(previous["plan"])
        emit("resume", {"done": sorted(p.stem for p in (out / "runs").glob("*.json"))})
    else:
        speeds = None
        if budget_s is not None and cfg.probe:
            emit("probe", {})
            wanted = [m for m in family.models if not cfg.only or m.name in cfg.only]
            speeds = probe_speed(corpus, family.context, family.batch, wanted, device,
                                 cfg.compile)
        the_plan = plan(family, budget_s, speeds, cfg.steps, cfg.only, vocab=corpus.vocab_size,
                        val_tokens=len(corpus.val), spent_s=time.perf_counter() - t_start)
        if rank == 0:
            jsonio.write_json(manifest_path, {
                "format": FORMAT, "family": family.name, "seed": cfg.seed,
                "corpus": corpus.to_dict(), "corpus_sha256": corpus.sha256,
                "device": device, "device_type": device.split(":")[0],
                "device_name": utilisation.device_name(device), "world_size": world,
                "threads": threads, "threads_reason": why, "budget_s": budget_s,
                "torch": torch.__version__, "plan": the_plan.to_dict(),
                "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "notes": list(corpus.notes) + the_plan.notes}, indent=1)
    dev.barrier()
    if rank != 0 and previous is None:  # follow rank 0's plan (its probe may have differed)
        the_plan = Plan.from_dict(read(manifest_path)["plan"])
    emit("plan", the_plan.to_dict())

    # 1. count-based baselines
    ngram_path = out / "ngram.json"
    prompt = prompt_ids(corpus)
    if ngram_path.is_file():
        ngram = read(ngram_path)
        emit("skip", {"name": "n-grams"})
    else:
        emit("ngram_start", {"order": the_plan.ngram_order})
        t0 = time.perf_counter()
        models, results = evaluate_family(corpus.ids, corpus.n_train, corpus.vocab_size,
                                          the_plan.ngram_order)
        top = models[-1]
        ngram = {"results": [r.to_dict() for r in results],
                 "seconds": time.perf_counter() - t0,
                 "sample_order": top.order,
                 "sample": corpus.decode(top.sample(prompt, 240, cfg.seed))}
        if rank == 0:
            jsonio.write_json(ngram_path, ngram, indent=1)
        emit("ngram_done", ngram)

    # 2. the neural models, smallest first within each kind
    tcfg = TrainConfig(context=the_plan.context, batch=the_plan.batch,
                       eval_points=the_plan.eval_points, eval_tokens=the_plan.eval_tokens,
                       final_eval_tokens=the_plan.final_eval_tokens, seed=cfg.seed,
                       device=device)
    runs: list[dict] = []
    for spec in the_plan.models:
        done_path = out / "runs" / f"{spec.name}.json"
        if done_path.is_file():
            runs.append(read(done_path))
            emit("skip", {"name": spec.name})
            continue
        ckpt = out / "runs" / f"{spec.name}.ckpt"
        emit("model_start", {"name": spec.name, "steps": spec.steps,
                             "resuming": ckpt.is_file()})

        def progress(step: int, steps: int, info: dict, _name: str = spec.name) -> None:
            emit("step", {"name": _name, "step": step, "steps": steps, **info})

        tcfg.compile = use_compile(spec, device, cfg.compile)
        result, state = train_model(spec, corpus.train, corpus.val, corpus.vocab_size, tcfg,
                                    prompt=prompt, decode=corpus.decode, checkpoint=ckpt,
                                    progress=progress)
        result.threads = threads
        if rank == 0:
            save_atomic({"spec": spec.to_dict(), "vocab": corpus.chars,
                         "context": the_plan.context, "state_dict": state},
                        out / "runs" / f"{spec.name}.pt")
            jsonio.write_json(done_path, result.to_dict(), indent=1)
            ckpt.unlink(missing_ok=True)
        dev.barrier()
        runs.append(result.to_dict())
        emit("model_done", result.to_dict())

    summary = summarize(read(manifest_path) if manifest_path.is_file() else {},
                        ngram, [RunResult.from_dict(r).to_dict() for r in runs])
    if rank == 0:
        jsonio.write_json(out / "results.json", summary, indent=1)
    emit("done", summary)
    return summary
