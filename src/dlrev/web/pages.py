"""Page data of the explorer's Benchmarks, Forecasts and Lab pages.

Pure functions (no file I/O apart from the lab reader the Lab page names, no printing): each turns
the results of an analysis module into plain, JSON-ready structures that the site builder writes to
``data/<page>.json`` and the server answers under ``/api/<page>``. Nothing here recomputes what the
analysis modules compute; the page's script only draws these numbers.

    benchmarks_data(catalog)   sota_curves + saturation (dlrev.benchmarks)
    forecasts_data(catalog)    score_forecasts + compare_with_trend + prediction_timeline
                               (dlrev.forecasts), with the drawing geometry of each forecast
    lab_data(folder)           dlrev.lab.show.load / samples, or dlrev.lab.isoflop.load;
                               charts from dlrev.web.labspecs
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dlrev.catalog import Catalog
from dlrev.jsonio import plain

BENCHMARK_REF_COLUMNS = (("chance", "chance"), ("human_nonexpert", "human non-expert"),
                         ("human_expert", "human expert"), ("ceiling", "ceiling"))



def _reader_notes(text: Any) -> dict[str, Any]:
    """Curation notes as readers see them: the clauses that record our own checking ('unverified:
    ... not confirmed in a stored copy') stay in the data files and become a plain flag."""
    if not isinstance(text, str) or not text:
        return {"notes": text if text else None, "unverified": False}
    kept, flagged = [], False
    for clause in text.split("; "):
        if clause.lower().startswith("unverified") or "stored cop" in clause.lower():
            flagged = True
        else:
            kept.append(clause)
    return {"notes": "; ".join(kept) or None, "unverified": flagged}


def _records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    out = []
    for row in df[cols].itertuples(index=False, name=None):
        out.append({c: plain(v) for c, v in zip(cols, row, strict=True)})
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
            **_reader_notes(plain(b.get("notes"))),
        })
    points = _records(curves, ["benchmark", "series", "date", "year", "years_since_intro",
                               "system", "value", "best", "record", "progress", "best_progress",
                               "setting", "source_url"])
    sat_dict = sat.to_dict()
    table = _records(sat.table)
    return {
        "finding": saturation_finding(table),
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
    # score forecasts are drawn per benchmark; forecasts of a date get their own table
    is_value = (scores.table["kind"] == "value").to_numpy()
    rows = _records(scores.table[is_value])
    trows = _records(trend[is_value])
    date_rows = _records(scores.table[~is_value], [
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
    history = _records(hist, ["benchmark", "series", "date", "year", "system", "value", "best",
                              "record", "source_url"])
    refs: dict[str, list[dict[str, Any]]] = {}
    for _, b in cat.benchmarks[cat.benchmarks["name"].isin(bench_names)].iterrows():
        refs[str(b["name"])] = [
            {"label": label, "value": float(b[col])}
            for col, label in BENCHMARK_REF_COLUMNS
            if col != "chance" and plain(b.get(col)) is not None]
    preds = fc.prediction_timeline(cat)
    predictions = _records(preds, ["who", "made", "made_year", "claim", "predicted_year",
                                   "low_year", "high_year", "interval_level", "lead_years",
                                   "kind", "method", "source_url", "notes"])
    for i, p in enumerate(predictions):
        p["id"] = i
        method, notes = _reader_notes(p.get("method")), _reader_notes(p.get("notes"))
        p["method"], p["notes"] = method["notes"], notes["notes"]
        p["unverified"] = method["unverified"] or notes["unverified"]
    for r in [*rows, *date_rows]:
        notes = _reader_notes(r.get("notes"))
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
        "sources": _source_list([r.get("source_url") for r in rows + date_rows]
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


def saturation_finding(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The Benchmarks page's headline, from the saturation table: how many years benchmarks took
    to get 90% of the way from chance to human level (or the ceiling), older against newer.
    One row per benchmark (its main series, else its first); the split is the median
    introduction year."""
    first: dict[str, dict[str, Any]] = {}
    for r in rows:
        b = str(r["benchmark"])
        if b not in first or (first[b].get("series") and not r.get("series")):
            first[b] = r
    done, open_ = [], []
    for r in first.values():
        if r.get("target") is None:
            continue
        year = int(str(r["introduced"])[:4])
        if r.get("years_to_90") is not None:
            done.append((year, float(r["years_to_90"]), str(r["benchmark"])))
        else:
            open_.append(str(r["benchmark"]))
    if len(done) < 4:
        return {"text": "", "points": []}
    years = sorted(y for y, _, _ in done)
    split = years[len(years) // 2]
    old = sorted(t for y, t, _ in done if y < split)
    new = sorted(t for y, t, _ in done if y >= split)
    if not old or not new:
        return {"text": "", "points": []}

    def median(v: list[float]) -> float:
        m = len(v) // 2
        return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2

    xs = [float(y) for y, _, _ in done]
    ys = [t for _, t, _ in done]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    faster = median(new) < median(old)
    verdict = "Newer benchmarks fall faster" if faster else "Newer benchmarks do not fall faster"
    text = (f"{verdict}: "
            f"the {len(old)} introduced before {split} took a median of {median(old):.1f} years "
            f"to get 90% of the way from chance to human level (or the ceiling), the {len(new)} "
            f"introduced since took {median(new):.1f} (least-squares trend: {slope:+.2f} years "
            "per year of introduction)")
    if open_:
        text += f"; {len(open_)} not there yet ({', '.join(sorted(open_))})"
    return {"text": text + ".", "split": split, "median_before": median(old),
            "median_since": median(new), "slope": slope, "not_yet": sorted(open_),
            "points": [{"benchmark": b, "introduced": y, "years_to_90": t} for y, t, b in done]}


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
