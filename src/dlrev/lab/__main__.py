"""`python -m dlrev.lab run ...`, and the multi-process form through torchrun:

    torchrun --nproc_per_node=2 -m dlrev.lab run --family default --out lab-runs/ddp

Under torchrun every process trains the same models on its slice of each global batch
(DistributedDataParallel; gloo on CPU, NCCL on GPUs); rank 0 writes the lab folder and prints.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dlrev.lab", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="train the family (see `dlrev lab run --help`)")
    r.add_argument("--budget", default="5m")
    r.add_argument("--corpus", default=None)
    r.add_argument("--family", default="default")
    r.add_argument("--device", default="auto")
    r.add_argument("--out", default=None)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--threads", type=int, default=None)
    r.add_argument("--steps", type=int, default=None)
    r.add_argument("--only", default=None, help="comma-separated model names to train")
    r.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from dlrev.errors import DlrevError
    from dlrev.lab import require_torch

    try:
        torch = require_torch()
        return _run(args, torch)
    except DlrevError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if "torch" in sys.modules:
            import torch as _t

            if _t.distributed.is_available() and _t.distributed.is_initialized():
                _t.distributed.destroy_process_group()


def _run(args: argparse.Namespace, torch) -> int:  # noqa: ANN001
    import json
    from pathlib import Path

    from dlrev.lab import show, sweep
    from dlrev.lab.corpus import load_corpus

    world = int(os.environ.get("WORLD_SIZE", "1"))
    device = sweep.resolve_device(args.device)
    threads = args.threads
    if world > 1:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if device.startswith("cuda"):
            torch.cuda.set_device(local)
            device = f"cuda:{local}"
            backend = "nccl"
        else:
            backend = "gloo"
            threads = threads or 1  # the processes already share the cores
        torch.distributed.init_process_group(backend=backend)
    rank = torch.distributed.get_rank() if world > 1 else 0
    out = Path(args.out or f"lab-runs/{args.family}")
    corpus = load_corpus(args.corpus)
    cfg = sweep.LabConfig(family=args.family, budget=args.budget, device=device, seed=args.seed,
                          threads=threads, steps=args.steps,
                          only=args.only.split(",") if args.only else None)

    def on_event(kind: str, info: dict) -> None:
        if rank == 0 and not args.json and kind in ("threads", "model_done", "plan"):
            if kind == "threads":
                print(f"threads: {info['threads']} ({info['reason']}); processes: {world}")
            elif kind == "plan":
                print("plan: " + ", ".join(f"{m['name']} ({m['steps']} steps)"
                                           for m in info["models"]))
            else:
                print(f"{info['name']}: val {info['val_loss']:.4f} "
                      f"({info['params']:,} params, {info['seconds']:.1f} s)", flush=True)

    summary = sweep.run(corpus, out, cfg, on_event)
    if rank == 0:
        if args.json:
            print(json.dumps(sweep._plain(summary), indent=1))
        else:
            from rich.console import Console

            Console().print(show.table(show.load(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
