"""Count-based character n-gram models with interpolated Kneser-Ney smoothing, numpy only.

For a model of order n the probability of character w after history h (the previous n-1
characters) mixes every order, highest first:

    P_k(w | h) = max(c_k(hw) - D_k, 0) / c_k(h.)  +  D_k * N1+(h.) / c_k(h.) * P_{k-1}(w | h')

where h' drops the oldest character of h, c_n are raw counts at the top order, c_k (k < n) are
continuation counts N1+(.hw) (in how many distinct contexts hw occurs), N1+(h.) is the number of
distinct characters seen after h, D_k = n1 / (n1 + 2 n2) from the counts of counts at that level,
and P_0 is uniform over the vocabulary. A history never seen in training passes P_{k-1} through.

Everything is vectorised: k-grams are integer codes (base V), counted with np.unique, and looked
up with np.searchsorted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from dlrev.errors import DlrevError


@dataclass
class Level:
    """The table of one order k: sorted k-gram codes with their counts, and per history (the
    code divided by V) the total count and the number of distinct next characters."""

    k: int
    keys: np.ndarray
    counts: np.ndarray
    hist: np.ndarray
    hist_total: np.ndarray
    hist_types: np.ndarray
    discount: float

    @classmethod
    def build(cls, k: int, keys: np.ndarray, counts: np.ndarray, vocab: int) -> Level:
        hist_of_key = keys // vocab
        hist, start = np.unique(hist_of_key, return_index=True)
        total = np.add.reduceat(counts, start) if len(keys) else np.zeros(0, np.int64)
        types = np.diff(np.append(start, len(keys)))
        n1 = int(np.sum(counts == 1))
        n2 = int(np.sum(counts == 2))
        d = n1 / (n1 + 2 * n2) if n1 + 2 * n2 > 0 else 0.5
        d = min(max(d, 0.05), 0.95)
        return cls(k, keys, counts.astype(np.float64), hist, total.astype(np.float64),
                   types.astype(np.float64), d)

    def mix(self, key: np.ndarray, lower: np.ndarray, vocab: int) -> np.ndarray:
        """P_k for the k-gram codes ``key``, given P_{k-1} for the same positions."""
        h = key // vocab
        hi = np.searchsorted(self.hist, h)
        hi_c = np.minimum(hi, len(self.hist) - 1)
        seen = self.hist[hi_c] == h
        ki = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        c = np.where(self.keys[ki] == key, self.counts[ki], 0.0)
        total = np.where(seen, self.hist_total[hi_c], 1.0)
        types = np.where(seen, self.hist_types[hi_c], 0.0)
        p = (np.maximum(c - self.discount, 0.0) + self.discount * types * lower) / total
        return np.where(seen, p, lower)


@dataclass
class KneserNey:
    """An interpolated Kneser-Ney model of one order over a vocabulary of ``vocab`` ids."""

    order: int
    vocab: int
    levels: list[Level]  # levels[k-1] is order k; the top one holds raw counts

    @property
    def entries(self) -> int:
        """Table size: the k-grams stored over all orders (the model's 'parameters')."""
        return int(sum(len(lv.keys) for lv in self.levels))

    def prob(self, ids: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """P(ids[t] | ids[t-n+1 .. t-1]) for each t in ``positions`` (t >= order - 1)."""
        v = self.vocab
        p = np.full(len(positions), 1.0 / v)
        key = np.zeros(len(positions), dtype=np.int64)
        for k, level in enumerate(self.levels, start=1):
            # key of length k ending at t: the previous key (length k-1, ending at t) gains the
            # character k-1 places back as its new most significant digit
            key = key + ids[positions - (k - 1)] * (v ** (k - 1))
            p = level.mix(key, p, v)
        return p

    def loss(self, ids: np.ndarray, start: int) -> float:
        """Mean negative log-likelihood (nats per character) of ids[start:], using the text
        before ``start`` as context for the first positions."""
        if start < self.order - 1:
            raise DlrevError(f"the {self.order}-gram needs {self.order - 1} characters of context")
        pos = np.arange(start, len(ids))
        return float(-np.mean(np.log(self.prob(ids, pos))))

    def distribution(self, context: list[int]) -> np.ndarray:
        """P(. | context) over the whole vocabulary (sums to one)."""
        v = self.vocab
        ctx = list(context)[-(self.order - 1):] if self.order > 1 else []
        if len(ctx) < self.order - 1:
            ctx = [0] * (self.order - 1 - len(ctx)) + ctx
        ids = np.array(ctx * 1 + [0], dtype=np.int64)
        seq = np.tile(ids, (v, 1))
        seq[:, -1] = np.arange(v)
        flat = seq.reshape(-1)
        pos = np.arange(v) * len(ids) + len(ids) - 1
        return self.prob(flat, pos)

    def sample(self, prompt: list[int], length: int, seed: int, temperature: float = 0.8
               ) -> list[int]:
        rng = np.random.default_rng(seed)
        out = list(prompt)
        for _ in range(length):
            p = self.distribution(out)
            logits = np.log(p) / temperature
            q = np.exp(logits - logits.max())
            out.append(int(rng.choice(len(q), p=q / q.sum())))
        return out[len(prompt):]


def max_order_for(vocab: int) -> int:
    """Highest order whose k-gram codes fit in int64."""
    k = 1
    while vocab ** (k + 1) < 2**62:
        k += 1
    return k


def fit_family(train: np.ndarray, vocab: int, max_order: int) -> list[KneserNey]:
    """Kneser-Ney models of orders 1..max_order on ``train`` (shared count tables)."""
    if max_order < 1:
        raise DlrevError("n-gram order must be at least 1")
    max_order = min(max_order, max_order_for(vocab), len(train))
    x = train.astype(np.int64)
    raw_keys, raw_counts, distinct = [], [], []
    code = np.zeros(len(x), dtype=np.int64)
    for k in range(1, max_order + 1):
        code = code[:-1] * vocab + x[k - 1:] if k > 1 else x.copy()
        keys, counts = np.unique(code, return_counts=True)
        raw_keys.append(keys)
        raw_counts.append(counts)
        distinct.append(keys)
    cont: list[Level] = []
    for k in range(1, max_order):
        # continuation count of a k-gram: the distinct (k+1)-grams that end with it
        suffix = distinct[k] % (vocab**k)
        keys, counts = np.unique(suffix, return_counts=True)
        cont.append(Level.build(k, keys, counts, vocab))
    raw = [Level.build(k, raw_keys[k - 1], raw_counts[k - 1], vocab)
           for k in range(1, max_order + 1)]
    return [KneserNey(n, vocab, cont[: n - 1] + [raw[n - 1]]) for n in range(1, max_order + 1)]


@dataclass
class NGramResult:
    order: int
    entries: int
    val_loss: float
    seconds: float

    def to_dict(self) -> dict:
        return {"order": self.order, "entries": self.entries, "val_loss": self.val_loss,
                "seconds": self.seconds}


def evaluate_family(ids: np.ndarray, n_train: int, vocab: int, max_order: int = 6
                    ) -> tuple[list[KneserNey], list[NGramResult]]:
    """Fit on ids[:n_train], score ids[n_train:] (nats per character) for orders 1..max_order."""
    t0 = time.perf_counter()
    models = fit_family(ids[:n_train], vocab, max_order)
    fit_s = time.perf_counter() - t0
    results = []
    for m in models:
        t1 = time.perf_counter()
        loss = m.loss(ids, max(n_train, m.order - 1))
        results.append(NGramResult(m.order, m.entries, loss,
                                   fit_s / len(models) + time.perf_counter() - t1))
    return models, results
