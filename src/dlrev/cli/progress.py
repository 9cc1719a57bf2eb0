"""`dlrev benchmarks`, `dlrev benchmark-import`, `dlrev forecasts`, `dlrev predictions` and
`dlrev plot benchmarks|forecasts|predictions`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from dlrev._lazy import lazy
from dlrev.cli.common import JSON_OPTION, catalog, console, fmt_date, print_json

if TYPE_CHECKING:
    import pandas as pd

    from dlrev import benchmark_import as bi
    from dlrev import benchmarks as bm
    from dlrev import forecasts as fc
    from dlrev.catalog import Catalog
else:
    pd = lazy("pandas")
    bi = lazy("dlrev.benchmark_import")
    bm = lazy("dlrev.benchmarks")
    fc = lazy("dlrev.forecasts")

ADD_OPTION = typer.Option(
    None, "--add", metavar="PATH",
    help="Extra results to include: a folder of Epoch AI benchmark tables or a CSV of your own "
         "(columns benchmark, date, system, value, ...). Repeatable.")


def register(app: typer.Typer) -> None:
    app.command("benchmarks")(benchmarks_cmd)
    app.command("benchmark-import")(benchmark_import_cmd)
    app.command("forecasts")(forecasts_cmd)
    app.command("predictions")(predictions_cmd)
    from dlrev.cli.trends import plot_app

    plot_app.command("benchmarks")(plot_benchmarks)
    plot_app.command("forecasts")(plot_forecasts)
    plot_app.command("predictions")(plot_predictions)


def _year_num(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{float(x):.1f}"


def _num(x: Any, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return ""
    f = float(x)
    if abs(f) >= 1000:
        return f"{f:,.0f}"
    return f"{f:.{digits}g}"


def _year(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{float(x):.0f}"


def _years(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{float(x):.1f}"


def _with_added(cat: Catalog, add: list[str] | None) -> tuple[pd.DataFrame | None, list[Any]]:
    if not add:
        return None, []
    known = bi.known_from_catalog(cat)
    imports = [bi.import_results(p, known) for p in add]
    frames = [cat.benchmark_results] + [i.results for i in imports]
    return pd.concat(frames, ignore_index=True), imports


def benchmarks_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(None, help="One benchmark (e.g. MMLU); all when left out."),
    add: list[str] = ADD_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Benchmarks: state of the art over time and years from introduction to human level."""
    cat = catalog(ctx)
    results, imports = _with_added(cat, add)
    if name is None:
        summary = bm.catalog_summary(cat, results=results)
        sat = bm.saturation(cat, results=results)
        if as_json:
            print_json({"benchmarks": summary, "saturation": sat,
                        "imports": [i.to_dict() for i in imports]})
            return
        t = Table(title=f"{len(summary)} benchmarks: best result and years from introduction "
                        f"to 50/80/90% of the way from chance to human level")
        for c in ("benchmark", "since", "human", "best", "now", "50%", "80%", "90%"):
            t.add_column(c, justify="left" if c == "benchmark" else "right")
        s = sat.table.set_index(["benchmark", "series"])
        for _, r in summary.iterrows():
            rows = s.loc[r["benchmark"]] if r["benchmark"] in s.index.get_level_values(0) else None
            human = r["human_expert"] if pd.notna(r["human_expert"]) else r["human_nonexpert"]
            series_rows = rows.reset_index() if rows is not None else pd.DataFrame()
            for _, sr in series_rows.iterrows():
                label = r["benchmark"] + (f" ({sr['series']})" if sr["series"] else "")
                t.add_row(label, str(pd.Timestamp(r["introduced"]).year), _num(human),
                          _num(sr["best_value"]),
                          "" if pd.isna(sr["progress_now"]) else f"{sr['progress_now']:.0%}",
                          _years(sr["years_to_50"]), _years(sr["years_to_80"]),
                          _years(sr["years_to_90"]))
        console.print(t)
        console.print("[dim]now: share of the way from chance (or the first result) to the "
                      "human expert level (or ceiling); 50/80/90%: years after introduction "
                      "when the running best first got that far.[/dim]")
        _print_imports(imports)
        return
    info = bm.benchmark_info(cat, name)
    curves = bm.sota_curves(cat, [info["name"]], results=results)
    sat = bm.saturation(cat, names=[info["name"]], results=results)
    if as_json:
        print_json({"benchmark": info, "results": curves, "saturation": sat,
                    "imports": [i.to_dict() for i in imports]})
        return
    console.print(f"[bold]{info['name']}[/bold]: {info['measures']} ({info['domain']}, "
                  f"introduced {fmt_date(info['introduced'])})")
    base = [f"{k.replace('_', ' ')} {_num(info[k])}"
            + (f" ({info[k + '_who']})" if info.get(k + "_who") else "")
            for k in ("human_nonexpert", "human_expert") if pd.notna(info[k])]
    console.print(f"metric: {info['metric']} ({info['unit']}), {info['direction']} is better; "
                  f"chance {_num(info['chance']) or 'n/a'}; "
                  + ("; ".join(base) if base else "no human baseline")
                  + f"; ceiling {_num(info['ceiling']) or 'n/a'}")
    for series, g in curves.groupby("series", sort=True):
        t = Table(title=f"{info['name']}{' - ' + series if series else ''}: "
                        f"{len(g)} results, records marked *")
        for c in ("date", "system", "value", "best", "progress", "setting"):
            t.add_column(c, justify="right" if c in ("value", "best", "progress") else "left")
        for _, r in g.iterrows():
            t.add_row(fmt_date(r["date"]), ("* " if r["record"] else "  ") + str(r["system"]),
                      _num(r["value"], 4), _num(r["best"], 4),
                      "" if pd.isna(r["best_progress"]) else f"{r['best_progress']:.0%}",
                      str(r["setting"] or ""))
        console.print(t)
    for _, r in sat.table.iterrows():
        label = f" ({r['series']})" if r["series"] else ""
        if pd.isna(r["target"]):
            console.print(f"{info['name']}{label}: no human level or ceiling, so no saturation.")
            continue
        parts = [f"{int(lev * 100)}% in {_years(r[f'years_to_{int(lev * 100)}'])} years"
                 if pd.notna(r[f"years_to_{int(lev * 100)}"])
                 else f"{int(lev * 100)}% not yet" for lev in sat.levels]
        console.print(f"{info['name']}{label}: from {r['start_kind']} {_num(r['start'])} to "
                      f"{r['target_kind']} {_num(r['target'])}: " + ", ".join(parts))
    _print_imports(imports)


def _print_imports(imports: list[Any]) -> None:
    for i in imports:
        d = i.to_dict()
        skipped = ", ".join(f"{v} {k}" for k, v in d["skipped"].items())
        console.print(f"[dim]added {d['imported']} results from {d['source']}"
                      + (f" (skipped: {skipped})" if skipped else "") + "[/dim]")
        if i.attribution:
            console.print(f"[dim]{i.attribution}[/dim]")


def benchmark_import_cmd(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A folder of Epoch AI benchmark tables, or a CSV."),
    output: Path = typer.Option(..., "-o", "--output", help="CSV to write (our format)."),
    include_unknown: bool = typer.Option(
        False, "--include-unknown",
        help="Keep Epoch benchmarks that are not in the catalog, under Epoch's names."),
    value_scale: str = typer.Option(
        "auto", "--value-scale", help="How to read bare numbers: auto, percent or fraction."),
    skip_undated: bool = typer.Option(
        False, "--skip-undated", help="Leave rows without a date out instead of failing."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Normalise benchmark results (Epoch AI's tables or your CSV) into dlrev's format."""
    cat = catalog(ctx)
    known = bi.known_from_catalog(cat)
    if source.is_dir():
        imp = bi.read_epoch_benchmarks(source, known, include_unknown=include_unknown)
    else:
        imp = bi.read_results_csv(source, known, value_scale=value_scale,
                                  skip_undated=skip_undated)
    bi.write_results(imp.results, output)
    if as_json:
        print_json({**imp.to_dict(), "output": str(output)})
        return
    _print_imports([imp])
    console.print(f"wrote {len(imp.results)} results to {output}")


JSON_FORECAST_KEYS = (
    "question", "benchmark", "kind", "forecaster", "publisher", "forecast_date", "target_date",
    "sota_at_forecast", "median", "low", "high", "interval_level",
    "reported_outcome_probability", "outcome", "outcome_date", "outcome_system",
    "outcome_basis", "resolved", "position", "position_source", "outside", "speed",
    "median_speed", "percentile", "miss", "trend", "trend_low", "trend_high", "trend_records",
    "trend_note", "closer", "unit", "sentence", "source_url", "outcome_source_url", "notes")


def forecasts_cmd(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Forecasts of benchmark progress scored against what happened and a naive trend."""
    import sys

    cat = catalog(ctx)
    scores = fc.score_forecasts(cat)
    s = scores.summary
    if as_json:
        print(f"{s['resolved']} of {s['forecasts']} forecasts resolved "
              f"({s['resolved_from_table']} from our results table) from {s['sources']} "
              "publishers", file=sys.stderr)
        print_json({"summary": s,
                    "forecasts": scores.table.reindex(columns=list(JSON_FORECAST_KEYS)),
                    "scores": scores})
        return
    console.print(s["text"])
    t = Table(title="Forecasts against what happened (a forecast of a date gives years)")
    for c in ("benchmark", "forecaster", "target", "median", "range", "outcome", "fell",
              "trend [90%]"):
        t.add_column(c, justify="left" if c in ("benchmark", "forecaster", "fell") else "right")
    for _, r in scores.table.iterrows():
        # a date forecast's figures are decimal years: print them as such, not as 2,026
        num = _year_num if r["kind"] == "date" else _num
        interval = (f"{num(r['low'])}-{num(r['high'])}"
                    + (f" ({r['interval_level']:.0%})" if pd.notna(r["interval_level"]) else "")
                    if pd.notna(r["low"]) else
                    (f"({r['interval_level']:.0%}, bounds unpublished)"
                     if pd.notna(r["interval_level"]) else ""))
        fell = r["speed"] if isinstance(r["speed"], str) else ""
        if not fell and isinstance(r["median_speed"], str):
            fell = f"{r['median_speed']} than median"
        if fell and r["position_source"] == "reported":
            fell += " (as reported)"
        if pd.notna(r["percentile"]):
            fell += f", ~p{r['percentile']:.0f}"
        outcome = num(r["outcome"]) + ("*" if r["outcome_basis"] == "results table" else "")
        trend = (f"{_num(r['trend'])} [{_num(r['trend_low'])}, {_num(r['trend_high'])}]"
                 if pd.notna(r["trend"]) else "")
        if pd.notna(r["trend"]) and _num(r["trend_low"]) == _num(r["trend_high"]):
            trend = f"{_num(r['trend'])} (too few records for an interval)"
        t.add_row(r["benchmark"], r["forecaster"], fmt_date(r["target_date"]), num(r["median"]),
                  interval, outcome, fell, trend)
    console.print(t)
    for text in scores.table["sentence"]:
        console.print(f"- {text}")
    console.print("[dim]* resolved from our results table (no published resolution). trend: "
                  "a least-squares line through the state-of-the-art records known at the forecast "
                  "date, with its 90% bootstrap interval; blank where fewer than 3 records.[/dim]")


def predictions_cmd(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Dated predictions of human-level AI and how they were made."""
    cat = catalog(ctx)
    p = fc.prediction_timeline(cat)
    if as_json:
        print_json({"predictions": p})
        return
    t = Table(title="Predictions of human-level AI")
    for c in ("made", "who", "claim", "year", "range", "method"):
        t.add_column(c, justify="right" if c in ("year", "range") else "left")
    for _, r in p.iterrows():
        rng = (f"{_year(r['low_year'])}-{_year(r['high_year'])}"
               + (f" ({r['interval_level']:.0%})" if pd.notna(r["interval_level"]) else "")
               if pd.notna(r["low_year"]) else "")
        t.add_row(fmt_date(r["made"]), str(r["who"]), str(r["claim"]),
                  _year(r["predicted_year"]), rng, str(r["method"] or ""))
    console.print(t)


OUTPUT = typer.Option(..., "-o", "--output", help="Output file: .svg, .pdf or .png.")


def plot_benchmarks(ctx: typer.Context, output: Path = OUTPUT,
                    add: list[str] = ADD_OPTION) -> None:
    """All benchmarks on one 'years since introduction' axis."""
    from dlrev.figures.common import save
    from dlrev.figures.progress import benchmarks_figure

    cat = catalog(ctx)
    results, _ = _with_added(cat, add)
    console.print(f"wrote {save(benchmarks_figure(cat, results), output)}")


def plot_forecasts(ctx: typer.Context, output: Path = OUTPUT) -> None:
    """Forecast medians and intervals, outcomes and the naive trend, per benchmark."""
    from dlrev.figures.common import save
    from dlrev.figures.progress import forecasts_figure

    console.print(f"wrote {save(forecasts_figure(catalog(ctx)), output)}")


def plot_predictions(ctx: typer.Context, output: Path = OUTPUT) -> None:
    """Predictions of human-level AI on one timeline."""
    from dlrev.figures.common import save
    from dlrev.figures.progress import predictions_figure

    console.print(f"wrote {save(predictions_figure(catalog(ctx)), output)}")
