"""Scaling-lab benchmarks, each against a peer timed in the same run on the same machine.

1. Training throughput (tokens/s) of the lab's GPT and training step against a plain
   nanoGPT-style reference loop written below (its own attention module and numpy batch
   fetching), same shape, batch and context. Goal: at least 0.9x of the reference.
2. The Kneser-Ney n-gram baselines (orders 1-6, fit and evaluation) on the full corpus against
   the obvious pure-Python way of counting the same k-grams (collections.Counter). Goal: < 5 s.
4. With --isoflop BUDGET: `dlrev lab isoflop --budget BUDGET` end to end in a subprocess (probe,
   design, training, fits): wall time against the budget asked for and the planner's own
   estimate (there is no other tool that runs this experiment to compare with), and the fitted
   exponent and tokens per parameter.
3. With --device cuda: the largest lab model (gpu family, 6x384, context 256, batch 64) in bf16
   with torch.compile against the reference loop, and model FLOPs utilisation (6N + 12LTd FLOPs
   per token over the GPU's dense bf16 peak, dlrev.lab.utilisation) of the lab's training step
   at growing widths (--widths), to say at which width it reaches the 35 % goal.

    python benchmarks/bench_lab.py [--device cpu|cuda] [--corpus PATH] [--steps N]
                                   [--widths 768,1024,1536,2048]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dlrev.lab import utilisation  # noqa: E402 - after the path is set


def corpus_path(arg: str | None) -> Path | None:
    if arg:
        return Path(arg)
    shared = Path(os.environ.get("DLREV_SHARED", ROOT.parent / "shared"))
    for p in (shared / "data" / "corpora" / "tinyshakespeare.txt",
              ROOT / "lab-runs" / "corpus" / "tinyshakespeare.txt"):
        if p.is_file():
            return p
    return None


# --- the reference: a plain nanoGPT-style model and loop, written for this benchmark ---------

def reference_model(vocab: int, context: int, n_layer: int, d: int, n_head: int):  # noqa: ANN201
    import torch
    from torch import nn
    from torch.nn import functional as F

    class Attn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.c_attn = nn.Linear(d, 3 * d, bias=False)
            self.c_proj = nn.Linear(d, d, bias=False)

        def forward(self, x):  # noqa: ANN001, ANN202
            b, t, c = x.size()
            q, k, v = self.c_attn(x).split(c, dim=2)
            k = k.view(b, t, n_head, c // n_head).transpose(1, 2)
            q = q.view(b, t, n_head, c // n_head).transpose(1, 2)
            v = v.view(b, t, n_head, c // n_head).transpose(1, 2)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))

    class Blk(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln_1 = nn.LayerNorm(d, bias=False)
            self.attn = Attn()
            self.ln_2 = nn.LayerNorm(d, bias=False)
            self.c_fc = nn.Linear(d, 4 * d, bias=False)
            self.c_proj = nn.Linear(4 * d, d, bias=False)

        def forward(self, x):  # noqa: ANN001, ANN202
            x = x + self.attn(self.ln_1(x))
            return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x))))

    class Ref(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wte = nn.Embedding(vocab, d)
            self.wpe = nn.Embedding(context, d)
            self.h = nn.ModuleList([Blk() for _ in range(n_layer)])
            self.ln_f = nn.LayerNorm(d, bias=False)
            self.lm_head = nn.Linear(d, vocab, bias=False)
            self.wte.weight = self.lm_head.weight

        def forward(self, idx, targets):  # noqa: ANN001, ANN202
            pos = torch.arange(idx.size(1), device=idx.device)
            x = self.wte(idx) + self.wpe(pos)
            for b in self.h:
                x = b(x)
            logits = self.lm_head(self.ln_f(x))
            return F.cross_entropy(logits.view(-1, logits.size(-1)).float(), targets.view(-1))

    return Ref()


def reference_tokens_per_s(data: np.ndarray, vocab: int, shape: tuple[int, int, int],
                           context: int, batch: int, steps: int, device: str,
                           compile_: bool) -> float:
    import torch

    torch.manual_seed(0)
    model = reference_model(vocab, context, *shape).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99),
                            fused=device == "cuda")
    fwd = torch.compile(model) if compile_ else model
    data16 = data.astype(np.uint16)
    ctx = (torch.autocast("cuda", dtype=torch.bfloat16) if device == "cuda"
           else torch.autocast("cpu", enabled=False))

    def get_batch():  # noqa: ANN202
        ix = np.random.randint(len(data16) - context - 1, size=batch)
        x = torch.stack([torch.from_numpy(data16[i:i + context].astype(np.int64)) for i in ix])
        y = torch.stack([torch.from_numpy(data16[i + 1:i + 1 + context].astype(np.int64))
                         for i in ix])
        return x.to(device), y.to(device)

    def step() -> float:
        x, y = get_batch()
        with ctx:
            loss = fwd(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    return _time_steps(step, steps, batch * context, device)


def lab_tokens_per_s(data: np.ndarray, vocab: int, shape: tuple[int, int, int], context: int,
                     batch: int, steps: int, device: str, compile_: bool) -> tuple[float, float]:
    """Our train_model's inner step, timed through its own loop (seconds exclude evaluation)."""
    from dlrev.lab.models import ModelSpec
    from dlrev.lab.train import TrainConfig, train_model

    n = len(data)
    spec = ModelSpec("bench", "gpt", shape[0], shape[1], shape[2], lr=1e-3, steps=steps)
    cfg = TrainConfig(context=context, batch=batch, eval_points=1, eval_tokens=context * 4,
                      device=device, compile=compile_)
    warm = ModelSpec("bench", "gpt", shape[0], shape[1], shape[2], lr=1e-3, steps=5)
    train_model(warm, data[: n - 200_000], data[-200_000:][:context * 8], vocab, cfg)
    res, _ = train_model(spec, data[: n - 200_000], data[-200_000:][:context * 8], vocab, cfg)
    return res.extra["steady_tokens_per_s"], res.flops_per_token


def _time_steps(step, steps: int, tokens_per_step: int, device: str) -> float:  # noqa: ANN001
    import torch

    for _ in range(5):
        step()
    if device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    if device == "cuda":
        torch.cuda.synchronize()
    return steps * tokens_per_step / (time.perf_counter() - t0)


def bench_throughput(ids: np.ndarray, vocab: int, device: str, steps: int,
                     shape: tuple[int, int, int], context: int, batch: int,
                     compile_: bool) -> tuple[float, float, float]:
    ours, ref = [], []
    fpt = 0.0
    for _ in range(2):  # interleave so a noisy neighbour hurts both alike
        t, fpt = lab_tokens_per_s(ids, vocab, shape, context, batch, steps, device, compile_)
        ours.append(t)
        ref.append(reference_tokens_per_s(ids, vocab, shape, context, batch, steps, device,
                                          compile_))
    return max(ours), max(ref), fpt


def bench_ngram(ids: np.ndarray, n_train: int, vocab: int) -> None:
    from dlrev.lab.ngram import evaluate_family

    t0 = time.perf_counter()
    _, results = evaluate_family(ids, n_train, vocab, 6)
    ours = time.perf_counter() - t0
    text = ids[:n_train].tolist()
    t0 = time.perf_counter()
    for k in range(1, 7):
        Counter(tuple(text[i:i + k]) for i in range(len(text) - k + 1))
    peer = time.perf_counter() - t0
    best = min(results, key=lambda r: r.val_loss)
    print(f"n-gram KN 1-6 fit + eval, {len(ids):,} chars: dlrev {ours:.2f} s "
          f"(best {best.order}-gram {best.val_loss:.3f} nats/char; goal < 5 s) | "
          f"peer collections.Counter counting only: {peer:.2f} s | ratio {peer / ours:.1f}x")


def bench_isoflop(budget: str, device: str, corpus: Path | None, out: str | None,
                  extra: list[str] | None = None) -> int:
    import json
    import subprocess
    import tempfile

    from dlrev.lab.device import parse_budget

    folder = Path(out) if out else Path(tempfile.mkdtemp(prefix="dlrev-isoflop-")) / "iso"
    cmd = [sys.executable, "-m", "dlrev", "lab", "isoflop", "--budget", budget, "--device",
           device, "--out", str(folder), "--json"] + (["--corpus", str(corpus)] if corpus else [])
    cmd += extra or []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode:
        print(proc.stderr[-3000:])
        return proc.returncode
    data = json.loads(proc.stdout)
    design = data["manifest"]["design"]
    asked = parse_budget(budget) or math.nan
    print(f"dlrev lab isoflop --budget {budget} on {device} "
          f"({data['manifest']['threads']} thread(s), {data['manifest']['threads_reason']}): "
          f"wall {wall:.0f} s for {asked:.0f} s asked (ratio {wall / asked:.2f}); the planner "
          f"estimated {design['estimated_s']:.0f} s of training; {len(data['runs'])} runs at "
          + ", ".join(f"{c:.2g}" for c in design["computes"]) + " FLOP")
    for b in data["budgets"]:
        print(f"  C {b['compute']:.2g}: best N {b['N_opt'] or float('nan'):,.0f} "
              f"[{b['N_low'] or float('nan'):,.0f}, {b['N_high'] or float('nan'):,.0f}], "
              f"tokens/param {b['tokens_per_param'] or float('nan'):.3g}, {b['note']}")
    ex = data.get("exponents") or {}
    if ex:
        print(f"  a = {ex['a']:.2f} [{ex['a_low'] or math.nan:.2f}, {ex['a_high'] or math.nan:.2f}]"
              f", b = {ex['b']:.2f}; tokens/param at {ex['tokens_per_param']['compute']:.2g} "
              f"FLOP: {ex['tokens_per_param']['value']:.3g}")
    a3 = data.get("approach3") or {}
    if a3.get("ok"):
        print(f"  approach 3: alpha {a3['alpha']:.3f}, beta {a3['beta']:.3f}, a {a3['a']:.2f}, "
              f"R^2 {a3['r2']:.3f}")
    if data.get("utilisation"):
        print(f"  {utilisation.sentence(data['utilisation'])}")
    print(f"  folder: {folder}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--corpus")
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--isoflop", metavar="BUDGET", help="time `dlrev lab isoflop` at BUDGET")
    ap.add_argument("--out", default=None, help="folder for --isoflop (default: a temporary one)")
    ap.add_argument("--family", help="--isoflop: the ladder (cpu, gpu, tiny)")
    ap.add_argument("--compute", help="--isoflop: the smallest budget in FLOP, not from time")
    ap.add_argument("--widths", default="768,1024,1536,2048",
                    help="GPU only: widths at which to measure MFU (12 layers each)")
    args = ap.parse_args()
    if args.isoflop:
        extra = (["--family", args.family] if args.family else []) + (
            ["--compute", args.compute] if args.compute else [])
        return bench_isoflop(args.isoflop, args.device, corpus_path(args.corpus), args.out,
                             extra)
    try:
        import torch
    except ImportError:
        print("torch not installed; skipping the lab benchmarks")
        return 0
    from dlrev.lab.corpus import from_text, read_text_file, stdlib_corpus

    path = corpus_path(args.corpus)
    corpus = from_text(read_text_file(path), "c", str(path)) if path else stdlib_corpus()
    ids, vocab = corpus.ids, corpus.vocab_size
    print(f"corpus: {corpus.source} ({len(ids):,} chars); torch {torch.__version__}")
    if args.device == "cpu":
        torch.set_num_threads(args.threads)
        bench_ngram(ids, corpus.n_train, vocab)
        steps = args.steps or 40
        shape, context, batch = (4, 96, 4), 64, 32
        ours, ref, _ = bench_throughput(ids, vocab, "cpu", steps, shape, context, batch, False)
        print(f"GPT 4x96 (460k params) training, batch {batch} x context {context}, "
              f"{args.threads} thread(s), {steps} steps: dlrev {ours:,.0f} tok/s | "
              f"peer nanoGPT-style reference loop {ref:,.0f} tok/s | ratio {ours / ref:.2f} "
              f"(goal >= 0.9)")
        return 0
    if not torch.cuda.is_available():
        print("--device cuda: no CUDA device")
        return 1
    torch.backends.cuda.matmul.allow_tf32 = True
    name = torch.cuda.get_device_name()
    steps = args.steps or 200
    shape, context, batch = (6, 384, 6), 256, 64
    ours, ref, fpt = bench_throughput(ids, vocab, "cuda", steps, shape, context, batch, True)
    peak = utilisation.peak_flops(name)
    mfu = fpt * ours / peak if peak else math.nan
    print(f"{name}: GPT 6x384 (10.7M params) bf16 + torch.compile, batch {batch} x context "
          f"{context}, {steps} steps: dlrev {ours:,.0f} tok/s, MFU {mfu:.1%} "
          f"(peak {peak / 1e12 if peak else float('nan'):.0f} TFLOP/s, "
          f"{fpt / 1e6:.1f} MFLOP/token) "
          f"| peer nanoGPT-style reference loop {ref:,.0f} tok/s | ratio {ours / ref:.2f}")
    for b in (256, 512):  # MFU grows with batch; show where the GPU saturates
        o, _ = lab_tokens_per_s(ids, vocab, shape, context, b, steps // 2, "cuda", True)
        mfu_b = fpt * o / peak if peak else math.nan
        print(f"  batch {b}: dlrev {o:,.0f} tok/s, MFU {mfu_b:.1%}")
    # 25 steps a width: the steady state is reached after a few, and the widest (~600M
    # parameters) takes about 0.3 s a step, so that the whole stage stays near 5 minutes
    bench_mfu_widths(ids, vocab, [int(w) for w in args.widths.split(",") if w], peak,
                     max(20, steps // 8))
    return 0


def bench_mfu_widths(ids: np.ndarray, vocab: int, widths: list[int], peak: float | None,
                     steps: int) -> None:
    """MFU of the lab's own training step as the model widens (12 layers, heads of 64, context
    256, about 32k tokens a step): the width at which a GPT fills the GPU."""
    import torch

    reached = None
    for d in widths:
        shape, context = (12, d, max(1, d // 64)), 256
        batch = 128
        while batch > 8:
            try:
                tps, fpt = lab_tokens_per_s(ids, vocab, shape, context, batch, steps, "cuda",
                                            True)
                break
            except torch.cuda.OutOfMemoryError:
                torch.cuda.empty_cache()
                batch //= 2
        else:
            print(f"  width {d}: does not fit")
            continue
        n = 12 * 12 * d * d  # the blocks' weights, roughly: 12 d^2 a layer
        mfu = fpt * tps / peak if peak else math.nan
        print(f"  width {d} (12 layers, ~{n / 1e6:.0f}M parameters), batch {batch} x {context}: "
              f"{tps:,.0f} tok/s, {fpt * tps / 1e12:.0f} TFLOP/s, MFU {mfu:.1%}")
        if reached is None and mfu >= utilisation.GOAL:
            reached = d
    print(f"  MFU reaches {utilisation.GOAL:.0%} at width {reached}" if reached else
          f"  MFU stays under {utilisation.GOAL:.0%} up to width {max(widths)}")


if __name__ == "__main__":
    sys.exit(main())
