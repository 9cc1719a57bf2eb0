"""Read a lab folder back: the summary (fits, frontier), every model's numbers and its sample.

``load(folder)`` works on finished and on interrupted runs (it recomputes the fits over whatever
models have finished). ``table``, ``fits_table`` and ``sample_panels`` build rich renderables for
the command line; ``charts`` builds Vega-Lite specs (loss against parameters with the fitted law,
loss against compute with the frontier, loss curves) for the explorer's Lab page.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlrev.errors import DlrevError


@dataclass
class LabReport:
    folder: str
    manifest: dict
    ngram: dict
    runs: list[dict]
    fits: dict
    frontier: list[dict]
    best_ngram: dict | None
    notes: list[str]
    complete: bool

    def to_dict(self) -> dict:
        return {"folder": self.folder, "complete": self.complete, "manifest": self.manifest,
                "ngram": self.ngram, "runs": self.runs, "fits": self.fits,
                "frontier": self.frontier, "best_ngram": self.best_ngram, "notes": self.notes}

    def models(self) -> list[dict]:
        """One row per model (n-grams, LSTM, GPTs), in order of size within each kind."""
        rows = []
        for r in self.ngram.get("results", []):
            rows.append({"name": f"{r['order']}-gram KN", "kind": "ngram", "size": r["entries"],
                         "val_loss": r["val_loss"], "seconds": r["seconds"], "steps": None,
                         "tokens_per_s": None})
        for r in sorted(self.runs, key=lambda r: (r["kind"] != "lstm", r["params"])):
            rows.append({"name": r["name"], "kind": r["kind"], "size": r["params"],
                         "val_loss": r["val_loss"], "seconds": r["seconds"], "steps": r["steps"],
                         "tokens_per_s": r["tokens_per_s"]})
        return rows


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DlrevError(f"{path} is not a readable lab file ({exc})") from None


def load(folder: str | Path) -> LabReport:
    from dlrev.lab.sweep import summarize

    folder = Path(folder)
    manifest_path = folder / "lab.json"
    if not manifest_path.is_file():
        raise DlrevError(f"{folder} is not a lab folder (it has no lab.json); "
                         f"make one with `dlrev lab run --out {folder}`")
    manifest = _read(manifest_path)
    results = folder / "results.json"
    if results.is_file():
        s = _read(results)
        complete = True
    else:
        ngram = _read(folder / "ngram.json") if (folder / "ngram.json").is_file() else {}
        runs = [_read(p) for p in sorted((folder / "runs").glob("*.json"))]
        s = summarize(manifest, ngram, runs)
        complete = False
    return LabReport(str(folder), manifest, s.get("ngram", {}), s.get("runs", []),
                     s.get("fits", {}), s.get("frontier", []), s.get("best_ngram"),
                     s.get("notes", []), complete)


def fmt_count(n: float | None) -> str:
    if n is None:
        return ""
    n = float(n)
    for unit, div in (("M", 1e6), ("k", 1e3)):
        if abs(n) >= div:
            return f"{n / div:.3g}{unit}"
    return f"{n:.0f}"


def table(report: LabReport):  # noqa: ANN201 - a rich Table
    from rich.table import Table

    t = Table(title=f"Validation loss (nats per character) - {report.folder}",
              caption="size: parameters; for n-grams, k-grams stored over all orders")
    for c, j in (("model", "left"), ("size", "right"), ("val loss", "right"),
                 ("bits/char", "right"), ("steps", "right"), ("tokens/s", "right"),
                 ("seconds", "right")):
        t.add_column(c, justify=j)  # type: ignore[arg-type]
    for r in report.models():
        size = fmt_count(r["size"])
        t.add_row(r["name"], size, f"{r['val_loss']:.3f}", f"{r['val_loss'] / math.log(2):.2f}",
                  f"{r['steps']:,}" if r["steps"] else "",
                  fmt_count(r["tokens_per_s"]) if r["tokens_per_s"] else "",
                  f"{r['seconds']:.2f}" if r["seconds"] < 1 else f"{r['seconds']:.1f}")
    return t


def fits_table(report: LabReport):  # noqa: ANN201 - a rich Table
    from rich.table import Table

    t = Table(title="Power-law fits (GPTs; 95% intervals)")
    for c in ("fit", "law", "alpha", "interval", "R^2", "points"):
        t.add_column(c)
    labels = {"params_power": "L(N)", "params_floor": "L(N)",
              "frontier_power": "frontier L(C)", "frontier_floor": "frontier L(C)"}
    for key, f in report.fits.items():
        lo, hi = f.get("alpha_low"), f.get("alpha_high")
        interval = f"[{lo:.3f}, {hi:.3f}]" if lo is not None and hi is not None else ""
        t.add_row(labels.get(key, key), f["formula"], f"{f['alpha']:.3f}", interval,
                  f"{f['r2']:.3f}" if f.get("r2") is not None else "", str(f["n_points"]))
    return t


def samples(report: LabReport) -> list[dict]:
    """Every model's sample, smallest first: name, size, loss, text."""
    out = []
    ng = report.ngram
    if ng.get("sample"):
        order = ng.get("sample_order")
        r = next((r for r in ng.get("results", []) if r["order"] == order), None)
        out.append({"name": f"{order}-gram KN", "size": r["entries"] if r else None,
                    "val_loss": r["val_loss"] if r else None, "text": ng["sample"]})
    for r in sorted(report.runs, key=lambda r: (r["kind"] != "lstm", r["params"])):
        out.append({"name": r["name"], "size": r["params"], "val_loss": r["val_loss"],
                    "text": r.get("sample", "")})
    return out


def sample_panels(report: LabReport, width: int = 36):  # noqa: ANN201 - rich Columns
    from rich.columns import Columns
    from rich.panel import Panel
    from rich.text import Text

    panels = []
    for s in samples(report):
        kind = "entries" if "gram" in s["name"] else "params"
        title = f"{s['name']} · {fmt_count(s['size'])} {kind}"
        sub = f"val {s['val_loss']:.3f}" if s["val_loss"] is not None else ""
        panels.append(Panel(Text(s["text"], overflow="fold"), title=title, subtitle=sub,
                            width=width))
    return Columns(panels, equal=True)


def charts(report: LabReport) -> dict[str, dict]:
    """Vega-Lite specs for the explorer: 'size' (loss vs parameters, fits, n-gram line),
    'compute' (loss vs FLOPs for every evaluation, the frontier and its law) and 'curves'."""
    import numpy as np

    size_pts = [{"model": r["name"], "kind": r["kind"], "params": r["params"],
                 "val_loss": r["val_loss"]} for r in report.runs]
    size_pts += [{"model": f"{r['order']}-gram KN", "kind": "n-gram", "params": r["entries"],
                  "val_loss": r["val_loss"]} for r in report.ngram.get("results", [])]
    layers: list[dict] = [{
        "data": {"values": size_pts}, "mark": {"type": "point", "filled": True, "size": 60},
        "encoding": {"x": {"field": "params", "type": "quantitative", "scale": {"type": "log"},
                           "title": "parameters (n-gram: table entries)"},
                     "y": {"field": "val_loss", "type": "quantitative", "scale": {"zero": False},
                           "title": "validation loss (nats/char)"},
                     "color": {"field": "kind", "type": "nominal"},
                     "tooltip": [{"field": "model"}, {"field": "params"}, {"field": "val_loss"}]}}]
    for key, dash in (("params_power", [4, 3]), ("params_floor", [])):
        f = report.fits.get(key)
        if not f:
            continue
        xs = [r["params"] for r in report.runs if r["kind"] == "gpt"]
        grid = np.geomspace(min(xs), max(xs), 40)
        if f["form"] == "power":
            ys = f["scale"] * grid ** (-f["alpha"])
        else:
            ys = f["floor"] + (f["scale"] / grid) ** f["alpha"]
        vals = [{"params": float(a), "val_loss": float(b), "law": f["formula"]}
                for a, b in zip(grid, ys, strict=True)]
        layers.append({"data": {"values": vals},
                       "mark": {"type": "line", "strokeDash": dash},
                       "encoding": {"x": {"field": "params", "type": "quantitative"},
                                    "y": {"field": "val_loss", "type": "quantitative"},
                                    "detail": {"field": "law"},
                                    "tooltip": [{"field": "law"}]}})
    if report.best_ngram:
        layers.append({"data": {"values": [{"val_loss": report.best_ngram["val_loss"],
                                            "label": f"{report.best_ngram['order']}-gram KN"}]},
                       "mark": {"type": "rule", "strokeDash": [2, 2], "color": "gray"},
                       "encoding": {"y": {"field": "val_loss", "type": "quantitative"}}})
    size = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": "Loss against model size", "width": 480, "height": 320, "layer": layers}

    pts = [{"model": r["name"], "kind": r["kind"], "flops": c["flops"], "val_loss": c["val_loss"],
            "step": c["step"]} for r in report.runs for c in r["curve"]]
    clayers: list[dict] = [{
        "data": {"values": pts}, "mark": {"type": "line", "point": True},
        "encoding": {"x": {"field": "flops", "type": "quantitative", "scale": {"type": "log"},
                           "title": "training compute (FLOP)"},
                     "y": {"field": "val_loss", "type": "quantitative", "scale": {"zero": False},
                           "title": "validation loss (nats/char)"},
                     "color": {"field": "model", "type": "nominal"},
                     "tooltip": [{"field": "model"}, {"field": "step"}, {"field": "val_loss"}]}}]
    f = report.fits.get("frontier_power")
    if f and report.frontier:
        xs = [p["flops"] for p in report.frontier]
        grid = np.geomspace(min(xs), max(xs), 40)
        clayers.append({"data": {"values": [{"flops": float(a),
                                             "val_loss": float(f["scale"] * a ** -f["alpha"]),
                                             "law": f["formula"]} for a in grid]},
                        "mark": {"type": "line", "color": "black", "strokeDash": [6, 3]},
                        "encoding": {"x": {"field": "flops", "type": "quantitative"},
                                     "y": {"field": "val_loss", "type": "quantitative"},
                                     "tooltip": [{"field": "law"}]}})
    compute = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
               "title": "Loss against training compute (every evaluation; dashed: the frontier's "
                        "power law)", "width": 480, "height": 320, "layer": clayers}
    curves = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
              "title": "Loss curves", "width": 480, "height": 320,
              "data": {"values": pts}, "mark": {"type": "line", "point": True},
              "encoding": {"x": {"field": "step", "type": "quantitative"},
                           "y": {"field": "val_loss", "type": "quantitative",
                                 "scale": {"zero": False}},
                           "color": {"field": "model", "type": "nominal"}}}
    return {"size": size, "compute": compute, "curves": curves}
