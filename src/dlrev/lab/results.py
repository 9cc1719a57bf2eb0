"""The fits over a sweep's finished runs, and the one reader of lab files.

``summarize`` is pure: loss against parameters over the GPTs (pure power law, and the form with
a floor), and the compute frontier (the lower envelope of every evaluation of every GPT) with
its laws; when loss does not fall with size (``fit.shows_scaling``) it says so in a note and fits
no floor form (``review_fits``, applied again when a finished folder is read back). ``read``
turns an unreadable file into one sentence that names it; ``refuse_other_kind`` and
``check_kind`` keep `lab run` and `lab isoflop` folders apart.
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


# the file that marks each kind of lab folder, and the command that writes it
MADE_BY = {"lab.json": "dlrev lab run", "isoflop.json": "dlrev lab isoflop"}


def _results_kind(folder: Path) -> str | None:
    """The marker of the command that wrote ``folder/results.json`` (None when there is none)."""
    path = folder / "results.json"
    if not path.is_file():
        return None
    s = read(path)
    return "isoflop.json" if isinstance(s, dict) and s.get("kind") == "isoflop" else "lab.json"


def refuse_other_kind(folder: Path, marker: str) -> None:
    """Before a command writes into ``folder``: refuse a folder the other lab command made
    (``marker`` is this command's file, lab.json or isoflop.json)."""
    folder = Path(folder)
    other = next(m for m in MADE_BY if m != marker)
    if (folder / other).is_file() or (not (folder / marker).is_file()
                                      and _results_kind(folder) == other):
        raise DlrevError(f"--out {folder} is a folder made by `{MADE_BY[other]}` (it holds "
                         f"{other if (folder / other).is_file() else 'its results.json'}), so "
                         f"`{MADE_BY[marker]}` will not write into it; choose another --out")


def check_kind(folder: Path, marker: str) -> None:
    """Before a folder is read back as the kind ``marker`` says: it must not hold both kinds,
    nor a results.json written by the other command."""
    folder = Path(folder)
    if all((folder / m).is_file() for m in MADE_BY):
        raise DlrevError(f"{folder} holds both lab.json (made by `dlrev lab run`) and "
                         f"isoflop.json (made by `dlrev lab isoflop`), so it cannot be read as "
                         f"either; run each command into a folder of its own")
    kind = _results_kind(folder)
    if kind is not None and kind != marker:
        raise DlrevError(f"{folder / 'results.json'} holds the results of `{MADE_BY[kind]}`, "
                         f"but the folder's {marker} says `{MADE_BY[marker]}` made it; run each "
                         f"command into a folder of its own")


def review_fits(fits: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The fits as shown: each formula written afresh from its numbers, and, when loss against
    parameters shows no scaling, the floor-form fit left out and a note saying why."""
    fits = {k: {**f, "formula": fitting.PowerFit(**{n: f[n] for n in _FIELDS}).formula()}
            if all(n in f for n in _FIELDS) else f for k, f in fits.items()}
    pure = fits.get("params_power")
    if pure is None or fitting.shows_scaling(pure):
        return fits, []
    note = (f"no scaling detected: the losses do not fall with size in this run (alpha "
            f"{pure['alpha']:.3f} {_interval(pure)}, R^2 {pure['r2']:.3f} over "
            f"{pure['n_points']} GPTs); give a larger --budget")
    if fits.pop("params_floor", None) is not None or pure["n_points"] >= 4:
        note += "; the floor-form law of loss against parameters is left out, having no fall to fit"
    return fits, [note]


_FIELDS = ("form", "x", "n_points", "alpha", "alpha_low", "alpha_high", "scale", "floor", "r2",
           "method")


def _interval(f: dict[str, Any]) -> str:
    lo, hi = f.get("alpha_low"), f.get("alpha_high")
    if lo is None or hi is None or not (np.isfinite(lo) and np.isfinite(hi)):
        return "(no interval from two points)"
    return f"[{lo:.3f}, {hi:.3f}]"


def summarize(manifest: dict, ngram: dict, runs: list[dict]) -> dict:
    """Fits over the finished runs: loss against parameters (GPTs), the compute frontier."""
    gpts = sorted((r for r in runs if r["kind"] == "gpt"), key=lambda r: r["params"])
    fits: dict[str, Any] = {}
    notes: list[str] = []
    if len(gpts) >= 2:
        x = np.array([r["params"] for r in gpts], float)
        y = np.array([r["val_loss"] for r in gpts], float)
        fits["params_power"] = fitting.fit_pure(x, y, "params").to_dict()
        if len(gpts) >= 4 and fitting.shows_scaling(fits["params_power"]):
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
    fits, review = review_fits(fits)
    notes = review + notes
    best_ngram = min(ngram.get("results", []), key=lambda r: r["val_loss"], default=None)
    return {"format": FORMAT, "manifest": manifest, "ngram": ngram, "runs": runs, "fits": fits,
            "frontier": [{"flops": c, "val_loss": v} for c, v in env],
            "best_ngram": best_ngram, "notes": notes,
            "utilisation": utilisation.of_largest(runs, manifest.get("device_name"))}
