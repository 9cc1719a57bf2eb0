"""The neural models of the lab: a GPT in the style of GPT-2/nanoGPT and a char-LSTM in the style
of 2015's char-rnn. Both map (batch, time) character ids to (batch, time, vocab) logits.

GPT: learned token and position embeddings, pre-norm blocks (LayerNorm -> causal self-attention
through torch's scaled_dot_product_attention, LayerNorm -> 4x GELU MLP), a final LayerNorm and an
output head tied to the token embedding. No biases, as in nanoGPT's `bias=False`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from dlrev.lab.spec import ModelSpec


class SelfAttention(nn.Module):
    def __init__(self, d: int, n_head: int, dropout: float) -> None:
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.dropout = dropout
        self.resid_drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.n_head, d // self.n_head).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(
            q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0)
        y = y.transpose(1, 2).contiguous().view(b, t, d)
        return self.resid_drop(self.proj(y))


class Block(nn.Module):
    def __init__(self, d: int, n_head: int, dropout: float) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(d, bias=False)
        self.attn = SelfAttention(d, n_head, dropout)
        self.ln2 = nn.LayerNorm(d, bias=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d, bias=False), nn.GELU(),
                                 nn.Linear(4 * d, d, bias=False), nn.Dropout(dropout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab: int, context: int, n_layer: int, n_embd: int, n_head: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        self.context = context
        self.n_layer, self.n_embd = n_layer, n_embd
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(context, n_embd)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(n_embd, n_head, dropout) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd, bias=False)
        self.head = nn.Linear(n_embd, vocab, bias=False)
        self.head.weight = self.wte.weight  # tied input and output embeddings
        self.apply(self._init)
        for name, p in self.named_parameters():  # GPT-2's scaled init of residual projections
            if name.endswith("proj.weight") or name.endswith("mlp.2.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, nn.Linear | nn.Embedding):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        t = idx.shape[1]
        pos = torch.arange(t, device=idx.device)
        x = self.drop(self.wte(idx) + self.wpe(pos))
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))

    def flops_per_token(self) -> float:
        """Training FLOPs per token: 6 N (N without position embeddings, the tied head counted
        once) plus the attention term 12 L T d (PaLM appendix B, as nanoGPT's MFU estimate)."""
        n = count_params(self) - self.wpe.weight.numel()
        return 6.0 * n + 12.0 * self.n_layer * self.context * self.n_embd


class CharLSTM(nn.Module):
    def __init__(self, vocab: int, n_layer: int, n_embd: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, n_embd)
        self.lstm = nn.LSTM(n_embd, n_embd, num_layers=n_layer, batch_first=True,
                            dropout=dropout if n_layer > 1 else 0.0)
        self.head = nn.Linear(n_embd, vocab)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        y, _ = self.lstm(self.embed(idx))
        return self.head(y)

    def flops_per_token(self) -> float:
        """6 N without the embedding table (a lookup costs no multiply-adds)."""
        return 6.0 * (count_params(self) - self.embed.weight.numel())


def build(spec: ModelSpec, vocab: int, context: int) -> nn.Module:
    if spec.kind == "gpt":
        return GPT(vocab, context, spec.n_layer, spec.n_embd, spec.n_head, spec.dropout)
    if spec.kind == "lstm":
        return CharLSTM(vocab, spec.n_layer, spec.n_embd, spec.dropout)
    raise ValueError(f"unknown model kind {spec.kind!r}")


def count_params(model: nn.Module) -> int:
    """Parameters, each shared tensor counted once (the tied head is the embedding)."""
    return sum(p.numel() for p in model.parameters())


@torch.no_grad()
def generate(model: nn.Module, prompt: list[int], length: int, context: int, seed: int,
             temperature: float = 0.8, device: str = "cpu") -> list[int]:
    """Sample ``length`` ids after ``prompt`` with a seeded generator (same text for same seed)."""
    was_training = model.training
    model.eval()
    gen = torch.Generator(device=device).manual_seed(seed)
    idx = torch.tensor([prompt], dtype=torch.long, device=device)
    for _ in range(length):
        logits = model(idx[:, -context:])[:, -1, :].float() / temperature
        probs = torch.softmax(logits, dim=-1)
        nxt = torch.multinomial(probs, 1, generator=gen)
        idx = torch.cat([idx, nxt], dim=1)
    model.train(was_training)
    return idx[0, len(prompt):].tolist()
