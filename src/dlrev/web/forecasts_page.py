"""The explorer's Forecasts page: forecasts against their outcomes, the naive trend beside them,
and the predictions (dlrev.forecasts: score_forecasts, compare_with_trend, prediction_timeline),
with the drawing geometry of each forecast. Pure: the catalog in, plain dicts out."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dlrev.catalog import Catalog
from dlrev.jsonio import plain
from dlrev.web.benchmarks_page import BENCHMARK_REF_COLUMNS
from dlrev.web.page_records import reader_notes, records, source_list


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
                   "interval. The dotted trend is trends.fit_one (least squares with a 90% "
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
