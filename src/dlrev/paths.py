"""Where things live: the embedded data, the user's cache, the shared reference files for tests."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def cache_dir() -> Path:
    """The user's cache (Epoch snapshots, lab corpora). DLREV_CACHE_DIR overrides it."""
    env = os.environ.get("DLREV_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dlrev"))


def epoch_snapshot_path() -> Path:
    return cache_dir() / "epoch" / "notable_ai_models.csv"
