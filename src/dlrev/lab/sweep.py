"""The families, the budget plan, the thread choice, and the resumable sweep with its fits.

A lab folder holds:

    lab.json            what was asked and planned: corpus, family, seed, device, threads, models
    ngram.json          the Kneser-Ney baselines (loss per order, table size, a sample)
    runs/<name>.json    one finished neural model: loss curve, final loss, speed, sample
    runs/<name>.pt      its trained weights
    runs/<name>.ckpt    a model still in training (removed once it finishes)
    results.json        the summary: every model, the power-law fits, the compute frontier

Every file is written to a temporary name and renamed, so an interrupted run leaves only whole
files; running the same command again skips what is finished and resumes the model in progress.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from dlrev.errors import DlrevError
from dlrev.lab import fit as fitting
from dlrev.lab.corpus import Corpus
from dlrev.lab.ngram import evaluate_family

FORMAT = 1


def _gpt(layers: int, width: int, heads: int, steps: int, dropout: float = 0.0,
         lr: float | None = None) -> dict:
    return {"name": f"gpt-{layers}x{width}", "kind": "gpt", "n_layer": layers, "n_embd": width,
            "n_head": heads, "lr": lr if lr is not None else round(0.6 / width, 5),
            "steps": steps, "dropout": dropout}


def _lstm(layers: int, width: int, steps: int, lr: float, dropout: float = 0.0) -> dict:
    return {"name": f"lstm-{layers}x{width}", "kind": "lstm", "n_layer": layers, "n_embd": width,
            "n_head": 1, "lr": lr, "steps": steps, "dropout": dropout}


@dataclass(frozen=True)
class Family:
    name: str
    context: int
    batch: int
    ngram_order: int
    models: tuple[dict, ...]  # smallest first; LSTMs and GPTs
    min_steps: int
    eval_points: int = 8
    description: str = ""


FAMILIES: dict[str, Family] = {
    "tiny": Family(
        "tiny", context=32, batch=16, ngram_order=4, min_steps=60, eval_points=4,
        models=(_lstm(1, 32, 200, 1e-2), _gpt(1, 8, 1, 200), _gpt(1, 16, 2, 200),
                _gpt(2, 32, 4, 200), _gpt(2, 64, 4, 200)),
        description="seconds: a smoke test of the whole pipeline (too few steps for a clean "
                    "curve on real text)"),
    "default": Family(
        "default", context=64, batch=32, ngram_order=6, min_steps=1500,
        models=(_lstm(2, 128, 1500, 1e-2), _gpt(1, 24, 3, 2000), _gpt(2, 32, 4, 2000),
                _gpt(2, 48, 4, 2000), _gpt(4, 64, 4, 2000), _gpt(4, 96, 4, 2000)),
        description="about 5 minutes on a 2-core CPU: 10k-460k-parameter GPTs, 2,000 steps each"),
    "gpu": Family(
        "gpu", context=256, batch=64, ngram_order=6, min_steps=1500, eval_points=10,
        models=(_lstm(2, 256, 3000, 3e-3), _gpt(1, 24, 3, 3000), _gpt(2, 32, 4, 3000),
                _gpt(2, 48, 4, 3000), _gpt(4, 64, 4, 3000), _gpt(4, 96, 4, 3000),
                _gpt(4, 128, 4, 3000, 0.1), _gpt(6, 192, 6, 3000, 0.2, 2e-3),
                _gpt(6, 384, 6, 3000, 0.2, 1e-3)),
        description="a GPU: the ladder extended to 0.8M, 2.7M and 10.7M parameters (dropout and "
                    "early stopping, since tiny-shakespeare runs out above about 1M)"),
}


def parse_budget(text: str | None) -> float | None:
    """'5m' -> 300.0, '90s' -> 90.0, '1.5h' -> 5400.0, '120' -> 120.0, 'none' -> None."""
    if text is None or str(text).strip().lower() in ("", "none", "inf", "unlimited"):
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*", str(text).lower())
    if not m:
        raise DlrevError(f"--budget {text!r} is not a duration; write it like 300s, 5m or 1h")
    value = float(m.group(1)) * {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, None: 1}[
        m.group(2)]
    if value <= 0:
        raise DlrevError(f"--budget {text!r} must be positive")
    return value


def resolve_device(device: str) -> str:
    torch = _torch()
    d = device.lower()
    if d == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if d == "cpu":
        return "cpu"
    if d == "cuda" or d.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise DlrevError(f"--device {device} was asked for but this torch build has no usable "
                             f"CUDA device (torch {torch.__version__}); use --device cpu")
        return d
    raise DlrevError(f"--device {device!r} is not one of auto, cpu, cuda")


def choose_threads(requested: int | None = None) -> tuple[int, str]:
    """1 thread unless a quick check finds the machine idle and 2 threads clearly faster.

    OpenMP's spinning barriers make 2 threads 10-90x slower whenever another process is busy,
    while 1 thread loses only 30-55 %; so 2 threads must earn their place.
    """
    torch = _torch()
    if requested:
        torch.set_num_threads(requested)
        return requested, "as asked (--threads)"
    cores = os.cpu_count() or 1
    if cores < 2:
        torch.set_num_threads(1)
        return 1, "one core"
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - not on Linux/macOS
        load = 0.0
    if load > 0.5:
        torch.set_num_threads(1)
        return 1, f"machine busy (load average {load:.2f}), so 1 thread"

    a = torch.randn(192, 192)

    def bench(n: int) -> float:
        torch.set_num_threads(n)
        (a @ a).sum()
        t0 = time.perf_counter()
        for _ in range(60):
            a @ a
        return time.perf_counter() - t0

    t1, t2 = bench(1), bench(2)
    if t2 * 1.2 < t1:
        torch.set_num_threads(2)
        return 2, f"machine idle and 2 threads {t1 / t2:.1f}x faster in a quick check"
    torch.set_num_threads(1)
    return 1, f"2 threads not clearly faster in a quick check ({t1 / t2:.2f}x), so 1"


@dataclass
class Plan:
    family: str
    context: int
    batch: int
    ngram_order: int
    eval_points: int
    models: list[dict]
    dropped: list[str] = field(default_factory=list)
    estimated_s: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def plan(family: Family, budget_s: float | None, seconds_per_step: dict[str, float] | None,
         steps: int | None = None, only: list[str] | None = None) -> Plan:
    """Fit the family into the budget: drop the largest GPT first (keeping four), then shorten
    every model's training down to the family's minimum steps, then drop the LSTM and more GPTs.
    ``seconds_per_step`` comes from a short probe of each model; None skips the budget."""
    models = [dict(m) for m in family.models]
    if only:
        unknown = sorted(set(only) - {m["name"] for m in models})
        if unknown:
            raise DlrevError(f"--only: the {family.name} family has no model {unknown[0]!r}; "
                             f"it has {', '.join(m['name'] for m in models)}")
        models = [m for m in models if m["name"] in only]
    if steps is not None:
        models = [{**m, "steps": steps} for m in models]
    p = Plan(family.name, family.context, family.batch, family.ngram_order, family.eval_points,
             models)
    if budget_s is None or seconds_per_step is None:
        return p
    overhead = 1.15  # evaluations, the final full-split pass, the sample

    def cost(ms: list[dict]) -> float:
        return sum(m["steps"] * seconds_per_step[m["name"]] for m in ms) * overhead + 3.0

    def gpts(ms: list[dict]) -> list[dict]:
        return [m for m in ms if m["kind"] == "gpt"]

    full_steps = {m["name"]: m["steps"] for m in models}

    def shrink(ms: list[dict]) -> list[dict]:
        """The longest training (at most the family's, at least its minimum) that fits."""
        if steps is not None:
            return ms

        def at(scale: float) -> list[dict]:
            return [{**m, "steps": max(family.min_steps, min(
                full_steps[m["name"]], int(full_steps[m["name"]] * scale) // 10 * 10))}
                for m in ms]

        lo, hi = 0.0, 1.0
        if cost(at(hi)) <= budget_s:
            return at(hi)
        for _ in range(30):  # cost grows with scale: bisect for the largest that fits
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if cost(at(mid)) <= budget_s else (lo, mid)
        return at(lo)

    def drop(m: dict) -> None:
        p.models = [x for x in p.models if x["name"] != m["name"]]
        p.dropped.append(m["name"])

    # 1. the largest GPTs go first, keeping four (a floor-form fit has three parameters)
    while cost(p.models) > budget_s and len(gpts(p.models)) > 4:
        drop(gpts(p.models)[-1])
    # 2. then every model trains for fewer steps, never below the family's minimum
    p.models = shrink(p.models)
    # 3. then the LSTM, then more GPTs, largest first (each time with the longest training)
    while cost(p.models) > budget_s and len(p.models) > 1:
        lstms = [m for m in p.models if m["kind"] == "lstm"]
        drop(lstms[-1] if lstms else gpts(p.models)[-1])
        p.models = shrink(p.models)
    p.estimated_s = cost(p.models)
    if p.estimated_s > budget_s:
        first = p.models[0]
        raise DlrevError(
            f"a budget of {budget_s:.0f} s is too small for even the smallest model "
            f"({first['name']}: about {p.estimated_s:.0f} s for {first['steps']:,} steps on this "
            f"machine); give at least --budget {math.ceil(p.estimated_s / 60)}m")
    if p.dropped:
        p.notes.append(f"to fit the {budget_s:.0f} s budget, left out: {', '.join(p.dropped)}")
    cut = [m["name"] for m in p.models
           if m["steps"] < next(f["steps"] for f in family.models if f["name"] == m["name"])]
    if cut and steps is None:
        p.notes.append(f"to fit the {budget_s:.0f} s budget, fewer steps for: {', '.join(cut)}")
    return p


def probe_speed(corpus: Corpus, family: Family, models: list[dict], device: str,
                probe_steps: int = 3) -> dict[str, float]:
    """Seconds per optimizer step of each model, from a few timed steps (after one warm-up)."""
    torch = _torch()
    from dlrev.lab.models import ModelSpec, build
    from dlrev.lab.train import _autocast, _optimizer

    out = {}
    x = torch.from_numpy(np.ascontiguousarray(
        corpus.train[: family.batch * (family.context + 1)], dtype=np.int64))
    x = x.view(family.batch, family.context + 1).to(device)
    for m in models:
        model = build(ModelSpec.from_dict(m), corpus.vocab_size, family.context).to(device)
        opt = _optimizer(model, 1e-4, 0.0, device)
        t0 = 0.0
        for i in range(probe_steps + 1):
            if i == 1:
                if device.startswith("cuda"):
                    torch.cuda.synchronize()
                t0 = time.perf_counter()
            with _autocast(device):
                logits = model(x[:, :-1])
            loss = torch.nn.functional.cross_entropy(
                logits.float().reshape(-1, corpus.vocab_size), x[:, 1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
        out[m["name"]] = (time.perf_counter() - t0) / probe_steps
    return out


Event = Callable[[str, dict], None]


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_plain(obj), fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    return obj


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DlrevError(f"{path} is not a readable lab file ({exc})") from None


@dataclass
class LabConfig:
    family: str = "default"
    budget: str | None = "5m"
    device: str = "auto"
    seed: int = 0
    threads: int | None = None
    steps: int | None = None  # force this many steps for every neural model
    compile: bool | None = None  # None: on for CUDA models of 1M+ parameters, off on CPU
    probe: bool = True
    only: list[str] | None = None  # train only these models of the family


def prompt_ids(corpus: Corpus) -> list[int]:
    """The prompt every model continues: a newline (or the text's first character)."""
    first = "\n" if "\n" in corpus.chars else corpus.chars[0]
    return corpus.encode(first)


def run(corpus: Corpus, out: Path, cfg: LabConfig, on_event: Event | None = None) -> dict:
    """Train the family into ``out`` (resuming what is there) and return the summary."""
    torch = _torch()
    from dlrev.lab.models import ModelSpec
    from dlrev.lab.train import RunResult, TrainConfig, _dist, train_model

    emit = on_event or (lambda kind, info: None)
    if cfg.family not in FAMILIES:
        raise DlrevError(f"--family {cfg.family!r} is not one of {', '.join(FAMILIES)}")
    family = FAMILIES[cfg.family]
    device = resolve_device(cfg.device)
    budget_s = parse_budget(cfg.budget)
    corpus.check_context(family.context)
    if cfg.steps is not None and cfg.steps < 1:
        raise DlrevError("--steps must be at least 1")
    rank, world = _dist()
    if family.batch % world:
        raise DlrevError(f"the {family.name} family's batch of {family.batch} does not split "
                         f"over {world} processes")
    out = Path(out)
    manifest_path = out / "lab.json"
    if out.exists() and not out.is_dir():
        raise DlrevError(f"--out {out} exists and is not a folder")
    if device == "cpu":
        threads, why = choose_threads(cfg.threads)
    else:
        threads, why = torch.get_num_threads(), "GPU run"
    emit("threads", {"threads": threads, "reason": why})

    _barrier()  # every rank looks at the folder before rank 0 writes to it
    previous = _read_json(manifest_path) if manifest_path.is_file() else None
    if previous is not None:
        for key, now in (("family", family.name), ("seed", cfg.seed),
                         ("corpus_sha256", corpus.sha256), ("device_type", device.split(":")[0]),
                         ("world_size", world)):
            if previous.get(key) != now:
                raise DlrevError(
                    f"{manifest_path} holds a run with {key} {previous.get(key)!r}, not {now!r}; "
                    f"resume it with the same settings or choose another --out")
        the_plan = Plan(**{k: v for k, v in previous["plan"].items()
                           if k in Plan.__dataclass_fields__})
        emit("resume", {"done": sorted(p.stem for p in (out / "runs").glob("*.json"))})
    else:
        speeds = None
        if budget_s is not None and cfg.probe:
            emit("probe", {})
            speeds = probe_speed(corpus, family, [dict(m) for m in family.models
                                                  if not cfg.only or m["name"] in cfg.only],
                                 device)
        the_plan = plan(family, budget_s, speeds, cfg.steps, cfg.only)
        if rank == 0:
            _write_json(manifest_path, {
                "format": FORMAT, "family": family.name, "seed": cfg.seed,
                "corpus": corpus.to_dict(), "corpus_sha256": corpus.sha256,
                "device": device, "device_type": device.split(":")[0], "world_size": world,
                "threads": threads, "threads_reason": why, "budget_s": budget_s,
                "torch": torch.__version__, "plan": the_plan.to_dict(),
                "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "notes": list(corpus.notes) + the_plan.notes})
    _barrier()
    if rank != 0 and previous is None:  # follow rank 0's plan (its probe may have differed)
        the_plan = Plan(**{k: v for k, v in _read_json(manifest_path)["plan"].items()
                           if k in Plan.__dataclass_fields__})
    emit("plan", the_plan.to_dict())

    # 1. count-based baselines
    ngram_path = out / "ngram.json"
    prompt = prompt_ids(corpus)
    if ngram_path.is_file():
        ngram = _read_json(ngram_path)
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
            _write_json(ngram_path, ngram)
        emit("ngram_done", ngram)

    # 2. the neural models, smallest first within each kind
    tcfg = TrainConfig(context=the_plan.context, batch=the_plan.batch,
                       eval_points=the_plan.eval_points, seed=cfg.seed, device=device)
    runs: list[dict] = []
    for m in the_plan.models:
        spec = ModelSpec.from_dict(m)
        done_path = out / "runs" / f"{spec.name}.json"
        if done_path.is_file():
            runs.append(_read_json(done_path))
            emit("skip", {"name": spec.name})
            continue
        ckpt = out / "runs" / f"{spec.name}.ckpt"
        use_compile = cfg.compile
        if use_compile is None:
            use_compile = device.startswith("cuda") and spec.kind == "gpt" and spec.n_embd >= 128
        emit("model_start", {"name": spec.name, "steps": spec.steps,
                             "resuming": ckpt.is_file()})

        def progress(step: int, steps: int, info: dict, _name: str = spec.name) -> None:
            emit("step", {"name": _name, "step": step, "steps": steps, **info})

        result, state = train_model(spec, corpus.train, corpus.val, corpus.vocab_size,
                                    replace(tcfg, compile=bool(use_compile)), prompt=prompt,
                                    decode=corpus.decode, checkpoint=ckpt, progress=progress)
        result.threads = threads
        if rank == 0:
            from dlrev.lab.train import save_atomic

            save_atomic({"spec": spec.to_dict(), "vocab": corpus.chars,
                         "context": the_plan.context, "state_dict": state},
                        out / "runs" / f"{spec.name}.pt")
            _write_json(done_path, result.to_dict())
            ckpt.unlink(missing_ok=True)
        _barrier()
        runs.append(result.to_dict())
        emit("model_done", result.to_dict())

    summary = summarize(_read_json(manifest_path) if manifest_path.is_file() else {},
                        ngram, [RunResult.from_dict(r).to_dict() for r in runs])
    if rank == 0:
        _write_json(out / "results.json", summary)
    emit("done", summary)
    return summary


def summarize(manifest: dict, ngram: dict, runs: list[dict]) -> dict:
    """Fits over the finished runs: loss against parameters (GPTs), the compute frontier."""
    gpts = sorted((r for r in runs if r["kind"] == "gpt"), key=lambda r: r["params"])
    fits: dict[str, Any] = {}
    notes: list[str] = []
    if len(gpts) >= 2:
        x = np.array([r["params"] for r in gpts], float)
        y = np.array([r["val_loss"] for r in gpts], float)
        fits["params_power"] = fitting.fit_pure(x, y, "params").to_dict()
        if len(gpts) >= 4:
            try:
                fits["params_floor"] = fitting.fit_floor(x, y, "params").to_dict()
            except ValueError as exc:
                notes.append(f"floor-form fit of loss against parameters failed: {exc}")
    points = [(c["flops"], c["val_loss"]) for r in gpts for c in r["curve"]]
    env = fitting.frontier(points)
    if len(env) >= 2:
        fits["frontier_power"] = fitting.fit_pure(
            np.array([c for c, _ in env]), np.array([v for _, v in env]), "flops").to_dict()
    if len(env) >= 4:
        try:
            fits["frontier_floor"] = fitting.fit_floor(
                np.array([c for c, _ in env]), np.array([v for _, v in env]), "flops").to_dict()
        except ValueError as exc:
            notes.append(f"floor-form fit of the compute frontier failed: {exc}")
    best_ngram = min(ngram.get("results", []), key=lambda r: r["val_loss"], default=None)
    return {"format": FORMAT, "manifest": manifest, "ngram": ngram, "runs": runs, "fits": fits,
            "frontier": [{"flops": c, "val_loss": v} for c, v in env],
            "best_ngram": best_ngram, "notes": notes}


def _barrier() -> None:
    torch = _torch()
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.barrier()


def _torch():  # noqa: ANN202
    from dlrev.lab import require_torch

    return require_torch()
