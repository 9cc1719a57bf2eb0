"""The Horizons page: its data (agents, SOTA trend, crossings) and its Vega-Lite chart.

The data come from the METR snapshot in the cache when one was imported (`dlrev data
import-metr` / `update --source metr`), refitted with intervals; otherwise from the curated
table of METR's published horizons, so the page works offline from a fresh install.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from dlrev import horizons, jsonio, metr, palette
from dlrev.web.vlspec import SCHEMA

TICKS = [(1 / 6, "10 s"), (1, "1 min"), (4, "4 min"), (15, "15 min"), (60, "1 h"),
         (240, "4 h"), (480, "8 h"), (2400, "40 h"), (10020, "167 h")]


def fmt_minutes(m: float) -> str:
    """4.03 -> '4.0 min', 203 -> '3.4 h'; blank for missing."""
    if not math.isfinite(m):
        return ""
    if m < 1:
        return f"{m * 60:.0f} s"
    return f"{m:.1f} min" if m < 60 else f"{m / 60:.1f} h"


def horizons_key() -> list[str]:
    """What the page data depend on besides our code: the snapshot and the curated table."""
    from dlrev.web.cachekey import files_key

    return files_key([metr.metr_snapshot_path(), metr.CURATED_FILE])


def horizons_data(file: Path | None = None, bootstrap: int = 1000) -> dict[str, Any]:
    """Everything the page shows, as plain JSON values."""
    snap = metr.metr_snapshot_path()
    path = file if file is not None else (snap if snap.exists() else None)
    if path is None:
        fit = horizons.from_published(metr.read_curated())
        kind = "published"
    else:
        fit = horizons.fit_horizons(metr.read_metr(path), bootstrap=bootstrap)
        kind = "fit"
    trend = horizons.horizon_trend(fit)
    main = trend.windows[0]
    sota = set(trend.sota)
    agents = []
    for a in fit.agents:
        if not a.release_date or not (a.p50 > 0 and math.isfinite(a.p50)):
            continue
        row = {k: a.to_dict()[k] for k in ("agent", "release_date", "p50", "p50_low", "p50_high",
                                           "p80", "p80_low", "p80_high")}
        row["sota"] = a.agent in sota
        row["p50_text"] = fmt_minutes(a.p50)
        row["interval_text"] = (f"{fmt_minutes(a.p50_low)} to {fmt_minutes(a.p50_high)}"
                                if math.isfinite(a.p50_low) else "not published")
        row["group"] = "state of the art at release" if row["sota"] else "other agents"
        agents.append(row)
    line: list[dict[str, Any]] = []
    if main.fitted and main.first_date and main.last_date:
        end = trend.crossings[-1].date if trend.crossings else main.last_date
        for date, part in ((main.first_date, "fit"), (main.last_date, "fit"),
                           (main.last_date, "projection"), (end, "projection")):
            line.append({"date": date, "minutes": main.predict_minutes(date), "part": part})
    levels = [{"label": f"a working {c.level} ({c.minutes / 60:.0f} h)", "minutes": c.minutes}
              for c in trend.crossings]
    sources = sorted({"https://metr.org/time-horizons", "https://arxiv.org/abs/2503.14499",
                      "https://github.com/METR/eval-analysis-public"})
    return jsonio.plain({
        "kind": kind, "source": fit.source, "attribution": metr.ATTRIBUTION,
        "settings": fit.settings, "notes": fit.notes, "agents": agents, "line": line,
        "levels": levels, "windows": [w.to_dict() for w in trend.windows],
        "breakpoint_note": trend.breakpoint_note, "definition": trend.definition,
        "crossings": [c.to_dict() for c in trend.crossings], "sources": sources,
        "recent_crossings": [c.to_dict() for c in trend.recent_crossings],
        "spec": horizons_spec(),
    })


def horizons_spec() -> dict[str, Any]:
    """Horizon (log scale, human minutes) against release date: bootstrap intervals, agents
    (SOTA filled), the SOTA trend (dashed where projected) and work-time levels."""
    tick_vals = [t for t, _ in TICKS]
    label_expr = " : ".join(f"datum.value < {t * 1.01:g} ? '{lab}'" for t, lab in TICKS[:-1])
    label_expr += f" : '{TICKS[-1][1]}'"
    y = {"field": "p50", "type": "quantitative", "title": "50% time horizon (human work time)",
         "scale": {"type": "log", "domain": [0.5, 20000]},
         "axis": {"values": tick_vals, "labelExpr": label_expr, "grid": True,
                  "gridColor": palette.GRID}}
    x = {"field": "release_date", "type": "temporal", "title": "Release date",
         "axis": {"format": "%Y", "tickCount": "year", "grid": False}}
    sota_color = palette.OKABE_ITO[0]
    return {
        "$schema": SCHEMA,
        "title": {"text": "AI time horizons: the length of tasks agents complete half the time",
                  "anchor": "start", "subtitle": ""},
        "width": 900, "height": 380, "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"view": {"stroke": None}, "axis": {"labelColor": palette.INK,
                                                      "titleColor": palette.INK}},
        "layer": [
            {"data": {"name": "levels"},
             "mark": {"type": "rule", "color": palette.MUTED, "strokeDash": [2, 3]},
             "encoding": {"y": {"field": "minutes", "type": "quantitative"}}},
            {"data": {"name": "levels"},
             "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6,
                      "color": palette.MUTED, "fontSize": 11},
             "encoding": {"y": {"field": "minutes", "type": "quantitative"},
                          "x": {"value": 0}, "text": {"field": "label"}}},
            {"data": {"name": "line"},
             "mark": {"type": "line", "color": palette.PROJECTION},
             "encoding": {"x": {"field": "date", "type": "temporal"},
                          "y": {"field": "minutes", "type": "quantitative"},
                          "detail": {"field": "part"},
                          "strokeDash": {"field": "part", "type": "nominal",
                                         "scale": {"domain": ["fit", "projection"],
                                                   "range": [[1, 0], [6, 4]]},
                                         "legend": {"title": "SOTA trend", "orient": "bottom"}}}},
            {"data": {"name": "agents"},
             "transform": [{"filter": "isValid(datum.p50_low)"}],
             "mark": {"type": "rule", "color": palette.MUTED, "opacity": 0.6},
             "encoding": {"x": x, "y": {**y, "field": "p50_low"}, "y2": {"field": "p50_high"}}},
            {"data": {"name": "agents"},
             "mark": {"type": "point", "filled": True, "size": 70, "stroke": palette.INK,
                      "strokeWidth": 0.5},
             "encoding": {
                 "x": x, "y": y,
                 "color": {"field": "group", "type": "nominal", "title": None,
                           "scale": {"domain": ["state of the art at release", "other agents"],
                                     "range": [sota_color, "#bbbbbb"]},
                           "legend": {"orient": "bottom"}},
                 "tooltip": [{"field": "agent", "title": "agent"},
                             {"field": "release_date", "title": "released"},
                             {"field": "p50_text", "title": "50% horizon"},
                             {"field": "interval_text", "title": "interval"}]}},
        ],
        "resolve": {"scale": {"y": "shared", "x": "shared"}},
    }
