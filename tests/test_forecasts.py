"""Forecasts vs outcomes, the trend comparison and the predictions timeline, on the real data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import dlrev
from dlrev import forecasts as fc
from dlrev.schema import decimal_year


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def scores(cat: dlrev.Catalog) -> fc.ForecastScores:
    return fc.score_forecasts(cat)


def _row(t: pd.DataFrame, benchmark: str, year: int) -> pd.Series:
    hit = t[(t["benchmark"] == benchmark) & (t["target_date"].dt.year == year)]
    assert len(hit) == 1, (benchmark, year)
    return hit.iloc[0]


def test_math_2022_forecast_and_outcome(scores: fc.ForecastScores) -> None:
    r = _row(scores.table, "MATH", 2022)
    assert r["median"] == pytest.approx(12.7)
    assert r["outcome"] == pytest.approx(50.3)
    assert r["sota_at_forecast"] == pytest.approx(6.9)
    assert r["position"] == "above" and bool(r["outside"])
    assert r["miss"] == pytest.approx(50.3 - 12.7)
    assert r["interval_level"] == pytest.approx(0.9)


def test_2022_outcomes_and_medians(scores: fc.ForecastScores) -> None:
    t = scores.table
    expected = {"MATH": (12.7, 50.3, "above"), "MMLU": (57.1, 67.5, "above"),
                "CIFAR-10 robust": (70.4, 66.6, "inside"),
                "Something-Something v2": (73.0, 75.3, "inside")}
    for name, (median, outcome, position) in expected.items():
        r = _row(t, name, 2022)
        assert (r["median"], r["outcome"], r["position"]) == (pytest.approx(median),
                                                              pytest.approx(outcome), position)
    # the only 2022 question that came in below the median
    below = t[(t["target_date"].dt.year == 2022) & (t["miss"] < 0)]["benchmark"].tolist()
    assert below == ["CIFAR-10 robust"]


def test_summary_counts_two_of_four_outside(scores: fc.ForecastScores) -> None:
    g2022 = [g for g in scores.summary["groups"] if g["target_year"] == 2022]
    assert len(g2022) == 1
    g = g2022[0]
    assert (g["scored"], g["outside"], g["above"], g["below"]) == (4, 2, 2, 0)
    assert g["interval_level"] == pytest.approx(0.9)
    assert "2022: 2 of 4 outcomes fell outside the 90% interval" in scores.summary["text"]


def test_2025_medians_and_computed_positions(scores: fc.ForecastScores) -> None:
    math25 = _row(scores.table, "MATH", 2025)
    assert math25["median"] == pytest.approx(52)
    # bounds published: the position is computed, not copied
    assert math25["position_source"] == "computed" and math25["position"] == "above"
    mmlu25 = _row(scores.table, "MMLU", 2025)
    assert mmlu25["median"] == pytest.approx(75)
    ssv2 = _row(scores.table, "Something-Something v2", 2025)
    assert ssv2["median"] == pytest.approx(88) and np.isnan(ssv2["outcome"])
    assert pd.isna(ssv2["position"])


def test_outcome_percentile_two_piece_normal() -> None:
    assert fc.outcome_percentile(50, 50, 40, 60, 0.9) == pytest.approx(50)
    assert fc.outcome_percentile(60, 50, 40, 60, 0.9) == pytest.approx(95)
    assert fc.outcome_percentile(40, 50, 40, 60, 0.9) == pytest.approx(5)
    # asymmetric: the upper half uses the upper half-width only
    assert fc.outcome_percentile(70, 50, 45, 70, 0.8) == pytest.approx(90)
    # halfway from the median down to the 10th percentile: z = -0.5 * z_0.9
    assert fc.outcome_percentile(47.5, 50, 45, 70, 0.8) == pytest.approx(
        100 * stats.norm.cdf(-0.5 * stats.norm.ppf(0.9)), rel=1e-9)
    assert np.isnan(fc.outcome_percentile(70, 50, np.nan, 70, 0.9))
    assert np.isnan(fc.outcome_percentile(70, 50, 40, 60, np.nan))


def test_trend_comparison_matches_a_direct_fit(cat: dlrev.Catalog) -> None:
    cmp = fc.compare_with_trend(cat)
    r = cmp[(cmp["benchmark"] == "CIFAR-10 robust")
            & (cmp["target_date"] == pd.Timestamp("2022-06-30"))].iloc[0]
    res = cat.benchmark_results
    rec = res[(res["benchmark"] == "CIFAR-10 robust")
              & (res["date"] <= pd.Timestamp("2021-09-30"))].sort_values("date")
    rec = rec[rec["value"] > rec["value"].cummax().shift(fill_value=-1)]
    slope, icpt = np.polyfit(decimal_year(rec["date"]), rec["value"], 1)
    x = float(decimal_year(pd.Series([pd.Timestamp("2022-06-30")])).iloc[0])
    assert r["records_used"] == len(rec) == 5
    assert r["trend"] == pytest.approx(slope * x + icpt)
    assert r["persistence"] == pytest.approx(66.56)
    # the straight line overshot the outcome; the forecasters were closer
    assert r["trend"] > r["outcome"] and r["closer"] == "forecasters"
    # MATH had a single result before the forecast: no trend, no comparison
    m = cmp[(cmp["benchmark"] == "MATH") & (cmp["target_date"].dt.year == 2022)].iloc[0]
    assert np.isnan(m["trend"]) and pd.isna(m["closer"])


def test_prediction_timeline(cat: dlrev.Catalog) -> None:
    p = fc.prediction_timeline(cat)
    assert p["made"].is_monotonic_increasing
    legg = p[(p["who"] == "Shane Legg") & (p["made"].dt.year == 2011)].iloc[0]
    assert (legg["low_year"], legg["predicted_year"], legg["high_year"]) == (2018, 2028, 2050)
    assert legg["interval_level"] == pytest.approx(0.8)
    kurz = p[p["who"] == "Ray Kurzweil"].set_index("kind")["predicted_year"]
    assert kurz["turing test"] == 2029 and kurz["singularity"] == 2045
    legg09 = p[(p["who"] == "Shane Legg") & (p["made"].dt.year == 2009)].iloc[0]
    assert legg09["predicted_year"] == 2025
    assert legg09["lead_years"] == pytest.approx(2025 - legg09["made_year"])
    trend = p[p["kind"] == "trend"]
    assert "3.4 months" in trend[trend["who"].str.startswith("OpenAI")]["claim"].iloc[0]


def test_cli_forecasts_json(cli) -> None:
    res = cli("forecasts", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    rows = {(r["benchmark"], r["target_date"]): r for r in data["scores"]["forecasts"]}
    assert rows[("MATH", "2022-06-30")]["outcome"] == 50.3
    assert data["scores"]["summary"]["groups"][0]["outside"] == 2


def test_cli_predictions_and_plots(cli, tmp_path) -> None:
    res = cli("predictions", "--json")
    assert res.exit_code == 0, res.output
    assert any(r["who"] == "Hans Moravec" for r in json.loads(res.output)["predictions"])
    for kind in ("forecasts", "predictions"):
        out = tmp_path / f"{kind}.svg"
        res = cli("plot", kind, "-o", str(out))
        assert res.exit_code == 0, res.output
        text = out.read_text()
        assert text.startswith("<?xml") and "</svg>" in text
