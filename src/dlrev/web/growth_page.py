"""The Growth page: the side-by-side growth table and its three aligned panels (Vega-Lite).

    growth_data(cat) -> dict       everything the page shows, as plain JSON values
    growth_chart(result) -> dict   the panels as one self-contained Vega-Lite spec (datasets
                                   inlined), for this page and for any other page (the Story)

Inputs are gathered as `dlrev growth` gathers them (dlrev.cli.growth.load_inputs): the catalog's
systems, METR's horizons (snapshot, else the curated published table) and, where dlrev has the
capability index and Epoch's tables were imported, the index. Every number is computed here at
build time from dlrev.growth.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from dlrev import jsonio, palette
from dlrev.growth import WINDOWS, GrowthResult, GrowthRow
from dlrev.web.vlspec import SCHEMA

if TYPE_CHECKING:
    from dlrev.catalog import Catalog

COLORS = {"compute": palette.OKABE_ITO[0], "capability": palette.OKABE_ITO[2],
          "horizon": palette.OKABE_ITO[4]}
OTHER = "#bbbbbb"
WINDOW_COLORS = [palette.INK, palette.OKABE_ITO[1]]
MINUTE_TICKS = [(1, "1 min"), (4, "4 min"), (15, "15 min"), (60, "1 h"), (240, "4 h"),
                (480, "8 h"), (2400, "40 h"), (10020, "167 h")]
SHORT_UNITS = {"x/year": "x/year", "doubling months": "months doubling",
               "points/year": "points/year", "years": "years", "years per year": "years/year"}


def rate_text(r: GrowthRow) -> str:
    """'4.6 x/year (90% 4.2 to 5.0)'; 'not available' where the row is not."""
    if not r.available:
        return "not available"
    d = 2 if r.unit in ("years", "years per year") else 1
    text = f"{r.value:.{d}f} {SHORT_UNITS.get(r.unit, r.unit)}"
    if math.isfinite(r.low) and math.isfinite(r.high):
        text += f" ({round(r.ci * 100)}% {r.low:.{d}f} to {r.high:.{d}f})"
    return text


def growth_key() -> list[str]:
    """What the page depends on besides our code and the catalog: METR's snapshot and curated
    table, and the imported benchmark tables (by content)."""
    from dlrev.cli.growth import capability_available
    from dlrev.web.horizons_page import horizons_key

    out = list(horizons_key())
    if capability_available():
        from dlrev import stitching

        root = stitching.cached_tables()
        if root.is_dir():
            from dlrev.web.cachekey import files_key

            out += files_key(sorted(root.iterdir()))
    return out


def growth_data(cat: Catalog) -> dict[str, Any]:
    from dlrev.cli.growth import compute_growth, load_inputs

    res = compute_growth(cat, **load_inputs())
    rows = []
    for r in res.rows:
        d = r.to_dict()
        d["rate_text"] = rate_text(r)
        d["doubling_text"] = (f"{r.doubling_months:.1f} ({r.doubling_low:.1f} to "
                              f"{r.doubling_high:.1f})" if r.available
                              and math.isfinite(r.doubling_months) else "")
        rows.append(d)
    missing = [p["note"] for p in res.panels.values() if p.get("note")]
    sources = [p.get("source", "") for p in res.panels.values() if p.get("source")]
    return jsonio.plain({"rows": rows, "panels": list(res.panels), "notes": missing + res.notes,
                         "sources": sources, "windows": [w for w, _ in WINDOWS],
                         "spec": growth_chart(res)})


def _y(key: str, panel: dict[str, Any]) -> dict[str, Any]:
    y: dict[str, Any] = {"field": "value", "type": "quantitative", "title": panel["unit"]}
    if key == "compute":
        y["scale"] = {"type": "log"}
        y["axis"] = {"values": [10.0**e for e in range(12, 31, 3)],
                     "labelExpr": "'1e' + round(log(datum.value) / LN10)"}
    elif key == "horizon":
        y["scale"] = {"type": "log"}
        expr = " : ".join(f"datum.value < {t * 1.01:g} ? '{lab}'" for t, lab in MINUTE_TICKS[:-1])
        y["axis"] = {"values": [t for t, _ in MINUTE_TICKS],
                     "labelExpr": f"{expr} : '{MINUTE_TICKS[-1][1]}'"}
    else:
        y["scale"] = {"zero": False}
    return y


def _panel_spec(key: str, panel: dict[str, Any], rows: list[GrowthRow], domain: list[str],
                last: bool) -> dict[str, Any]:
    x: dict[str, Any] = {"field": "date", "type": "temporal", "title": "Date" if last else None,
                         "scale": {"domain": domain},
                         "axis": {"format": "%Y", "tickCount": "year", "grid": True,
                                  "gridColor": palette.GRID, "labels": last, "ticks": last,
                                  # a phone's narrow panel drops years rather than run them
                                  # together
                                  "labelOverlap": True, "labelSeparation": 6}}
    y = _y(key, panel)
    subtitle = [f"{r.window}: {rate_text(r)}" for r in rows]
    windows = [w for w, _ in WINDOWS]
    pts = f"{key}_points"
    return {
        "title": {"text": panel["title"], "subtitle": subtitle, "anchor": "start",
                  "fontSize": 14, "subtitleColor": palette.INK},
        "width": 900, "height": 200,
        "layer": [
            {"data": {"name": pts}, "transform": [{"filter": "!datum.frontier"}],
             "mark": {"type": "point", "filled": True, "size": 14, "color": OTHER},
             "encoding": {"x": x, "y": y}},
            {"data": {"name": pts}, "transform": [{"filter": "datum.frontier"}],
             "mark": {"type": "point", "filled": True, "size": 40, "color": COLORS[key],
                      "stroke": palette.INK, "strokeWidth": 0.5},
             "encoding": {"x": x, "y": y,
                          "tooltip": [{"field": "name", "title": "name"},
                                      {"field": "date", "title": "date"},
                                      {"field": "value", "title": panel["unit"],
                                       "format": ".3~g"}]}},
            {"data": {"name": f"{key}_lines"},
             "mark": {"type": "line", "strokeWidth": 2},
             "encoding": {
                 "x": x, "y": y,
                 "color": {"field": "window", "type": "nominal", "title": "trend",
                           "scale": {"domain": windows, "range": WINDOW_COLORS},
                           "legend": {"orient": "bottom", "title": "fitted trend"}},
                 "strokeDash": {"field": "window", "type": "nominal", "title": "fitted trend",
                                "scale": {"domain": windows, "range": [[1, 0], [6, 4]]},
                                "legend": {"orient": "bottom", "title": "fitted trend"}}}},
        ],
    }


def growth_chart(res: GrowthResult, width: int = 900) -> dict[str, Any]:
    """The panels with data (compute, capability, horizon) stacked on one shared time axis."""
    lo, hi = res.x_range
    domain = [f"{int(lo)}-01-01", f"{int(math.ceil(hi))}-01-01"]
    keys = [k for k, p in res.panels.items() if len(p["points"])]
    datasets: dict[str, Any] = {}
    panels = []
    for i, key in enumerate(keys):
        p = res.panels[key]
        rows = [r for r in res.rows if r.measure == key]
        panels.append(_panel_spec(key, p, rows, domain, i == len(keys) - 1))
        panels[-1]["width"] = width
        cols = ["date", "value", "name", "frontier"]
        datasets[f"{key}_points"] = jsonio.plain(p["points"][cols].to_dict(orient="records"))
        lines = p["lines"]
        datasets[f"{key}_lines"] = (jsonio.plain(lines[["window", "date", "value"]].to_dict(
            orient="records")) if len(lines) else [])
    return {
        "$schema": SCHEMA,
        "title": {"text": "Growth side by side", "anchor": "start", "fontSize": 16},
        "vconcat": panels, "spacing": 18, "datasets": datasets,
        "resolve": {"scale": {"x": "shared", "color": "shared", "strokeDash": "shared"},
                    "legend": {"color": "shared", "strokeDash": "shared"}},
        "config": {"view": {"stroke": None},
                   "axis": {"labelColor": palette.INK, "titleColor": palette.INK},
                   "title": {"color": palette.INK}},
    }
