"""Time horizons: METR's per-agent fits reproduced from the file, the batched bootstrap against a
slow per-draw reference loop on the same draws, the SOTA trend, and the reader's handling of
bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dlrev import horizons
from dlrev.errors import DataError
from dlrev.metr import MetrResults, read_curated, read_metr


@pytest.fixture(scope="module")
def metr_file(shared_dir: Path) -> Path:
    return shared_dir / "data" / "metr" / "task_results_1_1.yaml"


@pytest.fixture(scope="module")
def results(metr_file: Path) -> MetrResults:
    return read_metr(metr_file)


@pytest.fixture(scope="module")
def full_fit(results: MetrResults) -> horizons.HorizonFit:
    return horizons.fit_horizons(results, bootstrap=1000, seed=42)


def test_reader_counts(results: MetrResults) -> None:
    s = results.summary()
    assert (s["agents"], s["task_rows"], s["tasks"], s["families"]) == (23, 5207, 228, 79)
    assert (s["runs"], s["successes"]) == (27119, 19153)
    assert s["skipped"] == {}
    assert s["benchmark"] == "METR-Horizon-v1.1"


def test_coefficients_reproduced_for_every_agent(results: MetrResults) -> None:
    fit = horizons.fit_horizons(results, bootstrap=0)
    coef = np.array([a.coefficient for a in fit.agents])
    icpt = np.array([a.intercept for a in fit.agents])
    fc = results.agents["coefficient"].to_numpy()
    fi = results.agents["intercept"].to_numpy()
    assert len(coef) == 23
    # Every value within the file's rounding (plus METR's solver tolerance) ...
    assert np.abs(coef - fc).max() < 0.001
    assert np.abs(icpt - fi).max() < 0.001
    # ... and equal to 3 decimals for 45 of the 46 numbers. The exception is Claude Mythos
    # Preview's intercept: the exact optimum is 5.58269, METR's lbfgs stopped at 5.582.
    same = np.concatenate([np.round(coef, 3) == fc, np.round(icpt, 3) == fi])
    assert same.sum() == 45
    bad = [a.agent for a, ok in zip(fit.agents, np.round(icpt, 3) == fi, strict=True) if not ok]
    assert bad == ["Claude Mythos Preview (early)"]
    assert fit.agent("GPT-5 (Inspect)").coefficient == pytest.approx(-0.576, abs=5e-4)
    assert fit.agent("GPT-5 (Inspect)").p50 == pytest.approx(203.0, abs=0.1)


def test_published_values_match_the_fit(results: MetrResults) -> None:
    fit = horizons.fit_horizons(results, bootstrap=0)
    pub = read_curated()
    assert len(pub) >= 14 and pub["source_url"].str.startswith("https://").all()
    for row in pub.itertuples():
        assert fit.agent(row.agent).p50 == pytest.approx(row.p50_minutes, rel=2e-3), row.agent


def test_weighting_matters_and_file_weights_agree(results: MetrResults) -> None:
    inv = horizons.fit_horizons(results, bootstrap=0)
    rounded = horizons.fit_horizons(results, bootstrap=0, weighting="file")
    equal = horizons.fit_horizons(results, bootstrap=0, weighting="equal")
    a, b, c = (f.agent("o3 (Inspect)").p50 for f in (inv, rounded, equal))
    assert b == pytest.approx(a, rel=2e-3)  # the file's weights are 1/sqrt(k) to 3 decimals
    assert abs(c / a - 1) > 0.02


def _subset(res: MetrResults, names: list[str]) -> MetrResults:
    return MetrResults(res.agents[res.agents["agent"].isin(names)].reset_index(drop=True),
                       res.tasks[res.tasks["agent"].isin(names)].reset_index(drop=True),
                       res.source)


@pytest.mark.slow
def test_bootstrap_matches_a_slow_reference_loop(results: MetrResults) -> None:
    """Same seed, same draws: the batched Newton solve equals scikit-learn fitted draw by draw
    on the draws expanded back to one row per run."""
    from sklearn.linear_model import LogisticRegression

    sub = _subset(results, ["GPT-4o (Inspect)", "o3 (Inspect)", "Claude Opus 4.5 (Inspect)"])
    data = horizons.prepare(sub)
    draws = horizons.draw_bootstrap(data, 20, seed=7)
    fast_b, fast_a = horizons.fit_draws(data, draws)
    x = data.x
    ref_b = np.full_like(fast_b, np.nan)
    ref_a = np.full_like(fast_a, np.nan)
    for b in range(draws.n):
        for a in range(len(data.agents)):
            n = draws.multiplicity[b] * data.runs[a]
            s = draws.successes[b, a]
            keep = n > 0
            xs, ns, ss, ws = x[keep], n[keep], s[keep], data.weight[a][keep]
            # One row per (task, outcome) carrying its runs' summed weight: the same objective
            # as one row per run, and the same data METR's fit sees.
            rows_x = np.concatenate([xs, xs])
            rows_y = np.r_[np.ones(len(xs)), np.zeros(len(xs))]
            rows_w = np.concatenate([ss * ws, (ns - ss) * ws])
            rows_x, rows_y, rows_w = rows_x[rows_w > 0], rows_y[rows_w > 0], rows_w[rows_w > 0]
            if len(np.unique(rows_y)) < 2:
                continue
            m = LogisticRegression(C=1 / horizons.REGULARIZATION, tol=1e-8, max_iter=10_000)
            m.fit(rows_x[:, None], rows_y, sample_weight=rows_w)
            ref_b[b, a], ref_a[b, a] = m.coef_[0][0], m.intercept_[0]
    assert np.isfinite(ref_b).all() and np.isfinite(fast_b).all()
    np.testing.assert_allclose(fast_b, ref_b, atol=2e-5)
    np.testing.assert_allclose(fast_a, ref_a, atol=2e-4)
    p_fast = horizons.horizon_minutes(fast_b, fast_a, 0.5)
    p_ref = horizons.horizon_minutes(ref_b, ref_a, 0.5)
    np.testing.assert_allclose(np.percentile(p_fast, [2.5, 97.5], axis=0),
                               np.percentile(p_ref, [2.5, 97.5], axis=0), rtol=1e-3)


def test_draws_are_hierarchical(results: MetrResults) -> None:
    data = horizons.prepare(results)
    d = horizons.draw_bootstrap(data, 200, seed=1)
    sizes = np.bincount(data.family)
    per_family = np.zeros((d.n, len(sizes)), dtype=int)
    np.add.at(per_family.T, data.family, d.multiplicity.T)
    # Each family is drawn a whole number of times, each copy drawing k of its k tasks.
    assert (per_family % sizes == 0).all()
    assert (per_family.sum(axis=1) // 1 > 0).all()
    assert (per_family // sizes).sum(axis=1).tolist() == [len(sizes)] * d.n
    # Runs never exceed what was drawn.
    assert (d.successes <= d.multiplicity[:, None, :] * data.runs[None]).all()


def test_intervals_and_settings(full_fit: horizons.HorizonFit) -> None:
    a = full_fit.agent("GPT-5 (Inspect)")
    assert a.p50_low < a.p50 < a.p50_high and a.p80_low < a.p80 < a.p80_high
    assert a.p80 < a.p50 and a.bootstrap_used == 1000
    assert 100 < a.p50_low < 150 and 300 < a.p50_high < 500
    s = full_fit.settings
    assert s["regularization"] == 1e-5 and s["bootstrap"] == 1000 and s["ci"] == 0.95
    assert "task families, then tasks" in s["interval_method"]
    d = full_fit.to_dict()
    assert set(d["agents"]) == set(read_metr_names(full_fit))


def read_metr_names(fit: horizons.HorizonFit) -> list[str]:
    return [a.agent for a in fit.agents]


def test_trend_of_sota_agents(full_fit: horizons.HorizonFit) -> None:
    tr = horizons.horizon_trend(full_fit, seed=0)
    assert tr.sota[0] == "GPT-4 0314" and tr.sota[-1] == "Claude Mythos Preview (early)"
    assert "GPT-4 Turbo (Inspect)" not in tr.sota and len(tr.sota) == 15
    w = tr.window("from the first agent")
    assert w.doubling_days == pytest.approx(124.7, abs=0.5)
    assert w.doubling_days_low < w.doubling_days < w.doubling_days_high
    assert w.metr_doubling_days_low < w.doubling_days < w.metr_doubling_days_high
    assert w.doubling_months * horizons.trend.trends.MONTH_DAYS == pytest.approx(w.doubling_days)
    assert tr.breakpoint is not None and tr.breakpoint["boundaries"][0]["date"] == "2024-07-01"
    days = [c.year for c in tr.crossings]
    assert [c.level for c in tr.crossings] == ["day", "week", "month"] and days == sorted(days)
    for c in tr.crossings:
        assert c.low_date < c.date < c.high_date
    # The break is supported, so the rate since it is fitted too: faster, and crossings earlier.
    recent = tr.windows[2]
    assert recent.since == "2024-07-01" and recent.n == 11
    assert recent.doubling_days < w.doubling_days
    assert [c.date < m.date for c, m in zip(tr.recent_crossings, tr.crossings,
                                              strict=True)] == [True] * 3
    ft = horizons.frontier_trend(full_fit)
    assert ft.doubling_months == pytest.approx(w.doubling_months)
    assert ft.to_dict()["agents"] == tr.sota


def test_synthetic_recovery_without_shared_data() -> None:
    rng = np.random.default_rng(3)
    minutes = np.exp2(rng.uniform(-2, 10, 150))
    slope, icpt = -0.6, 4.0
    p = 1 / (1 + np.exp(-(icpt + slope * np.log2(minutes))))
    runs = np.full(150, 40)
    succ = rng.binomial(runs, p)
    tasks = pd.DataFrame({"agent": "synthetic", "task_id": [f"f{i}/t" for i in range(150)],
                          "human_minutes": minutes, "n_successes": succ, "n_runs": runs,
                          "task_weight": 1.0, "family": [f"f{i}" for i in range(150)]})
    agents = pd.DataFrame({"agent": ["synthetic"], "release_date": [pd.Timestamp("2025-01-01")],
                           "coefficient": [math.nan], "intercept": [math.nan],
                           "n_tasks": [150]})
    perfect = tasks.assign(agent="perfect", n_successes=tasks["n_runs"])
    never = tasks.assign(agent="never", n_successes=0)
    agents = pd.concat([agents, agents.assign(agent="perfect"), agents.assign(agent="never")],
                       ignore_index=True)
    res = MetrResults(agents, pd.concat([tasks, perfect, never], ignore_index=True), "synthetic")
    fit = horizons.fit_horizons(res, bootstrap=200)
    assert fit.agent("perfect").p50 == math.inf and "always succeeds" in fit.agent("perfect").note
    assert fit.agent("never").p50 == 0 and fit.agent("never").bootstrap_used == 0
    assert horizons.trend_points(fit)["agent"].tolist() == ["synthetic"]
    a = fit.agents[0]
    assert a.coefficient == pytest.approx(slope, abs=0.05)
    true_p50 = 2 ** (-icpt / slope)
    assert a.p50_low < true_p50 < a.p50_high


BAD_YAML = """\
benchmark_name: test
agents:
  Agent A:
    coefficient: -0.5
    intercept: 2.0
    release_date: 2024-01-01
    tasks:
    - {task_id: fam/a, human_minutes: 1.0, n_successes: 4, n_runs: 4, task_weight: 1.0}
    - {task_id: fam/b, human_minutes: 30.0, n_successes: 2, n_runs: 4, task_weight: 1.0}
    - {task_id: fam/c, human_minutes: 300.0, n_successes: 0, n_runs: 4, task_weight: 1.0}
    - {task_id: fam/d, human_minutes: -3, n_successes: 0, n_runs: 4, task_weight: 1.0}
    - {task_id: fam/e, human_minutes: 3, n_successes: 9, n_runs: 4, task_weight: 1.0}
    - {task_id: fam/f, human_minutes: 3, n_runs: 4, task_weight: 1.0}
    - {task_id: fam/a, human_minutes: 1.0, n_successes: 4, n_runs: 4, task_weight: 1.0}
  Agent B: nothing
"""


def test_reader_skips_and_counts_bad_rows(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(BAD_YAML)
    res = read_metr(f)
    assert len(res.tasks) == 3 and list(res.agents["agent"]) == ["Agent A"]
    assert res.skipped == {"non-positive minutes or weight": 1,
                           "successes not a count within 0..n_runs": 1,
                           "missing or non-numeric field": 1, "task repeated for the agent": 1,
                           "agent without a task list": 1}
    assert res.n_skipped == 5


@pytest.mark.parametrize("text, fragment", [
    ("agents: [1, 2]\n", "no top-level 'agents' map"),
    ("a: [unclosed\n", "not valid YAML"),
    ("agents:\n  A: {tasks: []}\n", "no agent has a usable task row"),
])
def test_bad_files_raise_one_sentence(tmp_path: Path, text: str, fragment: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(DataError, match=fragment) as exc:
        read_metr(f)
    assert str(f) in str(exc.value) and "\n" not in str(exc.value)


def test_older_regularisation_gives_the_january_release_values(results: MetrResults) -> None:
    # METR's TH1.1 release (2026-01-29) used regularization 0.1; its report gave GPT-5 ~214 min
    # and Claude Opus 4.5 ~320 min (the file's 1e-5 coefficients give 203 and 293).
    fit = horizons.fit_horizons(results, bootstrap=0, reg=0.1)
    assert fit.agent("GPT-5 (Inspect)").p50 == pytest.approx(214, abs=1)
    assert fit.agent("Claude Opus 4.5 (Inspect)").p50 == pytest.approx(320, abs=1)


def test_release_dates_agree_with_metrs_list(results: MetrResults, shared_dir: Path) -> None:
    from dlrev.metr import read_release_dates

    dates = read_release_dates(shared_dir / "data" / "metr" / "release_dates.yaml")
    assert len(dates) == 75
    both = [(r.agent, r.release_date) for r in results.agents.itertuples() if r.agent in dates]
    assert len(both) == 20
    assert all(dates[a] == d for a, d in both)


def test_release_dates_fill_a_missing_date(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(BAD_YAML.replace("    release_date: 2024-01-01\n", ""))
    assert read_metr(f).agents["release_date"].isna().all()
    res = read_metr(f, release_dates={"Agent A": "2024-05-01"})
    assert res.agents["release_date"].iloc[0] == pd.Timestamp("2024-05-01")
