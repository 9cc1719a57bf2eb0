"""One training run, nanoGPT style: random windows of the train split, AdamW, linear warmup then
cosine decay to a tenth, gradient clipping, a few evaluations on a fixed validation subset, the
best of them kept (early stopping), the final number on the whole validation split, one sample.

Budgets are optimizer steps, not seconds, so the curve is the same on every machine.

Distributed data parallel: every rank draws the same global batch from the same generator and
trains on its own slice of it; DDP averages the gradients, so N processes follow the same
trajectory as one process with the whole batch (up to floating-point summation order).
"""

from __future__ import annotations

import copy
import math
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlrev.jsonio import atomic_open
from dlrev.lab.models import build, count_params, generate
from dlrev.lab.spec import ModelSpec


@dataclass
class TrainConfig:
    context: int = 64
    batch: int = 32
    eval_points: int = 8
    eval_tokens: int = 16_384  # fixed validation subset for the intermediate evaluations
    final_eval_tokens: int | None = None  # the final number's subset; None: the whole split
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    seed: int = 0
    device: str = "cpu"
    compile: bool = False
    sample_chars: int = 240
    temperature: float = 0.8
    # under torchrun: True splits every batch over the processes (DDP); False trains this model
    # in this process alone (the IsoFLOP experiment splits its runs, not their batches)
    data_parallel: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RunResult:
    name: str
    kind: str
    spec: dict
    params: int
    flops_per_token: float
    steps: int
    tokens: int
    flops: float
    val_loss: float  # whole validation split, best checkpoint
    best_step: int
    curve: list[dict]  # one row per evaluation: step, tokens, flops, val_loss, train_loss
    seconds: float  # training time (evaluations excluded)
    tokens_per_s: float
    threads: int
    device: str
    world_size: int
    sample: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> RunResult:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


def model_seed(seed: int, name: str) -> int:
    """A per-model seed that does not depend on the order models are trained in."""
    return seed * 1_000_003 + zlib.crc32(name.encode()) % 1_000_003


def lr_at(step: int, steps: int, lr: float) -> float:
    warmup = max(1, min(100, steps // 10))
    if step < warmup:
        return lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return lr / 10 + 0.5 * (lr - lr / 10) * (1 + math.cos(math.pi * min(1.0, progress)))


def _windows(data: torch.Tensor, context: int, limit: int | None = None) -> torch.Tensor:
    """Non-overlapping (context + 1)-windows covering ``data`` (the last partial one dropped)."""
    n = (len(data) - 1) // context
    if limit is not None:
        n = min(n, max(1, limit // context))
    idx = torch.arange(n)[:, None] * context + torch.arange(context + 1)[None, :]
    return data[idx]


@torch.no_grad()
def evaluate(model: nn.Module, windows: torch.Tensor, device: str, batch: int = 256) -> float:
    """Mean cross-entropy (nats per character) over the targets of all windows."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(windows), batch):
        w = windows[i:i + batch].to(device)
        with _autocast(device):
            logits = model(w[:, :-1])
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]),
                               w[:, 1:].reshape(-1), reduction="sum")
        total += float(loss)
        count += w[:, 1:].numel()
    model.train(was_training)
    return total / count


def _autocast(device: str):  # noqa: ANN202 - a context manager
    if device.startswith("cuda"):
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return torch.autocast(device_type="cpu", enabled=False)


def _optimizer(model: nn.Module, lr: float, weight_decay: float, device: str
               ) -> torch.optim.Optimizer:
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]
    kw = {"fused": True} if device.startswith("cuda") else {}
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99), **kw)


def _dist() -> tuple[int, int]:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


def save_atomic(obj: object, path: Path) -> None:
    with atomic_open(path, "wb") as fh:
        torch.save(obj, fh)


Step = Callable[[torch.Tensor], float]


def make_step(model: nn.Module, opt: torch.optim.Optimizer, vocab: int, device: str, *,
              compile: bool = False, grad_clip: float = 1.0) -> Step:
    """THE training step, used by training and by the speed probe alike: forward pass and loss
    (bf16 autocast on a GPU; compiled into one graph with ``compile``), backward, clipping,
    AdamW. ``step(windows)`` returns the loss as a float (which syncs the device, so timings
    around it are honest). The caller sets the learning rate."""

    def batch_loss(w: torch.Tensor) -> torch.Tensor:
        with _autocast(device):
            logits = model(w[:, :-1])
        return F.cross_entropy(logits.float().reshape(-1, vocab), w[:, 1:].reshape(-1))

    loss_of = torch.compile(batch_loss) if compile else batch_loss

    def step(w: torch.Tensor) -> float:
        loss = loss_of(w)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if grad_clip:
            nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        opt.step()
        return loss.item()

    return step


def use_compile(spec: ModelSpec, device: str, asked: bool | None = None) -> bool:
    """torch.compile for GPTs of width 128 and more on a GPU (it costs more than it saves for
    the small ones, and on a CPU); ``asked`` overrides."""
    if asked is not None:
        return asked
    return device.startswith("cuda") and spec.kind == "gpt" and spec.n_embd >= 128


def time_steps(spec: ModelSpec, train: np.ndarray, vocab: int, cfg: TrainConfig,
               n: int = 3, min_seconds: float = 0.3) -> tuple[float, float]:
    """Seconds per optimizer step of ``spec``: the training step above, with the same device,
    precision and compilation as training, timed after warm-up steps over at least ``n`` steps
    and ``min_seconds`` (a few milliseconds of a busy machine's noise would swamp three steps
    of a small model). Returns (seconds per step, seconds of warm-up: compilation and the
    allocator's first rounds, which every run pays once)."""
    torch.manual_seed(0)
    device = cfg.device
    model = build(spec, vocab, cfg.context).to(device)
    opt = _optimizer(model, 1e-4, 0.0, device)
    step = make_step(model, opt, vocab, device, compile=cfg.compile, grad_clip=cfg.grad_clip)
    need = cfg.batch * (cfg.context + 1)
    x = torch.from_numpy(np.ascontiguousarray(np.resize(train, need), dtype=np.int64))
    w = x.view(cfg.batch, cfg.context + 1).to(device)
    warm = 3 if cfg.compile else 1  # compilation and the allocator's first rounds
    t_warm = time.perf_counter()
    for _ in range(warm):
        step(w)
    t0 = time.perf_counter()
    warm_s = t0 - t_warm
    done = 0
    while done < n or (time.perf_counter() - t0 < min_seconds and done < 200):
        step(w)
        done += 1
    per_step = (time.perf_counter() - t0) / done
    return per_step, max(0.0, warm_s - warm * per_step)


Progress = Callable[[int, int, dict], None]


def train_model(spec: ModelSpec, train: np.ndarray, val: np.ndarray, vocab: int,
                cfg: TrainConfig, *, prompt: list[int] | None = None,
                decode: Callable[[list[int]], str] | None = None,
                checkpoint: Path | None = None, progress: Progress | None = None
                ) -> tuple[RunResult, dict]:
    """Train one model for ``spec.steps`` steps; resume from ``checkpoint`` when it exists.
    Returns the result and the trained (best) weights.

    ``progress(step, steps, info)`` is called after every step (info has 'loss', 'lr' and, after
    an evaluation, 'val_loss'); it may raise to interrupt the run, which then resumes from the
    last evaluation's checkpoint.
    """
    rank, world = _dist() if cfg.data_parallel else (0, 1)
    device = cfg.device
    if cfg.batch % world:
        raise ValueError(f"batch {cfg.batch} is not divisible by {world} processes")
    seed = model_seed(cfg.seed, spec.name)
    torch.manual_seed(seed)
    model = build(spec, vocab, cfg.context).to(device)
    raw_model = model
    n_params = count_params(model)
    fpt = float(model.flops_per_token())  # type: ignore[operator]
    opt = _optimizer(model, spec.lr, cfg.weight_decay, device)
    gen = torch.Generator().manual_seed(seed)
    train_t = torch.from_numpy(np.ascontiguousarray(train, dtype=np.int64)).to(device)
    val_t = torch.from_numpy(np.ascontiguousarray(val, dtype=np.int64))
    eval_win = _windows(val_t, cfg.context, cfg.eval_tokens)
    full_win = _windows(val_t, cfg.context, cfg.final_eval_tokens)
    eval_steps = sorted({max(1, round(spec.steps * i / cfg.eval_points))
                         for i in range(1, cfg.eval_points + 1)})

    step, seconds, curve = 0, 0.0, []
    settle = min(10, spec.steps // 10)  # first steps (compilation, allocator) left out of
    steady_s, steady_steps = 0.0, 0  # the steady-state throughput
    best_loss, best_step, best_state = math.inf, 0, None
    if checkpoint is not None and checkpoint.is_file():
        ck = torch.load(checkpoint, map_location=device, weights_only=False)
        raw_model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        gen.set_state(ck["gen"])
        step, seconds, curve = ck["step"], ck["seconds"], ck["curve"]
        best_loss, best_step, best_state = ck["best_loss"], ck["best_step"], ck["best_state"]
        torch.set_rng_state(ck["cpu_rng"])

    if world > 1:
        model = nn.parallel.DistributedDataParallel(
            model, device_ids=[torch.device(device).index or 0] if device.startswith("cuda")
            else None)
    step_once = make_step(model, opt, vocab, device, compile=cfg.compile,
                          grad_clip=cfg.grad_clip)
    per_rank = cfg.batch // world
    offsets_hi = len(train_t) - cfg.context - 1
    span = torch.arange(cfg.context + 1)  # windows are gathered where the data lives
    model.train()
    loss_ema = None
    while step < spec.steps:
        t0 = time.perf_counter()
        for g in opt.param_groups:
            g["lr"] = lr_at(step, spec.steps, spec.lr)
        offs = torch.randint(0, offsets_hi + 1, (cfg.batch,), generator=gen)
        offs = offs[rank * per_rank:(rank + 1) * per_rank]
        w = train_t[(offs[:, None] + span).to(device)]
        lv = step_once(w)  # syncs the device, so the timing below is honest
        step += 1
        dt = time.perf_counter() - t0
        seconds += dt
        if step > settle:
            steady_s, steady_steps = steady_s + dt, steady_steps + 1
        loss_ema = lv if loss_ema is None else 0.95 * loss_ema + 0.05 * lv
        info: dict = {"loss": loss_ema, "lr": opt.param_groups[0]["lr"]}
        if step in eval_steps:
            vl = evaluate(raw_model, eval_win, device)
            tokens = step * cfg.batch * cfg.context
            curve.append({"step": step, "tokens": tokens, "flops": fpt * tokens,
                          "val_loss": vl, "train_loss": loss_ema})
            if vl < best_loss:
                best_loss, best_step = vl, step
                best_state = copy.deepcopy(raw_model.state_dict()) if step < spec.steps else None
            info["val_loss"] = vl
            if checkpoint is not None and rank == 0 and step < spec.steps:
                save_atomic({"model": raw_model.state_dict(), "opt": opt.state_dict(),
                             "gen": gen.get_state(), "cpu_rng": torch.get_rng_state(),
                             "step": step, "seconds": seconds, "curve": curve,
                             "best_loss": best_loss, "best_step": best_step,
                             "best_state": best_state}, checkpoint)
        if progress is not None:
            progress(step, spec.steps, info)

    if best_state is not None and best_step != step:  # an earlier checkpoint was better
        raw_model.load_state_dict(best_state)
    val_loss = evaluate(raw_model, full_win, device)
    sample = ""
    if prompt and decode is not None and cfg.sample_chars > 0:
        sample = decode(generate(raw_model, prompt, cfg.sample_chars, cfg.context, cfg.seed,
                                 cfg.temperature, device))
    tokens = spec.steps * cfg.batch * cfg.context
    result = RunResult(
        name=spec.name, kind=spec.kind, spec=spec.to_dict(), params=n_params,
        flops_per_token=fpt, steps=spec.steps, tokens=tokens, flops=fpt * tokens,
        val_loss=val_loss, best_step=best_step or step, curve=curve, seconds=seconds,
        tokens_per_s=tokens / seconds if seconds > 0 else 0.0,
        threads=torch.get_num_threads(), device=device, world_size=world, sample=sample,
        extra={"steady_tokens_per_s": steady_steps * cfg.batch * cfg.context / steady_s
               if steady_s > 0 else 0.0})
    return result, raw_model.state_dict()
