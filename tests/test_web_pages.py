"""The explorer's Benchmarks, Forecasts, Scaling and Lab pages, in-process: their page data against
the analysis modules, the built files, the API and `--lab`."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

import dlrev
from dlrev import benchmarks as bm
from dlrev import forecasts as fc
from dlrev import scaling
from dlrev.web import build_site, secure_app
from dlrev.web.pagespecs import page_specs
from dlrev.web.scaling_page import scaling_page

HOSTILE_SAMPLE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def write_lab_folder(folder: Path) -> Path:
    """A finished lab folder in the lab's documented format (lab.json, ngram.json, runs/*.json,
    results.json from dlrev.lab.sweep.summarize), with losses on an exact power law
    L = 5 N^-0.1 so the lab's fit has a known answer."""
    from dlrev.lab.sweep import summarize

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "runs").mkdir(exist_ok=True)
    manifest = {"format": 1, "family": "tiny", "seed": 0, "device": "cpu",
                "corpus": {"name": "stdlib", "source": "Python standard library sources (test)",
                           "characters": 100000, "vocab_size": 96}}
    ngram = {"results": [{"order": o, "entries": 96 ** o // 10 + 96, "val_loss": 3.2 - 0.4 * o,
                          "seconds": 0.01} for o in (1, 2, 3)],
             "seconds": 0.05, "sample_order": 3, "sample": "def f(x):\n    return x"}
    runs = []
    for i, (name, params) in enumerate((("gpt-1x16", 5000), ("gpt-2x32", 30000),
                                        ("gpt-2x64", 110000), ("gpt-4x64", 220000))):
        final = 5 * params ** -0.1
        curve = [{"step": s, "tokens": s * 512, "flops": 6.0 * params * s * 512,
                  "val_loss": final + 1.5 / s ** 0.5 - 1.5 / 200 ** 0.5,
                  "train_loss": final + 0.1} for s in (50, 100, 200)]
        runs.append({"name": name, "kind": "gpt", "params": params, "val_loss": final,
                     "curve": curve, "seconds": 1.0 + i, "steps": 200,
                     "tokens_per_s": 90000.0, "sample": HOSTILE_SAMPLE if i == 0 else
                     f"sample of {name}"})
    runs.append({"name": "lstm-1x32", "kind": "lstm", "params": 14690, "val_loss": 2.25,
                 "curve": [{"step": 200, "tokens": 102400, "flops": 6.0 * 14690 * 102400,
                            "val_loss": 2.25, "train_loss": 2.3}],
                 "seconds": 1.1, "steps": 200, "tokens_per_s": 90000.0, "sample": "lstm text"})
    (folder / "lab.json").write_text(json.dumps(manifest), "utf-8")
    (folder / "ngram.json").write_text(json.dumps(ngram), "utf-8")
    for r in runs:
        (folder / "runs" / f"{r['name']}.json").write_text(json.dumps(r), "utf-8")
    (folder / "results.json").write_text(json.dumps(summarize(manifest, ngram, runs)), "utf-8")
    return folder


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def lab_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lab_folder(tmp_path_factory.mktemp("lab") / "lab")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cat: dlrev.Catalog, lab_dir: Path) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLREV_CACHE_DIR", str(tmp_path_factory.mktemp("pagescache")))
        out = tmp_path_factory.mktemp("pages") / "site"
        build_site(cat, out, lab=lab_dir)
    return out


@pytest.fixture(scope="module")
def client(site: Path) -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        return TestClient(secure_app(site))


def _data(site: Path, name: str) -> Any:
    return json.loads((site / "data" / f"{name}.json").read_text("utf-8"))


def test_pages_are_built_and_in_the_navigation(site: Path) -> None:
    for page in ("benchmarks", "forecasts", "scaling", "lab"):
        html = (site / f"{page}.html").read_text("utf-8")
        assert f'data-page="{page}"' in html
        assert (site / "data" / f"{page}.json").is_file()
        # the navigation of every page links the new pages
        assert f'href="{page}.html"' in (site / "index.html").read_text("utf-8")
        # CSP-compatible: no inline script, no inline event handler, no style attribute
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"\son[a-z]+=", html) and " style=" not in html
        assert "Content-Security-Policy" in html
        # sources and licence on the page
        assert "Sources and citation" in html and "MIT" in html
    assert (site / "data" / "pagespecs.json").is_file()


def test_no_lab_page_without_a_lab(tmp_path: Path, cat: dlrev.Catalog) -> None:
    res = build_site(cat, tmp_path / "s")
    assert "lab.html" not in res.pages and "benchmarks.html" in res.pages
    assert 'href="lab.html"' not in (tmp_path / "s" / "index.html").read_text("utf-8")


def test_benchmarks_page_data_is_the_engines(site: Path, cat: dlrev.Catalog) -> None:
    d = _data(site, "benchmarks")
    # every result reaches the page, with the engine's running best and progress
    assert len(d["points"]) == len(cat.benchmark_results) == 213
    curves = bm.sota_curves(cat)
    assert [p["value"] for p in d["points"]] == curves["value"].tolist()
    assert [p["best"] for p in d["points"]] == curves["best"].tolist()
    sat = bm.saturation(cat).table
    rows = {(r["benchmark"], r["series"]): r for r in d["saturation"]["rows"]}
    assert len(rows) == len(sat)
    mnist = rows[("MNIST", "")]
    assert mnist["years_to_90"] == pytest.approx(11.329227, abs=1e-6)
    assert mnist["date_90"] == "2010-03-01"
    assert mnist["best_system"] == "DropConnect ensemble"
    mmlu = next(b for b in d["benchmarks"] if b["name"] == "MMLU")
    assert {r["label"]: r["value"] for r in mmlu["refs"]} == {
        "chance": 25.0, "human non-expert": 34.5, "human expert": 89.8, "ceiling": 100.0}
    assert all(s.startswith(("http://", "https://")) for s in d["sources"])


def test_forecasts_page_data_is_the_engines(site: Path, cat: dlrev.Catalog) -> None:
    d = _data(site, "forecasts")
    scores = fc.score_forecasts(cat)
    assert d["summary"]["text"] == scores.summary["text"]
    assert "4 outcomes came faster than the forecasters' range" in d["summary"]["text"]
    # score forecasts are charted; forecasts of a date have their own table
    value = scores.table[scores.table["kind"] == "value"]
    dates = scores.table[scores.table["kind"] == "date"]
    assert len(d["forecasts"]) == len(value) == 22
    assert len(d["date_forecasts"]) == len(dates) == 7
    assert len(d["forecasts"]) + len(d["date_forecasts"]) == len(cat.forecasts)
    assert [f["position"] for f in d["forecasts"]] == [
        None if not isinstance(p, str) else p for p in value["position"]]
    assert [f["sentence"] for f in d["forecasts"] + d["date_forecasts"]] == (
        value["sentence"].tolist() + dates["sentence"].tolist())
    assert {f["speed"] or f["median_speed"] for f in d["date_forecasts"]} == {
        "faster", "slower", None}
    assert "IMO gold medal" not in d["benchmarks"]
    math25 = next(f for f in d["forecasts"] if f["question"] == "MATH state of the art on "
                  "2025-06-30")
    fan = [g for g in math25["geometry"] if g["layer"] == "fan"]
    assert [(g["lo"], g["hi"]) for g in fan] == [(6.9, 6.9), (40.0, 60.0)]
    median = [g for g in math25["geometry"] if g["layer"] == "median"]
    assert median[-1]["y"] == 52.0 and median[-1]["x"] == pytest.approx(2025.4931507, abs=1e-6)
    trend = fc.compare_with_trend(cat)
    cifar = next(f for f in d["forecasts"] if f["benchmark"] == "CIFAR-10 robust")
    ref = trend[trend["benchmark"] == "CIFAR-10 robust"].iloc[0]
    assert cifar["trend"] == pytest.approx(float(ref["trend"]), abs=1e-12)
    end = [g for g in cifar["geometry"] if g["layer"] == "trend"]
    assert end[-1]["y"] == pytest.approx(float(ref["trend"]), abs=1e-9)
    # the trend line has the engine's slope
    assert (end[1]["y"] - end[0]["y"]) / (end[1]["x"] - end[0]["x"]) == pytest.approx(
        float(ref["trend_slope_per_year"]), rel=1e-9)
    # every benchmark and date without a line is named, with the reason
    missing = {(m["benchmark"], m["forecast_date"]) for m in d["trend_missing"]}
    assert ("MATH", "2021-09-30") in missing and ("MMLU", "2021-09-30") in missing
    assert all("needs at least 3" in m["why"] or "not in our results" in m["why"]
               for m in d["trend_missing"])
    assert len(d["predictions"]) == len(cat.predictions) == 12
    assert d["predictions"][0]["who"] == "Hans Moravec"
    assert set(d["refs"]["MATH"][i]["label"] for i in range(3)) == {
        "human non-expert", "human expert", "ceiling"}


def h24_n(d: dict) -> float:
    return float(next(f["N"] for f in d["frontier"] if f["params"] == "hoffmann"
                      and math.isclose(f["compute"], 1e24)))


def test_scaling_page_data_is_scaling_page(site: Path) -> None:
    d = _data(site, "scaling")
    ref = scaling_page()
    assert [s["name"] for s in d["sets"]] == ["hoffmann", "hoffmann-tex", "besiroglu", "kaplan"]
    assert d["sets"][0]["a"] == pytest.approx(0.28 / (0.34 + 0.28))   # N_opt ∝ C^(β/(α+β))
    chinchilla = [f for f in d["frontier"] if f["params"] != "kaplan"]
    assert len(chinchilla) == len(ref["frontier"]) == 99
    assert len([r for r in d["iso"] if r["params"] != "kaplan"]) == len(ref["iso"])
    # Kaplan et al. 2020 beside them: L(C_min) = (Cc/C)^0.050 and N_opt = 1.3e9 (C/PF-day)^0.73
    k24 = next(f for f in d["frontier"] if f["params"] == "kaplan"
               and math.isclose(f["compute"], 1e24))
    law = ref["kaplan"]["C"]
    assert k24["loss"] == pytest.approx((law["Xc"] / 1e24) ** law["alpha"], rel=1e-12)
    assert k24["N"] == pytest.approx(1.3e9 * (1e24 / 8.64e19) ** 0.73, rel=1e-12)
    assert k24["N"] > 10 * h24_n(d)   # Kaplan's recipe: far bigger models for the budget
    assert {r["N"] for r in d["iso"] if r["params"] == "kaplan"} == {
        r["N"] for r in ref["iso"]}
    h24 = next(f for f in d["frontier"] if f["params"] == "hoffmann"
               and math.isclose(f["compute"], 1e24))
    opt = scaling.optimal(scaling.HOFFMANN, 1e24)
    assert h24["N"] == pytest.approx(opt.N, rel=1e-12)
    assert h24["tokens_per_param"] == pytest.approx(opt.D / opt.N, rel=1e-9)
    assert "Besiroglu" in d["chinchilla_source"]


def test_lab_page_data_is_the_labs(site: Path, lab_dir: Path) -> None:
    from dlrev.lab import show

    d = _data(site, "lab")
    report = show.load(lab_dir)
    assert d["complete"] is True
    assert [m["name"] for m in d["models"]] == [m["name"] for m in report.models()]
    assert len(d["models"]) == 3 + 5
    # the lab's fit of loss against parameters recovers the exponent the runs were made with
    assert d["fits"]["params_power"]["alpha"] == pytest.approx(0.1, abs=1e-9)
    assert set(d["charts"]) == {"size", "compute", "curves"}
    assert d["samples"][0]["name"] == "3-gram KN"
    assert HOSTILE_SAMPLE in [s["text"] for s in d["samples"]]
    # the HTML never carries the sample: it reaches the page only as data
    assert "onerror" not in (site / "lab.html").read_text("utf-8")


def test_page_specs_name_their_data_and_draw_projections_dashed() -> None:
    specs = page_specs()
    assert set(specs) == {"benchmark-progress", "benchmark-values", "benchmark-values-log",
                          "forecast", "predictions", "scaling-iso", "scaling-optimal"}
    text = json.dumps(specs)
    assert '"values"' not in text.replace('"benchmark-values', "")   # no inline data
    layers = {la["data"]["name"]: la for la in specs["forecast"]["layer"]
              if la["mark"]["type"] in ("line", "area")}
    labels = {la["name"]: la for la in specs["forecast"]["layer"] if la["mark"]["type"] == "text"
              and "name" in la}
    assert labels["median_labels"]["encoding"]["text"]["field"] == "median"
    assert labels["outcome_labels"]["encoding"]["text"]["field"] == "y"
    assert layers["medians"]["mark"]["strokeDash"] and layers["trend"]["mark"]["strokeDash"]
    assert layers["fans"]["mark"]["type"] == "area"
    assert "strokeDash" not in layers["history"]["mark"]          # history is solid
    refs = [la for la in specs["forecast"]["layer"] if la["data"]["name"] == "refs"]
    assert refs[0]["mark"]["type"] == "rule"                        # human baselines
    assert specs["benchmark-values-log"]["layer"][2]["encoding"]["y"]["scale"]["type"] == "log"


def test_api_serves_each_pages_data(client: Any, site: Path) -> None:
    index = client.get("/api").json()
    for page in ("benchmarks", "forecasts", "scaling", "lab"):
        assert f"/api/{page}" in index["endpoints"]
        r = client.get(f"/api/{page}")
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json() == _data(site, page)
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert client.post(f"/api/{page}").status_code == 405


def test_api_without_a_lab_says_so(tmp_path: Path, cat: dlrev.Catalog) -> None:
    import warnings

    build_site(cat, tmp_path / "s")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        c = TestClient(secure_app(tmp_path / "s"))
    r = c.get("/api/lab")
    assert r.status_code == 404 and "no lab page" in r.json()["error"]


def test_cli_build_with_lab(cli, tmp_path: Path, lab_dir: Path) -> None:
    r = cli("build", str(tmp_path / "s"), "--lab", str(lab_dir), "--json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert "lab.html" in body["pages"] and "data/lab.json" in body["files"]
    r = cli("build", str(tmp_path / "t"), "--lab", str(tmp_path))
    assert r.exit_code == 2
    assert "not a lab folder" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "t").exists()
