"""The explorer's Forecasts page: forecasts against their outcomes, the naive trend beside them,
and the predictions (dlrev.forecasts: score_forecasts, compare_with_trend, prediction_timeline),
with the drawing geometry of each forecast; and the page's Vega-Lite specs. Pure: the
catalog in, plain dicts out."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dlrev.catalog import Catalog
from dlrev.jsonio import plain
from dlrev.web.benchmarks_page import BENCHMARK_REF_COLUMNS
from dlrev.web.page_records import reader_notes, records, source_list
from dlrev.web.vlspec import OKABE_ITO, base_spec


def _year(iso: str | None) -> float | None:
    if not iso:
        return None
    from dlrev.schema import decimal_year

    return float(decimal_year(pd.Series([pd.Timestamp(iso)])).iloc[0])


def forecasts_data(cat: Catalog) -> dict[str, Any]:
    """The forecasts against their outcomes, the naive trend beside them, and the predictions.

    For drawing, each forecast gets its geometry: the projection of its median from the state of
    the art at the forecast date (dashed), its interval as a fan opening to [low, high] at the
    target date, the outcome, and the straight-line extrapolation of the records known then."""
    from dlrev import benchmarks as bm
    from dlrev import forecasts as fc

    scores = fc.score_forecasts(cat)
    trend = fc.compare_with_trend(cat)
    # score forecasts are drawn per benchmark; forecasts of a date get their own table
    is_value = (scores.table["kind"] == "value").to_numpy()
    rows = records(scores.table[is_value])
    trows = records(trend[is_value])
    date_rows = records(scores.table[~is_value], [
        "question", "forecaster", "publisher", "forecast_date", "target_date", "median", "low",
        "high", "interval_level", "reported_outcome_probability", "outcome", "outcome_date",
        "outcome_system", "resolved", "position", "speed", "median_speed", "sentence",
        "source_url", "outcome_source_url", "notes"])
    curves = bm.sota_curves(cat)
    bench_names = sorted({r["benchmark"] for r in rows if r.get("benchmark")})
    for i, (r, t) in enumerate(zip(rows, trows, strict=True)):
        r["id"] = i
        r["records_used"] = t.get("records_used")
        start = r.get("sota_at_forecast")
        if start is None:
            start = t.get("persistence")
        r["start"] = start
        fx, tx = _year(r["forecast_date"]), _year(r["target_date"])
        r["forecast_year"], r["target_year"] = fx, tx
        geom: list[dict[str, Any]] = []
        if start is not None and r.get("median") is not None and fx is not None:
            geom += [{"layer": "median", "x": fx, "y": start}, {"layer": "median", "x": tx,
                                                                  "y": r["median"]}]
        if start is not None and r.get("low") is not None and r.get("high") is not None:
            geom += [{"layer": "fan", "x": fx, "lo": start, "hi": start},
                     {"layer": "fan", "x": tx, "lo": r["low"], "hi": r["high"]}]
        slope, tr = t.get("trend_slope_per_year"), t.get("trend")
        if slope is not None and tr is not None and fx is not None and tx is not None:
            # the line the engine extrapolated, from the forecast date to its value at the target
            geom += [{"layer": "trend", "x": fx, "y": tr - slope * (tx - fx)},
                     {"layer": "trend", "x": tx, "y": tr}]
        r["geometry"] = geom
    hist = curves[curves["benchmark"].isin(bench_names)]
    history = records(hist, ["benchmark", "series", "date", "year", "system", "value", "best",
                              "record", "source_url"])
    refs: dict[str, list[dict[str, Any]]] = {}
    for _, b in cat.benchmarks[cat.benchmarks["name"].isin(bench_names)].iterrows():
        refs[str(b["name"])] = [
            {"label": label, "value": float(b[col])}
            for col, label in BENCHMARK_REF_COLUMNS
            if col != "chance" and plain(b.get(col)) is not None]
    preds = fc.prediction_timeline(cat)
    predictions = records(preds, ["who", "made", "made_year", "claim", "predicted_year",
                                   "low_year", "high_year", "interval_level", "lead_years",
                                   "kind", "method", "source_url", "notes"])
    for i, p in enumerate(predictions):
        p["id"] = i
        method, notes = reader_notes(p.get("method")), reader_notes(p.get("notes"))
        p["method"], p["notes"] = method["notes"], notes["notes"]
        p["unverified"] = method["unverified"] or notes["unverified"]
    for r in [*rows, *date_rows]:
        notes = reader_notes(r.get("notes"))
        r["notes"], r["unverified"] = notes["notes"], notes["unverified"]
    return {
        "summary": scores.summary,
        "trend_missing": _trend_missing(rows),
        "forecasts": rows,
        "date_forecasts": date_rows,
        "benchmarks": bench_names,
        "history": history,
        "refs": refs,
        "predictions": predictions,
        "sources": source_list([r.get("source_url") for r in rows + date_rows]
                                + [r.get("outcome_source_url") for r in rows + date_rows]
                                + [p.get("source_url") for p in predictions]),
        "method": ("Scores from dlrev.forecasts.score_forecasts: an outcome is the published "
                   "resolution, else (once the target date has passed) the best main-series "
                   "result in the dlrev results table by the target date, marked as such. Where "
                   "it fell is computed from the published bounds, else taken as the source "
                   "reported it; percentiles assume a two-piece normal through the median and "
                   "interval. The dotted trend is a straight line (least squares with a 90% "
                   "bootstrap interval) through the state-of-the-art records known at the "
                   "forecast date, clipped to chance and ceiling; it needs at least 3 records. "
                   "Forecasts of a date (when an event would happen) are scored in decimal "
                   "years: an event before the forecasters' range came faster than forecast. "
                   "Predictions of human-level AI from prediction_timeline."),
    }


def _trend_missing(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each benchmark and forecast date for which no straight line could be drawn, and why."""
    seen: dict[tuple[str, str], str] = {}
    for r in rows:
        if r.get("trend") is None and r.get("trend_note"):
            seen.setdefault((str(r["benchmark"]), str(r["forecast_date"])), str(r["trend_note"]))
    return [{"benchmark": b, "forecast_date": d, "why": why} for (b, d), why in seen.items()]


# --- Vega-Lite specs of the page ------------------------------------------------------------------

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
    spec = base_spec(
        "Forecasts",
        "Forecasts of one benchmark: the state of the art as a solid step "
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
    spec = base_spec(
        "Predictions of human-level AI",
        "Timeline of predictions: each row runs from "
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
