"""Page data of the explorer's Capabilities page (the capability index across benchmarks).

The page exists when Epoch AI's benchmark-stitching tables are available to dlrev: after
`dlrev data import-benchmarks DIR` has copied them into the user's cache (see
docs/capability.md). Nothing on the page is typed by hand: every number comes from
dlrev.capability at build time, with the same defaults as `dlrev capability`.

    tables_folder() -> Path | None     the imported tables, if any
    capability_data(folder) -> dict     JSON-ready page data, with the charts' Vega-Lite specs
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from dlrev.jsonio import plain
from dlrev.palette import GRID, INK, MUTED, OKABE_ITO, PROJECTION
from dlrev.web.vlspec import SCHEMA

FRONTIER = OKABE_ITO[0]
ALL_MODELS = "#9a9a9a"
PROJECT_YEARS = 1.5  # how far the dashed projection of the frontier line runs past the data


def tables_folder() -> Path | None:
    from dlrev.stitching import cached_tables, has_cached_tables

    return cached_tables() if has_cached_tables() else None


def capability_data(folder: Path) -> dict[str, Any]:
    from dlrev.capability import capability_report
    from dlrev.stitching import read_stitching
    from dlrev.trends import from_decimal_year

    tables = read_stitching(folder)  # the same defaults as `dlrev capability`
    rep = capability_report(tables.scores, tables.models,
                            source={"attribution": tables.attribution})
    idx, tr = rep.index, rep.trend
    front = set(tr.frontier["model"])
    models = idx.models.sort_values("eci", ascending=False).assign(
        frontier=lambda m: m["model"].isin(front))
    cols = ["model", "name", "date", "eci", "eci_low", "eci_high", "n_benchmarks", "frontier"]
    cross = tr.crossings.pivot(index="benchmark", columns="level")
    bench = idx.benchmarks.sort_values("edi")
    brows = []
    for r in bench.itertuples():
        row = {"benchmark": r.benchmark, "n_models": r.n_models, "chance": r.chance,
               "edi": r.edi, "edi_low": r.edi_low, "edi_high": r.edi_high,
               "slope": r.slope_eci, "reference": r.reference}
        for lvl, tag in ((0.5, "50"), (0.9, "90")):
            row[f"date_{tag}"] = cross.loc[r.benchmark, ("date", lvl)]
            row[f"low_{tag}"] = cross.loc[r.benchmark, ("low_date", lvl)]
            row[f"high_{tag}"] = cross.loc[r.benchmark, ("high_date", lvl)]
            row[f"eci_{tag}"] = cross.loc[r.benchmark, ("eci_needed", lvl)]
        brows.append(row)
    fit = tr.fit
    line = []
    if fit.fitted:
        end = fit.x_last + PROJECT_YEARS
        for x, kind in ((fit.x_first, "fit"), (fit.x_last, "fit"), (fit.x_last, "projection"),
                        (end, "projection")):
            line.append({"date": from_decimal_year(x), "eci": fit.intercept + fit.slope * x,
                         "kind": kind})
    data = {
        "summary": {
            "n_models": len(idx.models), "n_benchmarks": len(idx.benchmarks),
            "n_scores": idx.counts.get("fit rows"), "n_rows": idx.counts.get("score rows"),
            "top": plain(models.iloc[0][["model", "name", "eci", "eci_low", "eci_high"]]
                         .to_dict()),
            "ci": idx.ci, "reference": idx.reference, "anchors": idx.anchors,
        },
        "models": plain(models[cols]),
        "benchmarks": brows,
        "trend": tr.to_dict(), "recent": rep.recent.to_dict(), "line": line,
        "counts": idx.counts, "method": _method(rep), "attribution": rep.source["attribution"],
        "sources": ["https://github.com/epoch-research/benchmark-stitching",
                    "https://epoch.ai/benchmarks/eci"],
    }
    data["specs"] = {"index": index_spec(), "difficulty": difficulty_spec(len(brows))}
    out: dict[str, Any] = plain(data)
    return out


def _method(rep: Any) -> str:
    idx = rep.index
    return (f"Item-response fit (score = sigmoid(slope x (capability - difficulty))) of "
            f"{idx.counts.get('fit rows')} chance-corrected scores, least squares with an L2 "
            f"penalty of {idx.lam}; reference benchmark {idx.reference}; Epoch's scale "
            f"({idx.anchors[0][0]} = {idx.anchors[0][1]:g}, {idx.anchors[1][0]} = "
            f"{idx.anchors[1][1]:g}); {idx.interval_method}. Frontier trend: "
            f"{rep.trend.fit.interval_method}. See docs/capability.md.")


def _axis(title: str) -> dict[str, Any]:
    return {"title": title, "gridColor": GRID, "labelColor": INK, "titleColor": INK}


def index_spec() -> dict[str, Any]:
    """Every model's index against its release date; the frontier with its intervals and line."""
    tip = [{"field": "name", "title": "model"}, {"field": "model", "title": "model id"},
           {"field": "date", "type": "temporal", "title": "released", "format": "%Y-%m-%d"},
           {"field": "eci", "title": "index", "format": ".1f"},
           {"field": "eci_low", "title": "low", "format": ".1f"},
           {"field": "eci_high", "title": "high", "format": ".1f"}]
    x = {"field": "date", "type": "temporal", "axis": _axis("Release date")}
    y = {"field": "eci", "type": "quantitative", "scale": {"zero": False},
         "axis": _axis("Capability index (Epoch's scale)")}
    return {
        "$schema": SCHEMA,
        "title": {"text": "Capability index of AI models", "anchor": "start", "color": INK,
                  "subtitle": "", "subtitleColor": MUTED},
        "width": 900, "height": 380, "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [
            {"data": {"name": "models"}, "transform": [{"filter": "datum.date != null"}],
             "mark": {"type": "point", "filled": True, "size": 28, "opacity": 0.55,
                      "color": ALL_MODELS},
             "encoding": {"x": x, "y": y, "tooltip": tip}},
            {"data": {"name": "models"}, "transform": [{"filter": "datum.frontier"}],
             "mark": {"type": "rule", "color": FRONTIER, "opacity": 0.6},
             "encoding": {"x": x, "y": {"field": "eci_low", "type": "quantitative"},
                          "y2": {"field": "eci_high"}}},
            {"data": {"name": "line"},
             "mark": {"type": "line", "color": PROJECTION, "strokeWidth": 1.5},
             "encoding": {"x": x, "y": {"field": "eci", "type": "quantitative"},
                          "strokeDash": {"field": "kind", "type": "nominal",
                                         "scale": {"domain": ["fit", "projection"],
                                                   "range": [[1, 0], [5, 4]]},
                                         "legend": None},
                          "color": {"field": "kind", "type": "nominal", "legend": None,
                                    "scale": {"domain": ["fit", "projection"],
                                              "range": [INK, PROJECTION]}}}},
            {"data": {"name": "models"}, "transform": [{"filter": "datum.frontier"}],
             "mark": {"type": "point", "filled": True, "size": 60, "color": FRONTIER,
                      "shape": "diamond"},
             "encoding": {"x": x, "y": y, "tooltip": tip}},
        ],
        "config": {"view": {"stroke": None}, "font": "system-ui, sans-serif"},
    }


def difficulty_spec(n: int) -> dict[str, Any]:
    """Each benchmark's difficulty on the same scale (the index a model needs to score 50%)."""
    y = {"field": "benchmark", "type": "nominal", "sort": {"field": "edi", "order": "ascending"},
         "axis": {"title": None, "labelLimit": 150, "labelColor": INK}}
    x = {"field": "edi", "type": "quantitative", "scale": {"zero": False},
         "axis": _axis("Difficulty: index at a 50% score")}
    tip = [{"field": "benchmark"}, {"field": "edi", "title": "difficulty", "format": ".1f"},
           {"field": "edi_low", "title": "low", "format": ".1f"},
           {"field": "edi_high", "title": "high", "format": ".1f"},
           {"field": "n_models", "title": "models"}]
    return {
        "$schema": SCHEMA,
        "title": {"text": "How hard each benchmark is, on the same scale", "anchor": "start",
                  "color": INK, "subtitle": "", "subtitleColor": MUTED},
        "data": {"name": "benchmarks"},
        "width": 900, "height": max(200, math.ceil(n * 15)),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [
            {"mark": {"type": "rule", "color": FRONTIER, "opacity": 0.6},
             "encoding": {"y": y, "x": {"field": "edi_low", "type": "quantitative"},
                          "x2": {"field": "edi_high"}}},
            {"mark": {"type": "point", "filled": True, "size": 40, "color": FRONTIER},
             "encoding": {"y": y, "x": x, "tooltip": tip}},
        ],
        "config": {"view": {"stroke": None}, "font": "system-ui, sans-serif"},
    }
