"""The landmark systems that readers know by name, labelled on the Story's compute chart and,
by default, on the Trends chart. Defined once, as data: names as the curated systems table
spells them. A name missing from the catalog in use (another --data file) is simply not drawn.
"""

from __future__ import annotations

LANDMARK_SYSTEMS: tuple[str, ...] = (
    "Perceptron Mark I",
    "LeNet-5",
    "AlexNet",
    "Seq2Seq LSTM",
    "AlphaGo Zero",
    "Transformer",
    "GPT-2 (1.5B)",
    "GPT-3 175B (davinci)",
    "AlphaFold 2",
    "PaLM (540B)",
    "GPT-4",
    "Llama 3.1-405B",
    "Grok 4",
)
