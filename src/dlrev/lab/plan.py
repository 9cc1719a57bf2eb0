"""Fit a family into a wall-clock budget without losing the scaling it is there to show.

Pure: it takes the seconds per training step of each model (measured by the speed probe, or
simulated in the tests) and returns a ``Plan``. The rules, in order:

1. keep the whole family when it fits;
2. shorten training before dropping a size: a smaller evaluation (fewer evaluations on a
   smaller validation subset, the final number on a fixed subset of the split), then fewer
   steps for every model down to half, then leave out the LSTM (a reference, not a rung of the
   GPT ladder), then fewer steps down to the family's minimum, then the smallest evaluation;
3. only then leave out GPT sizes, never below four sizes spanning a decade of parameters;
4. when even that does not fit, refuse with the smallest budget that would.

Every step it takes is written into ``Plan.notes`` in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from dlrev.errors import DlrevError
from dlrev.lab.families import Family
from dlrev.lab.spec import ModelSpec

MIN_SIZES = 4  # a floor-form fit has three parameters: four sizes at least
MIN_SPAN = 10.0  # ... spread over at least a decade of parameters
SAMPLE_CHARS = 240


@dataclass(frozen=True)
class EvalSetting:
    points: int  # evaluations during training
    tokens: int  # validation characters each of them reads
    final_tokens: int | None  # the final number: None is the whole validation split

    def describe(self) -> str:
        final = "the whole split" if self.final_tokens is None else f"{self.final_tokens:,} chars"
        return f"{self.points} evaluations on {self.tokens:,} chars, final on {final}"


@dataclass
class Plan:
    family: str
    context: int
    batch: int
    ngram_order: int
    eval_points: int
    models: list[ModelSpec]
    eval_tokens: int = 16_384
    final_eval_tokens: int | None = None
    dropped: list[str] = field(default_factory=list)
    shortened: list[str] = field(default_factory=list)
    estimated_s: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "context": self.context, "batch": self.batch,
                "ngram_order": self.ngram_order, "eval_points": self.eval_points,
                "eval_tokens": self.eval_tokens, "final_eval_tokens": self.final_eval_tokens,
                "models": [m.to_dict() for m in self.models], "dropped": self.dropped,
                "shortened": self.shortened, "estimated_s": self.estimated_s,
                "notes": self.notes}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        kw = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        kw["models"] = [ModelSpec.from_dict(m) for m in d["models"]]
        return cls(**kw)


@dataclass(frozen=True)
class CostModel:
    """Projected seconds of a plan: training steps, evaluations (a forward pass costs about a
    third of a training step per character), one sample per model, and the fixed work."""

    seconds_per_step: dict[str, float]
    batch_tokens: int
    val_tokens: int
    fixed_s: float = 2.0  # n-gram baselines, folder writes

    def model_s(self, m: ModelSpec, ev: EvalSetting) -> float:
        sps = self.seconds_per_step[m.name]
        per_char = sps / self.batch_tokens / 3
        final = self.val_tokens if ev.final_tokens is None else min(ev.final_tokens,
                                                                     self.val_tokens)
        evals = per_char * (ev.points * min(ev.tokens, self.val_tokens) + final)
        sample = SAMPLE_CHARS * (sps / self.batch_tokens * 64 / 3 + 1e-3)
        return m.steps * sps + evals + sample

    def total(self, models: list[ModelSpec], ev: EvalSetting) -> float:
        return self.fixed_s + sum(self.model_s(m, ev) for m in models)


def _ladder_ok(gpts: list[ModelSpec], vocab: int, context: int) -> bool:
    sizes = [m.params(vocab, context) for m in gpts]
    return len(sizes) >= MIN_SIZES and max(sizes) >= MIN_SPAN * min(sizes)


def plan(family: Family, budget_s: float | None, seconds_per_step: dict[str, float] | None,
         steps: int | None = None, only: list[str] | None = None, *, vocab: int = 65,
         val_tokens: int = 111_540, fixed_s: float = 2.0, spent_s: float = 0.0) -> Plan:
    """The longest training of the most sizes that fits ``budget_s`` (see the module's rules).
    ``seconds_per_step`` comes from the speed probe; None (or no budget) keeps the family whole.
    ``steps`` forces every model's step count; ``only`` trains just the named models;
    ``spent_s`` of the budget are already gone (the probe)."""
    models = list(family.models)
    if only:
        models = [family.model(n) for n in only]
        models.sort(key=lambda m: family.models.index(m))
    if steps is not None:
        models = [m.with_steps(steps) for m in models]
    full = {m.name: m.steps for m in models}
    ev0 = EvalSetting(family.eval_points, family.eval_tokens, None)
    p = Plan(family.name, family.context, family.batch, family.ngram_order, ev0.points,
             list(models), ev0.tokens, None)
    if budget_s is None or seconds_per_step is None:
        return p
    asked, budget_s = budget_s, budget_s - spent_s
    cm = CostModel(seconds_per_step, family.batch * family.context, val_tokens, fixed_s)
    small = EvalSetting(min(ev0.points, 4), min(ev0.tokens, 8_192), 65_536)
    smallest = EvalSetting(2, min(ev0.tokens, 2_048), 16_384)
    floor = {n: s if steps is not None else min(s, family.min_steps) for n, s in full.items()}

    def at(ms: list[ModelSpec], scale: float) -> list[ModelSpec]:
        return [m.with_steps(max(floor[m.name], min(full[m.name],
                                                    int(full[m.name] * scale) // 10 * 10)))
                for m in ms]

    def longest(ms: list[ModelSpec], ev: EvalSetting, lowest: float) -> list[ModelSpec] | None:
        """The longest training between ``lowest`` and the full length that fits, or None."""
        if steps is not None:  # the steps were asked for: never change them
            return ms if cm.total(ms, ev) <= budget_s else None
        if cm.total(at(ms, 1.0), ev) <= budget_s:
            return at(ms, 1.0)
        if cm.total(at(ms, lowest), ev) > budget_s:
            return None
        lo, hi = lowest, 1.0
        for _ in range(40):  # cost grows with the scale: bisect for the largest that fits
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if cm.total(at(ms, mid), ev) <= budget_s else (lo, mid)
        return at(ms, lo)

    def lstms(ms: list[ModelSpec]) -> list[ModelSpec]:
        return [m for m in ms if m.kind != "gpt"]

    def gpts(ms: list[ModelSpec]) -> list[ModelSpec]:
        return [m for m in ms if m.kind == "gpt"]

    ladder = _ladder_ok(gpts(models), vocab, family.context)
    # (models, evaluation, lowest step scale, what this stage gives up)
    stages: list[tuple[list[ModelSpec], EvalSetting, float, str]] = [
        (models, ev0, 1.0, ""), (models, small, 1.0, "eval"), (models, small, 0.5, "steps")]
    if lstms(models) and len(gpts(models)) >= 1:
        stages.append((gpts(models), small, 0.5, "lstm"))
        stages.append((gpts(models), small, 0.0, "steps"))
        stages.append((gpts(models), smallest, 0.0, "eval"))
    else:
        stages.append((models, small, 0.0, "steps"))
        stages.append((models, smallest, 0.0, "eval"))
    chosen: tuple[list[ModelSpec], EvalSetting] | None = None
    for ms, ev, lowest, _ in stages:
        fit = longest(ms, ev, lowest)
        if fit is not None:
            chosen = (fit, ev)
            break
    if chosen is None:  # 3. drop GPT sizes, keeping a ladder that can still show scaling
        current = gpts(models) if gpts(models) else models
        while chosen is None:
            options = [[x for x in current if x is not m] for m in current]
            if ladder:
                options = [o for o in options if _ladder_ok(o, vocab, family.context)]
            else:
                options = [o for o in options if o]
            if not options:
                break
            current = min(options, key=lambda o: cm.total(at(o, 0.0), smallest))
            fit = longest(current, smallest, 0.0)
            if fit is not None:
                chosen = (fit, smallest)
        if chosen is None:
            need = cm.total(at(current, 0.0), smallest)
            what = (f"{len(gpts(current))} GPT sizes spanning a decade of parameters"
                    if ladder else f"{current[0].name}")
            probe = f" ({spent_s:.0f} s of it went to the speed probe)" if spent_s >= 1 else ""
            need += spent_s
            raise DlrevError(
                f"a budget of {asked:.0f} s{probe} is too small for even the shortest plan that "
                f"still shows scaling ({what} at {min(m.steps for m in at(current, 0.0)):,} "
                f"steps with the smallest evaluation: about {need:.0f} s on this machine); "
                f"give at least --budget {_ceil_budget(need)}")
    kept, ev = chosen
    p.models = kept
    p.eval_points, p.eval_tokens, p.final_eval_tokens = ev.points, ev.tokens, ev.final_tokens
    p.dropped = [m.name for m in models if m.name not in {k.name for k in kept}]
    p.estimated_s = cm.total(kept, ev)
    fewer = [f"{m.name} {m.steps:,}/{full[m.name]:,}" for m in kept if m.steps < full[m.name]]
    if fewer:
        p.shortened.append("fewer steps: " + ", ".join(fewer))
    if ev != ev0:
        p.shortened.append(f"smaller evaluation: {ev.describe()} (instead of {ev0.describe()})")
    for s in p.shortened:
        p.notes.append(f"to fit the {asked:.0f} s budget, {s}")
    if p.dropped:
        why = " (the LSTM is a reference, not a rung of the GPT ladder)" if all(
            family.model(n).kind != "gpt" for n in p.dropped) else ""
        p.notes.append(f"to fit the {asked:.0f} s budget, left out: "
                       f"{', '.join(p.dropped)}{why}")
    return p


def _ceil_budget(seconds: float) -> str:
    """A budget a little above ``seconds``, written the way a user would type it."""
    if seconds < 120:
        return f"{math.ceil(seconds / 5) * 5}s"
    return f"{math.ceil(seconds / 60)}m"


__all__ = ["CostModel", "EvalSetting", "Plan", "plan"]
