"""The scaling lab: train a family of character-level language models on one text and watch
validation loss fall as a power law of size and compute.

Modules, each readable in one sitting (nanoGPT's spirit):

    spec.py      a model size as typed data (ModelSpec), with its parameter count
    families.py  the families and the IsoFLOP ladders, declared as data
    corpus.py    the text: tiny-shakespeare (downloaded once, sha256-checked), a user file, or a
                 corpus built from the installed Python standard library; vocabulary and split
    ngram.py     count-based baselines: interpolated Kneser-Ney character n-grams (numpy only)
    models.py    a GPT (pre-norm, causal SDPA, GELU MLP, tied embeddings) and a char-LSTM
    train.py     one training run, and the one training step the speed probe also times
    device.py    budget, device, CPU threads, the torchrun process group
    plan.py      fit a family into a wall-clock budget (pure)
    sweep.py     the resumable sweep of a family; results.py its fits; show.py reads it back
    isoflop.py   Chinchilla's IsoFLOP experiment: the design and the resumable run
    isofit.py    its analysis (approach 2 and 3, the published answers), pure

The views are elsewhere: rich tables in dlrev.cli.labview, Vega-Lite specs in dlrev.web.labspecs.
torch is imported lazily (it is the optional extra ``dlrev[lab]``); ``corpus`` and ``ngram`` work
without it.
"""

from __future__ import annotations

INSTALL_HINT = (
    "the scaling lab needs PyTorch, which is not installed; install it with "
    "`pip install 'dlrev[lab]'` (or `pip install torch`)"
)


def require_torch():  # noqa: ANN201 - returns the torch module
    """Import torch or raise a DlrevError that says how to install it."""
    from dlrev.errors import DlrevError

    try:
        import torch
    except ImportError as exc:  # pragma: no cover - torch is installed in the dev venv
        raise DlrevError(INSTALL_HINT) from exc
    return torch
