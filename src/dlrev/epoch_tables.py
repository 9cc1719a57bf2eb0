"""How Epoch AI's benchmark-stitching tables map onto dlrev's benchmarks, as data: which file
holds which benchmark and score column, which leaderboards date their entries, and which of
Epoch's own runs count as ours. Read by dlrev.benchmark_import."""

from __future__ import annotations

EPOCH_LICENCE = ("Epoch AI, benchmark-stitching data (github.com/epoch-research/"
                 "benchmark-stitching), MIT licence, Copyright (c) 2025 Epoch AI")

# Epoch file stem (after 'external_benchmark_') -> (benchmark name, score column).
# Names that match our curated benchmarks map onto them; the others keep Epoch's name.
EPOCH_TABLES: dict[str, tuple[str, str]] = {
    "mmlu": ("MMLU", "EM"),
    "gsm8k": ("GSM8K", "EM"),
    "superglue": ("SuperGLUE", "Score"),
    "hellaswag": ("HellaSwag", "Overall accuracy"),
    "winogrande": ("WinoGrande", "Accuracy"),
    "arc_ai2": ("ARC (AI2) challenge", "Challenge score"),
    "boolq": ("BoolQ", "Score"),
    "piqa": ("PIQA", "Score"),
    "triviaqa": ("TriviaQA", "EM"),
    "lambada": ("LAMBADA", "Score"),
    "openbookqa": ("OpenBookQA", "Accuracy"),
    "bbh": ("BIG-Bench Hard", "Average"),
    "anli": ("ANLI", "Score"),
    "scienceqa": ("ScienceQA", "Score"),
    "arc_agi": ("ARC-AGI-1", "Score"),  # the ARC Prize leaderboard's ARC-AGI-1 scores
    "os_world": ("OSWorld", "Score"),
    "terminal_bench": ("Terminal-Bench", "Accuracy mean"),
}

# Leaderboards whose agent names do not say which model ran them: the label adds the model.
EPOCH_AGENT_WITH_MODEL = {"terminal_bench"}

# Leaderboard tables with their own date column (and its format): an agent's result there is
# dated by the later of its model's release and the date the leaderboard added it, since a
# result can predate neither; rows whose model version is not dated keep the listing date.
EPOCH_LISTING_DATE: dict[str, tuple[str, str]] = {
    "os_world": ("Date added", "%d/%m/%Y"),
}

# Epoch's own runs (benchmarks_runs.csv): task names that our names do not match by spelling.
# The public FrontierMath splits stay out unless unknown benchmarks are included: the private
# split is the one Epoch reports.
EPOCH_RUN_TASKS: dict[str, tuple[str, str]] = {
    "FrontierMath-2025-02-28-Private": ("FrontierMath", "Epoch AI runs"),
    "FrontierMath-Tier-4-2025-07-01-Private": ("FrontierMath", "Epoch AI runs, Tier 4"),
}
