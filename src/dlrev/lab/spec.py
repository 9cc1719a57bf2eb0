"""Model sizes as typed data (nanoGPT's config style): what one rung of a ladder is, with no torch.

A ``ModelSpec`` names the architecture and its training recipe; ``params`` counts its weights
from the shapes alone (checked against the built module in the tests), so planners can size a
family without building it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class ModelSpec:
    """One rung of a family: the architecture and its training recipe."""

    name: str
    kind: str  # "gpt" or "lstm"
    n_layer: int
    n_embd: int
    n_head: int = 1
    lr: float = 1e-3
    steps: int = 2000
    dropout: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelSpec:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    def with_steps(self, steps: int) -> ModelSpec:
        return replace(self, steps=int(steps))

    def params(self, vocab: int, context: int) -> int:
        """Weights of the built model, each shared tensor once (the GPT's head is its embedding).

        GPT: token and position embeddings, per block 12 d^2 (qkv, projection, 4x MLP) and two
        bias-free LayerNorms, a final LayerNorm. LSTM: embedding, per layer 4 gates of two
        d x d matrices and two biases, a linear head with bias."""
        d, n = self.n_embd, self.n_layer
        if self.kind == "gpt":
            return vocab * d + context * d + n * (12 * d * d + 2 * d) + d
        if self.kind == "lstm":
            return vocab * d + n * 4 * (2 * d * d + 2 * d) + d * vocab + vocab
        raise ValueError(f"unknown model kind {self.kind!r}")


def gpt(layers: int, width: int, heads: int, steps: int, dropout: float = 0.0,
        lr: float | None = None) -> ModelSpec:
    """A GPT rung named like nanoGPT's shapes, ``gpt-<layers>x<width>``; learning rate 0.6/width
    unless given (the lab's measured rule for these small widths)."""
    return ModelSpec(f"gpt-{layers}x{width}", "gpt", layers, width, heads,
                     lr if lr is not None else round(0.6 / width, 5), steps, dropout)


def lstm(layers: int, width: int, steps: int, lr: float, dropout: float = 0.0) -> ModelSpec:
    return ModelSpec(f"lstm-{layers}x{width}", "lstm", layers, width, 1, lr, steps, dropout)
