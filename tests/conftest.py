"""Shared fixtures: where ../shared is, a private cache dir, the CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("DLREV_SHARED", Path(__file__).resolve().parents[2] / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared reference data not found at {SHARED}; set DLREV_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def epoch_csv(shared_dir: Path) -> Path:
    return shared_dir / "data" / "epoch" / "notable_ai_models.csv"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache dir so nothing touches the user's."""
    d = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("DLREV_CACHE_DIR", str(d))
    return d


@pytest.fixture
def cli():
    """Invoke the dlrev CLI in-process: cli('data', 'stats') -> click Result."""
    from typer.testing import CliRunner

    from dlrev.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke
