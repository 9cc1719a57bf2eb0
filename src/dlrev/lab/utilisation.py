"""How well a run used its device: the FLOP/s it achieved, counted from the model (training
FLOPs per token times steady-state tokens per second), against the device's published dense
bf16 peak. That ratio is model FLOPs utilisation (MFU) as PaLM's appendix B defines it:
recomputation and padding do not count as work.

CPUs have no peak here (vendors publish none for these kernels), so a CPU run reports the
FLOP/s it achieved and says why MFU is missing.
"""

from __future__ import annotations

import platform
from typing import Any

# dense bf16 tensor-core peak per GPU, FLOP/s, from the vendors' data sheets (no sparsity);
# longer names first, so that "H100 PCIe" is not read as the SXM part
PEAK_BF16 = {
    "H100 PCIe": 756e12, "H100 NVL": 835e12, "H100": 989e12, "H200": 989e12, "GH200": 989e12,
    "A100": 312e12, "L40S": 362e12, "L4": 121e12, "A10": 125e12,
}

GOAL = 0.35  # the MFU the lab aims at on its largest model (issue 17)


def device_name(device: str) -> str:
    """The device's marketing name: the GPU's from CUDA, otherwise the processor's."""
    if device.startswith("cuda"):
        import torch

        return str(torch.cuda.get_device_name(torch.device(device)))
    return platform.processor() or platform.machine() or "CPU"


def peak_flops(name: str | None) -> float | None:
    """The published dense bf16 peak of a GPU named ``name``; None when it is not known."""
    if not name:
        return None
    for key in sorted(PEAK_BF16, key=len, reverse=True):
        if key in name:
            return PEAK_BF16[key]
    return None


def of_run(run: dict, name: str | None) -> dict[str, Any]:
    """One finished run's throughput and MFU (None, with the reason, where there is no peak).

    Under data parallelism the run's tokens per second is the whole group's, so the peak is
    the group's: one device's peak times the processes that shared the batch."""
    tps = (run.get("extra") or {}).get("steady_tokens_per_s") or run.get("tokens_per_s") or 0.0
    world = max(1, int(run.get("world_size") or 1))
    achieved = float(run["flops_per_token"]) * float(tps)
    peak = peak_flops(name)
    row: dict[str, Any] = {
        "model": run.get("name"), "params": run.get("params"), "device_name": name,
        "world_size": world, "tokens_per_s": tps, "flops_per_token": run["flops_per_token"],
        "flops_per_s": achieved, "peak_flops_per_s": peak * world if peak else None,
        "mfu": achieved / (peak * world) if peak and achieved > 0 else None, "goal": GOAL,
    }
    if peak is None:
        row["note"] = (f"no published bf16 peak for {name or 'this device'}, so no MFU; "
                       f"the lab knows the peaks of " + ", ".join(PEAK_BF16))
    return row


def of_largest(runs: list[dict], name: str | None) -> dict[str, Any] | None:
    """The largest finished GPT's utilisation (the one that fills the device best)."""
    gpts = [r for r in runs if r.get("kind", "gpt") == "gpt" and r.get("flops_per_token")]
    if not gpts:
        return None
    return of_run(max(gpts, key=lambda r: (r["params"], r.get("tokens_per_s") or 0)), name)


def sentence(u: dict[str, Any]) -> str:
    """One line for the terminal and the Lab page."""
    head = (f"largest model {u['model']} ({u['params']:,} parameters): "
            f"{u['tokens_per_s']:,.0f} tokens/s, {u['flops_per_s'] / 1e12:.3g} TFLOP/s achieved")
    if u["mfu"] is None:
        return f"{head}; {u['note']}"
    met = "meets" if u["mfu"] >= u["goal"] else "is under"
    return (f"{head} on {u['device_name']}, MFU {u['mfu']:.1%} of the "
            f"{u['peak_flops_per_s'] / 1e12:.0f} TFLOP/s bf16 peak ({met} the "
            f"{u['goal']:.0%} goal)")
