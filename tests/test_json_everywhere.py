"""stdout is for results: every command that takes --json prints exactly one JSON document there,
and nothing else (progress and notes go to stderr). The test walks the command tree, so a new
command with --json must be given sample arguments below, or the test fails and says so."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer

from dlrev.cli import app

# Sample arguments per command (the part after `dlrev`, before --json). {shared} is ../shared,
# {tmp} a fresh folder. Commands that train or serve are run with the smallest useful input.
SAMPLES: dict[str, list[str]] = {
    "overview": ["overview"],
    "story": ["story"],
    "sql": ["sql", "SELECT name, compute FROM systems ORDER BY compute DESC LIMIT 3"],
    "trends": ["trends", "--bootstrap", "50"],
    "forecast": ["forecast", "--reach", "1e27", "--bootstrap", "50"],
    "backtest": ["backtest"],
    "benchmarks": ["benchmarks", "MMLU"],
    "benchmark-import": ["benchmark-import",
                         "{shared}/data/benchmarks/epoch-benchmark-stitching", "--skip-undated",
                         "-o", "{tmp}/mmlu.csv"],
    "forecasts": ["forecasts"],
    "predictions": ["predictions"],
    "build": ["build", "{tmp}/site"],
    "data stats": ["data", "stats"],
    "data list": ["data", "list", "--domain", "games"],
    "data show": ["data", "show", "AlexNet"],
    "data search": ["data", "search", "diffusion"],
    "data validate": ["data", "validate"],
    "data import-epoch": ["data", "import-epoch", "{shared}/data/epoch/notable_ai_models.csv"],
    "horizons": ["horizons", "{shared}/data/metr/task_results_1_1.yaml", "--bootstrap", "50"],
    "growth": ["growth"],
    "data import-metr": ["data", "import-metr", "{shared}/data/metr/task_results_1_1.yaml"],
    "capability": ["capability", "{shared}/data/benchmarks/epoch-benchmark-stitching",
                   "--bootstrap", "20"],
    "data import-benchmarks": ["data", "import-benchmarks",
                               "{shared}/data/benchmarks/epoch-benchmark-stitching"],
    "scaling fit": ["scaling", "fit", "{shared}/data/chinchilla/svg_extracted_data.csv",
                    "--form", "power"],
    "scaling optimal": ["scaling", "optimal", "--compute", "1e24"],
    "scaling compare": ["scaling", "compare", "{shared}/data/chinchilla/svg_extracted_data.csv"],
}
# Commands whose --json run needs more than a unit test should spend (training, network), with
# the test that covers their JSON instead.
ELSEWHERE = {
    "serve": "serves until stopped; tests/test_web.py",
    "data update": "downloads; tests/test_update.py runs it against a loopback server",
    "data export": "writes a file; its JSON form is tested in tests/test_catalog_cli.py",
    "lab run": "trains; tests/test_lab_train.py parses its --json",
    "lab show": "needs a lab run; tests/test_lab.py",
    "lab isoflop": "trains; tests/test_lab_isoflop.py parses its --json",
}


def _json_commands() -> list[str]:
    root = typer.main.get_command(app)
    found: list[str] = []

    def walk(cmd, path):  # typer vendors click, so walk by what the objects have
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(None):
                walk(cmd.get_command(None, name), [*path, name])
        elif any("--json" in p.opts for p in cmd.params):
            found.append(" ".join(path))

    walk(root, [])
    return sorted(found)


def test_every_json_command_is_covered():
    missing = [c for c in _json_commands() if c not in SAMPLES and c not in ELSEWHERE]
    assert missing == [], f"give these commands sample arguments in SAMPLES: {missing}"


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(SAMPLES))
def test_json_stdout_is_one_document(command, shared_dir, tmp_path, private_cache):
    if command not in _json_commands():
        pytest.fail(f"{command!r} no longer takes --json; drop it from SAMPLES")
    args = [a.format(shared=shared_dir, tmp=tmp_path) for a in SAMPLES[command]]
    r = subprocess.run([sys.executable, "-m", "dlrev", *args, "--json"], capture_output=True,
                       text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)  # the whole of stdout, not its last line
    assert isinstance(doc, dict | list) and doc
