"""The lab's planner on simulated speeds (no training): the ladder always shows scaling."""

from __future__ import annotations

import pytest

from dlrev.errors import DlrevError
from dlrev.lab.families import FAMILIES
from dlrev.lab.plan import MIN_SPAN, Plan, plan

# tokens per second of each model on this project's busy 2-core CPU (docs/lab.md), at the
# default family's batch of 32 x 64 characters
BUSY_TOKENS_PER_S = {"lstm-2x128": 16e3, "gpt-1x24": 93e3, "gpt-2x32": 33e3, "gpt-2x48": 45e3,
                     "gpt-4x64": 22e3, "gpt-4x96": 13e3}
BUSY = {k: 2048 / v for k, v in BUSY_TOKENS_PER_S.items()}
FAM = FAMILIES["default"]


def _gpt_sizes(p: Plan) -> list[int]:
    return [m.params(65, FAM.context) for m in p.models if m.kind == "gpt"]


@pytest.mark.parametrize("budget", [30, 45, 60, 90, 120, 180, 300, 600, 1200, 1800, 3600])
@pytest.mark.parametrize("slowdown", [1.0, 0.5])
def test_the_plan_keeps_four_sizes_over_a_decade(budget, slowdown):
    speeds = {k: v * slowdown for k, v in BUSY.items()}  # 0.5: an idle machine, twice as fast
    p = plan(FAM, budget, speeds)
    sizes = _gpt_sizes(p)
    assert len(sizes) >= 4 and max(sizes) >= MIN_SPAN * min(sizes)
    assert p.estimated_s <= budget
    assert all(m.steps >= FAM.min_steps for m in p.models)
    full = {m.name: m.steps for m in FAM.models}
    if any(m.steps < full[m.name] for m in p.models):
        assert any("fewer steps" in n for n in p.notes)


def test_training_is_shortened_before_a_size_is_dropped():
    total = plan(FAM, 10_000, BUSY).estimated_s  # the whole family
    assert plan(FAM, total + 1, BUSY).dropped == []
    # a little short: a smaller evaluation and fewer steps, every model kept
    p = plan(FAM, total * 0.8, BUSY)
    assert p.dropped == [] and len(p.models) == 6
    assert any("smaller evaluation" in n for n in p.notes)
    # shorter: the LSTM goes (it is not a rung of the ladder), all five GPTs stay
    p = plan(FAM, 120, BUSY)
    assert p.dropped == ["lstm-2x128"] and len(p.models) == 5
    assert "not a rung of the GPT ladder" in p.notes[-1]
    # a GPT size goes only when every model is at the family's minimum number of steps
    p = plan(FAM, 30, BUSY)
    assert "gpt-4x96" in p.dropped and len(_gpt_sizes(p)) == 4


def test_too_small_a_budget_names_the_smallest_that_would_do():
    with pytest.raises(DlrevError) as exc:
        plan(FAM, 10, BUSY)
    msg = str(exc.value)
    assert "4 GPT sizes spanning a decade" in msg
    need = msg.rsplit("--budget ", 1)[1]
    assert need.endswith("s")
    plan(FAM, float(need[:-1]), BUSY)  # the budget it names does fit


def test_forced_steps_and_only_are_respected():
    p = plan(FAM, None, None, steps=50, only=["gpt-2x32", "gpt-1x24"])
    assert [m.name for m in p.models] == ["gpt-1x24", "gpt-2x32"]
    assert {m.steps for m in p.models} == {50}
    with pytest.raises(DlrevError, match="has no model 'gpt-9x9'"):
        plan(FAM, None, None, only=["gpt-9x9"])
    assert Plan.from_dict(p.to_dict()) == p


@pytest.mark.lab
def test_spec_counts_parameters_like_the_built_model():
    torch = pytest.importorskip("torch")  # noqa: F841
    from dlrev.lab.models import build, count_params

    for fam in FAMILIES.values():
        for m in fam.models:
            assert m.params(65, fam.context) == count_params(build(m, 65, fam.context)), m.name
    from dlrev.lab.families import ISO_FAMILIES

    for iso in ISO_FAMILIES.values():
        for m in iso.ladder[:8]:
            assert m.params(65, iso.context) == count_params(build(m, 65, iso.context))
