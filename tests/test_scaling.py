"""Scaling laws: the Chinchilla replication targets, power fits, compute-optimal allocation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dlrev import scaling
from dlrev.errors import DataError, DlrevError
from dlrev.web.scaling_page import scaling_page


@pytest.fixture(scope="module")
def chin_csv(shared_dir):
    return shared_dir / "data" / "chinchilla" / "svg_extracted_data.csv"


@pytest.fixture(scope="module")
def chin_df(chin_csv):
    return pd.read_csv(chin_csv)


@pytest.fixture(scope="module")
def chin_fit(chin_df):
    """The full 4,500-start fit on the 240 points, with a small bootstrap (run once)."""
    return scaling.fit(chin_df, "chinchilla", drop_highest_loss=5, n_boot=120, seed=1)


def test_runs_drop_and_derive(chin_df):
    runs = scaling.runs_from_frame(chin_df, drop_highest_loss=5)
    assert len(runs) == 240
    # The replication keeps rows with loss below the 5th-largest loss.
    assert runs.loss.max() < np.sort(chin_df["loss"].to_numpy())[-5]
    assert runs.columns["N"] == "Model Size" and runs.columns["C"] == "Training FLOP"
    assert runs.columns["D"].startswith("derived")
    np.testing.assert_allclose(runs.D, runs.C / (6 * runs.N))
    every = scaling.runs_from_frame(chin_df)  # SOURCE.md: D spans 2.45e8 ... 3.18e11 tokens
    assert len(every) == 245
    assert 2.4e8 < every.D.min() < 2.5e8 and 3.1e11 < every.D.max() < 3.2e11


def test_chinchilla_replication_point_estimates(chin_fit):
    f = chin_fit
    assert f.E == pytest.approx(1.817, abs=0.01)
    assert f.alpha == pytest.approx(0.348, abs=0.005)
    assert f.beta == pytest.approx(0.366, abs=0.005)
    assert f.A == pytest.approx(482, rel=0.05)
    assert f.B == pytest.approx(2085, rel=0.1)
    assert f.info.n_starts == 4500
    assert f.fit.rmse == pytest.approx(0.022, abs=0.001)
    # Tokens per parameter at the optimum: about 20 (Hoffmann's published values give ~98).
    assert 15 < scaling.optimal(f, 1e24).tokens_per_param < 22


def test_chinchilla_replication_intervals(chin_fit):
    iv = chin_fit.intervals
    assert chin_fit.info.n_boot_converged == 120
    # Besiroglu et al. report standard errors 0.03, 125, 1293, 0.02, 0.02 (4,000 resamples);
    # a 120-resample bootstrap should land within a factor of ~2 of them.
    for name, se in {"E": 0.03, "A": 125, "B": 1293, "alpha": 0.02, "beta": 0.02}.items():
        assert se / 2.2 < iv[name].se < se * 2.2, name
        assert iv[name].low < iv[name].estimate < iv[name].high
    assert iv["E"].level == 0.95 and "bootstrap" in iv["E"].method


def test_published_sets_fit_worse(chin_df):
    cmp = scaling.compare(["hoffmann", "hoffmann-tex", "besiroglu"],
                          scaling.runs_from_frame(chin_df, drop_highest_loss=5))
    rows = {r["name"]: r for r in cmp.rows}
    assert rows["hoffmann"]["rmse"] == pytest.approx(0.053, abs=0.001)
    assert rows["besiroglu"]["rmse"] == pytest.approx(0.022, abs=0.001)
    assert rows["hoffmann-tex"]["rmse"] == pytest.approx(0.030, abs=0.001)
    assert rows["hoffmann"]["mean_residual"] == pytest.approx(-0.045, abs=0.002)
    assert cmp.best == "besiroglu"


def test_optimal_allocation():
    o = scaling.optimal("besiroglu", 5.76e23)  # Gopher's budget
    assert o.N == pytest.approx(72e9, rel=0.02) and o.D == pytest.approx(1.33e12, rel=0.02)
    assert 6 * o.N * o.D == pytest.approx(5.76e23)
    h = scaling.optimal(scaling.HOFFMANN, 5.76e23)
    assert h.N == pytest.approx(32e9, rel=0.03) and h.tokens_per_param > 80
    assert h.a == pytest.approx(0.28 / 0.62) and h.a + h.b == pytest.approx(1)
    # The frontier is optimal: any other split of the same budget predicts a higher loss.
    p = scaling.BESIROGLU
    for k in (0.5, 2.0):
        assert p.predict(o.N * k, o.D / k) > o.loss
    with pytest.raises(DlrevError):
        scaling.optimal("nope", 1e24)
    with pytest.raises(DlrevError):
        scaling.optimal("hoffmann", -1)


def test_fit_power_recovers_known_law():
    rng = np.random.default_rng(0)
    n = np.logspace(5, 9, 25)
    true = 1.7 + (3e4 / n) ** 0.3
    loss = true * np.exp(rng.normal(0, 0.003, n.size))
    p = scaling.fit_power(n, loss, n_boot=60)
    assert p.E == pytest.approx(1.7, abs=0.05)
    assert p.alpha == pytest.approx(0.3, abs=0.03)
    assert p.X0 == pytest.approx(3e4, rel=0.5)
    assert p.r2 > 0.99
    np.testing.assert_allclose(p.predict(n), true, rtol=0.01)
    assert p.intervals["alpha"].low < 0.3 < p.intervals["alpha"].high
    d = p.to_dict()
    assert set(d) >= {"E", "X0", "alpha", "intervals", "r2"}
    json.dumps(scaling_page()["sets"])  # JSON-able


def test_bad_input():
    with pytest.raises(DataError, match="positive"):
        scaling.fit_power([1e6, -1e7, 1e8, 1e9], [3, 2.5, 2.2, 2.0])
    with pytest.raises(DlrevError, match="more than 3 runs"):
        scaling.fit_power([1e6, 1e7, 1e8], [3, 2.5, 2.2])
    df = pd.DataFrame({"params": [1e6, 1e7], "loss": [3.0, 2.5]})
    with pytest.raises(DataError, match="tokens D"):
        scaling.fit(df, "chinchilla")
    bad = pd.DataFrame({"N": [1e6, 1e7, 0.0], "D": [1e9, 1e9, 1e9], "loss": [3, 2, 1]})
    with pytest.raises(DataError, match='row 4, column "N"'):
        scaling.fit(bad, "chinchilla")
    five = pd.DataFrame({"N": [1e6, 1e7, 1e8, 1e9, 1e10], "tokens": [1e9] * 5,
                         "loss": [4.0, 3.5, 3.0, 2.8, 2.7]})
    with pytest.raises(DlrevError, match="5 parameters and needs more than 5 runs"):
        scaling.fit(five, "chinchilla")
    with pytest.raises(DlrevError, match="unknown scaling-law form"):
        scaling.fit(five, "quadratic")
    # Loss that rises with size: the best fit has a negative exponent; refuse it.
    n = np.logspace(4, 7, 8)
    with pytest.raises(DlrevError, match=r"alpha = -0.3 \(loss not falling with scale\)"):
        scaling.fit_power(n, 2.0 + (n / 1e5) ** 0.3)
    # Flat loss: whatever the fit, it must say the runs show no scaling.
    flat = scaling.fit_power(n, 3.0 + np.random.default_rng(1).normal(0, 0.001, n.size))
    assert any("no scaling" in note for note in flat.info.notes)


def test_cli_fit_json_power_and_errors(cli, chin_csv, tmp_path):
    # A power law in compute on the Chinchilla runs, through the command line.
    res = cli("scaling", "fit", str(chin_csv), "--form", "power", "--x", "C",
              "--drop-highest-loss", "5", "--bootstrap", "20", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["form"] == "power" and out["x"] == "C" and out["fit"]["n"] == 240
    assert 0.0 < out["alpha"] < 1.0 and out["intervals"]["alpha"]["se"] > 0
    # Own column names, with C only (D derived), and a clear error when one is missing.
    runs = pd.read_csv(chin_csv).rename(columns={"Model Size": "width", "loss": "xent"})
    f = tmp_path / "runs.csv"
    runs[["width", "Training FLOP", "xent"]].to_csv(f, index=False)
    res = cli("scaling", "fit", str(f), "--bootstrap", "0", "--json")
    assert res.exit_code == 2 and "no column for parameters N" in res.output
    assert "--n-col" in res.output and "Traceback" not in res.output
    res = cli("scaling", "fit", str(f), "--n-col", "width", "--loss-col", "xent",
              "--form", "power", "--x", "D", "--bootstrap", "0", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["x"] == "D"
    bad = tmp_path / "bad.csv"
    bad.write_text("N,D,loss\n1e6,1e9,3.0\n1e7,-1e9,2.5\n")
    res = cli("scaling", "fit", str(bad), "--json")
    assert res.exit_code == 2 and 'row 3, column "D"' in res.output
    res = cli("scaling", "fit", str(tmp_path / "missing.csv"))
    assert res.exit_code == 2 and "no such file" in res.output


def test_cli_optimal_and_compare(cli, chin_csv):
    res = cli("scaling", "optimal", "--compute", "1e24", "--fit", "hoffmann", "--json")
    assert res.exit_code == 0, res.output
    o = json.loads(res.stdout)["optimal"][0]
    assert o["tokens_per_param"] == pytest.approx(97.7, abs=0.5)
    res = cli("scaling", "optimal", "--compute", "5.76e23")
    assert res.exit_code == 0 and "7.22e10" in res.stdout
    res = cli("scaling", "optimal", "--compute", "1e24", "--fit", "nonsense")
    assert res.exit_code == 2 and "neither a parameter set" in res.output
    res = cli("scaling", "compare", str(chin_csv), "--drop-highest-loss", "5", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)["best"] == "besiroglu"


def test_kaplan_form_and_reference(chin_df):
    k = scaling.fit(chin_df, "kaplan", drop_highest_loss=5)
    # No irreducible term: it fits the 240 runs worse than the Chinchilla form (RMSE 0.022).
    assert 0.03 < k.fit.rmse < 0.07 and k.info.n_starts == 144
    assert 0 < k.alpha_N < 0.3 and 0 < k.alpha_D < 0.3
    ref = scaling.KAPLAN
    assert (ref["N"].alpha, ref["D"].alpha, ref["C"].alpha) == (0.076, 0.095, 0.050)
    # Kaplan's L(N) at N = 1e9 non-embedding parameters: (8.8e13 / 1e9)^0.076 ~ 2.38 nats.
    assert float(ref["N"].predict(1e9)) == pytest.approx(2.377, abs=0.005)


def test_figure_and_page(cli, chin_csv, tmp_path):
    out = tmp_path / "scaling.svg"
    res = cli("plot", "scaling", "-o", str(out), "--runs", str(chin_csv),
              "--drop-highest-loss", "5")
    assert res.exit_code == 0, res.output
    first = out.read_bytes()
    assert b"<svg" in first and len(first) > 10_000
    cli("plot", "scaling", "-o", str(out), "--runs", str(chin_csv), "--drop-highest-loss", "5")
    assert out.read_bytes() == first  # deterministic
    res = cli("plot", "scaling", "-o", str(tmp_path / "res.svg"), "--view", "residuals",
              "--runs", str(chin_csv), "--drop-highest-loss", "5")
    assert res.exit_code == 0, res.output
    assert b"<svg" in (tmp_path / "res.svg").read_bytes()
    res = cli("plot", "scaling", "-o", str(tmp_path / "x.svg"), "--view", "residuals")
    assert res.exit_code == 2 and "needs runs" in res.output
    assert not (tmp_path / "x.svg").exists()
    page = scaling_page(scaling.runs_from_frame(pd.read_csv(chin_csv), drop_highest_loss=5))
    assert {s["name"] for s in page["sets"]} == {"hoffmann", "hoffmann-tex", "besiroglu"}
    assert len(page["points"]) == 240
    best = min(page["sets"], key=lambda s: s["rmse"])
    assert best["name"] == "besiroglu"
    json.dumps(page)
