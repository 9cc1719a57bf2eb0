"""Model FLOPs utilisation: the arithmetic against the H100 figures in benchmarks/README.md, the
device-name lookup, and data parallelism's shared peak."""

import pytest

from dlrev.lab import utilisation

# measured on the lent H100 (benchmarks/README.md, 2026-11-23): the gpu family's largest GPT,
# 6x384, 10.7M parameters, 71 MFLOP a token, 1.87M tokens/s at batch 64 x 256 -> MFU 13.4 %
H100_RUN = {"name": "gpt-6x384", "kind": "gpt", "params": 10_740_000, "world_size": 1,
            "flops_per_token": 71.0e6, "tokens_per_s": 1.80e6,
            "extra": {"steady_tokens_per_s": 1.87e6}}


def test_mfu_of_the_measured_h100_run():
    u = utilisation.of_run(H100_RUN, "NVIDIA H100 80GB HBM3")
    assert u["peak_flops_per_s"] == 989e12
    assert u["tokens_per_s"] == 1.87e6  # the steady state, not the average with compilation
    assert round(u["mfu"], 3) == 0.134
    assert "MFU 13.4% of the 989 TFLOP/s" in utilisation.sentence(u)
    assert "under the 35% goal" in utilisation.sentence(u)


@pytest.mark.parametrize("name, peak", [
    ("NVIDIA H100 PCIe", 756e12), ("NVIDIA H100 NVL", 835e12), ("NVIDIA H200", 989e12),
    ("NVIDIA A100-SXM4-80GB", 312e12), ("NVIDIA L40S", 362e12), ("NVIDIA L4", 121e12),
    ("NVIDIA GeForce RTX 3090", None), ("x86_64", None), (None, None)])
def test_peak_is_found_by_the_longest_matching_name(name, peak):
    assert utilisation.peak_flops(name) == peak


def test_data_parallel_runs_share_the_peak_of_every_process():
    two = {**H100_RUN, "world_size": 2, "extra": {"steady_tokens_per_s": 2 * 1.87e6}}
    assert utilisation.of_run(two, "NVIDIA H100 80GB HBM3")["mfu"] == pytest.approx(
        utilisation.of_run(H100_RUN, "NVIDIA H100 80GB HBM3")["mfu"])


def test_largest_gpt_is_chosen_and_a_cpu_says_why_there_is_no_mfu():
    small = {**H100_RUN, "name": "gpt-2x64", "params": 100_000}
    lstm = {**H100_RUN, "name": "lstm", "kind": "lstm", "params": 10**9}
    u = utilisation.of_largest([small, lstm, H100_RUN], "x86_64")
    assert u["model"] == "gpt-6x384" and u["mfu"] is None
    assert u["flops_per_s"] == pytest.approx(71.0e6 * 1.87e6)
    assert "no published bf16 peak for x86_64" in utilisation.sentence(u)
    assert utilisation.of_largest([lstm], "x86_64") is None
