"""The scored record of forecasts: resolution, positions, percentiles, the naive trend (the
trend engine's fit on the records known at the forecast date), sentences and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import dlrev
from dlrev import forecasts as fc
from dlrev import trends
from dlrev.schema import decimal_year

AS_OF = pd.Timestamp("2026-12-01")


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def scores(cat: dlrev.Catalog) -> fc.ForecastScores:
    return fc.score_forecasts(cat, as_of=AS_OF)


def _row(t: pd.DataFrame, benchmark: str, year: int, forecaster: str = "Hypermind aggregate"
         ) -> pd.Series:
    hit = t[(t["benchmark"] == benchmark) & (t["target_date"].dt.year == year)
            & (t["forecaster"] == forecaster)]
    assert len(hit) == 1, (benchmark, year, forecaster)
    return hit.iloc[0]


def test_every_resolved_forecast_has_its_sources(scores: fc.ForecastScores) -> None:
    t = scores.table
    resolved = t[t["resolved"]]
    assert len(resolved) == 20 and len(t) == 22
    assert resolved["source_url"].str.match(r"^https?://").all()
    assert resolved["outcome_source_url"].str.match(r"^https?://").all()
    # three forecaster groups from two published sources (Steinhardt's contest posts, FRI)
    assert set(resolved["forecaster"]) == {"Hypermind aggregate", "XPT superforecasters",
                                           "XPT domain experts"}
    assert resolved["source_url"].nunique() == scores.summary["sources"] == 2
    # QuALITY is not in our results table: its forecasts stay unresolved, and say so
    q = t[t["benchmark"] == "QuALITY"]
    assert (~q["resolved"]).all() and q["sentence"].str.contains("not in our results").all()


def test_2022_published_outcomes_and_positions(scores: fc.ForecastScores) -> None:
    expected = {"MATH": (12.7, 50.3, "above"), "MMLU": (57.1, 67.5, "above"),
                "CIFAR-10 robust": (70.4, 66.6, "inside"),
                "Something-Something v2": (73.0, 75.3, "inside")}
    for name, (median, outcome, position) in expected.items():
        r = _row(scores.table, name, 2022)
        assert (r["median"], r["outcome"], r["position"]) == (
            pytest.approx(median), pytest.approx(outcome), position)
        assert r["outcome_basis"] == "published" and r["position_source"] == "reported"
    r = _row(scores.table, "MATH", 2022)
    assert r["sentence"] == ("Hypermind aggregate expected 12.7% on MATH by mid-2022; the best "
                             "model scored 50.3% (Minerva 540B (majority vote)), above their "
                             "90% range.")


def test_passed_targets_resolve_from_the_results_table(cat: dlrev.Catalog,
                                                       scores: fc.ForecastScores) -> None:
    t = scores.table
    math24 = _row(t, "MATH", 2024)
    # the best main-series MATH result by 2024-06-30 (the MATH-500 subset is another series)
    assert math24["outcome"] == pytest.approx(84.3) and math24["outcome_basis"] == "results table"
    assert "resolved from our results table" in math24["sentence"]
    mmlu24 = _row(t, "MMLU", 2024, "XPT superforecasters")
    res = cat.benchmark_results
    m = res[(res["benchmark"] == "MMLU") & res["series"].isna()
            & (res["date"] <= pd.Timestamp("2024-06-30"))]
    assert mmlu24["outcome"] == pytest.approx(m["value"].max()) == pytest.approx(90.0)
    assert "7.2% probability" in mmlu24["sentence"]
    # before the target date nothing resolves from the table
    early = fc.score_forecasts(cat, as_of=pd.Timestamp("2023-01-01")).table
    assert not early[early["target_date"] > pd.Timestamp("2023-01-01")]["resolved"].any()
    # a forecast with a passed target whose benchmark is in the table is never unresolved
    known = set(res["benchmark"])
    assert t[t["benchmark"].isin(known) & (t["target_date"] <= AS_OF)]["resolved"].all()


def test_positions_from_bounds_and_summary(scores: fc.ForecastScores) -> None:
    t = scores.table
    math25 = _row(t, "MATH", 2025)
    assert (math25["median"], math25["low"], math25["high"]) == (52, 40, 60)
    assert math25["position"] == "above" and math25["position_source"] == "computed"
    ssv2 = _row(t, "Something-Something v2", 2025)
    assert ssv2["position"] == "below" and ssv2["outcome"] == pytest.approx(77.0)
    s = scores.summary
    ranged = t[t["resolved"] & t["position"].notna()]
    assert (s["with_range"], s["above"], s["below"], s["inside"]) == (
        len(ranged), (ranged["position"] == "above").sum(),
        (ranged["position"] == "below").sum(), (ranged["position"] == "inside").sum())
    assert (s["above"], s["below"], s["inside"]) == (4, 1, 2)
    assert s["text"].startswith("Of 7 resolved forecasts with a published range, 4 outcomes "
                                "fell above the forecasters' range, 1 below and 2 inside")
    g2022 = next(g for g in s["groups"] if g["target_year"] == 2022)
    assert (g2022["scored"], g2022["outside"], g2022["above"], g2022["below"]) == (4, 2, 2, 0)


def test_position_and_percentile_known_cases() -> None:
    assert fc.position_of(61, 40, 60) == "above"
    assert fc.position_of(39.9, 40, 60) == "below"
    assert fc.position_of(40, 40, 60) == "inside"
    assert fc.position_of(np.nan, 40, 60) is None
    assert fc.outcome_percentile(50, 50, 40, 60, 0.9) == pytest.approx(50)
    assert fc.outcome_percentile(60, 50, 40, 60, 0.9) == pytest.approx(95)
    assert fc.outcome_percentile(40, 50, 40, 60, 0.9) == pytest.approx(5)
    # asymmetric: the upper half uses the upper half-width only
    assert fc.outcome_percentile(70, 50, 45, 70, 0.8) == pytest.approx(90)
    assert fc.outcome_percentile(47.5, 50, 45, 70, 0.8) == pytest.approx(
        100 * stats.norm.cdf(-0.5 * stats.norm.ppf(0.9)), rel=1e-9)
    assert np.isnan(fc.outcome_percentile(70, 50, np.nan, 70, 0.9))
    assert np.isnan(fc.outcome_percentile(70, 50, 40, 60, np.nan))


def _records_by_hand(res: pd.DataFrame, bench: str, when: str) -> pd.DataFrame:
    r = res[(res["benchmark"] == bench) & res["series"].isna()
            & (res["date"] <= pd.Timestamp(when))]
    r = r.sort_values(["date", "value"], ascending=[True, False])
    return r[r["value"] > r["value"].cummax().shift(fill_value=-np.inf)]


@pytest.mark.parametrize(("bench", "fdate", "target", "n"), [
    ("CIFAR-10 robust", "2021-09-30", "2022-06-30", 5),
    ("MMLU", "2022-10-31", "2024-06-30", 5),
])
def test_naive_trend_is_the_engines_fit_on_earlier_records(
        cat: dlrev.Catalog, scores: fc.ForecastScores, bench: str, fdate: str, target: str,
        n: int) -> None:
    rec = _records_by_hand(cat.benchmark_results, bench, fdate)
    assert len(rec) == n
    x = decimal_year(rec["date"]).to_numpy()
    era = trends.fit_one(x, rec["value"].to_numpy(dtype=float), label="check", bootstrap=1000,
                         ci=0.9, rng=np.random.default_rng(0))
    tx = float(decimal_year(pd.Series([pd.Timestamp(target)])).iloc[0])
    b = cat.benchmarks.set_index("name").loc[bench]
    expect = float(np.clip(era.intercept + era.slope * tx, b["chance"], b["ceiling"]))
    t = scores.table
    r = t[(t["benchmark"] == bench) & (t["forecast_date"] == pd.Timestamp(fdate))
          & (t["target_date"] == pd.Timestamp(target))].iloc[0]
    assert r["trend_records"] == n
    assert r["trend"] == pytest.approx(expect, rel=1e-12)
    lo, hi = trends.percentile_interval(
        np.clip(era.boot_intercepts + era.boot_slopes * tx, b["chance"], b["ceiling"]), 0.9)
    assert (r["trend_low"], r["trend_high"]) == (pytest.approx(lo), pytest.approx(hi))


def test_trend_cifar_2022_overshot_and_missing_lines_say_why(scores: fc.ForecastScores) -> None:
    cifar = _row(scores.table, "CIFAR-10 robust", 2022)
    assert cifar["trend"] > cifar["outcome"] and cifar["closer"] == "forecasters"
    assert cifar["persistence"] == pytest.approx(66.56)
    # MATH had one record before the 2021 forecasts (the same-day 5.2 is not a record)
    math22 = _row(scores.table, "MATH", 2022)
    assert np.isnan(math22["trend"]) and math22["trend_records"] == 1
    assert "needs at least 3" in math22["trend_note"]


def test_prediction_timeline(cat: dlrev.Catalog) -> None:
    p = fc.prediction_timeline(cat)
    assert p["made"].is_monotonic_increasing
    legg = p[(p["who"] == "Shane Legg") & (p["made"].dt.year == 2011)].iloc[0]
    assert (legg["low_year"], legg["predicted_year"], legg["high_year"]) == (2018, 2028, 2050)
    kurz = p[p["who"] == "Ray Kurzweil"].set_index("kind")["predicted_year"]
    assert kurz["turing test"] == 2029 and kurz["singularity"] == 2045


def test_cli_forecasts_json(cli) -> None:
    res = cli("forecasts", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    rows = data["forecasts"]
    assert len(rows) == 22
    for key in ("forecaster", "forecast_date", "target_date", "median", "low", "high",
                "interval_level", "outcome", "source_url", "position", "percentile", "trend",
                "sentence"):
        assert all(key in r for r in rows), key
    math22 = next(r for r in rows if r["benchmark"] == "MATH"
                  and r["target_date"] == "2022-06-30")
    assert math22["outcome"] == 50.3 and math22["position"] == "above"
    assert data["summary"]["above"] == 4 and data["summary"]["resolved"] == 20


def test_cli_predictions_and_plots(cli, tmp_path) -> None:
    res = cli("predictions", "--json")
    assert res.exit_code == 0, res.output
    assert any(r["who"] == "Hans Moravec" for r in json.loads(res.stdout)["predictions"])
    for kind in ("forecasts", "predictions"):
        out = tmp_path / f"{kind}.svg"
        res = cli("plot", kind, "-o", str(out))
        assert res.exit_code == 0, res.output
        text = out.read_text()
        assert text.startswith("<?xml") and "</svg>" in text
