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
from dlrev.errors import DataError
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
    assert len(resolved) == 27 and len(t) == 29
    assert len(resolved) >= 25
    assert resolved["source_url"].str.match(r"^https?://").all()
    assert resolved["outcome_source_url"].str.match(r"^https?://").all()
    assert resolved["forecaster"].notna().all() and resolved["forecast_date"].notna().all()
    # at least three publishers, counted by publisher and not by URL
    pubs = set(resolved["publisher"])
    assert len(pubs) == scores.summary["sources"] == 8 >= 3
    assert {"Bounded Regret (Jacob Steinhardt)", "Forecasting Research Institute",
            "LessWrong", "Wired"} <= pubs
    # QuALITY is not in our results table: its forecasts stay unresolved, and say so
    q = t[t["benchmark"] == "QuALITY"]
    assert (~q["resolved"]).all() and q["sentence"].str.contains("not in our results").all()


def test_table_resolutions_use_the_best_result_by_the_target_date(
        scores: fc.ForecastScores) -> None:
    t = scores.table
    # MATH mid-2023: GPT-4 with progressive-hint prompting (April 2023), not Minerva's 50.3
    math23 = _row(t, "MATH", 2023)
    assert math23["outcome"] == pytest.approx(53.9) and "progressive-hint" in math23[
        "outcome_system"]
    # CIFAR-10 robust mid-2024 and Something-Something v2 mid-2023: records added with sources
    assert _row(t, "CIFAR-10 robust", 2024)["outcome"] == pytest.approx(74)
    assert _row(t, "CIFAR-10 robust", 2023)["outcome"] == pytest.approx(70.69)
    assert _row(t, "Something-Something v2", 2023)["outcome"] == pytest.approx(77.2)


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
    later = early[(early["target_date"] > pd.Timestamp("2023-01-01"))
                  & (early["kind"] == "value")]
    assert len(later) and not later["resolved"].any()
    # a date forecast resolves when the event has happened, even before its target date
    happened = early[(early["kind"] == "date")
                     & (early["outcome_date"] < pd.Timestamp("2023-01-01"))]
    assert len(happened) == 4 and happened["resolved"].all()
    assert not early[early["forecaster"] == "Paul Christiano"]["resolved"].any()
    # a forecast with a passed target whose benchmark is in the table is never unresolved
    known = set(res["benchmark"])
    assert t[t["benchmark"].isin(known) & (t["target_date"] <= AS_OF)]["resolved"].all()


def test_positions_from_bounds_and_summary(scores: fc.ForecastScores) -> None:
    t = scores.table
    math25 = _row(t, "MATH", 2025)
    assert (math25["median"], math25["low"], math25["high"]) == (52, 40, 60)
    assert math25["position"] == "above" and math25["position_source"] == "computed"
    ssv2 = _row(t, "Something-Something v2", 2025)
    assert ssv2["position"] == "below" and ssv2["outcome"] == pytest.approx(77.2)
    assert ssv2["speed"] == "slower"
    s = scores.summary
    ranged = t[t["resolved"] & t["position"].notna()]
    assert (s["with_range"], s["faster"], s["slower"], s["inside"]) == (
        len(ranged), (ranged["speed"] == "faster").sum(),
        (ranged["speed"] == "slower").sum(), (ranged["speed"] == "inside").sum())
    # MATH 2022/2025 and MMLU 2022/2025 faster; SSv2 2025 and Simon's chess slower
    assert (s["faster"], s["slower"], s["inside"]) == (4, 2, 2)
    assert s["text"].startswith("Of 8 resolved forecasts scored against a range, 4 outcomes "
                                "came faster than the forecasters' range (a score above it, or "
                                "an event before it), 2 slower and 2 inside")
    assert (s["median_only"], s["median_faster"], s["median_slower"]) == (7, 7, 0)
    assert "In all, 11 of 15 scored outcomes came faster than forecast and 2 slower." in s[
        "text"]
    assert s["scored"] + s["unscored"] == s["resolved"] == 27
    g2022 = next(g for g in s["groups"] if g["target_year"] == 2022)
    assert (g2022["scored"], g2022["faster"], g2022["slower"], g2022["inside"]) == (4, 2, 0, 2)


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


def test_speed_reads_position_by_kind_and_direction() -> None:
    # a score: above the range is faster when higher is better, slower when lower is better
    assert fc.speed_of("above", "value", "higher") == "faster"
    assert fc.speed_of("below", "value", "higher") == "slower"
    assert fc.speed_of("above", "value", "lower") == "slower"
    assert fc.speed_of("below", "value", "lower") == "faster"
    # a date: an event before the range is faster, after it slower
    assert fc.speed_of(fc.position_of(2020.0, 2025.0, 2040.0), "date") == "faster"
    assert fc.speed_of(fc.position_of(2045.0, 2025.0, 2040.0), "date") == "slower"
    assert fc.speed_of(fc.position_of(2030.0, 2025.0, 2040.0), "date") == "inside"
    assert fc.speed_of(None, "date") is None
    # against the median only
    assert fc.median_speed(2016.2 - 2024.4, "date") == "faster"
    assert fc.median_speed(1.0, "date") == "slower"
    assert fc.median_speed(3.0, "value", "higher") == "faster"
    assert fc.median_speed(3.0, "value", "lower") == "slower"
    # no median: a probability under 50% by the target puts the median after it
    assert fc.median_speed(np.nan, "date", prob_by_target=0.08, by_target=True) == "faster"
    assert fc.median_speed(np.nan, "date", prob_by_target=0.7, by_target=True) is None
    assert fc.median_speed(np.nan, "date", prob_by_target=0.08, by_target=False) is None
    assert fc.median_speed(np.nan, "value", prob_by_target=0.08, by_target=True) is None


def test_date_forecasts_scored_on_known_cases(scores: fc.ForecastScores) -> None:
    t = scores.table.set_index("forecaster")
    dates = scores.table[scores.table["kind"] == "date"]
    assert len(dates) == 7 and dates["resolved"].all()
    # outcomes are decimal years of the day the event happened
    coulom = t.loc["Remi Coulom (author of Crazy Stone)"]
    assert coulom["outcome"] == pytest.approx(
        float(decimal_year(pd.Series([pd.Timestamp("2016-03-15")])).iloc[0]))
    assert coulom["miss"] == pytest.approx(coulom["outcome"] - 2024.4)
    assert coulom["median_speed"] == "faster" and pd.isna(coulom["speed"])
    assert "8.2 years before their median, faster than forecast" in coulom["sentence"]
    simon = t.loc["Herbert Simon and Allen Newell"]
    assert (simon["low"], simon["high"]) == (1958.0, 1968.0)
    assert simon["position"] == "above" and simon["speed"] == "slower"
    assert "after their stated range, slower than forecast" in simon["sentence"]
    kurzweil = t.loc["Ray Kurzweil"]
    assert kurzweil["median_speed"] == "faster" and kurzweil["miss"] == pytest.approx(
        -1.14, abs=0.01)
    essays = t.loc["Machine-learning researchers (Grace et al. survey, median)"]
    assert essays["median"] == 2026.0 and essays["median_speed"] == "faster"
    assert essays["miss"] == pytest.approx(
        float(decimal_year(pd.Series([pd.Timestamp("2023-04-24")])).iloc[0]) - 2026.0)
    paul = t.loc["Paul Christiano"]
    assert paul["reported_outcome_probability"] == pytest.approx(0.08)
    assert paul["median_speed"] == "faster" and paul["outcome_date"] == pd.Timestamp(
        "2025-07-21")
    assert paul["sentence"].startswith("Paul Christiano put 8% on")
    # a lower bound ('at least 16%') is not scored
    eliezer = t.loc["Eliezer Yudkowsky"]
    assert eliezer["resolved"] and pd.isna(eliezer["median_speed"])
    # no trend line for a date, and the note says why
    assert dates["trend"].isna().all()
    assert dates["trend_note"].str.contains("when an event happens").all()
    # before the event a date forecast is not resolved
    cat = dlrev.load()
    early = fc.score_forecasts(cat, as_of=pd.Timestamp("2016-01-01")).table
    go = early[early["benchmark"] == "Go against top professionals"]
    assert not go["resolved"].any() and go["sentence"].str.contains("not happened yet").all()


@pytest.mark.parametrize(("col", "value", "kind", "message"), [
    ("outcome", 2016.2, "date", 'row 25, column "outcome": a date forecast\'s outcome is the day'),
    ("median", 52.0, "date", 'row 25, column "median": 52.0 is not a year'),
    ("outcome_date", pd.Timestamp("2022-06-30"), "value",
     'row 25, column "outcome_date": only a forecast of kind \'date\''),
])
def test_figures_that_do_not_fit_the_kind_are_rejected(cat: dlrev.Catalog, col: str,
                                                       value: object, kind: str,
                                                       message: str) -> None:
    f = cat.forecasts.copy()
    f.loc[24, "kind"] = kind
    f.loc[24, col] = value
    with pytest.raises(DataError, match=message.replace("(", r"\(")) as err:
        fc.check_forecasts(f)
    assert str(err.value).startswith("forecasts.csv, row 25") and err.value.column == col
    fc.check_forecasts(cat.forecasts)  # the curated table passes


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
    assert len(rows) == 29
    for key in ("forecaster", "publisher", "kind", "forecast_date", "target_date", "median",
                "low", "high", "interval_level", "outcome", "outcome_date", "source_url",
                "position", "speed", "median_speed", "percentile", "trend", "sentence"):
        assert all(key in r for r in rows), key
    math22 = next(r for r in rows if r["benchmark"] == "MATH"
                  and r["target_date"] == "2022-06-30")
    assert math22["outcome"] == 50.3 and math22["position"] == "above"
    assert data["summary"]["faster"] == 4 and data["summary"]["resolved"] == 27
    assert data["summary"]["sources"] == 8
    go = next(r for r in rows if r["forecaster"].startswith("Remi Coulom"))
    assert go["kind"] == "date" and go["outcome_date"] == "2016-03-15"
    assert go["median_speed"] == "faster"


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


def test_cli_table_gives_no_zero_width_trend_interval(cli, monkeypatch) -> None:
    import re

    monkeypatch.setenv("COLUMNS", "260")
    out = cli("forecasts").stdout
    assert "(too few records for an interval)" in out
    for lo, hi in re.findall(r"\[([\d.]+), ([\d.]+)\]", out):
        assert lo != hi, out
    assert "trends.fit_one" not in out
