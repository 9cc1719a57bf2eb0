"""The scaling lab with torch: determinism, resume, a tiny end-to-end run, bad input, DDP."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlrev.lab.corpus import from_text, markov_source

pytestmark = pytest.mark.lab
torch = pytest.importorskip("torch")

from dlrev.lab.models import ModelSpec  # noqa: E402
from dlrev.lab.train import TrainConfig, train_model  # noqa: E402


@pytest.fixture(scope="module")
def markov():
    """A 60k-character order-2 Markov text over 8 letters: structure that bigger models capture
    better within a few hundred steps, and a known entropy (the floor of every loss)."""
    text, entropy = markov_source(60_000, vocab=8, order=2, seed=0)
    return text, entropy


@pytest.fixture(scope="module")
def markov_file(markov, tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "markov.txt"
    path.write_text(markov[0], encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


SPEC = ModelSpec("gpt-1x16", "gpt", 1, 16, 2, lr=0.02, steps=60)
CFG = TrainConfig(context=32, batch=16, eval_points=3, sample_chars=40)


def _train(markov, checkpoint=None, progress=None, spec=SPEC, cfg=CFG):
    c = from_text(markov[0], "m", "m")
    return train_model(spec, c.train, c.val, c.vocab_size, cfg, prompt=c.encode("a"),
                       decode=c.decode, checkpoint=checkpoint, progress=progress)


def test_training_is_deterministic_for_a_seed(markov):
    a, _ = _train(markov)
    b, _ = _train(markov)
    assert a.val_loss == b.val_loss
    assert a.sample == b.sample and len(a.sample) == 40
    assert [p["val_loss"] for p in a.curve] == [p["val_loss"] for p in b.curve]
    c, _ = _train(markov, cfg=TrainConfig(**{**CFG.to_dict(), "seed": 1}))
    assert c.val_loss != a.val_loss
    # it learned something: well below the uniform 8-letter loss, above the source entropy
    assert markov[1] < a.val_loss < math.log(8) - 0.1


def test_resume_after_interruption_gives_the_same_model(markov, tmp_path):
    full, _ = _train(markov)
    ckpt = tmp_path / "run.ckpt"

    def stop_at_45(step, steps, info):
        if step == 45:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _train(markov, checkpoint=ckpt, progress=stop_at_45)
    assert ckpt.is_file()  # saved at the evaluation of step 40
    steps_seen = []
    resumed, _ = _train(markov, checkpoint=ckpt,
                        progress=lambda s, n, i: steps_seen.append(s))
    assert steps_seen[0] == 41
    assert resumed.val_loss == full.val_loss
    assert resumed.sample == full.sample


def test_tiny_end_to_end_run_shows_scaling(cli, markov, markov_file, tmp_path):
    out = tmp_path / "lab"
    r = cli("lab", "run", "--family", "tiny", "--corpus", str(markov_file), "--out", str(out),
            "--budget", "none", "--seed", "0")
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "results.json").read_text())
    gpts = sorted((x for x in summary["runs"] if x["kind"] == "gpt"), key=lambda x: x["params"])
    assert len(gpts) == 4 and gpts[-1]["params"] > 50 * gpts[0]["params"]
    assert gpts[-1]["val_loss"] < gpts[0]["val_loss"] - 0.05
    fit = summary["fits"]["params_power"]
    assert fit["alpha"] > 0
    assert summary["fits"]["frontier_power"]["alpha"] > 0
    entropy = markov[1]
    assert all(x["val_loss"] > entropy - 0.02 for x in summary["runs"])
    # the trigram KN knows the source's order: it sits at the entropy
    kn3 = next(x for x in summary["ngram"]["results"] if x["order"] == 3)
    assert abs(kn3["val_loss"] - entropy) < 0.03
    for x in summary["runs"]:
        assert (out / "runs" / f"{x['name']}.pt").is_file()
        assert len(x["sample"]) == 240 and set(x["sample"]) <= set("abcdefgh")
    assert not list(out.rglob("*.ckpt")) and not list(out.rglob("*.part"))

    # running again resumes: nothing is retrained, the same numbers come back
    again = cli("lab", "run", "--family", "tiny", "--corpus", str(markov_file), "--out",
                str(out), "--budget", "none", "--json")
    assert again.exit_code == 0, again.output
    assert "resuming" in again.output
    payload = json.loads(again.stdout)  # stdout is exactly one JSON document
    assert [x["val_loss"] for x in payload["runs"]] == [x["val_loss"] for x in summary["runs"]]

    shown = cli("lab", "show", str(out))
    assert shown.exit_code == 0, shown.output
    assert "gpt-2x64" in shown.output and "3-gram KN" in shown.output
    assert "L(N)" in shown.output and "frontier L(C)" in shown.output
    js = cli("lab", "show", str(out), "--json")
    assert json.loads(js.stdout)["complete"] is True
    # how well the run used the CPU: the largest GPT, its FLOP/s counted from the model, no MFU
    use = summary["utilisation"]
    assert use["model"] == gpts[-1]["name"] and use["mfu"] is None
    assert use["flops_per_s"] == pytest.approx(
        gpts[-1]["flops_per_token"] * gpts[-1]["extra"]["steady_tokens_per_s"])
    assert use["flops_per_s"] > 1e6 and "no published bf16 peak" in use["note"]
    assert f"largest model {gpts[-1]['name']}" in shown.stdout

    # the explorer's charts are valid Vega-Lite and carry the fitted law
    import altair as alt

    from dlrev.lab import show
    from dlrev.web.labspecs import charts as lab_charts

    charts = lab_charts(show.load(out))
    for spec in charts.values():
        (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec)
    laws = [v.get("law") for layer in charts["size"]["layer"] for v in layer["data"]["values"]]
    assert fit["formula"] in laws


def test_resume_refuses_a_different_configuration(cli, markov_file, tmp_path):
    out = tmp_path / "lab"
    r = cli("lab", "run", "--family", "tiny", "--corpus", str(markov_file), "--out", str(out),
            "--budget", "none", "--steps", "10", "--only", "gpt-1x8")
    assert r.exit_code == 0, r.output
    r = cli("lab", "run", "--family", "tiny", "--corpus", str(markov_file), "--out", str(out),
            "--budget", "none", "--seed", "5")
    assert r.exit_code == 2
    assert "seed" in r.output and "choose another --out" in r.output


@pytest.mark.parametrize("args, message", [
    (["--device", "tpu"], "is not one of auto, cpu, cuda"),
    (["--family", "huge"], "is not one of tiny, default, gpu"),
    (["--budget", "soon"], "not a duration"),
    (["--budget", "1s"], "too small for even the shortest plan"),
])
def test_bad_options_leave_nothing_behind(cli, markov_file, tmp_path, args, message):
    out = tmp_path / "lab"
    r = cli("lab", "run", "--family", "tiny", "--corpus", str(markov_file), "--out", str(out),
            *args)
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output
    assert not out.exists() or not any(out.rglob("*"))


def test_bad_corpora_and_absent_cuda(cli, tmp_path):
    out = tmp_path / "lab"
    empty = tmp_path / "e.txt"
    empty.write_text("")
    latin = tmp_path / "l.txt"
    latin.write_bytes(b"caf\xe9")
    short = tmp_path / "s.txt"
    short.write_text("abcdefghij" * 20)
    cases = [([str(empty)], "is empty"), ([str(latin)], "not valid UTF-8"),
             ([str(short)], "too small for a context of 32")]
    for corpus, msg in cases:
        r = cli("lab", "run", "--family", "tiny", "--corpus", *corpus, "--out", str(out))
        assert r.exit_code == 2 and msg in r.output, r.output
        assert not out.exists()
    if not torch.cuda.is_available():
        r = cli("lab", "run", "--device", "cuda", "--corpus", str(short), "--out", str(out))
        assert r.exit_code == 2 and "no usable CUDA device" in r.output
        assert not out.exists()


def test_ddp_with_gloo_matches_one_process(markov_file, tmp_path):
    common = ["run", "--family", "tiny", "--corpus", str(markov_file), "--budget", "none",
              "--only", "gpt-2x32", "--steps", "40", "--json"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    one = subprocess.run([sys.executable, "-m", "dlrev.lab", *common, "--out",
                          str(tmp_path / "one")], capture_output=True, text=True, env=env,
                         timeout=120)
    assert one.returncode == 0, one.stderr
    assert json.loads(one.stdout)["runs"][0]["name"] == "gpt-2x32"  # one JSON document
    two = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
                          "--standalone", "-m", "dlrev.lab", *common, "--out",
                          str(tmp_path / "two")], capture_output=True, text=True, env=env,
                         timeout=120)
    assert two.returncode == 0, two.stderr[-2000:]
    assert json.loads(two.stdout)["runs"][0]["world_size"] == 2  # rank 0 alone prints
    r1 = json.loads((tmp_path / "one" / "runs" / "gpt-2x32.json").read_text())
    r2 = json.loads((tmp_path / "two" / "runs" / "gpt-2x32.json").read_text())
    assert r2["world_size"] == 2 and r1["world_size"] == 1
    # each rank trains on its half of the same global batch: the same trajectory up to
    # floating-point summation order
    assert r2["val_loss"] == pytest.approx(r1["val_loss"], abs=2e-3)
    for a, b in zip(r1["curve"], r2["curve"], strict=True):
        assert b["val_loss"] == pytest.approx(a["val_loss"], abs=2e-3)
    assert Path(tmp_path / "two" / "results.json").is_file()
