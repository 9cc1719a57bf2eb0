"""The capability index: the item-response fit, its bootstrap, the scale, the reader and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dlrev import capability
from dlrev.capability.irt import IRTData, bootstrap_weights, fit_irt
from dlrev.errors import DataError, DlrevError
from dlrev.stitching import TABLES, lenient_scores, read_stitching

LOW, HIGH = "claude-3-5-sonnet-20240620", "gpt-5-2025-08-07_medium"
# Epoch's published ECI (data/website/epoch_capabilities_index.csv in
# github.com/epoch-research/benchmark-stitching at 07356c2106015f283c23a1f2478ea9e654a9f24f)
EPOCH_ECI = {"gpt-4-0613": 122.1, "gpt-4-0314": 125.7, "gpt-4o-2024-11-20": 129.1,
             "claude-3-5-sonnet-20241022": 133.6, "DeepSeek-R1": 138.0,
             "o3-2025-04-16_high": 144.2, "gpt-5-2025-08-07_high": 149.6}


def synthetic(seed: int = 1, n_models: int = 60, n_bench: int = 10, noise: float = 0.01,
              density: float = 1.0):
    """Scores drawn from the model itself: sigmoid(a_b (C_m - D_b)) plus a little noise, with
    benchmark 0 the reference (difficulty 0, slope 1)."""
    rng = np.random.default_rng(seed)
    C = rng.uniform(-2.0, 2.0, n_models)
    D = rng.uniform(-1.5, 1.5, n_bench)
    A = rng.uniform(0.8, 1.6, n_bench)
    D[0], A[0] = 0.0, 1.0
    m, b = (g.ravel() for g in np.meshgrid(np.arange(n_models), np.arange(n_bench),
                                           indexing="ij"))
    keep = (rng.random(len(m)) < density) | (b == 0)
    m, b = m[keep], b[keep]
    y = 1 / (1 + np.exp(-A[b] * (C[m] - D[b]))) + rng.normal(0, noise, len(m))
    return C, D, A, m, b, np.clip(y, 1e-3, 1 - 1e-3)


def test_fit_recovers_known_parameters():
    """With a negligible penalty the raw parameters come back as they were drawn."""
    C, D, A, m, b, y = synthetic()
    d = IRTData(m, b, y, len(C), len(D), 0)
    p = fit_irt(d, np.ones((1, len(y))), lam=1e-3)
    assert p.converged[0]
    assert np.abs(p.C[0] - C).max() < 0.1
    assert np.abs(p.A[0] / A - 1).max() < 0.10
    assert np.abs(p.D[0] - D).max() < 0.1
    assert p.D[0, 0] == 0.0 and p.A[0, 0] == 1.0


def test_fit_with_epochs_penalty_recovers_parameters_on_the_anchored_scale():
    """Epoch's penalty (0.1) shrinks the raw scale by a few per cent (the reference slope is
    its only pin); the two-anchor map undoes that, so on the published scale the abilities
    (within 0.1 raw units) and slopes (within 10%) are recovered."""
    C, D, A, m, b, y = synthetic()
    p = fit_irt(IRTData(m, b, y, len(C), len(D), 0), np.ones((1, len(y))), lam=0.1)
    lo, hi = int(np.argsort(C)[len(C) // 3]), int(np.argmax(C))
    beta = (C[hi] - C[lo]) / (p.C[0, hi] - p.C[0, lo])
    mapped = C[lo] + beta * (p.C[0] - p.C[0, lo])
    assert 1.0 < beta < 1.1  # the penalty compresses the raw scale a little
    assert np.abs(mapped - C).max() < 0.1
    assert np.abs(p.A[0] / beta / A - 1).max() < 0.10


def test_batched_fit_equals_scipy_per_draw():
    """Each draw of the batched solver is the optimum scipy's least_squares finds alone."""
    from scipy.optimize import least_squares

    C, D, A, m, b, y = synthetic(seed=3, n_models=25, n_bench=6, noise=0.03, density=0.8)
    nm, nb = len(C), len(D)
    d = IRTData(m, b, y, nm, nb, 0)
    w = bootstrap_weights(m, nm, 4, np.random.default_rng(7))
    lam = 0.1
    rho = lam / (nm + 2 * nb - 1)
    got = fit_irt(d, w, lam=lam)
    lower = np.r_[np.full(nm + nb, -10.0), np.full(nb - 1, 0.1)]
    upper = np.r_[np.full(nm + nb, 10.0), np.full(nb - 1, 10.0)]
    for k in range(len(w)):
        def res(t, wk=w[k]):
            c, dd, a = t[:nm], t[nm:nm + nb], np.insert(t[nm + nb:], 0, 1.0)
            r = np.sqrt(wk) * (1 / (1 + np.exp(-a[b] * (c[m] - dd[b]))) - y)
            return np.r_[r, np.sqrt(rho) * np.r_[c, dd, a[1:]]]
        sol = least_squares(res, np.r_[np.zeros(nm + nb), np.ones(nb - 1)], bounds=(lower, upper),
                            xtol=1e-12, ftol=1e-12, gtol=1e-12)
        shift = sol.x[nm]
        assert np.abs(sol.x[:nm] - shift - got.C[k]).max() < 1e-4
        assert np.abs(np.insert(sol.x[nm + nb:], 0, 1.0) - got.A[k]).max() < 1e-4


def test_bootstrap_resamples_within_each_model():
    model = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    w = bootstrap_weights(model, 3, 50, np.random.default_rng(0))
    for j in range(3):
        assert (w[:, model == j].sum(axis=1) == (model == j).sum()).all()
    assert w.std(axis=0).min() > 0  # every row is sometimes drawn more, sometimes less


def _fit_input(C, D, A, m, b, y) -> capability.FitInput:
    ids = [f"model-{i}" for i in range(len(C))]
    lo, hi = int(np.argsort(C)[len(C) // 3]), int(np.argmax(C))
    ids[lo], ids[hi] = LOW, HIGH
    scores = pd.DataFrame({"benchmark": [("Winogrande" if k == 0 else f"bench-{k}") for k in b],
                           "model": [ids[i] for i in m], "score": y, "chance": 0.0,
                           "setting": "", "source": ""})
    models = pd.DataFrame({"model": ids, "name": [i.upper() for i in ids],
                           "date": pd.date_range("2020-01-01", periods=len(ids), freq="20D")})
    return capability.prepare(scores, models)


def test_anchors_land_at_130_and_150():
    idx = capability.fit_index(_fit_input(*synthetic()), bootstrap=20)
    assert idx.model(LOW)["eci"] == pytest.approx(130.0, abs=1e-9)
    assert idx.model(HIGH)["eci"] == pytest.approx(150.0, abs=1e-9)
    ref = idx.benchmarks.set_index("benchmark").loc["Winogrande"]
    assert ref["difficulty"] == 0.0 and ref["slope"] == 1.0
    assert ref["edi"] == pytest.approx(idx.offset)
    m = idx.models
    assert ((m["eci_low"] <= m["eci"] + 1e-9) & (m["eci"] <= m["eci_high"] + 1e-9)).mean() > 0.9
    json.dumps(idx.to_dict(), allow_nan=False)


def test_prepare_merges_duplicates_and_counts_what_it_drops():
    scores = pd.DataFrame({
        "benchmark": ["MMLU", "MMLU", "Winogrande", "GSM8K", "ARC", "MMLU", "GSM8K"],
        "model": ["a", "a", "a", "a", "a", "b", "zz"],
        "score": [0.70, 0.80, 0.40, 0.5, 0.6, 0.9, 0.5],
        "chance": [0.25, 0.25, 0.5, 0.0, 0.25, 0.25, 0.0],
        "setting": ["5", "0", "", "", "", "", ""], "source": ""})
    models = pd.DataFrame({"model": ["a", "b"], "name": ["A", "B"],
                           "date": pd.to_datetime(["2024-01-01", "2024-02-01"])})
    inp = capability.prepare(scores, models)
    rows = inp.rows.set_index("benchmark")
    assert rows.loc["MMLU", "y"] == pytest.approx((0.80 - 0.25) / 0.75)  # the best row
    assert rows.loc["MMLU", "n_rows"] == 2 and rows.loc["MMLU", "setting"] == "0"
    assert rows.loc["Winogrande", "y"] == 0.0  # below chance counts as chance
    assert inp.counts["model not in model_versions.csv"] == 1
    assert inp.counts["model with fewer than 4 benchmarks"] == 1  # b has one benchmark
    assert list(inp.models["model"]) == ["a"]


def test_lenient_scores():
    got = lenient_scores(pd.Series(["86.4%", "8.3", "", "n/a", "1,000"]), 10.0)
    assert got[0] == pytest.approx(0.864) and got[1] == pytest.approx(0.83)
    assert np.isnan(got[2]) and np.isnan(got[3]) and got[4] == pytest.approx(100.0)


def write_folder(root: Path, seed: int = 1) -> Path:
    """A small benchmark-stitching folder drawn from the model, anchors included."""
    C, D, A, m, b, y = synthetic(seed=seed, n_models=30, n_bench=5)
    ids = [f"model-{i}" for i in range(len(C))]
    ids[int(np.argsort(C)[10])], ids[int(np.argmax(C))] = LOW, HIGH
    root.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"id": ids, "Model": ids, "Display name": [i.upper() for i in ids],
                  "Version release date": pd.date_range("2021-01-01", periods=len(ids),
                                                        freq="30D").strftime("%Y-%m-%d")}
                 ).to_csv(root / "model_versions.csv", index=False)
    tables = [t for t in TABLES if not t.task][:len(D)]
    tables = [next(t for t in TABLES if t.benchmark == "Winogrande")] + [
        t for t in tables if t.benchmark != "Winogrande"][:len(D) - 1]
    for k, t in enumerate(tables):
        sel = b == k
        raw = t.chance + (1 - t.chance) * y[sel]
        pd.DataFrame({"Model version": [ids[i] for i in m[sel]],
                      t.column: [f"{v * 100:.2f}%" for v in raw]}).to_csv(root / t.file,
                                                                          index=False)
    return root


def test_reader_skips_and_counts_bad_rows(tmp_path):
    root = write_folder(tmp_path / "tables")
    wino = root / "external_benchmark_winogrande.csv"
    text = wino.read_text().rstrip("\n") + "\n,55%\nmodel-1,abc\nmodel-2,\nmodel-3,140%\n"
    wino.write_text(text)
    t = read_stitching(root)
    assert t.skipped == {"no model id": 1, "unreadable score": 1, "no score": 1,
                         "score outside 0-100%": 1}
    assert "GPQA diamond" in t.missing_tables
    assert t.scores["score"].between(0, 1).all()


def test_reader_errors_are_one_sentence(tmp_path):
    with pytest.raises(DataError, match="not a folder"):
        read_stitching(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no model_versions.csv"):
        read_stitching(tmp_path / "empty")
    root = write_folder(tmp_path / "t")
    pd.DataFrame({"Model version": ["x"], "Wrong": ["1%"]}).to_csv(
        root / "external_benchmark_mmlu.csv", index=False)
    with pytest.raises(DataError, match="external_benchmark_mmlu.csv: expected a column 'EM'"):
        read_stitching(root)


def test_cli_json_and_import(cli, tmp_path):
    root = write_folder(tmp_path / "tables")
    res = cli("capability", str(root), "--bootstrap", "20", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    models = {m["model"]: m for m in doc["index"]["models"]}
    assert models[LOW]["eci"] == pytest.approx(130.0) and models[HIGH]["name"] == HIGH.upper()
    assert doc["trend"]["n"] >= 3 and "crossings" in doc["trend"]
    res = cli("capability")
    assert res.exit_code == 2 and "dlrev data import-benchmarks" in res.output
    assert cli("data", "import-benchmarks", str(root)).exit_code == 0
    res = cli("capability", "--bootstrap", "0", "--top", "3")
    assert res.exit_code == 0 and "points/year" in res.output


@pytest.mark.parametrize("args, says", [
    (["/no/such/folder"], "not a folder"),
    (["--since", "last year"], "is not a date"),
    (["--bootstrap", "-1"], "cannot be negative"),
])
def test_cli_bad_input_exits_2(cli, tmp_path, args, says):
    root = write_folder(tmp_path / "tables")
    full = args if args[0].startswith("/") else [str(root), *args]
    res = cli("capability", *full)
    assert res.exit_code == 2
    assert says in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_exclude_unknown_benchmark_is_an_error():
    C, D, A, m, b, y = synthetic()
    inp = _fit_input(C, D, A, m, b, y)
    with pytest.raises(DlrevError, match="cannot exclude"):
        capability.prepare(inp.rows.assign(score=inp.rows["y"], chance=0.0, source=""),
                           inp.models, exclude=["Nope"])


@pytest.fixture(scope="module")
def real_index(shared_dir):
    t = read_stitching(shared_dir / "data" / "benchmarks" / "epoch-benchmark-stitching")
    return t, capability.fit_index(capability.prepare(t.scores, t.models), bootstrap=0)


def test_real_tables_against_epochs_published_index(real_index):
    t, idx = real_index
    assert len(t.scores) == 2411 and t.skipped == {"no model id": 334}
    assert len(idx.models) == 193 and len(idx.benchmarks) == 40
    assert idx.converged
    assert idx.model(LOW)["eci"] == pytest.approx(130.0)
    assert idx.model("GPT-5 (medium)")["eci"] == pytest.approx(150.0)
    for model, published in EPOCH_ECI.items():
        assert abs(idx.model(model)["eci"] - published) < 4.0, model


def test_real_frontier_trend(real_index):
    _, idx = real_index
    tr = capability.frontier_trend(idx, bootstrap=200)
    assert 8 < tr.points_per_year < 25
    lo, hi = tr.interval
    assert lo < tr.points_per_year < hi
    assert tr.frontier["eci"].is_monotonic_increasing
    c = tr.crossings.pivot(index="benchmark", columns="level", values="year")
    assert (c[0.5] < c[0.9]).all()
    assert tr.breakpoint is not None


def test_page_data_only_with_imported_tables(tmp_path):
    from dlrev.stitching import cached_tables, install_tables
    from dlrev.web import capability_page

    assert capability_page.tables_folder() is None  # offline, nothing imported: no page
    names = install_tables(write_folder(tmp_path / "t"), cached_tables())
    assert "model_versions.csv" in names
    data = capability_page.capability_data(capability_page.tables_folder())
    assert data["summary"]["n_models"] == 30 and len(data["benchmarks"]) == 5
    top = data["models"][0]
    assert data["summary"]["top"]["model"] == top["model"]
    assert top["eci"] == max(m["eci"] for m in data["models"])
    ref = next(b for b in data["benchmarks"] if b["reference"])
    assert ref["benchmark"] == "Winogrande" and ref["date_50"] <= ref["date_90"]
    assert data["specs"]["index"]["layer"] and data["line"][0]["kind"] == "fit"
    json.dumps(data, allow_nan=False)
