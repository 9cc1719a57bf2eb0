"""The numbers of the main analysis commands, on Epoch's export and the Chinchilla points, equal
a snapshot taken before the trend engine was split into modules (issue: one way to do each thing).
A refactor that changes a number fails here; a deliberate change of method updates the snapshot
with the reason in its commit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"

COMMANDS = {
    "trends": ["trends"],
    "trends_sevilla": ["trends", "--preset", "sevilla2022"],
    "trends_auto": ["trends", "--eras", "auto"],
    "forecast": ["forecast", "--reach", "1e27", "--frontier", "all"],
    "backtest": ["backtest"],
}


# Keys that name where the input lay on this machine, not a number.
PATH_KEYS = {"file"}


def _same(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only on one side" for k in set(a) ^ set(b)]
        for k in (set(a) & set(b)) - PATH_KEYS:
            out += _same(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items, snapshot {len(b)}"]
        return [d for i, (u, v) in enumerate(zip(a, b, strict=True)) for d in _same(u, v,
                                                                                  f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float | int):
        return [] if abs(a - b) <= 1e-9 * max(1.0, abs(b)) else [f"{path}: {a} != {b}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_epoch_commands_match_snapshot(cli, epoch_csv, name):
    r = cli("--data", str(epoch_csv), *COMMANDS[name], "--json")
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    want = json.loads((GOLDEN / f"epoch_{name}.json").read_text())
    assert _same(got, want) == []


def test_scaling_fit_matches_snapshot(cli, shared_dir):
    r = cli("scaling", "fit", str(shared_dir / "data" / "chinchilla" / "svg_extracted_data.csv"),
            "--json")
    assert r.exit_code == 0, r.output
    want = json.loads((GOLDEN / "chinchilla_scaling.json").read_text())
    assert _same(json.loads(r.stdout), want) == []
