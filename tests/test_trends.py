"""The trend engine: reproduction targets on Epoch's file, statsmodels cross-checks, the batched
bootstrap against a plain loop, breakpoints against brute force, and bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import dlrev
from dlrev import trends
from dlrev.errors import DlrevError


@pytest.fixture(scope="module")
def epoch_systems(epoch_csv) -> pd.DataFrame:
    return dlrev.read_epoch(epoch_csv).systems


@pytest.fixture(scope="module")
def epoch_fit(epoch_systems) -> trends.TrendFit:
    return trends.fit(epoch_systems, preset="epoch")  # 1,000 resamples: the target needs them


def _synthetic(breaks=(2010.0,), slopes=(0.2, 0.6), n=300, noise=0.3, seed=1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(1990, 2025, n))
    y = np.full(n, 10.0) + slopes[0] * (x - 1990)
    for b, (s0, s1) in zip(breaks, zip(slopes, slopes[1:], strict=False), strict=False):
        y += (s1 - s0) * np.clip(x - b, 0, None)
    y += rng.normal(0, noise, n)
    return pd.DataFrame({"name": [f"s{i}" for i in range(n)], "year": x, "compute": 10**y,
                         "area": "language", "domain": "language"})


# --- reproduction targets (Epoch's notable_ai_models.csv, sha256 c5a262f5...) ------------------

def test_epoch_preset_deep_learning_era(epoch_fit):
    e = epoch_fit.era("Deep learning era")
    assert e.n == 467
    assert e.slope == pytest.approx(0.639, abs=0.005)
    assert e.growth == pytest.approx(4.35, abs=0.01)
    assert e.doubling_months == pytest.approx(5.66, abs=0.02)
    assert e.ci == 0.9 and e.bootstrap == 1000
    assert e.growth_low == pytest.approx(4.03, abs=0.1)
    assert e.growth_high == pytest.approx(4.67, abs=0.1)
    assert e.doubling_low < e.doubling_months < e.doubling_high
    assert e.r2 == pytest.approx(0.65, abs=0.01)


def test_epoch_preset_pre_deep_learning_era(epoch_fit):
    e = epoch_fit.era("Pre-deep-learning era")
    assert e.n == 62
    assert e.growth == pytest.approx(1.50, abs=0.01)
    assert e.doubling_months == pytest.approx(20.5, abs=0.1)
    assert e.doubling_low == pytest.approx(17.4, abs=0.6)
    assert e.doubling_high == pytest.approx(24.8, abs=0.8)


def test_thirty_day_months(epoch_systems):
    tf = trends.fit(epoch_systems, bootstrap=0, month_days=30.0)
    assert tf.era(-1).doubling_months == pytest.approx(5.74, abs=0.02)


def test_counts_of_dropped_rows(epoch_fit, epoch_systems):
    assert epoch_fit.n_used == 529
    assert epoch_fit.dropped == {"no date": 5, "no compute": 502}
    assert epoch_fit.n_dropped == len(epoch_systems) - 529


def test_point_estimates_match_statsmodels(epoch_systems, epoch_fit):
    sm = pytest.importorskip("statsmodels.api")
    d = epoch_systems.dropna(subset=["compute", "year"])
    for e in epoch_fit.eras:
        m = (d["year"] >= 2010) if e.start else (d["year"] < 2010)
        x, y = d.loc[m, "year"].to_numpy(), np.log10(d.loc[m, "compute"].to_numpy())
        res = sm.OLS(y, sm.add_constant(x)).fit()
        assert e.n == len(x)
        assert e.intercept == pytest.approx(res.params[0], rel=1e-9)
        assert e.slope == pytest.approx(res.params[1], rel=1e-9)
        assert e.r2 == pytest.approx(res.rsquared, rel=1e-9)
        assert e.sigma == pytest.approx(math.sqrt(res.scale), rel=1e-9)


def test_sevilla2022_preset_on_todays_data(epoch_systems):
    tf = trends.fit(epoch_systems, preset="sevilla2022", bootstrap=200)
    assert tf.ci == 0.95 and tf.month_days == 30.0 and tf.estimate_noise == 2.0
    assert tf.dropped["low outlier (Sevilla z < -2)"] == 15
    labels = tf.flags["label"].value_counts()
    assert labels["large-scale"] == 91 and labels["outlier"] == 15
    rows = {(e.label, e.group): e for e in tf.eras}
    pre = rows[("Pre-Deep Learning era", "all")]
    dl = rows[("Deep Learning era (all models)", "all")]
    ls = rows[("Large-Scale era", "large-scale")]
    reg = rows[("Large-Scale era", "regular-scale")]
    assert (pre.n, dl.n, ls.n, reg.n) == (61, 453, 91, 316)
    assert pre.doubling_months == pytest.approx(19.8, abs=0.4)
    assert dl.doubling_months == pytest.approx(5.6, abs=0.15)
    assert ls.doubling_months == pytest.approx(5.8, abs=0.2)
    assert reg.doubling_months == pytest.approx(4.5, abs=0.15)
    assert dl.doubling_low == pytest.approx(5.3, abs=0.3) and dl.doubling_high == pytest.approx(
        5.9, abs=0.3)


def test_sevilla2022_in_the_papers_window(epoch_systems):
    tf = trends.fit(epoch_systems, preset="sevilla2022", bootstrap=0, until="2022-02-01")
    dl = tf.era("Deep Learning era (all models)")
    assert dl.n == 243
    assert dl.doubling_months == pytest.approx(6.4, abs=0.2)


def test_fit_is_deterministic_for_a_seed(epoch_systems):
    a = trends.fit(epoch_systems, bootstrap=100, seed=7).to_dict()
    b = trends.fit(epoch_systems, bootstrap=100, seed=7).to_dict()
    c = trends.fit(epoch_systems, bootstrap=100, seed=8).to_dict()
    assert a == b
    assert a["eras"][1]["slope_low"] != c["eras"][1]["slope_low"]
    assert a["eras"][1]["slope"] == c["eras"][1]["slope"]


def test_to_dict_is_plain_json(epoch_fit):
    d = epoch_fit.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert '"growth"' in text and d["eras"][1]["interval_method"].startswith("percentile")
    for key in ("label", "start", "end", "group", "n", "fitted", "slope", "intercept", "r2",
                "growth", "doubling_months", "start_value", "end_value", "slope_low",
                "slope_high", "growth_low", "growth_high", "doubling_low", "doubling_high", "ci",
                "interval_method"):
        assert key in d["eras"][0]
    assert d["eras"][1]["start"] == "2010-01-01" and d["eras"][1]["end"] is None
    e = epoch_fit.era(-1)
    assert e.end_value == pytest.approx(10 ** (e.intercept + e.slope * e.x_last))


def test_results_show_as_tables_in_jupyter(epoch_fit, epoch_systems):
    html = epoch_fit._repr_html_()
    assert "<table" in html and "Deep learning era" in html and "90% intervals" in html
    frame = epoch_fit.to_frame()
    assert list(frame["n"]) == [62, 467]
    bt = trends.backtest(epoch_systems)
    assert "<table" in bt._repr_html_()
    assert "<table" in trends.extrapolate(epoch_fit, year=2030)._repr_html_()


def test_groups_by_area(epoch_systems):
    tf = trends.fit(epoch_systems, groups="area", bootstrap=50)
    dl_lang = [e for e in tf.eras if e.label == "Deep learning era" and e.group == "language"]
    assert len(dl_lang) == 1 and dl_lang[0].n > 100 and dl_lang[0].fitted
    assert sum(e.n for e in tf.eras) == tf.n_used


def test_parameters_and_data_metrics(epoch_systems):
    p = trends.fit(epoch_systems, metric="parameters", bootstrap=0).era(-1)
    assert p.growth == pytest.approx(2.18, abs=0.03)
    d = trends.fit(epoch_systems, metric="data", bootstrap=0).era(-1)
    assert d.growth == pytest.approx(2.92, abs=0.05)


# --- the batched bootstrap --------------------------------------------------------------------

def test_batched_bootstrap_equals_a_loop_over_the_same_resamples():
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(2010, 2025, 80))
    y = 0.6 * x - 1190 + rng.normal(0, 1, 80)
    slopes, inters = trends.bootstrap_ols(x, y, 40, np.random.default_rng(11), chunk=40)
    idx = np.random.default_rng(11).spawn(1)[0].integers(0, 80, size=(40, 80), dtype=np.int16)
    for b in range(40):
        s, i = np.polyfit(x[idx[b]], y[idx[b]], 1)
        assert slopes[b] == pytest.approx(s, rel=1e-9)
        assert inters[b] == pytest.approx(i, rel=1e-9, abs=1e-6)


def test_jittered_bootstrap_equals_a_loop():
    rng = np.random.default_rng(4)
    x = np.sort(rng.uniform(2010, 2025, 60))
    y = 0.5 * x - 990 + rng.normal(0, 1, 60)
    slopes, _ = trends.bootstrap_ols(x, y, 30, np.random.default_rng(5), noise=2.0, chunk=30)
    g = np.random.default_rng(5).spawn(1)[0]
    idx = g.integers(0, 60, size=(30, 60), dtype=np.int16)
    u = g.uniform(-math.log10(2), math.log10(2), size=(30, 60))
    for b in range(30):
        s, _ = np.polyfit(x[idx[b]], y[idx[b]] + u[b], 1)
        assert slopes[b] == pytest.approx(s, rel=1e-9)


def test_bootstrap_does_not_depend_on_threads():
    rng = np.random.default_rng(6)
    x, y = rng.uniform(0, 10, 300), rng.normal(0, 1, 300)
    one = trends.bootstrap_ols(x, y, 1000, np.random.default_rng(2), workers=1)
    two = trends.bootstrap_ols(x, y, 1000, np.random.default_rng(2), workers=2)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])


def test_bootstrap_skips_resamples_with_two_distinct_points():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0])
    slopes, _ = trends.bootstrap_ols(x, y, 2000, np.random.default_rng(0))
    assert np.isnan(slopes).mean() == pytest.approx(1 - 6 / 27, abs=0.03)


def test_bootstrap_spread_matches_ols_standard_error():
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 10, 400)
    y = 1 + 0.5 * x + rng.normal(0, 1, 400)
    slopes, _ = trends.bootstrap_ols(x, y, 2000, np.random.default_rng(1))
    se = 1 / math.sqrt(((x - x.mean()) ** 2).sum())
    assert np.std(slopes) == pytest.approx(se, rel=0.12)


# --- bad input --------------------------------------------------------------------------------

def test_era_with_too_few_points_is_reported_not_raised():
    df = _synthetic(n=100)
    df.loc[df["year"] < 2000, "compute"] = np.nan
    first = df["year"][df["compute"].notna()].min()
    tf = trends.fit(df, eras=[f"{int(first) + 1}-06-01"], bootstrap=10)
    e0 = tf.eras[0]
    assert e0.n < 3 or e0.fitted
    df2 = _synthetic(n=100)
    keep = (df2["year"] >= 2005) | (df2.index < 2)
    tf2 = trends.fit(df2[keep], eras=["2005-01-01"], bootstrap=10)
    assert tf2.eras[0].n == 2 and not tf2.eras[0].fitted and "not fitted" in tf2.eras[0].note
    assert tf2.eras[1].fitted
    assert tf2.to_dict()["eras"][0]["slope"] is None


def test_non_positive_values_are_dropped_and_counted():
    df = _synthetic(n=60)
    df.loc[[0, 1, 2], "compute"] = [0.0, -5.0, np.nan]
    tf = trends.fit(df, eras=[], bootstrap=0)
    assert tf.n_used == 57
    assert tf.dropped == {"no compute": 1, "non-positive compute": 2}
    assert tf.n_dropped == 3


@pytest.mark.parametrize("eras, message", [
    (["2015-01-01", "2010-01-01"], "increasing order"),
    (["2030-01-01"], "outside the data"),
    (["1980-01-01"], "outside the data"),
    (["2010-13-01"], "not a date"),
])
def test_bad_era_lists_raise_one_clear_error(eras, message):
    with pytest.raises(DlrevError, match=message):
        trends.fit(_synthetic(n=50), eras=eras, bootstrap=0)


def test_unknown_metric_preset_and_level():
    df = _synthetic(n=30)
    with pytest.raises(DlrevError, match="unknown metric"):
        trends.fit(df, metric="flops")
    with pytest.raises(DlrevError, match="unknown preset"):
        trends.fit(df, preset="owid")
    with pytest.raises(DlrevError, match="between 0 and 1"):
        trends.fit(df, ci=90)


# --- breakpoints and sensitivity --------------------------------------------------------------

def _brute_hinge(x, y, ts):
    best = (np.inf, None)
    for t in ts:
        a = np.column_stack([np.ones_like(x), x, np.clip(x - t, 0, None)])
        r = y - a @ np.linalg.lstsq(a, y, rcond=None)[0]
        if (x < t).sum() >= 5 and (x >= t).sum() >= 5 and r @ r < best[0]:
            best = (r @ r, t)
    return best


def test_continuous_breakpoint_search_is_exact():
    df = _synthetic(n=150)
    bp = trends.breakpoints(df, k=1, bootstrap=0)
    data, _ = trends.prepare(df)
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    from dlrev.trends.breakpoints import _quarter_candidates

    sse, t = _brute_hinge(x, y, _quarter_candidates(x, 0.25))
    assert bp.sse == pytest.approx(sse, rel=1e-6)
    assert bp.boundaries[0].year == pytest.approx(t, abs=0.3)


def test_breakpoint_recovers_a_known_change_with_an_interval():
    bp = trends.breakpoints(_synthetic(n=300), k=1, bootstrap=200, seed=1)
    b = bp.boundaries[0]
    assert b.year == pytest.approx(2010, abs=1.0)
    assert b.low <= 2010 <= b.high and b.high - b.low < 4
    assert bp.bic < bp.bic_no_break
    assert bp.segments[1].slope == pytest.approx(0.6, abs=0.1)


def test_two_breakpoints_both_models():
    df = _synthetic(breaks=(2000.0, 2015.0), slopes=(0.1, 0.5, 1.2), n=400, noise=0.2)
    for model in ("continuous", "separate"):
        bp = trends.breakpoints(df, k=2, bootstrap=50, model=model)
        years = [b.year for b in bp.boundaries]
        assert years[0] == pytest.approx(2000, abs=1.5), model
        assert years[1] == pytest.approx(2015, abs=1.0), model


def test_breakpoints_on_epoch_data(epoch_systems):
    bp = trends.breakpoints(epoch_systems, k=1, bootstrap=200)
    b = bp.boundaries[0]
    assert b.year == pytest.approx(2011.0, abs=0.3)
    assert b.low < 2010.5 < b.high
    assert bp.bic < bp.bic_no_break - 100
    d = bp.to_dict()
    assert d["boundaries"][0]["date"] == "2011-01-01" and d["model"] == "continuous"
    assert d["hinge_growth"][0] == pytest.approx(1.51, abs=0.01)
    assert d["hinge_growth"][1] == pytest.approx(4.41, abs=0.02)
    # The hinge line is continuous at the boundary and its slopes are the reported ones.
    t = b.year
    left, right = bp.predict_log10(t - 1e-6), bp.predict_log10(t + 1e-6)
    assert left == pytest.approx(right, abs=1e-5)
    assert bp.predict_log10(t + 2) - bp.predict_log10(t + 1) == pytest.approx(
        bp.hinge_slopes[1], rel=1e-9)


def test_auto_eras_use_the_breakpoint(epoch_systems):
    tf = trends.fit(epoch_systems, eras="auto", bootstrap=0)
    assert tf.boundaries == ["2011-01-01"]
    assert tf.eras[1].fitted and tf.eras[1].growth > 4


def test_sensitivity_strip(epoch_systems, epoch_fit):
    se = trends.sensitivity(epoch_systems, bootstrap=50)
    row = se.rows.set_index("start").loc["2010-01-01"]
    assert row["growth"] == pytest.approx(epoch_fit.era(-1).growth, rel=1e-12)
    assert len(se.rows) == 45
    assert se.rows["n"].is_monotonic_decreasing
    assert (se.rows["doubling_low"] < se.rows["doubling_high"]).all()


# --- frontier, extrapolation, backtest --------------------------------------------------------

def test_frontier_methods(epoch_systems):
    rec = trends.frontier(epoch_systems, how="record setters")
    assert rec.systems["y"].is_monotonic_increasing and rec.n > 20
    top = trends.frontier(epoch_systems, how="top-k per year", k=3)
    per_year = np.floor(top.systems["x"]).value_counts()
    data, _ = trends.prepare(epoch_systems)
    available = np.floor(data["x"]).value_counts()
    assert per_year.max() <= 3 and top.n == int(np.minimum(available, 3).sum()) == 108
    largest = data.loc[data.groupby(np.floor(data["x"]))["y"].idxmax()]
    assert set(largest["name"]) <= set(top.systems["name"])
    res = trends.frontier(epoch_systems, how="residual above trend")
    assert (res.systems["residual"] >= res.params["threshold_oom"]).all()
    assert 0.1 < res.n / res.n_candidates < 0.4
    assert json.dumps(rec.to_dict(), allow_nan=False)
    with pytest.raises(DlrevError, match="unknown frontier method"):
        trends.frontier(epoch_systems, how="best")


def test_extrapolate_year_and_reach(epoch_fit):
    e = epoch_fit.era(-1)
    at = trends.extrapolate(epoch_fit, year=2030)
    assert at.value == pytest.approx(10 ** (e.intercept + e.slope * 2030))
    assert at.low < at.trend_low < at.value < at.trend_high < at.high
    r = trends.extrapolate(epoch_fit, reach=1e27)
    assert r.value == pytest.approx((27 - e.intercept) / e.slope)
    assert r.low < r.trend_low < r.value < r.trend_high < r.high
    assert r.date.startswith("2030")
    with pytest.raises(DlrevError, match="exactly one"):
        trends.extrapolate(epoch_fit)


def test_analytic_prediction_interval_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    df = _synthetic(breaks=(), slopes=(0.5,), n=80, noise=0.5)
    tf = trends.fit(df, eras=[], bootstrap=0)
    ex = trends.extrapolate(tf, year=2030, ci=0.9)
    data, _ = trends.prepare(df)
    res = sm.OLS(data["y"].to_numpy(), sm.add_constant(data["x"].to_numpy())).fit()
    frame = res.get_prediction(np.array([[1.0, 2030.0]])).summary_frame(alpha=0.1)
    assert math.log10(ex.low) == pytest.approx(frame["obs_ci_lower"].iloc[0], rel=1e-9)
    assert math.log10(ex.high) == pytest.approx(frame["obs_ci_upper"].iloc[0], rel=1e-9)
    assert math.log10(ex.trend_low) == pytest.approx(frame["mean_ci_lower"].iloc[0], rel=1e-9)


def test_backtest_on_a_perfect_trend_has_no_error():
    years = np.arange(2005, 2025) + 0.5
    df = pd.DataFrame({"name": [f"m{i}" for i in range(len(years))], "year": years,
                       "compute": 10 ** (15 + 0.6 * (years - 2005))})
    df = pd.concat([df, df.assign(name=df["name"] + "b", compute=df["compute"] / 100)])
    bt = trends.backtest(df, since=2012, horizons=[1, 3], start="2005-01-01")
    assert bt.last_complete_year == 2023  # the last system is dated mid-2024
    assert len(bt.rows) == (2022 - 2012 + 1) + (2020 - 2012 + 1)
    assert np.allclose(bt.rows["error"], 0, atol=1e-6)
    s = bt.summary.set_index("horizon")
    assert s.loc[3, "baseline_mae"] == pytest.approx(0.6 * 3, abs=1e-6)
    one = trends.backtest(df, since=2012, horizon_years=3, start="2005-01-01")
    assert one.horizons == [3] and len(one.rows) == 9


def test_backtest_on_epoch(epoch_systems):
    bt = trends.backtest(epoch_systems, since=2015, horizons=(1, 2, 3, 5))
    s = bt.summary.set_index("horizon")
    assert s.loc[1, "n"] == 10 and s.loc[5, "n"] == 6
    assert (s["mae"] < s["baseline_mae"]).all()
    r = bt.rows.iloc[0]
    assert r["error"] == pytest.approx(r["actual"] - r["predicted"])


# --- command line -----------------------------------------------------------------------------

def test_cli_trends_json_on_epoch(cli, epoch_csv):
    res = cli("--data", str(epoch_csv), "trends", "--json", "--bootstrap", "200")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["eras"][1]["n"] == 467 and abs(d["eras"][1]["growth"] - 4.35) < 0.01
    assert any("Epoch AI" in s for s in d["source"])


def test_cli_tables_and_forecast(cli, epoch_csv):
    res = cli("--data", str(epoch_csv), "trends", "--preset", "sevilla2022", "--bootstrap", "50")
    assert res.exit_code == 0 and "15 low outlier(s)" in res.stdout and " 453 " in res.stdout
    res = cli("--data", str(epoch_csv), "forecast", "--reach", "1e27", "--json", "--bootstrap",
              "100", "--frontier", "all")
    assert res.exit_code == 0
    d = json.loads(res.stdout)
    assert d["mode"] == "reach" and 2029 < d["value"] < 2031
    # The default fits the record setters, whose faster trend reaches the level years earlier.
    res = cli("--data", str(epoch_csv), "forecast", "--reach", "1e27", "--json", "--bootstrap",
              "100")
    rec = json.loads(res.stdout)
    assert rec["frontier"] == "records" and rec["value"] < d["value"] - 2
    res = cli("--data", str(epoch_csv), "backtest", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)["summary"][0]["n"] == 10


def test_cli_errors_are_one_line(cli, epoch_csv):
    res = cli("--data", str(epoch_csv), "trends", "--eras", "2015-01-01,2010-01-01")
    assert res.exit_code == 2
    assert "increasing order" in res.output and "Traceback" not in res.output
    res = cli("forecast")
    assert res.exit_code == 2 and "exactly one" in res.output


def test_cli_on_the_embedded_curated_data(cli):
    res = cli("trends", "--json", "--bootstrap", "100")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    dl = d["eras"][-1]
    if dl["fitted"] and dl["n"] >= 30:  # the curated table is still being filled
        assert 2.0 < dl["growth"] < 8.0
        assert 3.0 < dl["doubling_months"] < 12.0
