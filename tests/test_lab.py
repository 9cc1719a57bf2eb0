"""The scaling lab's parts that need no training: corpus, Kneser-Ney n-grams, fits, budget plan."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlrev.errors import DataError, DlrevError
from dlrev.lab import corpus as corpus_mod
from dlrev.lab import fit
from dlrev.lab.corpus import from_text, load_corpus, markov_source
from dlrev.lab.device import parse_budget
from dlrev.lab.ngram import evaluate_family, fit_family


@pytest.fixture(scope="module")
def shakespeare(shared_dir):
    return load_corpus(shared_dir / "data" / "corpora" / "tinyshakespeare.txt")


def test_shakespeare_split_matches_nanogpt(shakespeare):
    assert shakespeare.sha256 == corpus_mod.SHAKESPEARE_SHA256
    assert shakespeare.vocab_size == 65
    assert shakespeare.n_train == 1_003_854
    assert len(shakespeare.val) == 111_540
    assert shakespeare.decode(shakespeare.encode("ROMEO:")) == "ROMEO:"


def test_kneser_ney_reproduces_the_research_numbers(shakespeare):
    # interpolated KN on nanoGPT's split: 3.347 (n=1) ... 1.579 (n=5), 1.558 (n=6), and the
    # table sizes 65 ... 459,128 (research note, section 4.4)
    _, res = evaluate_family(shakespeare.ids, shakespeare.n_train, shakespeare.vocab_size, 6)
    losses = [round(r.val_loss, 3) for r in res]
    assert losses == [3.347, 2.484, 2.045, 1.729, 1.579, 1.558]
    assert [r.entries for r in res] == [65, 1445, 12673, 61212, 194505, 459128]


def test_kneser_ney_reaches_the_entropy_of_a_known_source():
    text, entropy = markov_source(100_000, vocab=8, order=2, seed=3)
    c = from_text(text, "markov", "synthetic")
    _, res = evaluate_family(c.ids, c.n_train, c.vocab_size, 5)
    by_order = {r.order: r.val_loss for r in res}
    # a trigram model can represent the order-2 source exactly: within 0.02 nats of its entropy
    assert abs(by_order[3] - entropy) < 0.02
    # lower orders miss real structure; higher orders cannot beat the source
    assert by_order[2] > entropy + 0.2
    assert min(by_order.values()) > entropy - 0.02


def test_kneser_ney_distributions_sum_to_one(shakespeare):
    models = fit_family(shakespeare.train[:200_000], shakespeare.vocab_size, 6)
    rng = np.random.default_rng(0)
    for m in models:
        for start in rng.integers(0, 100_000, 5):
            ctx = shakespeare.val[start:start + 5].tolist()
            p = m.distribution(ctx)
            assert p.shape == (65,)
            assert abs(p.sum() - 1.0) < 1e-9
            assert (p > 0).all()


def test_ngram_sample_is_deterministic(shakespeare):
    m = fit_family(shakespeare.train[:100_000], shakespeare.vocab_size, 4)[-1]
    a = m.sample(shakespeare.encode("\n"), 50, seed=7)
    assert a == m.sample(shakespeare.encode("\n"), 50, seed=7)
    assert a != m.sample(shakespeare.encode("\n"), 50, seed=8)


def test_stdlib_corpus_is_python_and_deterministic():
    a = corpus_mod.stdlib_corpus()
    b = corpus_mod.stdlib_corpus()
    assert a.sha256 == b.sha256
    assert 500_000 < len(a.ids) <= corpus_mod.STDLIB_CHARS
    text = a.decode(a.ids[:5000])
    assert "def " in text or "import " in text


def test_offline_default_falls_back_to_stdlib(monkeypatch):
    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(corpus_mod.urllib.request, "urlopen", offline)
    c = load_corpus(None)
    assert c.name == "stdlib"
    assert "offline" in c.notes[0]


def test_download_is_checked_against_sha256(monkeypatch, tmp_path, shared_dir):
    real = (shared_dir / "data" / "corpora" / "tinyshakespeare.txt").read_bytes()

    class Resp:
        def __init__(self, data):
            self.data = data

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def read(self):
            return self.data

    monkeypatch.setattr(corpus_mod.urllib.request, "urlopen",
                        lambda url, timeout: Resp(real[:-1]))
    with pytest.raises(DlrevError, match="sha256"):
        corpus_mod.fetch_shakespeare()
    assert not corpus_mod.shakespeare_path().exists()
    monkeypatch.setattr(corpus_mod.urllib.request, "urlopen", lambda url, timeout: Resp(real))
    c = load_corpus(None)
    assert c.name == "tinyshakespeare" and c.n_train == 1_003_854
    assert corpus_mod.shakespeare_path().is_file()


def test_bad_corpora(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DlrevError, match="empty"):
        load_corpus(empty)
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"line one\nline two caf\xe9\n")
    with pytest.raises(DataError, match=r"line 2, byte 21: not valid UTF-8"):
        load_corpus(bad)
    with pytest.raises(DlrevError, match="does not exist"):
        load_corpus(tmp_path / "missing.txt")
    small = from_text("to be or not to be " * 20, "s", "small.txt")
    with pytest.raises(DlrevError, match="too small for a context of 64"):
        small.check_context(64)
    small.check_context(8)


def test_floor_fit_recovers_known_law():
    n = np.geomspace(1e4, 1e7, 8)
    y = 1.5 + (3e3 / n) ** 0.4
    for f in (fit.fit_floor(n, y, "params", n_boot=50), fit.fit_floor_lsq(n, y, "params")):
        assert f.floor == pytest.approx(1.5, abs=1e-3)
        assert f.alpha == pytest.approx(0.4, abs=1e-2)
        assert f.scale == pytest.approx(3e3, rel=5e-2)
        assert f.r2 > 0.9999
        assert f.alpha_low <= f.alpha <= f.alpha_high
    p = fit.fit_pure(n, 9.6 * n ** -0.059, "flops")
    assert p.alpha == pytest.approx(0.059, abs=1e-9) and p.scale == pytest.approx(9.6)
    assert p.predict(1e5) == pytest.approx(9.6 * 1e5 ** -0.059)


def test_pure_fit_interval_covers_the_truth_with_noise():
    rng = np.random.default_rng(1)
    n = np.geomspace(1e4, 1e6, 6)
    y = 5.0 * n ** -0.08 * np.exp(rng.normal(0, 0.01, 6))
    f = fit.fit_pure(n, y, "params")
    assert f.alpha_low < 0.08 < f.alpha_high
    assert f.alpha_high - f.alpha_low < 0.05


def test_frontier_is_the_lower_envelope():
    pts = [(1e10, 3.0), (2e10, 2.5), (3e10, 2.7), (4e10, 2.4), (5e10, 2.45), (6e10, 2.0)]
    assert fit.frontier(pts) == [(1e10, 3.0), (2e10, 2.5), (4e10, 2.4), (6e10, 2.0)]


def test_budget_parsing():
    assert parse_budget("5m") == 300
    assert parse_budget("90s") == 90
    assert parse_budget("1.5h") == 5400
    assert parse_budget("120") == 120
    assert parse_budget("none") is None
    with pytest.raises(DlrevError, match="not a duration"):
        parse_budget("soon")


def test_markov_entropy_of_a_uniform_chain_is_log_vocab():
    text, h = markov_source(2000, vocab=4, order=1, concentration=1e6)
    assert h == pytest.approx(math.log(4), abs=1e-4)
    assert set(text) <= set("abcd")


def test_without_torch_the_lab_says_how_to_install_it(cli, monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    r = cli("lab", "run", "--family", "tiny", "--out", str(tmp_path / "x"))
    assert r.exit_code == 2
    assert "pip install 'dlrev[lab]'" in r.output
    assert not (tmp_path / "x").exists()
