"""Vega-Lite specs of the explorer's Lab page: loss against parameters with the fitted laws, loss
against compute with the frontier, loss curves; and, for an IsoFLOP folder, the IsoFLOP curves
and the optima against compute. Specs only: the numbers come from dlrev.lab."""

from __future__ import annotations

import numpy as np

from dlrev.lab.show import LabReport
from dlrev.web.vlspec import SCHEMA


def charts(report: LabReport) -> dict[str, dict]:
    """Vega-Lite specs for the explorer: 'size' (loss vs parameters, fits, n-gram line),
    'compute' (loss vs FLOPs for every evaluation, the frontier and its law) and 'curves'."""
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
    size = {"$schema": SCHEMA,
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
    compute = {"$schema": SCHEMA,
               "title": "Loss against training compute (every evaluation; dashed: the frontier's "
                        "power law)", "width": 480, "height": 320, "layer": clayers}
    curves = {"$schema": SCHEMA,
              "title": "Loss curves", "width": 480, "height": 320,
              "data": {"values": pts}, "mark": {"type": "line", "point": True},
              "encoding": {"x": {"field": "step", "type": "quantitative"},
                           "y": {"field": "val_loss", "type": "quantitative",
                                 "scale": {"zero": False}},
                           "color": {"field": "model", "type": "nominal"}}}
    return {"size": size, "compute": compute, "curves": curves}


def isoflop_charts(data: dict) -> dict[str, dict]:
    """Specs for an IsoFLOP folder: 'size' (loss against N at each compute budget, the fitted
    parabolas and their vertices), 'compute' (the best size against compute with the fitted
    N_opt = k C^a, beside lines of Chinchilla's and Kaplan's slope through the same middle
    point) and 'curves' (every run's evaluations against tokens)."""
    pts, lines, verts = [], [], []
    for b in data["budgets"]:
        label = f"{b['compute']:.2g} FLOP"
        pts += [{"budget": label, "N": p["N"], "D": p["D"], "loss": p["loss"]}
                for p in b["points"]]
        if b["coef"] is not None and b["points"]:
            p2, p1, p0 = b["coef"]
            xs = np.linspace(np.log10(min(p["N"] for p in b["points"])),
                             np.log10(max(p["N"] for p in b["points"])), 40)
            lines += [{"budget": label, "N": float(10**x), "loss": float(p2 * x * x + p1 * x + p0)}
                      for x in xs]
        if b["N_opt"] is not None:
            verts.append({"budget": label, "N": b["N_opt"], "loss": b["loss_opt"],
                          "N_low": b["N_low"], "N_high": b["N_high"],
                          "tokens_per_param": b["tokens_per_param"]})
    x = {"field": "N", "type": "quantitative", "scale": {"type": "log"},
         "title": "parameters N (log scale)"}
    y = {"field": "loss", "type": "quantitative", "scale": {"zero": False},
         "title": "validation loss (nats/char)"}
    color = {"field": "budget", "type": "nominal", "title": "compute budget", "sort": None}
    size = {"$schema": SCHEMA, "title": "IsoFLOP curves: loss against size at fixed compute",
            "width": 480, "height": 320, "layer": [
                {"data": {"values": lines}, "mark": {"type": "line", "strokeDash": [4, 3]},
                 "encoding": {"x": x, "y": y, "color": color}},
                {"data": {"values": pts}, "mark": {"type": "point", "filled": True, "size": 60},
                 "encoding": {"x": x, "y": y, "color": color,
                              "tooltip": [{"field": "budget"}, {"field": "N", "format": ","},
                                          {"field": "D", "format": ","},
                                          {"field": "loss", "format": ".4f"}]}},
                {"data": {"values": verts}, "mark": {"type": "point", "shape": "diamond",
                                                     "size": 160, "filled": False,
                                                     "strokeWidth": 2},
                 "encoding": {"x": x, "y": y, "color": color,
                              "tooltip": [{"field": "budget"}, {"field": "N", "format": ",.0f",
                                                                "title": "best N"},
                                          {"field": "tokens_per_param", "format": ".3g"}]}}]}
    opt = [{"compute": v["budget"], "C": b["compute"], "N": b["N_opt"], "N_low": b["N_low"],
            "N_high": b["N_high"]} for b, v in zip(
                [b for b in data["budgets"] if b["N_opt"] is not None], verts, strict=True)]
    ref_lines = []
    ex = data.get("exponents")
    if ex and opt:
        cs = [o["C"] for o in opt]
        mid = float(np.mean(np.log10(cs)))
        n_mid = ex["log10_k"] + ex["a"] * mid
        a_chin = data["published"]["hoffmann_approach2"]["a"]
        a_kap = data["published"]["kaplan"]["a"]
        for name, a in ((f"this run (a = {ex['a']:.2f})", ex["a"]),
                        (f"Chinchilla's slope (a = {a_chin:.2f})", a_chin),
                        (f"Kaplan's slope (a = {a_kap:.2f})", a_kap)):
            ref_lines += [{"law": name, "C": float(10**c),
                           "N": float(10 ** (n_mid + a * (c - mid)))}
                          for c in (np.log10(min(cs)) - 0.2, np.log10(max(cs)) + 0.2)]
    cx = {"field": "C", "type": "quantitative", "scale": {"type": "log"},
          "title": "compute budget C = 6ND (FLOP, log scale)"}
    ny = {"field": "N", "type": "quantitative", "scale": {"type": "log"},
          "title": "best size N_opt (log scale)"}
    compute = {"$schema": SCHEMA, "title": "The best size grows with compute: N_opt ∝ C^a",
               "width": 480, "height": 320, "layer": [
                   {"data": {"values": ref_lines}, "mark": {"type": "line"},
                    "encoding": {"x": cx, "y": ny,
                                 "strokeDash": {"field": "law", "type": "nominal", "title": "",
                                                "legend": {"orient": "bottom", "direction":
                                                           "vertical"}},
                                 "color": {"field": "law", "type": "nominal", "title": "",
                                           "scale": {"range": ["#222222", "#1f77b4",
                                                              "#d62728"]}}}},
                   {"data": {"values": [o for o in opt if o["N_low"] is not None]},
                    "mark": {"type": "rule"},
                    "encoding": {"x": cx, "y": {**ny, "field": "N_low"},
                                 "y2": {"field": "N_high"}}},
                   {"data": {"values": opt}, "mark": {"type": "point", "filled": True,
                                                      "size": 80, "color": "#222222"},
                    "encoding": {"x": cx, "y": ny,
                                 "tooltip": [{"field": "compute"},
                                             {"field": "N", "format": ",.0f"}]}}]}
    curve_pts = [{"run": r["key"], "tokens": c["tokens"], "val_loss": c["val_loss"],
                  "budget": f"{r['compute']:.2g} FLOP"} for r in data["runs"] for c in r["curve"]]
    curves = {"$schema": SCHEMA, "title": "Loss curves of every IsoFLOP run", "width": 480,
              "height": 320, "data": {"values": curve_pts},
              "mark": {"type": "line", "point": True},
              "encoding": {"x": {"field": "tokens", "type": "quantitative",
                                 "scale": {"type": "log"}, "title": "training characters"},
                           "y": {"field": "val_loss", "type": "quantitative",
                                 "scale": {"zero": False}},
                           "color": {"field": "budget", "type": "nominal", "sort": None},
                           "detail": {"field": "run"},
                           "tooltip": [{"field": "run"}, {"field": "val_loss"}]}}
    return {"size": size, "compute": compute, "curves": curves}
