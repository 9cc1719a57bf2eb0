"""The IsoFLOP experiment: the analysis on synthetic losses, the design, and a tiny run."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from dlrev.errors import DlrevError
from dlrev.lab import isofit
from dlrev.lab.families import ISO_FAMILIES
from dlrev.lab.isoflop import design, grid
from dlrev.scaling import ChinchillaParams, optimal


def test_parabola_recovers_a_known_vertex():
    n = np.geomspace(1e3, 1e5, 7)
    x = np.log10(n)
    loss = 0.3 * (x - math.log10(8_000)) ** 2 + 1.7
    p = isofit.parabola(n, loss)
    assert p["N_opt"] == pytest.approx(8_000, rel=1e-9)
    assert p["loss_opt"] == pytest.approx(1.7, abs=1e-12)
    # with noise the 95 % interval covers the truth (and is not absurdly wide)
    rng = np.random.default_rng(1)
    noisy = isofit.parabola(n, loss + rng.normal(0, 0.005, n.size))
    assert noisy["N_low"] < 8_000 < noisy["N_high"] < 4 * noisy["N_low"]
    # a straight line has no minimum; a minimum beyond the sizes is flagged
    assert isofit.parabola(n, 2 - 0.1 * x)["N_opt"] is None
    edge = isofit.parabola(n[:4], 0.3 * (x[:4] - 5) ** 2)
    assert edge["at_edge"] and "outside the sizes" in edge["note"]


def _synthetic_runs(p: ChinchillaParams, computes, noise=0.0, seed=0):
    rng = np.random.default_rng(seed)
    runs = []
    for k, c in enumerate(computes):
        centre = optimal(p, c).N
        for n in centre * np.geomspace(1 / 6, 6, 7):
            d = c / (6 * n)
            runs.append({"budget": k, "N": float(n), "D": float(d),
                         "val_loss": float(p.predict(n, d)) + rng.normal(0, noise)})
    return runs


def test_approach_2_and_3_recover_a_known_law():
    truth = ChinchillaParams("t", 1.2, 60.0, 90.0, 0.35, 0.30)
    computes = [1e12, 3e12, 9e12, 2.7e13]
    out = isofit.analyse(_synthetic_runs(truth, computes), computes, n_boot=0)
    for b in out["budgets"]:  # each vertex lands on the exact compute-optimal size
        assert b["N_opt"] == pytest.approx(optimal(truth, b["compute"]).N, rel=0.06)
    assert out["exponents"]["a"] == pytest.approx(truth.a, abs=0.02)
    assert out["exponents"]["b"] == pytest.approx(truth.b, abs=0.02)
    a3 = out["approach3"]
    assert a3["ok"] and a3["alpha"] == pytest.approx(0.35, abs=0.01)
    assert a3["a"] == pytest.approx(truth.a, abs=0.01)
    tpp = optimal(truth, 1e12).tokens_per_param
    assert a3["optima"][0]["tokens_per_param"] == pytest.approx(tpp, rel=0.05)
    # with noise the exponent's interval covers the truth
    noisy = isofit.analyse(_synthetic_runs(truth, computes, 0.003, 2), computes, n_boot=0,
                           joint=False)
    ex = noisy["exponents"]
    assert ex["a_low"] < truth.a < ex["a_high"]
    q = ex["tokens_per_param"]
    assert q["low"] < q["value"] < q["high"]
    assert "orders of magnitude" in noisy["caveat"]


def test_design_gives_each_budget_four_sizes_and_six_n_d():
    fam = ISO_FAMILIES["cpu"]
    speeds = {m.name: 2e-3 + 4e-8 * m.params(65, 64) for m in fam.ladder}  # simulated
    for budget_s in (120, 600, 3600):
        d = design(fam, budget_s, speeds, 65)
        # planned to 90 % of the budget, leaving room for a shared machine's slower steps
        assert len(d.computes) == 3 and 0.8 * budget_s < d.estimated_s <= 0.9 * budget_s
        assert d.computes[1] == pytest.approx(3 * d.computes[0])
        for k, c in enumerate(d.computes):
            runs = [r for r in d.runs if r.budget == k]
            assert len(runs) >= 4
            for r in runs:  # tokens chosen so that 6 N D is the budget (to a whole step)
                assert 6 * r.params * r.tokens == pytest.approx(c, rel=0.02 + 1 / r.spec.steps)
    bigger = design(fam, 3600, speeds, 65)
    assert bigger.computes[0] > design(fam, 120, speeds, 65).computes[0]
    with pytest.raises(DlrevError, match="needs 4"):
        design(fam, None, None, 65, compute=1e6)
    with pytest.raises(DlrevError, match=r"give at least --budget \d+m") as exc:
        design(fam, 20, speeds, 65, spent_s=5)
    assert "a budget of 20 s" in str(exc.value) and "after 5 s of speed probe" in str(exc.value)
    # the budget it names is enough: designing with it succeeds
    named = int(re.search(r"--budget (\d+)m", str(exc.value)).group(1)) * 60
    assert design(fam, named, speeds, 65, spent_s=5).estimated_s <= 0.9 * (named - 5)
    assert grid(fam, 1e12, 65)  # and the grid is pure


@pytest.mark.lab
@pytest.mark.slow
def test_tiny_isoflop_run_writes_its_files_and_fits(cli, tmp_path):
    pytest.importorskip("torch")
    from dlrev.lab.corpus import markov_source

    text, _ = markov_source(30_000, vocab=8, order=2, seed=0)
    corpus = tmp_path / "m.txt"
    corpus.write_text(text, encoding="utf-8")
    out = tmp_path / "iso"
    args = ["lab", "isoflop", "--family", "tiny", "--compute", "2e7", "--corpus", str(corpus),
            "--out", str(out), "--device", "cpu", "--threads", "1", "--boot", "20"]
    r = cli(*args, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)  # stdout is exactly one JSON document
    assert (out / "isoflop.json").is_file() and (out / "results.json").is_file()
    runs = data["runs"]
    assert len(data["budgets"]) == 3 and all(b["n_runs"] >= 4 for b in data["budgets"])
    assert len(list((out / "runs").glob("*.json"))) == len(runs) >= 12
    assert not list(out.rglob("*.ckpt"))
    for row in runs:
        assert row["C"] == pytest.approx(6 * row["N"] * row["D"])
        assert row["val_loss"] < math.log(8) + 0.1
    for b in data["budgets"]:
        assert len(b["points"]) == b["n_runs"] and len(b["coef"]) == 3
    assert set(data["published"]) >= {"hoffmann_approach2", "kaplan"}
    assert data["tokens_per_param_ref"]["chinchilla"]["value"] == 20
    # again: everything is finished, nothing retrains, the same numbers come back
    again = cli(*args, "--json")
    assert again.exit_code == 0 and "resuming" in again.output
    assert [x["val_loss"] for x in json.loads(again.stdout)["runs"]] == [
        x["val_loss"] for x in runs]
    shown = cli("lab", "show", str(out))
    assert shown.exit_code == 0, shown.output
    assert "Best size at each compute budget" in shown.stdout and "Chinchilla" in shown.stdout
    use = data["utilisation"]
    assert use["params"] == max(x["N"] for x in runs) and use["mfu"] is None
    assert use["device_name"] == json.loads((out / "isoflop.json").read_text())["device_name"]
    assert "TFLOP/s achieved" in shown.stdout
    # the explorer's page data and specs
    import altair as alt

    from dlrev.web.lab_page import lab_data

    page = lab_data(out)
    assert page["isoflop"]["budgets"][0]["compute"] == pytest.approx(2e7)
    for spec in page["charts"].values():
        (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec)


def write_isoflop_folder(folder):
    """A finished IsoFLOP folder in the documented format (isoflop.json, runs/*.json,
    results.json from isofit.analyse) with losses from a known L(N, D), no training."""
    from dlrev import jsonio

    truth = ChinchillaParams("t", 1.2, 60.0, 90.0, 0.35, 0.30)
    computes = [1e12, 3e12, 9e12]
    runs = []
    for r in _synthetic_runs(truth, computes, noise=0.002, seed=3):
        c = computes[r["budget"]]
        key = f"c{r['budget']}-n{round(r['N'])}"
        runs.append({**r, "key": key, "compute": c, "C": 6 * r["N"] * r["D"], "seconds": 1.0,
                     "steps": 100, "tokens_per_s": 1e5, "name": key, "kind": "gpt",
                     "params": round(r["N"]), "flops_per_token": 6 * r["N"],
                     "curve": [{"step": s, "tokens": r["D"] * s / 100, "val_loss":
                                r["val_loss"] + 0.3 / s} for s in (25, 50, 100)]})
    manifest = {"format": 1, "kind": "isoflop", "family": "cpu", "seed": 0, "device": "cpu",
                "device_name": "x86_64",
                "corpus": {"name": "synthetic", "source": "losses from a known law (test)",
                           "characters": 1_000_000, "vocab_size": 65,
                           "train_characters": 900_000},
                "design": {"computes": computes}}
    jsonio.write_json(folder / "isoflop.json", manifest)
    for r in runs:
        jsonio.write_json(folder / "runs" / f"{r['key']}.json", r)
    jsonio.write_json(folder / "results.json", {
        "format": 1, "kind": "isoflop", "manifest": manifest, "runs": runs,
        **isofit.analyse(runs, computes, n_boot=0, corpus_chars=900_000)})
    return folder


def test_lab_page_data_of_an_isoflop_folder(cli, tmp_path):
    from dlrev.lab.isoflop import load
    from dlrev.web.lab_page import lab_data

    folder = write_isoflop_folder(tmp_path / "iso")
    data = load(folder)
    assert data["complete"] and len(data["budgets"]) == 3
    page = lab_data(folder)
    assert len(page["models"]) == 21 and page["samples"] == []
    assert set(page["charts"]) == {"size", "compute", "curves"}
    ex = page["isoflop"]["exponents"]
    assert ex["a"] == pytest.approx(ChinchillaParams("t", 1.2, 60.0, 90.0, 0.35, 0.30).a,
                                    abs=0.03)
    laws = {v["law"] for v in page["charts"]["compute"]["layer"][0]["data"]["values"]}
    assert f"this run (a = {ex['a']:.2f})" in laws and "Kaplan's slope (a = 0.73)" in laws
    shown = cli("lab", "show", str(folder), "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["exponents"]["a"] == pytest.approx(ex["a"])
    text = cli("lab", "show", str(folder))
    assert "Hoffmann et al. approach 2" in text.stdout and "orders of magnitude" in text.stdout


@pytest.mark.lab
@pytest.mark.slow
def test_torchrun_splits_the_runs_over_processes(tmp_path):
    """Two gloo processes each train half of the runs (whole batches, no gradient exchange);
    every run gives the same loss as in one process."""
    pytest.importorskip("torch")
    import os
    import subprocess
    import sys

    from dlrev.lab.corpus import markov_source

    text, _ = markov_source(30_000, vocab=8, order=2, seed=0)
    corpus = tmp_path / "m.txt"
    corpus.write_text(text, encoding="utf-8")
    common = ["lab", "isoflop", "--family", "tiny", "--compute", "2e7", "--corpus", str(corpus),
              "--device", "cpu", "--boot", "0", "--json"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    one = subprocess.run([sys.executable, "-m", "dlrev", *common, "--threads", "1", "--out",
                          str(tmp_path / "one")], capture_output=True, text=True, env=env,
                         timeout=600)
    assert one.returncode == 0, one.stderr[-2000:]
    two = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
                          "--standalone", "-m", "dlrev", *common, "--out", str(tmp_path / "two")],
                         capture_output=True, text=True, env=env, timeout=600)
    assert two.returncode == 0, two.stderr[-2000:]
    a, b = json.loads(one.stdout), json.loads(two.stdout)  # rank 0 alone prints
    assert [r["key"] for r in a["runs"]] == [r["key"] for r in b["runs"]]
    assert {r["rank"] for r in b["runs"]} == {0, 1}
    for x, y in zip(a["runs"], b["runs"], strict=True):
        assert y["val_loss"] == pytest.approx(x["val_loss"], abs=1e-6), x["key"]
