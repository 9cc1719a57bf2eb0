"""Lab folders read and written by the right command only, and fits that show no scaling said
so: written folders and synthetic points, no training."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from dlrev import jsonio
from dlrev.errors import DlrevError
from dlrev.lab import fit as fitting
from dlrev.lab.results import summarize

# the audit's 60-second tiny run: GPT losses that do not fall with size, and an LSTM between
FLAT = {"gpt-1x8": (1_800, 2.493), "gpt-1x16": (6_300, 2.331), "gpt-2x32": (30_000, 2.496),
        "gpt-2x64": (107_000, 2.469)}
LSTM = ("lstm-1x32", 14_690, 2.25)


def _run(name: str, kind: str, params: int, loss: float) -> dict:
    curve = [{"step": s, "tokens": s * 512, "flops": 6.0 * params * s * 512,
              "val_loss": loss + 0.4 / s, "train_loss": loss + 0.1} for s in (50, 100, 200)]
    return {"name": name, "kind": kind, "params": params, "val_loss": loss, "curve": curve,
            "seconds": 1.0, "steps": 200, "tokens_per_s": 9e4, "sample": f"text of {name}"}


def write_run_folder(folder: Path, gpts: dict[str, tuple[int, float]] = FLAT) -> Path:
    """A finished `lab run` folder (lab.json, ngram.json, runs/, results.json by summarize)."""
    manifest = {"format": 1, "family": "tiny", "seed": 0, "device": "cpu",
                "corpus": {"name": "stdlib", "source": "test", "characters": 10_000,
                           "vocab_size": 96}}
    ngram = {"results": [{"order": o, "entries": 96 * o, "val_loss": 3.0 - 0.2 * o,
                          "seconds": 0.01} for o in (1, 2)],
             "seconds": 0.02, "sample_order": 2, "sample": "def f(x):"}
    runs = [_run(n, "gpt", p, v) for n, (p, v) in gpts.items()] + [_run(LSTM[0], "lstm",
                                                                        *LSTM[1:])]
    jsonio.write_json(folder / "lab.json", manifest)
    jsonio.write_json(folder / "ngram.json", ngram)
    for r in runs:
        jsonio.write_json(folder / "runs" / f"{r['name']}.json", r)
    jsonio.write_json(folder / "results.json", summarize(manifest, ngram, runs))
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


# --- fits that show no scaling (audit item 8) --------------------------------------------------

def test_a_rising_power_law_prints_one_sign():
    x = np.array([1e3, 1e4, 1e5])
    rising = fitting.fit_pure(x, 2.0 * x ** 0.05, "params")
    assert rising.alpha == pytest.approx(-0.05)
    assert rising.formula() == "L = 2 * N^0.050"
    assert "--" not in rising.formula()
    assert fitting.fit_pure(x, 5.0 * x ** -0.1, "flops").formula() == "L = 5 * C^-0.100"


def test_flat_losses_give_a_note_and_no_floor_law():
    s = summarize({}, {}, [_run(n, "gpt", p, v) for n, (p, v) in FLAT.items()])
    pure = s["fits"]["params_power"]
    assert pure["alpha_low"] < 0 < pure["alpha_high"] and pure["r2"] < 0.1
    assert "params_floor" not in s["fits"]
    note = s["notes"][0]
    assert note.startswith("no scaling detected: the losses do not fall with size in this run")
    assert f"alpha {pure['alpha']:.3f} [{pure['alpha_low']:.3f}, {pure['alpha_high']:.3f}]" in note
    assert f"R^2 {pure['r2']:.3f}" in note and "--budget" in note and "floor-form" in note
    assert "--" not in pure["formula"]
    # the compute frontier is a lower envelope, so it still falls and keeps its laws
    assert s["fits"]["frontier_power"]["alpha"] > 0


def test_falling_losses_keep_the_floor_law_and_no_note():
    n = np.array([2e3, 8e3, 3e4, 1.1e5, 4e5])
    runs = [_run(f"gpt-{i}", "gpt", int(p), float(1.1 + (3e3 / p) ** 0.3))
            for i, p in enumerate(n)]
    s = summarize({}, {}, runs)
    assert s["notes"] == []
    assert fitting.shows_scaling(s["fits"]["params_power"])
    assert s["fits"]["params_floor"]["alpha"] == pytest.approx(0.3, abs=0.05)
    assert s["fits"]["params_floor"]["floor"] == pytest.approx(1.1, abs=0.05)


def test_lab_show_reviews_a_folder_written_before_the_rule(cli, made, tmp_path):
    """A results.json written by the old code (double minus, floor law over flat losses) is
    shown with the formula mended, the floor law left out and the note printed."""
    _, folder = _copies(made, tmp_path)
    old = json.loads((folder / "results.json").read_text())
    pure = old["fits"]["params_power"]
    old["fits"]["params_power"]["formula"] = f"L = 2.35 * N^-{pure['alpha']:.3f}"
    old["fits"]["params_floor"] = {**pure, "form": "floor", "alpha": 29.276, "alpha_low": 19.2,
                                   "alpha_high": 30.1, "scale": 1.6e3, "floor": 2.469,
                                   "r2": -0.074, "formula": "L = 2.469 + (1.6e+03 / N)^29.276"}
    old["notes"] = []
    jsonio.write_json(folder / "results.json", old)
    r = cli("lab", "show", str(folder))
    assert r.exit_code == 0, r.output
    assert "N^--" not in r.output and "29.276" not in r.output
    assert f"N^{-pure['alpha']:.3f}" in r.stdout
    assert "note: no scaling detected" in r.stdout
    shown = json.loads(cli("lab", "show", str(folder), "--json").stdout)
    assert "params_floor" not in shown["fits"] and shown["notes"][0].startswith("no scaling")


# --- folders of the other command (audit item 2) -----------------------------------------------

@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One finished folder of each command, written once and copied by each test."""
    from test_lab_isoflop import write_isoflop_folder

    base = tmp_path_factory.mktemp("made")
    return {"iso": write_isoflop_folder(base / "iso"), "lab": write_run_folder(base / "lab")}


def _copies(made: dict[str, Path], tmp_path: Path) -> tuple[Path, Path]:
    return (Path(shutil.copytree(made["iso"], tmp_path / "iso")),
            Path(shutil.copytree(made["lab"], tmp_path / "lab")))


def test_lab_run_refuses_an_isoflop_folder(cli, made, tmp_path):
    iso, _ = _copies(made, tmp_path)
    before = _snapshot(iso)
    text = tmp_path / "t.txt"
    text.write_text("to be or not to be, that is the question\n" * 400)
    r = cli("lab", "run", "--family", "tiny", "--corpus", str(text), "--out", str(iso),
            "--budget", "10s")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert f"--out {iso} is a folder made by `dlrev lab isoflop`" in r.output
    assert "choose another --out" in r.output
    assert _snapshot(iso) == before


def test_lab_isoflop_refuses_a_lab_run_folder(cli, made, tmp_path):
    _, lab = _copies(made, tmp_path)
    before = _snapshot(lab)
    r = cli("lab", "isoflop", "--family", "tiny", "--corpus", "stdlib", "--out", str(lab),
            "--budget", "90s")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert f"--out {lab} is a folder made by `dlrev lab run`" in r.output
    assert _snapshot(lab) == before


def test_the_run_functions_refuse_before_any_probe(made, tmp_path):
    """The library calls refuse too (the CLI checks first, before the corpus is read)."""
    pytest.importorskip("torch")
    from dlrev.lab import isoflop, sweep
    from dlrev.lab.corpus import from_text

    corpus = from_text("to be or not to be\n" * 2000, "test", "a test text")
    iso, lab = _copies(made, tmp_path)
    before = (_snapshot(iso), _snapshot(lab))
    with pytest.raises(DlrevError, match="made by `dlrev lab isoflop`"):
        sweep.run(corpus, iso, sweep.LabConfig(family="tiny", budget="10s", device="cpu"))
    with pytest.raises(DlrevError, match="made by `dlrev lab run`"):
        isoflop.run(corpus, lab, isoflop.IsoConfig(family="tiny", budget="90s", device="cpu"))
    assert (_snapshot(iso), _snapshot(lab)) == before


@pytest.mark.parametrize("mix", ["both manifests", "lab results in an isoflop folder",
                                 "isoflop results in a lab folder"])
def test_a_mixed_folder_is_one_sentence_everywhere(cli, made, tmp_path, mix):
    from dlrev.web.lab_page import lab_data

    iso, lab = _copies(made, tmp_path)
    if mix == "both manifests":  # what the audit's `lab run` into an IsoFLOP folder left
        folder, expect = iso, "holds both lab.json (made by `dlrev lab run`) and isoflop.json"
        (iso / "lab.json").write_bytes((lab / "lab.json").read_bytes())
    elif mix == "lab results in an isoflop folder":
        folder, expect = iso, "holds the results of `dlrev lab run`"
        (iso / "results.json").write_bytes((lab / "results.json").read_bytes())
    else:
        folder, expect = lab, "holds the results of `dlrev lab isoflop`"
        (lab / "results.json").write_bytes((iso / "results.json").read_bytes())
    for args in (["lab", "show", str(folder)], ["lab", "show", str(folder), "--json"]):
        r = cli(*args)
        assert r.exit_code == 2, r.output
        assert expect in r.output and "Traceback" not in r.output
        assert r.stdout.strip() == "" or "--json" not in args
    with pytest.raises(DlrevError, match=expect.replace("(", r"\(").replace(")", r"\)")):
        lab_data(folder)
