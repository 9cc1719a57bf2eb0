"""Figures of the trend engine: deterministic bytes, readable log ticks, labels that do not
overlap, the source line, and the `dlrev plot` commands."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import dlrev
from dlrev import trends
from dlrev.errors import DlrevError
from dlrev.figures import common
from dlrev.figures.diagnostics import plot_backtest, plot_breakpoints, plot_sensitivity
from dlrev.figures.trends import pick_landmarks, plot_trends


@pytest.fixture(scope="module")
def epoch_cat(epoch_csv):
    return dlrev.load(epoch_csv)


@pytest.fixture(scope="module")
def epoch_fit(epoch_cat):
    return trends.fit(epoch_cat.systems, bootstrap=100)


def test_decade_ticks():
    assert common.decade_ticks(1e3, 1e9) == [3, 4, 5, 6, 7, 8, 9]
    assert common.decade_ticks(1e1, 1e27) == [3, 6, 9, 12, 15, 18, 21, 24, 27]
    assert common.decade_ticks(0.5, 2.0) == [-1, 0, 1]
    assert common.decade_ticks(-1, 10) == []


def test_source_text_keeps_epoch_attribution_whole():
    text = common.source_text([dlrev.EPOCH_ATTRIBUTION, "dlrev curated dataset"], "n = 5")
    assert text.startswith("Source: Epoch AI, 'Parameter, Compute and Data Trends in Machine")
    assert "CC BY 4.0; dlrev curated dataset. n = 5" in text


def test_main_chart_is_byte_identical_between_runs(epoch_cat, epoch_fit, tmp_path):
    out = {}
    for run in (1, 2):
        fig = plot_trends(epoch_fit, epoch_cat.systems, epoch_cat.sources)
        for fmt in ("svg", "pdf"):
            path = tmp_path / f"t{run}.{fmt}"
            common.save(fig, path, close=fmt == "pdf")
            out[(run, fmt)] = path.read_bytes()
    assert out[(1, "svg")] == out[(2, "svg")]
    assert out[(1, "pdf")] == out[(2, "pdf")]
    assert out[(1, "svg")].startswith(b"<?xml") and b"CreationDate" not in out[(1, "pdf")]
    assert out[(1, "pdf")].startswith(b"%PDF")


def test_main_chart_content(epoch_cat, epoch_fit):
    fig = plot_trends(epoch_fit, epoch_cat.systems, epoch_cat.sources)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert all(abs(math.log10(t) - round(math.log10(t))) < 1e-9 for t in ticks)
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(lbl.startswith("$10^{") for lbl in labels)
    texts = [t.get_text() for t in fig.texts]
    assert any("Epoch AI, 'Parameter, Compute and Data Trends" in t for t in texts)
    growth = [a.get_text() for a in ax.texts if "x/year" in a.get_text()]
    e = epoch_fit.era(-1)
    assert any(t.startswith(f"{e.growth:.1f}x/year") for t in growth)
    assert {"Pre-deep-learning era", "Deep learning era"} <= {t.get_text() for t in ax.texts}
    # Landmark labels (annotations with a leader line) do not overlap each other.
    renderer = fig.canvas.get_renderer()
    boxes = [a.get_window_extent(renderer) for a in ax.texts
             if getattr(a, "arrow_patch", None) is not None]
    assert len(boxes) >= 6
    for i, b in enumerate(boxes):
        assert not any(b.overlaps(o) for o in boxes[i + 1:])
    common.plt.close(fig)


def test_grouped_fit_draws_every_group(epoch_cat):
    tf = trends.fit(epoch_cat.systems, preset="sevilla2022", bootstrap=50)
    fig = plot_trends(tf, epoch_cat.systems, epoch_cat.sources, landmarks=0)
    ax = fig.axes[0]
    labels = " ".join(t.get_text() for t in ax.texts)
    assert "large-scale:" in labels and "regular-scale:" in labels
    assert len(ax.lines) == 4  # pre-DL, DL 2010-2015, large-scale, regular-scale
    common.plt.close(fig)


def test_landmarks_prefer_known_systems(epoch_cat):
    data, _ = trends.prepare(epoch_cat.systems)
    lm = pick_landmarks(data, 6)
    assert "AlexNet" in set(lm["name"]) and lm["x"].is_monotonic_increasing and len(lm) == 6


def test_other_figures_render(epoch_cat, tmp_path):
    s = epoch_cat.systems
    bp = trends.breakpoints(s, k=1, bootstrap=100)
    se = trends.sensitivity(s, bootstrap=20, step_months=12)
    bt = trends.backtest(s)
    for name, fig in (("bp.svg", plot_breakpoints(bp, s, epoch_cat.sources)),
                      ("se.png", plot_sensitivity(se, epoch_cat.sources)),
                      ("bt.pdf", plot_backtest(bt, epoch_cat.sources))):
        path = common.save(fig, tmp_path / name)
        assert path.stat().st_size > 5000


def test_save_refuses_unknown_format_and_leaves_nothing(tmp_path):
    fig, ax = common.new_figure()
    with pytest.raises(DlrevError, match=r"\.svg, \.pdf or \.png"):
        common.save(fig, tmp_path / "chart.jpg")
    with pytest.raises(DlrevError, match="does not exist"):
        common.save(fig, tmp_path / "missing" / "chart.svg")
    assert list(tmp_path.iterdir()) == []


def test_cli_plot_trends(cli, epoch_csv, tmp_path):
    out = tmp_path / "trends.svg"
    res = cli("--data", str(epoch_csv), "plot", "trends", "-o", str(out), "--bootstrap", "50")
    assert res.exit_code == 0, res.output
    first = out.read_bytes()
    res = cli("--data", str(epoch_csv), "plot", "trends", "-o", str(out), "--bootstrap", "50")
    assert out.read_bytes() == first
    res = cli("plot", "trends", "-o", str(tmp_path / "x.gif"))
    assert res.exit_code == 2 and "svg" in res.output
    assert not (tmp_path / "x.gif").exists()


def test_cli_plot_subcommands_on_curated_data(cli, tmp_path):
    res = cli("plot", "sensitivity", "-o", str(tmp_path / "s.png"), "--bootstrap", "20")
    assert res.exit_code == 0, res.output
    res = cli("plot", "backtest", "-o", str(tmp_path / "b.svg"))
    assert res.exit_code in (0, 2), res.output  # 2 only if the curated data are too thin
    small = pd.DataFrame({"name": ["a", "b", "c"], "year": [2000.0, 2001.0, 2002.0],
                          "compute": [1e10, 1e11, np.nan]})
    assert trends.fit(small, eras=[], bootstrap=0).eras[0].n == 2
