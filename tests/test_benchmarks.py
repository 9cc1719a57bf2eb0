"""Benchmark SOTA curves, saturation on a known series, and the importers (Epoch and user CSV)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dlrev
from dlrev import benchmark_import as bi
from dlrev import benchmarks as bm
from dlrev.errors import DataError

EPOCH_DIR = ("data", "benchmarks", "epoch-benchmark-stitching")


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


def _toy(cat: dlrev.Catalog, scale: str = "linear") -> dlrev.Catalog:
    bench = pd.DataFrame([{
        "name": "Toy", "measures": "x", "domain": "language",
        "introduced": pd.Timestamp("2020-01-01"), "metric": "accuracy", "direction": "higher",
        "chance": 0.0, "human_nonexpert": np.nan, "human_expert": 100.0, "ceiling": 100.0,
        "source_url": "https://example.org", "notes": None, "unit": "%", "scale": scale,
        "human_nonexpert_who": None, "human_expert_who": None}])
    dates = ["2020-07-01", "2021-01-01", "2021-06-01", "2022-01-01", "2023-01-01"]
    values = [30.0, 60.0, 55.0, 85.0, 95.0]
    res = pd.DataFrame({"benchmark": "Toy", "series": None, "date": pd.to_datetime(dates),
                        "system": [f"s{i}" for i in range(5)], "value": values,
                        "setting": None, "source_url": "https://example.org", "notes": None})
    return dataclasses.replace(cat, benchmarks=bench, benchmark_results=res)


def test_saturation_on_a_known_series(cat: dlrev.Catalog) -> None:
    toy = _toy(cat)
    row = bm.saturation(toy).table.iloc[0]
    intro = pd.Timestamp("2020-01-01")
    assert row["date_50"] == pd.Timestamp("2021-01-01")
    assert row["years_to_50"] == pytest.approx((pd.Timestamp("2021-01-01") - intro).days / 365.25)
    assert row["date_80"] == pd.Timestamp("2022-01-01")
    assert row["date_90"] == pd.Timestamp("2023-01-01")
    assert row["years_to_90"] == pytest.approx(1096 / 365.25)
    assert row["progress_now"] == pytest.approx(0.95)
    curve = bm.sota_curves(toy)
    assert curve["best"].tolist() == [30, 60, 60, 85, 95]
    assert curve["record"].tolist() == [True, True, False, True, True]
    # a level never reached stays empty
    row99 = bm.saturation(toy, levels=(0.99,)).table.iloc[0]
    assert pd.isna(row99["date_99"]) and np.isnan(row99["years_to_99"])


def test_progress_fraction_log_scale_and_lower_is_better() -> None:
    # error from 90% (chance) to 0.2% (human): 9% error is one decade of 2.65
    frac = bm.progress_fraction(np.array([90.0, 9.0, 0.2]), 90.0, 0.2, "log")
    assert frac == pytest.approx([0.0, 1 / np.log10(450), 1.0])
    assert bm.running_best([5.0, 3.0, 4.0, 1.0], "lower").tolist() == [5, 3, 3, 1]
    assert np.isnan(bm.progress_fraction(np.array([1.0]), 1.0, np.nan)).all()


def test_real_mmlu_and_math_saturation(cat: dlrev.Catalog) -> None:
    sat = bm.saturation(cat, names=["MMLU", "MATH"]).table.set_index(["benchmark", "series"])
    mmlu = sat.loc[("MMLU", "")]
    # halfway from 25% chance to the 89.8% expert level is 57.4%: Gopher's 60.0 first
    assert (mmlu["start"], mmlu["target"], mmlu["target_kind"]) == (25, 89.8, "human expert")
    assert mmlu["date_50"] == pd.Timestamp("2021-12-08")
    assert mmlu["date_90"] == pd.Timestamp("2023-03-14")  # GPT-4, 86.4 >= 83.3
    math = sat.loc[("MATH", "")]
    assert math["date_50"] == pd.Timestamp("2022-06-29")  # Minerva, 50.3 >= 45
    assert math["years_to_50"] == pytest.approx(
        (pd.Timestamp("2022-06-29") - pd.Timestamp("2021-03-05")).days / 365.25)
    curve = bm.sota_curves(cat, ["MMLU"])
    records = curve[curve["record"]]["system"].tolist()
    assert records[:4] == ["UnifiedQA (T5-11B)", "Gopher 280B", "Chinchilla 70B", "PaLM 540B"]
    assert "GPT-4o" not in records  # 88.7 after Gemini Ultra's 90.0


def test_curated_data_coverage(cat: dlrev.Catalog) -> None:
    res = cat.benchmark_results
    assert len(res) >= 200
    required = {"MNIST", "ImageNet", "COCO zero-shot FID", "Atari 57", "Go", "WikiText-103",
                "SuperGLUE", "MMLU", "MATH", "GSM8K", "HumanEval", "CASP"}
    assert required <= set(res["benchmark"])
    assert set(res["benchmark"]) <= set(cat.benchmarks["name"])
    imagenet = res[res["benchmark"] == "ImageNet"]["series"].unique()
    assert set(imagenet) == {"no extra data", "extra data"}
    assert res["source_url"].notna().all()


def test_epoch_import_on_shared_tables(cat: dlrev.Catalog, shared_dir: Path) -> None:
    folder = shared_dir.joinpath(*EPOCH_DIR)
    imp = bi.read_epoch_benchmarks(folder, bi.known_from_catalog(cat))
    counts = imp.to_dict()["per_benchmark"]
    # 246 MMLU and 234 GSM8K rows, of which 35 and 76 have no release date after the join
    assert counts["MMLU"] == 246 - 35 and counts["GSM8K"] == 234 - 76
    assert imp.skipped["no release date"] >= 35 + 76
    assert "HellaSwag" in imp.unknown_benchmarks and "MIT" in (imp.attribution or "")
    r = imp.results
    gpt4 = r[(r["benchmark"] == "MMLU") & (r["system"] == "GPT-4 (initial release)")].iloc[0]
    assert gpt4["value"] == pytest.approx(86.4) and gpt4["date"] == pd.Timestamp("2023-03-14")
    curve = bm.sota_curves(cat, ["MMLU"], results=r)
    rec = curve[curve["record"]]
    assert rec["best"].iloc[-1] == pytest.approx(88.1)
    assert rec["date"].iloc[-1] == pd.Timestamp("2024-11-20")
    gsm = bm.sota_curves(cat, ["GSM8K"], results=r)
    assert gsm["best"].max() == pytest.approx(94.5)
    # with unknown benchmarks, Epoch's own runs come in as percentages
    allimp = bi.read_epoch_benchmarks(folder, bi.known_from_catalog(cat), include_unknown=True)
    m5 = allimp.results[allimp.results["benchmark"] == "MATH level 5"]
    assert m5["value"].max() == pytest.approx(98.1)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "mine.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_user_csv_normalises_percent_fractions_and_names(cat: dlrev.Catalog,
                                                        tmp_path: Path) -> None:
    p = _write(tmp_path, "benchmark,date,system,value\n"
                         "mmlu,2024-01-02,A,91.5%\n"
                         "Human Eval,2024-02,B,0.95\n"
                         "HumanEval,2024,C,0.5\n"
                         "MNIST,2024-03-01,D,0.18\n")
    imp = bi.read_results_csv(p, bi.known_from_catalog(cat))
    r = imp.results.set_index("system")
    assert r.loc["A", ["benchmark", "value"]].tolist() == ["MMLU", 91.5]
    assert r.loc["B", "value"] == pytest.approx(95.0) and r.loc["B", "benchmark"] == "HumanEval"
    assert r.loc["B", "date"] == pd.Timestamp("2024-02-01")
    assert r.loc["C", "value"] == pytest.approx(50.0)
    assert r.loc["D", "value"] == pytest.approx(0.18)  # error rates are never fractions


@pytest.mark.parametrize("body, row, column, words", [
    ("MMLU,2024-01-01,A,0.9\nMMLU,2024-02-01,B,88\n", 1, "value", "ambiguous"),
    ("MMLU,2024-01-01,A,90\nImageNet-Z,2024-02-01,B,88\n", 2, "benchmark", "unknown benchmark"),
    ("MMLU,2024-01-01,A,90\nMMLU,,B,88\n", 2, "date", "missing"),
    ("MMLU,2024-01-01,A,90\nMMLU,31/12/2024,B,88\n", 2, "date", "not a date"),
    ("MMLU,2024-01-01,A,ninety\n", 1, "value", "not a score"),
])
def test_user_csv_rejects_with_row_and_column(cat: dlrev.Catalog, tmp_path: Path, body: str,
                                              row: int, column: str, words: str) -> None:
    p = _write(tmp_path, "benchmark,date,system,value\n" + body)
    with pytest.raises(DataError) as err:
        bi.read_results_csv(p, bi.known_from_catalog(cat))
    assert err.value.row == row and err.value.column == column
    assert f"row {row}" in str(err.value) and words in str(err.value)


def test_skip_undated_and_cli_writes_nothing_on_error(cat: dlrev.Catalog, tmp_path: Path,
                                                      cli) -> None:
    p = _write(tmp_path, "benchmark,date,system,value\nMMLU,2024-01-01,A,90\nMMLU,,B,88\n")
    imp = bi.read_results_csv(p, bi.known_from_catalog(cat), skip_undated=True)
    assert len(imp.results) == 1 and imp.skipped == {"no date": 1}
    out = tmp_path / "out.csv"
    res = cli("benchmark-import", str(p), "-o", str(out))
    assert res.exit_code == 2 and "row 2" in res.output and not out.exists()
    res = cli("benchmark-import", str(p), "-o", str(out), "--skip-undated")
    assert res.exit_code == 0, res.output
    back = pd.read_csv(out)
    assert back["value"].tolist() == [90] and back["benchmark"].tolist() == ["MMLU"]


def test_cli_benchmarks(cli, tmp_path: Path, shared_dir: Path) -> None:
    res = cli("benchmarks", "MATH", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    minerva = [r for r in data["results"] if r["system"] == "Minerva 540B"][0]
    assert minerva["value"] == 50.3 and minerva["record"] is True
    res = cli("benchmarks", "nosuch")
    assert res.exit_code == 2 and "no benchmark named" in res.output
    res = cli("benchmarks", "MMLU", "--json", "--add", str(shared_dir.joinpath(*EPOCH_DIR)))
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["imports"][0]["per_benchmark"]["MMLU"] == 211
    out = tmp_path / "bench.svg"
    res = cli("plot", "benchmarks", "-o", str(out))
    assert res.exit_code == 0, res.output and out.exists()


@pytest.mark.parametrize("cell", ["1,000", "1_000", "١٢٣", "nan"])
def test_scores_follow_the_one_number_rule(cell: str) -> None:
    """Benchmark scores are parsed by the same rule as every other number (dlrev.values)."""
    import pandas as pd

    from dlrev.errors import DataError

    with pytest.raises(DataError, match="is not a score"):
        bi.parse_scores(pd.Series(["86.4%", cell]), "scores.csv", "value")
    vals, pct = bi.parse_scores(pd.Series(["86.4%", "0.5", ""]), "scores.csv", "value")
    assert vals[0] == 86.4 and pct[0] and vals[1] == 0.5 and not pct[1]
