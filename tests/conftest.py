"""Shared fixtures: where ../shared is, a private cache dir, the CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("DLREV_SHARED", Path(__file__).resolve().parents[2] / "shared"))


# CI sets DLREV_REQUIRE_SHARED=1: there a missing ../shared is a failure, never a skip.
REQUIRE_SHARED = os.environ.get("DLREV_REQUIRE_SHARED") == "1"


def need_shared() -> Path:
    """The shared reference folder; skips the calling test (fails it in CI) when it is absent."""
    if not SHARED.is_dir():
        msg = (f"../shared not found at {SHARED}: this test needs the third-party reference "
               "data; set DLREV_SHARED to its folder")
        if REQUIRE_SHARED:
            pytest.fail(msg + " (DLREV_REQUIRE_SHARED=1 forbids the skip)")
        pytest.skip(msg)
    return SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return need_shared()


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


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (browser_support says how it is launched). Not per
    session: Playwright's sync API keeps an event loop running while it is open, and later tests
    that call asyncio.run() themselves would fail."""
    from browser_support import chromium

    with chromium() as b:
        yield b
