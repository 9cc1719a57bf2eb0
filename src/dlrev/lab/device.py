"""Where the lab runs: the budget as seconds, the device, the CPU thread count and, under
torchrun, the process group. Every choice is returned with the reason it was made."""

from __future__ import annotations

import os
import re
import time
from typing import Any

from dlrev.errors import DlrevError


def _torch() -> Any:
    from dlrev.lab import require_torch

    return require_torch()


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


def setup(device: str, threads: int | None) -> tuple[str, int | None, int, int]:
    """Under torchrun (WORLD_SIZE > 1) join the process group: NCCL with one GPU per process
    (LOCAL_RANK), gloo on CPU with 1 thread each (the processes already share the cores).
    Returns (device, threads, rank, world); a single process returns rank 0 of 1."""
    torch = _torch()
    device = resolve_device(device)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return device, threads, 0, 1
    if not torch.distributed.is_initialized():
        if device.startswith("cuda"):
            local = int(os.environ.get("LOCAL_RANK", "0"))
            torch.cuda.set_device(local)
            device = f"cuda:{local}"
            torch.distributed.init_process_group(backend="nccl")
        else:
            threads = threads or 1
            torch.distributed.init_process_group(backend="gloo")
    return device, threads, torch.distributed.get_rank(), torch.distributed.get_world_size()


def teardown() -> None:
    if "torch" not in __import__("sys").modules:
        return
    import torch

    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


def rank_world() -> tuple[int, int]:
    torch = _torch()
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


def barrier() -> None:
    torch = _torch()
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.barrier()
