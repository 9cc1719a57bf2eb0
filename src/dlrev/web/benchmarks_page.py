"""The explorer's Benchmarks page: every benchmark's state-of-the-art curve and its saturation
(dlrev.benchmarks: sota_curves, saturation), the page's headline finding, and its Vega-Lite
specs. Pure: the catalog in, plain dicts out (written to data/benchmarks.json, served under
/api/benchmarks)."""

from __future__ import annotations

from typing import Any

from dlrev.catalog import Catalog
from dlrev.jsonio import plain
from dlrev.web.page_records import reader_notes, records, source_list
from dlrev.web.vlspec import MANY, OKABE_ITO, base_spec

BENCHMARK_REF_COLUMNS = (("chance", "chance"), ("human_nonexpert", "human non-expert"),
                         ("human_expert", "human expert"), ("ceiling", "ceiling"))


def benchmarks_data(cat: Catalog) -> dict[str, Any]:
    """Every benchmark's state-of-the-art curve (years since introduction) and its saturation."""
    from dlrev import benchmarks as bm

    curves = bm.sota_curves(cat)
    sat = bm.saturation(cat)
    info = []
    for _, b in cat.benchmarks.iterrows():
        refs = []
        for col, label in BENCHMARK_REF_COLUMNS:
            v = plain(b.get(col))
            if v is None:
                continue
            who = plain(b.get(f"{col}_who")) if col.startswith("human") else None
            refs.append({"kind": col, "label": label, "value": float(v), "who": who})
        info.append({
            "name": plain(b["name"]), "measures": plain(b.get("measures")),
            "domain": plain(b["domain"]),
            "introduced": plain(b["introduced"]), "metric": plain(b["metric"]),
            "unit": plain(b.get("unit")), "direction": plain(b["direction"]),
            "scale": plain(b.get("scale")) or "linear", "refs": refs,
            "source_url": plain(b.get("source_url")),
            **reader_notes(plain(b.get("notes"))),
        })
    points = records(curves, ["benchmark", "series", "date", "year", "years_since_intro",
                               "system", "value", "best", "record", "progress", "best_progress",
                               "setting", "source_url"])
    sat_dict = sat.to_dict()
    table = records(sat.table)
    return {
        "finding": bm.saturation_finding(table),
        "benchmarks": info,
        "points": points,
        "saturation": {"levels": sat_dict["levels"], "method": sat_dict["method"],
                       "rows": table},
        "sources": source_list([b["source_url"] for b in info]
                                + [p["source_url"] for p in points]),
        "method": ("State-of-the-art curves and saturation from dlrev.benchmarks (sota_curves, "
                   "saturation). " + str(sat_dict["method"]) + "."),
    }


PROGRESS_TOP = 1.3


# --- Vega-Lite specs of the page ------------------------------------------------------------------

def benchmark_progress_spec() -> dict[str, Any]:
    """All benchmarks on one axis: the running best as a fraction of the way from chance to the
    human-expert level (or ceiling), against years since the benchmark's introduction."""
    x = {"field": "x", "type": "quantitative", "title": "Years since the benchmark's introduction",
         "scale": {"zero": True, "nice": True}}
    # Progress past the human level (Atari 57 reaches 20x the human median) is drawn at the top
    # edge, so that the climb from chance to human level stays readable; tooltips say the value.
    y = {"field": "y", "type": "quantitative", "title":
         "Progress of the best result (0 = chance, 1 = human expert or ceiling)",
         "scale": {"domain": [0, PROGRESS_TOP], "clamp": True, "nice": False},
         "axis": {"format": "%"}}
    # no legend: each curve is named at its end (the 'ends' layer; the page places the names)
    color = {"field": "label", "type": "nominal", "title": "Benchmark",
             "scale": {"range": MANY}, "legend": None}
    tooltip = [{"field": "label", "title": "Benchmark"}, {"field": "system", "title": "System"},
               {"field": "date", "title": "Date"}, {"field": "shown", "title": "Result"},
               {"field": "pct", "title": "Progress"}]
    spec = base_spec(
        "Benchmarks: progress from chance to human level",
        "Line chart of the state of the art of each benchmark, as progress from chance "
        "(0) to the human-expert level or ceiling (1), against years since the "
        "benchmark's introduction.")
    spec["layer"] = [
        {"data": {"name": "refs"}, "mark": {"type": "rule", "strokeDash": [5, 4],
                                            "color": "#555"},
         "encoding": {"y": {"field": "y", "type": "quantitative"}}},
        {"data": {"name": "refs"}, "mark": {"type": "text", "align": "right", "dy": -7,
                                            "color": "#333", "fontSize": 11},
         "encoding": {"y": {"field": "y", "type": "quantitative"}, "x": {"value": "width"},
                      "text": {"field": "label"}}},
        {"data": {"name": "curves"}, "name": "best",
         "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "color": color, "detail": {"field": "label"}}},
        {"data": {"name": "curves"}, "name": "records",
         "transform": [{"filter": "datum.record"}],
         "mark": {"type": "point", "filled": True, "size": 50, "opacity": 0.95},
         "encoding": {"x": x, "y": y, "color": color, "shape": {"field": "label",
                                                                 "legend": None},
                      "tooltip": tooltip, "description": {"field": "desc"}}},
        # a white halo under each name keeps it readable where it crosses other curves
        {"data": {"name": "ends"}, "name": "ends_halo",
         "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 6,
                  "fontSize": 11, "fontWeight": "bold", "stroke": "white", "strokeWidth": 3,
                  "strokeOpacity": 0.85, "strokeJoin": "round", "aria": False},
         "encoding": {"x": x, "y": {**y, "field": "ly"}, "text": {"field": "label"}}},
        {"data": {"name": "ends"}, "name": "ends",
         "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 6,
                  "fontSize": 11, "fontWeight": "bold"},
         "encoding": {"x": x, "y": {**y, "field": "ly"}, "color": color,
                      "text": {"field": "label"}}},
        {"data": {"name": "ends"}, "mark": {"type": "rule", "strokeWidth": 0.8, "opacity": 0.6},
         "encoding": {"x": x, "y": y, "y2": {"field": "ly"}, "color": color}},
    ]
    return spec


def benchmark_values_spec(log: bool) -> dict[str, Any]:
    """One benchmark in its own unit: every result, the running best, and the reference levels
    (chance, human non-expert, human expert, ceiling) as labelled lines."""
    scale: dict[str, Any] = {"type": "log"} if log else {"zero": False, "nice": True}
    x = {"field": "x", "type": "quantitative", "title": "Years since the benchmark's introduction",
         "scale": {"nice": True}}
    y = {"field": "value", "type": "quantitative", "title": "Result", "scale": scale}
    color = {"field": "series", "type": "nominal", "title": "Series",
             "scale": {"range": OKABE_ITO}, "legend": {"orient": "bottom"}}
    tooltip = [{"field": "system", "title": "System"}, {"field": "date", "title": "Date"},
               {"field": "shown", "title": "Result"}, {"field": "series", "title": "Series"},
               {"field": "setting", "title": "Setting"}, {"field": "host", "title": "Source"}]
    spec = base_spec(
        "Benchmark",
        "Results of one benchmark against years since its introduction, "
        "with its running best as a step line and human baselines as reference lines.")
    spec["layer"] = [
        {"data": {"name": "refs"}, "mark": {"type": "rule", "strokeDash": [5, 4]},
         "encoding": {"y": {"field": "value", "type": "quantitative", "scale": scale},
                      "color": {"value": "#555"}}},
        {"data": {"name": "refs"}, "mark": {"type": "text", "align": "right", "dy": -7,
                                            "color": "#222", "fontSize": 11},
         "encoding": {"y": {"field": "value", "type": "quantitative", "scale": scale},
                      "x": {"value": "width"}, "text": {"field": "text"}}},
        {"data": {"name": "results"}, "name": "best",
         "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2},
         "encoding": {"x": x, "y": {**y, "field": "best"}, "color": color}},
        {"data": {"name": "results"}, "name": "results",
         "mark": {"type": "point", "size": 60, "opacity": 0.9},
         "encoding": {"x": x, "y": y, "color": color,
                      "fill": {"condition": {"test": "datum.record", "field": "series",
                                             "type": "nominal", "scale": {"range": OKABE_ITO}},
                               "value": "#fff"},
                      "tooltip": tooltip, "description": {"field": "desc"}}},
    ]
    return spec
