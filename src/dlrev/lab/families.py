"""The lab's families, declared as data: the ladder of sizes, the batch shape, the evaluation and
the shortest training the planner may cut a model to. Nothing here runs anything."""

from __future__ import annotations

from dataclasses import dataclass

from dlrev.errors import DlrevError
from dlrev.lab.spec import ModelSpec, gpt, lstm


@dataclass(frozen=True)
class Family:
    name: str
    context: int
    batch: int
    ngram_order: int
    models: tuple[ModelSpec, ...]  # smallest first; LSTMs and GPTs
    min_steps: int  # the planner never trains a model for fewer steps
    eval_points: int = 8
    eval_tokens: int = 16_384  # the fixed validation subset of the intermediate evaluations
    description: str = ""

    def model(self, name: str) -> ModelSpec:
        for m in self.models:
            if m.name == name:
                return m
        raise DlrevError(f"the {self.name} family has no model {name!r}; it has "
                         f"{', '.join(m.name for m in self.models)}")


FAMILIES: dict[str, Family] = {
    "tiny": Family(
        "tiny", context=32, batch=16, ngram_order=4, min_steps=30, eval_points=4,
        models=(lstm(1, 32, 200, 1e-2), gpt(1, 8, 1, 200), gpt(1, 16, 2, 200),
                gpt(2, 32, 4, 200), gpt(2, 64, 4, 200)),
        description="seconds: a smoke test of the whole pipeline (too few steps for a clean "
                    "curve on real text)"),
    "default": Family(
        "default", context=64, batch=32, ngram_order=6, min_steps=100,
        models=(lstm(2, 128, 1500, 1e-2), gpt(1, 24, 3, 2000), gpt(2, 32, 4, 2000),
                gpt(2, 48, 4, 2000), gpt(4, 64, 4, 2000), gpt(4, 96, 4, 2000)),
        description="about 5 minutes on a 2-core CPU: 10k-460k-parameter GPTs, 2,000 steps each"),
    "gpu": Family(
        "gpu", context=256, batch=64, ngram_order=6, min_steps=200, eval_points=10,
        models=(lstm(2, 256, 3000, 3e-3), gpt(1, 24, 3, 3000), gpt(2, 32, 4, 3000),
                gpt(2, 48, 4, 3000), gpt(4, 64, 4, 3000), gpt(4, 96, 4, 3000),
                gpt(4, 128, 4, 3000, 0.1), gpt(6, 192, 6, 3000, 0.2, 2e-3),
                gpt(6, 384, 6, 3000, 0.2, 1e-3)),
        description="a GPU: the ladder extended to 0.8M, 2.7M and 10.7M parameters (dropout and "
                    "early stopping, since tiny-shakespeare runs out above about 1M)"),
}


def family_of(name: str) -> Family:
    if name not in FAMILIES:
        raise DlrevError(f"--family {name!r} is not one of {', '.join(FAMILIES)}")
    return FAMILIES[name]


# The IsoFLOP ladders: GPT shapes about 1.5-2x apart in parameters, from which each compute
# budget takes the sizes around its expected optimum. Steps are set per run (tokens = C / 6N).
ISO_CPU: tuple[ModelSpec, ...] = (
    gpt(1, 8, 2, 0), gpt(1, 12, 2, 0), gpt(1, 16, 2, 0), gpt(1, 24, 3, 0), gpt(2, 24, 3, 0),
    gpt(2, 32, 4, 0), gpt(3, 32, 4, 0),
    gpt(2, 48, 4, 0), gpt(3, 48, 4, 0), gpt(3, 64, 4, 0), gpt(4, 64, 4, 0), gpt(4, 80, 4, 0),
    gpt(4, 96, 4, 0), gpt(5, 112, 4, 0), gpt(6, 128, 4, 0), gpt(6, 160, 5, 0),
    gpt(6, 192, 6, 0), gpt(8, 224, 7, 0), gpt(8, 256, 8, 0))
ISO_GPU: tuple[ModelSpec, ...] = ISO_CPU[8:] + (
    gpt(8, 320, 5, 0, lr=1.5e-3), gpt(8, 384, 6, 0, lr=1.2e-3), gpt(10, 448, 7, 0, lr=1e-3),
    gpt(12, 512, 8, 0, lr=1e-3), gpt(12, 640, 10, 0, lr=8e-4), gpt(12, 768, 12, 0, lr=6e-4),
    gpt(16, 1024, 16, 0, lr=4e-4))


@dataclass(frozen=True)
class IsoFamily:
    """The shape of an IsoFLOP experiment: batch and context of every run, the ladder of GPT
    shapes each budget picks its sizes from, and the evaluation."""

    name: str
    context: int
    batch: int
    ladder: tuple[ModelSpec, ...]
    # The grid's centre, in tokens per parameter: each budget's sizes are spread around
    # N = sqrt(C / (6 * centre)). A prior, not a result: the parabola finds the minimum wherever
    # it is inside the grid (and says so when it is not). For the CPU ladder it comes from the
    # lab's own default-family losses on tiny-shakespeare (best sizes of a few thousand
    # parameters at 1e11 FLOP); Chinchilla's 20 would put every CPU budget's grid above it.
    centre_tpp: float = 200.0
    spread: float = 2.5  # neighbouring sizes of a budget differ by about this factor in N
    min_steps: int = 150  # a shorter run measures its warm-up, not its size: not taken
    eval_points: int = 4
    eval_tokens: int = 8_192
    final_eval_tokens: int = 65_536  # one fixed validation subset for every run


ISO_FAMILIES: dict[str, IsoFamily] = {
    "tiny": IsoFamily("tiny", context=16, batch=8, min_steps=10, centre_tpp=20.0, eval_points=2,
                      eval_tokens=2_048, final_eval_tokens=8_192,
                      ladder=(gpt(1, 4, 1, 0), gpt(1, 6, 1, 0), gpt(1, 8, 1, 0),
                              gpt(1, 12, 2, 0), gpt(1, 16, 2, 0), gpt(2, 16, 2, 0),
                              gpt(2, 24, 2, 0), gpt(2, 32, 4, 0), gpt(3, 32, 4, 0))),
    # batch 16: at these losses a small batch is the better use of the tokens, and a budget
    # gets twice the optimizer steps
    "cpu": IsoFamily("cpu", context=64, batch=16, ladder=ISO_CPU),
    "gpu": IsoFamily("gpu", context=256, batch=64, ladder=ISO_GPU, min_steps=200,
                     centre_tpp=60.0, spread=3.0,
                     eval_points=4, eval_tokens=32_768, final_eval_tokens=65_536),
}
