"""The growth table (dlrev.growth): every number equals the engine it comes from, computed here
independently; the CLI's --json, --data and --metr; the figure and the page's Vega-Lite spec."""

from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pytest

import dlrev
from dlrev import benchmarks as bm
from dlrev import growth, horizons, metr, trends


@pytest.fixture(scope="module")
def cat():
    return dlrev.load()


@pytest.fixture(scope="module")
def published():
    return horizons.from_published(metr.read_curated())


@pytest.fixture(scope="module")
def result(cat, published):
    return growth.growth(cat, horizon_fit=published)


def test_compute_rows_equal_the_trend_engine(cat, result):
    base, _ = trends.prepare(cat.systems, "compute", notable_only=True)
    # record setters by hand: above every earlier system
    best = base["y"].cummax().shift(1, fill_value=-np.inf)
    records = base[base["y"] > best]
    front = trends.frontier(base, how="records", prepared=True)
    assert list(front.systems["name"]) == list(records["name"])
    for label, since in growth.WINDOWS:
        row = result.row("compute", label)
        tf = trends.fit(front.systems.drop(columns=["x", "y"]), eras=[], since=since)
        era = tf.eras[0]
        assert row.available and row.n == era.n
        assert (row.value, row.low, row.high) == (era.growth, era.growth_low, era.growth_high)
        assert (row.doubling_months, row.doubling_low, row.doubling_high) == (
            era.doubling_months, era.doubling_low, era.doubling_high)
        assert row.ci == 0.9 and "record setters" in row.interval_method
        # the point estimate is plain OLS of log10 compute on decimal year of those records
        sel = records[records["x"] >= trends.to_decimal_year(since)]
        slope = np.polyfit(sel["x"], sel["y"], 1)[0]
        assert row.value == pytest.approx(10**slope, rel=1e-9)
        assert row.low < row.value < row.high
    r10 = result.row("compute", "from 2010")
    assert r10.n >= 20 and 3 < r10.value < 7  # Epoch reports ~4-5x/year for the frontier


def test_horizon_rows_equal_the_horizons_engine(result, published):
    t = horizons.frontier_trend(published, since="2023-01-01")
    row = result.row("horizon", "from 2023")
    assert row.available and row.n == t.n == len(t.agents)
    assert (row.value, row.low, row.high) == (t.doubling_months, t.doubling_low, t.doubling_high)
    assert row.ci == 0.95 and row.extra["growth_per_year"] == t.growth
    first = min(a.release_date for a in published.agents)
    early = result.row("horizon", "from 2010")
    assert not early.available and first in early.note and "from 2023" in early.note


def test_horizon_rows_from_metrs_file(cat, shared_dir):
    fit = horizons.fit_horizons(metr.read_metr(shared_dir / "data" / "metr" /
                                               "task_results_1_1.yaml"), bootstrap=100)
    g = growth.growth(cat, horizon_fit=fit)
    t = horizons.frontier_trend(fit, since="2023-01-01")
    row = g.row("horizon", "from 2023")
    assert row.n == t.n == 15  # docs/horizons.md: 15 SOTA agents
    assert row.value == t.doubling_months and 3.5 < row.value < 5
    assert row.extra["metr_doubling_low"] == t.metr_doubling_low
    pts = g.panels["horizon"]["points"]
    assert len(pts) == len(horizons.trend_points(fit)) and pts["frontier"].sum() == 15


def test_saturation_rows_equal_the_benchmarks_engine(cat, result):
    sat = bm.saturation(cat, levels=(1.0,)).table
    human = sat[sat["target_kind"].isin(["human expert", "human non-expert"])]
    years = human.groupby("benchmark")["years_to_100"].min()
    intro = human.groupby("benchmark")["introduced"].first()
    for label, since in growth.WINDOWS:
        keep = intro[intro >= since].index
        done = years[keep].dropna()
        med = result.row("saturation_time", label)
        assert med.n == len(done) and med.value == float(np.median(done))
        assert med.low <= med.value <= med.high
        line = result.row("saturation_trend", label)
        if len(done) >= growth.MIN_LINE:
            x = np.array([trends.to_decimal_year(intro[b].date().isoformat())
                          for b in done.index])
            assert line.value == pytest.approx(np.polyfit(x, done.to_numpy(), 1)[0], rel=1e-9)
        else:
            assert not line.available and "not available" in line.note
    assert "MMMU" in result.row("saturation_time", "from 2010").extra["not_reached"]


@pytest.mark.skipif(importlib.util.find_spec("dlrev.capability") is None,
                    reason="this dlrev has no capability index (dlrev.capability)")
def test_capability_rows_equal_the_capability_engine(cat, published, shared_dir):
    from dlrev import capability, stitching

    t = stitching.read_stitching(shared_dir / "data" / "benchmarks" /
                                 "epoch-benchmark-stitching")
    idx = capability.fit_index(capability.prepare(t.scores, t.models), bootstrap=0)
    g = growth.growth(cat, horizon_fit=published, capability_index=idx)
    for label, since in growth.WINDOWS:
        tr = capability.frontier_trend(idx, since=since)
        row = g.row("capability", label)
        assert row.available and row.n == tr.fit.n
        assert (row.value, row.low, row.high) == (tr.points_per_year, *tr.interval)
        assert row.ci == 0.9 and row.unit == "points/year"
    assert list(g.panels) == ["compute", "capability", "horizon"]


def test_capability_row_says_why_it_is_missing(cat, published):
    g = growth.growth(cat, horizon_fit=published, capability_note="not available: no tables")
    rows = [r for r in g.rows if r.measure == "capability"]
    assert len(rows) == 2 and all(not r.available and "no tables" in r.note for r in rows)
    assert not any(r.measure == "capability" for r in growth.growth(cat).rows)


def test_json_and_data_option(cli, epoch_csv):
    r = cli("growth", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {row["measure"] for row in d["rows"]} >= {"compute", "horizon", "saturation_time"}
    assert all(math.isfinite(row["ci"]) for row in d["rows"] if row["available"])
    r = cli("--data", str(epoch_csv), "growth", "--json")
    assert r.exit_code == 0, r.output
    row = next(x for x in json.loads(r.stdout)["rows"]
               if x["measure"] == "compute" and x["window"] == "from 2010")
    systems = dlrev.load(str(epoch_csv)).systems
    base, _ = trends.prepare(systems, "compute", notable_only=True)
    front = trends.frontier(base, how="records", prepared=True).systems.drop(columns=["x", "y"])
    era = trends.fit(front, eras=[], since="2010-01-01").eras[0]
    assert row["n"] == era.n and row["value"] == pytest.approx(era.growth, rel=1e-12)


def test_bad_metr_file_is_one_sentence(cli, tmp_path):
    r = cli("growth", "--metr", str(tmp_path / "nope.yaml"))
    assert r.exit_code == 2 and "nope.yaml: no such file" in r.output
    assert "Traceback" not in r.output


def test_figure_and_spec_share_one_time_axis(result, tmp_path):
    from dlrev.figures.common import save
    from dlrev.figures.growth import plot_growth
    from dlrev.web.growth_page import growth_chart

    fig = plot_growth(result)
    axes = fig.axes
    assert len(axes) == len(result.panels) == 2  # compute and horizon (no capability given)
    assert len({ax.get_xlim() for ax in axes}) == 1
    assert axes[0].get_yscale() == "log" and axes[-1].get_yscale() == "log"
    out = save(fig, tmp_path / "g.svg")
    assert out.stat().st_size > 10_000
    spec = growth_chart(result)
    assert len(spec["vconcat"]) == 2 and spec["resolve"]["scale"]["x"] == "shared"
    domains = {json.dumps(layer["encoding"]["x"]["scale"]) for p in spec["vconcat"]
               for layer in p["layer"]}
    assert len(domains) == 1
    n = len(result.panels["compute"]["points"])
    assert len(spec["datasets"]["compute_points"]) == n
    sub = spec["vconcat"][0]["title"]["subtitle"][0]
    assert f"{result.row('compute', 'from 2010').value:.1f} x/year" in sub
