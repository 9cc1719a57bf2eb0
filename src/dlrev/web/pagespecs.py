"""Vega-Lite specs of the Benchmarks, Forecasts and Scaling pages, written as plain dicts.

Like the Trends specs they hold no data: they name datasets that the page's script fills from the
page data (data/<page>.json). Plain dicts, not Altair, because these charts are small and the
explorer should not pay Altair's import and validation time to start. Colours: dlrev.palette.
"""

from __future__ import annotations

from typing import Any

from dlrev import palette
from dlrev.web.specs import POW10_LABEL

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
OKABE_ITO = list(palette.OKABE_ITO)
MANY = list(palette.MANY)
# the laws the Scaling page draws (a lab's own fit is drawn by the figures only)
PUBLISHED_LAWS = [k for k in palette.SCALING_SETS if k != "this fit"]
# fixed model sizes on the Scaling page, small to large (light to dark grey)
SIZE_RAMP = ("#c4c4c4", "#9a9a9a", "#707070", "#474747", "#1f1f1f")
PROGRESS_TOP = 1.3
CONFIG = {"view": {"stroke": "#bbb"},
          "axis": {"labelFontSize": 12, "titleFontSize": 12.5, "gridColor": "#e2e2e2"},
          "legend": {"labelFontSize": 12, "titleFontSize": 12}}


def _title(text: str) -> dict[str, Any]:
    return {"text": text, "subtitle": "", "anchor": "start", "fontSize": 16,
            "subtitleFontSize": 11, "subtitleColor": "#444"}


def _base(title: str, description: str, width: int = 900, height: int = 380) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": _title(title), "description": description,
            "width": width, "height": height, "config": CONFIG}


def _pow10_axis(title: str, ticks: int | None = None) -> dict[str, Any]:
    axis = {"title": title, "labelExpr": POW10_LABEL, "tickMinStep": 1, "grid": True}
    if ticks:
        axis["tickCount"] = ticks
    return axis


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
    spec = _base("Benchmarks: progress from chance to human level",
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
    spec = _base("Benchmark", "Results of one benchmark against years since its introduction, "
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


def forecast_spec() -> dict[str, Any]:
    """One benchmark's forecasts: history solid, projections dashed, intervals as fans, outcomes
    as marks, human baselines as reference lines."""
    x = {"field": "x", "type": "quantitative", "title": "Date",
         "axis": {"format": "d", "tickMinStep": 1}, "scale": {"zero": False, "nice": False}}
    y = {"field": "y", "type": "quantitative", "title": "Result",
         "scale": {"zero": False, "nice": True}}
    pos_color = {"field": "where", "type": "nominal", "title": "Outcome",
                 "scale": {"domain": ["inside the interval", "outside the interval",
                                      "no interval published", "not resolved"],
                           "range": ["#009E73", "#D55E00", "#0072B2", "#999999"]},
                 "legend": {"orient": "bottom", "direction": "vertical", "columns": 1}}
    series = {"field": "series", "type": "nominal", "title": "State of the art (series)",
              "sort": {"field": "rank"},
              "scale": {"range": ["#111111", "#8a8a8a", "#b0b0b0"]},
              "legend": {"orient": "bottom", "direction": "vertical", "columns": 1}}
    spec = _base("Forecasts", "Forecasts of one benchmark: the state of the art as a solid step "
                 "line, each forecast's median projected as a dashed line from the forecast date, "
                 "its interval as a shaded fan, the naive trend as a grey dotted line, and the "
                 "outcomes as marks, with the median and outcome values written beside them.")
    spec["layer"] = [
        {"data": {"name": "refs"}, "mark": {"type": "rule", "strokeDash": [2, 3],
                                            "color": "#444"},
         "encoding": {"y": {"field": "y", "type": "quantitative"}}},
        {"data": {"name": "refs"}, "mark": {"type": "text", "align": "left", "dx": 3, "dy": -7,
                                            "fontSize": 11, "color": "#222"},
         "encoding": {"y": {"field": "y", "type": "quantitative"}, "x": {"value": 0},
                      "text": {"field": "label"}}},
        {"data": {"name": "fans"}, "mark": {"type": "area", "opacity": 0.16, "color": "#0072B2"},
         "encoding": {"x": x, "y": {**y, "field": "lo"}, "y2": {"field": "hi"},
                      "detail": {"field": "id"}}},
        {"data": {"name": "trend"}, "name": "trend",
         "mark": {"type": "line", "strokeDash": [2, 2],
                                             "color": "#777", "strokeWidth": 1.6},
         "encoding": {"x": x, "y": y, "detail": {"field": "id"}}},
        {"data": {"name": "medians"}, "mark": {"type": "line", "strokeDash": [7, 4],
                                               "color": "#0072B2", "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "detail": {"field": "id"}}},
        {"data": {"name": "history"}, "mark": {"type": "line", "interpolate": "step-after",
                                               "strokeWidth": 2},
         "encoding": {"x": x, "y": {**y, "field": "best"}, "color": series}},
        {"data": {"name": "history"}, "name": "history",
         "mark": {"type": "point", "filled": True, "size": 30, "opacity": 0.8},
         "encoding": {"x": x, "y": y, "color": {**series, "legend": None},
                      "tooltip": [{"field": "system", "title": "System"},
                                  {"field": "date", "title": "Date"},
                                  {"field": "y", "title": "Result"}]}},
        {"data": {"name": "targets"}, "name": "targets",
         "mark": {"type": "tick", "thickness": 2, "size": 16, "color": "#0072B2"},
         "encoding": {"x": x, "y": {**y, "field": "median"},
                      "tooltip": [{"field": "question", "title": "Question"},
                                  {"field": "forecaster", "title": "Forecaster"},
                                  {"field": "median", "title": "Median"},
                                  {"field": "interval", "title": "Interval"}]}},
        {"data": {"name": "outcomes"}, "name": "outcomes",
         "mark": {"type": "point", "filled": True, "size": 150, "strokeWidth": 1,
                  "stroke": "#000"},
         "encoding": {"x": x, "y": y, "color": pos_color,
                      "shape": {"field": "where", "type": "nominal", "legend": None,
                                "scale": {"domain": ["inside the interval",
                                                     "outside the interval",
                                                     "no interval published"],
                                          "range": ["circle", "diamond", "square"]}},
                      "tooltip": [{"field": "question", "title": "Question"},
                                  {"field": "system", "title": "Outcome"},
                                  {"field": "y", "title": "Value"},
                                  {"field": "median", "title": "Forecast median"},
                                  {"field": "position", "title": "Where it fell"}],
                      "description": {"field": "desc"}}},
    ]
    # the numbers themselves, written beside the marks (forecast median below, outcome above)
    spec["layer"] += [
        {"data": {"name": "targets"}, "name": "median_labels",
         "mark": {"type": "text", "align": "left", "dx": 9, "dy": 11, "fontSize": 11,
                  "color": "#0072B2"},
         "encoding": {"x": x, "y": {**y, "field": "median"},
                      "text": {"field": "median", "type": "quantitative", "format": ".3~g"}}},
        {"data": {"name": "outcomes"}, "name": "outcome_labels",
         "mark": {"type": "text", "align": "left", "dx": 10, "dy": -10, "fontSize": 11,
                  "fontWeight": "bold", "color": "#222"},
         "encoding": {"x": x, "y": y,
                      "text": {"field": "y", "type": "quantitative", "format": ".3~g"}}},
    ]
    spec["resolve"] = {"scale": {"color": "independent", "shape": "independent"},
                       "legend": {"color": "independent"}}
    return _fit_width(spec)


def _fit_width(spec: dict[str, Any]) -> dict[str, Any]:
    """The chart takes the width of its box (so a phone never scrolls sideways)."""
    spec["width"] = "container"
    spec["autosize"] = {"type": "fit-x", "contains": "padding", "resize": True}
    # legends below the chart, one entry a line, so they never run past a phone's edge
    spec["config"] = {**spec["config"], "legend": {
        **spec["config"].get("legend", {}), "orient": "bottom", "direction": "vertical",
        "columns": 1, "layout": {"bottom": {"anchor": "start", "direction": "vertical"}}}}
    return spec


def predictions_spec() -> dict[str, Any]:
    """Predictions of human-level AI (and related milestones) on one timeline."""
    y = {"field": "row", "type": "nominal", "title": None, "sort": {"field": "order"},
         "axis": {"labelLimit": 220}}
    x = {"field": "x", "type": "quantitative", "title": "Year",
         "axis": {"format": "d"}, "scale": {"zero": False, "nice": True}}
    color = {"field": "kind", "type": "nominal", "title": "Predicted event",
             "scale": {"range": OKABE_ITO}, "legend": {"orient": "bottom", "columns": 2}}
    tooltip = [{"field": "who", "title": "Who"}, {"field": "made", "title": "Made"},
               {"field": "claim", "title": "Claim"}, {"field": "when", "title": "Predicted"},
               {"field": "host", "title": "Source"}]
    spec = _base("Predictions of human-level AI", "Timeline of predictions: each row runs from "
                 "the date the prediction was made (open circle) to the predicted year (filled "
                 "diamond), with the stated range as a bar.", height=330)
    spec["layer"] = [
        {"data": {"name": "today"}, "mark": {"type": "rule", "color": "#333", "strokeWidth": 1},
         "encoding": {"x": {"field": "x", "type": "quantitative"}}},
        {"data": {"name": "today"}, "mark": {"type": "text", "dy": -6, "align": "left",
                                             "dx": 3, "fontSize": 11},
         "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"value": 0},
                      "text": {"field": "label"}}},
        {"data": {"name": "predictions"}, "transform": [{"filter": "datum.x2 != null"}],
         "mark": {"type": "rule", "strokeDash": [5, 4], "color": "#888"},
         "encoding": {"x": {**x, "field": "made_year"}, "x2": {"field": "x2"}, "y": y}},
        {"data": {"name": "predictions"}, "transform": [{"filter": "datum.lo != null"}],
         "mark": {"type": "bar", "height": 9, "opacity": 0.35},
         "encoding": {"x": {**x, "field": "lo"}, "x2": {"field": "hi"}, "y": y,
                      "color": color}},
        {"data": {"name": "predictions"},
         "mark": {"type": "point", "shape": "circle", "filled": False, "size": 40,
                  "color": "#555"},
         "encoding": {"x": {**x, "field": "made_year"}, "y": y, "tooltip": tooltip}},
        {"data": {"name": "predictions"}, "name": "predicted",
         "transform": [{"filter": "datum.x2 != null"}],
         "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 110},
         "encoding": {"x": {**x, "field": "x2"}, "y": y, "color": color, "tooltip": tooltip,
                      "description": {"field": "desc"}}},
    ]
    return _fit_width(spec)


def scaling_iso_spec() -> dict[str, Any]:
    """The three parameter sets side by side: loss against compute, one curve per model size,
    and the compute-optimal frontier."""
    x = {"field": "lc", "type": "quantitative", "title": "Training compute (FLOP, log scale)",
         "axis": _pow10_axis("Training compute (FLOP, log scale)", ticks=5),
         "scale": {"zero": False, "nice": False}}
    y = {"field": "loss", "type": "quantitative", "title": "Predicted loss (nats/token)",
         "scale": {"zero": False, "nice": True}}
    tooltip = [{"field": "set", "title": "Parameter set"}, {"field": "what", "title": "Curve"},
               {"field": "compute_text", "title": "Compute"},
               {"field": "loss_text", "title": "Loss"}]
    return {
        "$schema": SCHEMA, "title": _title("Loss against compute: iso-parameter curves and the "
                                           "compute-optimal frontier"),
        "description": "Three panels, one per published parameter set: predicted loss against "
                       "compute for fixed model sizes, and the compute-optimal frontier.",
        "data": {"name": "curves"},
        "facet": {"column": {"field": "set", "type": "nominal", "title": None,
                             "sort": {"field": "order"},
                             "header": {"labelFontSize": 13, "labelFontWeight": "bold"}}},
        "spec": {"width": 290, "height": 300, "layer": [
            {"transform": [{"filter": "datum.kind == 'iso'"}], "name": "iso",
             "mark": {"type": "line", "strokeWidth": 1.8},
             "encoding": {"x": x, "y": y, "detail": {"field": "what"},
                          # model size is ordered: a sequential scheme, never a set's colour
                          "color": {"field": "what", "type": "ordinal",
                                    "title": "Model size (fixed N)",
                                    "sort": {"field": "N"},
                                    "scale": {"range": list(SIZE_RAMP)},
                                    "legend": {"orient": "bottom"}},
                          "tooltip": tooltip}},
            {"transform": [{"filter": "datum.kind == 'frontier'"}], "name": "frontier",
             "mark": {"type": "line", "strokeWidth": 3, "color": "#000",
                      "strokeDash": [8, 3]},
             "encoding": {"x": x, "y": y, "tooltip": tooltip}},
            {"transform": [{"filter": "datum.kind == 'run'"}], "name": "runs",
             "mark": {"type": "point", "filled": True, "size": 28, "color": "#888888",
                      "opacity": 0.7},
             "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        ]},
        "resolve": {"scale": {"y": "shared"}},
        "config": CONFIG,
    }


def scaling_optimal_spec() -> dict[str, Any]:
    """Compute-optimal parameters N and tokens D against compute, one line per parameter set."""
    x = {"field": "lc", "type": "quantitative", "axis": _pow10_axis("Training compute (FLOP)"),
         "scale": {"zero": False, "nice": False}}
    y = {"field": "lv", "type": "quantitative",
         "axis": _pow10_axis("Compute-optimal N (parameters) and D (tokens)"),
         "scale": {"zero": False, "nice": False}}
    spec = _base("Compute-optimal model size and data", "Line chart of the compute-optimal "
                 "number of parameters and of training tokens against compute, one line per "
                 "parameter set.", width=620, height=300)
    spec["data"] = {"name": "optimal"}
    spec["mark"] = {"type": "line", "strokeWidth": 2.2}
    spec["encoding"] = {
        "x": x, "y": y,
        "color": {"field": "set", "type": "nominal", "title": "Parameter set",
                  "scale": {"domain": PUBLISHED_LAWS,
                            "range": [palette.SCALING_SETS[k] for k in PUBLISHED_LAWS]},
                  "legend": {"orient": "bottom"}},
        "strokeDash": {"field": "quantity", "type": "nominal", "title": "Quantity",
                       "legend": {"orient": "bottom"}},
        "detail": {"field": "key"},
        "tooltip": [{"field": "set", "title": "Parameter set"},
                    {"field": "quantity", "title": "Quantity"},
                    {"field": "compute_text", "title": "Compute"},
                    {"field": "value_text", "title": "Optimal value"},
                    {"field": "tpp", "title": "Tokens per parameter"}],
    }
    return spec


def page_specs() -> dict[str, dict[str, Any]]:
    return {
        "benchmark-progress": benchmark_progress_spec(),
        "benchmark-values": benchmark_values_spec(log=False),
        "benchmark-values-log": benchmark_values_spec(log=True),
        "forecast": forecast_spec(),
        "predictions": predictions_spec(),
        "scaling-iso": scaling_iso_spec(),
        "scaling-optimal": scaling_optimal_spec(),
    }
