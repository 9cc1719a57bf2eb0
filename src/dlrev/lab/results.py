"""The fits over a sweep's finished runs, and the one reader of lab files.

``summarize`` is pure: loss against parameters over the GPTs (pure power law, and the form with
a floor), and the compute frontier (the lower envelope of every evaluation of every GPT) with
its laws. ``read`` turns an unreadable file into one sentence that names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from dlrev import jsonio
from dlrev.errors import DlrevError
from dlrev.lab import fit as fitting
from dlrev.lab import utilisation

FORMAT = 1


def read(path: Path) -> Any:
    try:
        return jsonio.read_json(path)
    except (OSError, ValueError) as exc:
        raise DlrevError(f"{path} is not a readable lab file ({exc})") from None


def summarize(manifest: dict, ngram: dict, runs: list[dict]) -> dict:
    """Fits over the finished runs: loss against parameters (GPTs), the compute frontier."""
    gpts = sorted((r for r in runs if r["kind"] == "gpt"), key=lambda r: r["params"])
    fits: dict[str, Any] = {}
    notes: list[str] = []
    if len(gpts) >= 2:
        x = np.array([r["params"] for r in gpts], float)
        y = np.array([r["val_loss"] for r in gpts], float)
        fits["params_power"] = fitting.fit_pure(x, y, "params").to_dict()
        if len(gpts) >= 4:
            try:
                fits["params_floor"] = fitting.fit_floor(x, y, "params").to_dict()
            except ValueError as exc:
                notes.append(f"floor-form fit of loss against parameters failed: {exc}")
    elif runs:
        notes.append("fewer than two GPT sizes finished, so no power law could be fitted")
    points = [(c["flops"], c["val_loss"]) for r in gpts for c in r["curve"]]
    env = fitting.frontier(points)
    if len(env) >= 2:
        fits["frontier_power"] = fitting.fit_pure(
            np.array([c for c, _ in env]), np.array([v for _, v in env]), "flops").to_dict()
    if len(env) >= 4:
        try:
            fits["frontier_floor"] = fitting.fit_floor(
                np.array([c for c, _ in env]), np.array([v for _, v in env]), "flops").to_dict()
        except ValueError as exc:
            notes.append(f"floor-form fit of the compute frontier failed: {exc}")
    best_ngram = min(ngram.get("results", []), key=lambda r: r["val_loss"], default=None)
    return {"format": FORMAT, "manifest": manifest, "ngram": ngram, "runs": runs, "fits": fits,
            "frontier": [{"flops": c, "val_loss": v} for c, v in env],
            "best_ngram": best_ngram, "notes": notes,
            "utilisation": utilisation.of_largest(runs, manifest.get("device_name"))}
