"""Page data of the explorer's Benchmarks, Forecasts, Scaling and Lab pages.

Pure functions (no file I/O apart from the lab reader the Lab page names, no printing): each turns
the results of an analysis module into plain, JSON-ready structures that the site builder writes to
``data/<page>.json`` and the server answers under ``/api/<page>``. Nothing here recomputes what the
analysis modules compute; the page's script only draws these numbers.

    benchmarks_data(catalog)   sota_curves + saturation (dlrev.benchmarks)
    forecasts_data(catalog)    score_forecasts + compare_with_trend + prediction_timeline
                               (dlrev.forecasts), with the drawing geometry of each forecast
    scaling_data(runs=None)    dlrev.scaling.scaling_page (the three published parameter sets)
    lab_data(folder)           dlrev.lab.show.load / samples, or dlrev.lab.isoflop.load;
                               charts from dlrev.web.labspecs
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dlrev.catalog import Catalog

BENCHMARK_REF_COLUMNS = (("chance", "chance"), ("human_nonexpert", "human non-expert"),
                         ("human_expert", "human expert"), ("ceiling", "ceiling"))


def _v(value: Any) -> Any:
    """A JSON-ready scalar: NaN/NaT/None -> None, timestamps -> ISO dates, numpy -> Python."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    out = []
    for row in df[cols].itertuples(index=False, name=None):
        out.append({c: _v(v) for c, v in zip(cols, row, strict=True)})
    return out


def _source_list(urls: list[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for u in urls:
        if isinstance(u, str) and u.startswith(("http://", "https://")):
            seen.setdefault(u, None)
    return list(seen)


# --- Benchmarks ---------------------------------------------------------------------------------

def benchmarks_data(cat: Catalog) -> dict[str, Any]:
    """Every benchmark's state-of-the-art curve (years since introduction) and its saturation."""
    from dlrev import benchmarks as bm

    curves = bm.sota_curves(cat)
    sat = bm.saturation(cat)
    info = []
    for _, b in cat.benchmarks.iterrows():
        refs = []
        for col, label in BENCHMARK_REF_COLUMNS:
            v = _v(b.get(col))
            if v is None:
                continue
            who = _v(b.get(f"{col}_who")) if col.startswith("human") else None
            refs.append({"kind": col, "label": label, "value": float(v), "who": who})
        info.append({
            "name": _v(b["name"]), "measures": _v(b.get("measures")), "domain": _v(b["domain"]),
            "introduced": _v(b["introduced"]), "metric": _v(b["metric"]),
            "unit": _v(b.get("unit")), "direction": _v(b["direction"]),
            "scale": _v(b.get("scale")) or "linear", "refs": refs,
            "source_url": _v(b.get("source_url")), "notes": _v(b.get("notes")),
        })
    points = _records(curves, ["benchmark", "series", "date", "year", "years_since_intro",
                               "system", "value", "best", "record", "progress", "best_progress",
                               "setting", "source_url"])
    sat_dict = sat.to_dict()
    table = _records(sat.table)
    return {
        "benchmarks": info,
        "points": points,
        "saturation": {"levels": sat_dict["levels"], "method": sat_dict["method"],
                       "rows": table},
        "sources": _source_list([b["source_url"] for b in info]
                                + [p["source_url"] for p in points]),
        "method": ("State-of-the-art curves and saturation from dlrev.benchmarks (sota_curves, "
                   "saturation). " + str(sat_dict["method"]) + "."),
    }


# --- Forecasts ----------------------------------------------------------------------------------

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
    rows = _records(scores.table)
    trows = _records(trend)
    curves = bm.sota_curves(cat)
    bench_names = sorted({r["benchmark"] for r in rows if r.get("benchmark")})
    for i, (r, t) in enumerate(zip(rows, trows, strict=True)):
        r["id"] = i
        r["trend"] = t.get("trend")
        r["trend_slope_per_year"] = t.get("trend_slope_per_year")
        r["persistence"] = t.get("persistence")
        r["records_used"] = t.get("records_used")
        r["closer"] = t.get("closer")
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
    history = _records(hist, ["benchmark", "series", "date", "year", "system", "value", "best",
                              "record", "source_url"])
    refs: dict[str, list[dict[str, Any]]] = {}
    for _, b in cat.benchmarks[cat.benchmarks["name"].isin(bench_names)].iterrows():
        refs[str(b["name"])] = [
            {"label": label, "value": float(b[col])}
            for col, label in BENCHMARK_REF_COLUMNS
            if col != "chance" and _v(b.get(col)) is not None]
    preds = fc.prediction_timeline(cat)
    predictions = _records(preds, ["who", "made", "made_year", "claim", "predicted_year",
                                   "low_year", "high_year", "interval_level", "lead_years",
                                   "kind", "method", "source_url", "notes"])
    for i, p in enumerate(predictions):
        p["id"] = i
    return {
        "summary": scores.summary,
        "forecasts": rows,
        "benchmarks": bench_names,
        "history": history,
        "refs": refs,
        "predictions": predictions,
        "sources": _source_list([r.get("source_url") for r in rows]
                                + [r.get("outcome_source_url") for r in rows]
                                + [p.get("source_url") for p in predictions]),
        "method": ("Scores from dlrev.forecasts.score_forecasts: where each outcome fell is "
                   "computed from the published bounds, else taken as the source reported it. "
                   "The trend beside each forecast is compare_with_trend's least-squares line "
                   "through the state-of-the-art records known at the forecast date, clipped to "
                   "chance and ceiling. Predictions of human-level AI from prediction_timeline."),
    }


# --- Scaling ------------------------------------------------------------------------------------

def scaling_data(runs: Any = None) -> dict[str, Any]:
    """The Scaling page: dlrev.scaling.scaling_page(), with the sources of the parameter sets."""
    from dlrev import scaling

    page = scaling.scaling_page(runs)
    page["chinchilla_source"] = scaling.CHINCHILLA_SOURCE
    page["method"] = (
        "Loss L(N, D) = E + A/N^alpha + B/D^beta with compute C = 6 N D. Iso-parameter curves: "
        "the predicted loss of a model of fixed size N trained with more compute (more tokens). "
        "The compute-optimal frontier: for each compute budget, the N and D that minimise the "
        "predicted loss (dlrev.scaling.frontier).")
    return page


# --- Lab ----------------------------------------------------------------------------------------

def lab_data(folder: Any) -> dict[str, Any]:
    """The Lab page: a lab folder read back by dlrev.lab.show (results, fits, samples, charts),
    or an IsoFLOP folder by dlrev.lab.isoflop (its runs as the models, its curves as the charts,
    and the optima and exponents under 'isoflop')."""
    from dlrev.lab import isoflop, show
    from dlrev.web import labspecs

    if isoflop.is_isoflop(folder):
        return _isoflop_page(isoflop.load(folder), labspecs.isoflop_charts)
    report = show.load(folder)
    out = report.to_dict()
    out["folder"] = str(folder)
    out["models"] = report.models()
    out["samples"] = show.samples(report)
    out["charts"] = labspecs.charts(report)
    corpus = report.manifest.get("corpus", {}) if isinstance(report.manifest, dict) else {}
    out["corpus"] = corpus
    return out


def _isoflop_page(data: dict[str, Any], charts: Any) -> dict[str, Any]:
    manifest = data["manifest"]
    models = [{"name": r["key"], "kind": "gpt", "size": r["N"], "val_loss": r["val_loss"],
               "seconds": r["seconds"], "steps": r["steps"], "tokens_per_s": r["tokens_per_s"],
               "compute": r["compute"], "tokens": r["D"]} for r in data["runs"]]
    a3 = {k: v for k, v in data["approach3"].items() if k not in ("fit", "info")}
    return {"folder": data["folder"], "complete": data["complete"], "manifest": manifest,
            "corpus": manifest.get("corpus", {}), "models": models, "samples": [], "fits": {},
            "frontier": [], "best_ngram": None, "notes": data["notes"],
            "charts": charts(data),
            "isoflop": {"budgets": [{k: v for k, v in b.items() if k != "points"}
                                    for b in data["budgets"]],
                        "exponents": data["exponents"], "approach3": a3,
                        "published": data["published"],
                        "published_source": data["published_source"],
                        "tokens_per_param_ref": data["tokens_per_param_ref"],
                        "caveat": data["caveat"]}}
