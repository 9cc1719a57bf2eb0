"""`dlrev trends`, `dlrev forecast`, `dlrev backtest`, and the `dlrev plot` group.

Other areas add their own figures to the plot group:

    from dlrev.cli.trends import OUTPUT_OPTION, plot_app

    @plot_app.command("scaling")
    def plot_scaling(ctx: typer.Context, output: Path = OUTPUT_OPTION) -> None: ...
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from dlrev._lazy import lazy
from dlrev.cli.common import (
    JSON_OPTION,
    catalog,
    console,
    fmt_sci,
    parse_number,
    print_json,
    source_line,
)
from dlrev.errors import DlrevError

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy("pandas")

plot_app = typer.Typer(
    help="Publication figures (SVG, PDF or PNG; byte-identical between runs for SVG and PDF).",
    no_args_is_help=True,
)

OUTPUT_OPTION = typer.Option(..., "-o", "--output", help="Output file: .svg, .pdf or .png.")
PRESET_OPTION = typer.Option(
    None, "--preset",
    help="epoch (split at 2010, 1,000 resamples, 90%) or sevilla2022 (three eras, outliers "
         "dropped, large-scale group, x/÷2 jitter, 95%). Default: epoch.")
METRIC_OPTION = typer.Option("compute", "--metric", help="compute, parameters or data.")
DOMAIN_OPTION = typer.Option(
    None, "--domain", help="Only one area (vision, games, language, science, other) or domain.")
ERAS_OPTION = typer.Option(
    None, "--eras",
    help="Era boundaries as ISO dates, e.g. 2010-01-01,2015-09-01; 'auto' (or auto:2) to find "
         "them from the data; 'none' for one era.")
BOOT_OPTION = typer.Option(None, "--bootstrap", help="Bootstrap resamples (preset default 1000).")
SEED_OPTION = typer.Option(0, "--seed", help="Random seed; the same seed gives the same numbers.")
CI_OPTION = typer.Option(None, "--ci", help="Interval level, e.g. 0.9 (preset default).")
SINCE_OPTION = typer.Option(None, "--since", help="Only systems dated on or after this date.")
UNTIL_OPTION = typer.Option(None, "--until", help="Only systems dated before this date.")


def register(app: typer.Typer) -> None:
    from dlrev.cli import plots  # noqa: F401  (registers the trend figures on plot_app)

    app.command("trends")(trends_cmd)
    app.command("forecast")(forecast_cmd)
    app.command("backtest")(backtest_cmd)
    app.add_typer(plot_app, name="plot")


# --- helpers ----------------------------------------------------------------------------------

def _systems(ctx: typer.Context, domain: str | None) -> tuple[pd.DataFrame, list[str]]:
    from dlrev.trends import filter_domain

    cat = catalog(ctx)
    return filter_domain(cat.systems, domain), list(cat.sources)


def _eras_arg(eras: str | None) -> Any:
    if eras is None:
        return None
    if eras.strip().lower() in ("none", "one", "all", ""):
        return []
    return eras


def _fit(ctx: typer.Context, preset: str | None, metric: str, domain: str | None,
         eras: str | None, groups: str | None, bootstrap: int | None, seed: int,
         ci: float | None, noise: float | None, since: str | None, until: str | None) -> Any:
    from dlrev import trends

    systems, sources = _systems(ctx, domain)
    tf = trends.fit(systems, metric=metric, eras=_eras_arg(eras), groups=groups,
                    bootstrap=bootstrap, ci=ci, estimate_noise=noise, seed=seed, preset=preset,
                    since=since, until=until)
    return tf, systems, sources


def _num(x: float, digits: int = 2) -> str:
    if x is None or not math.isfinite(x):
        return "–" if x is None or math.isnan(x) else "∞"
    return f"{x:.{digits}f}"


def _iv(lo: float, hi: float, digits: int = 2) -> str:
    if lo is None or (isinstance(lo, float) and math.isnan(lo)):
        return ""
    return f"[{_num(lo, digits)}, {_num(hi, digits)}]"


# --- trends -----------------------------------------------------------------------------------

def trends_cmd(
    ctx: typer.Context,
    preset: str = PRESET_OPTION,
    metric: str = METRIC_OPTION,
    domain: str = DOMAIN_OPTION,
    eras: str = ERAS_OPTION,
    groups: str = typer.Option(None, "--groups",
                               help="Fit each group separately: a column (area, ...) or 'scale'."),
    bootstrap: int = BOOT_OPTION,
    seed: int = SEED_OPTION,
    ci: float = CI_OPTION,
    noise: float = typer.Option(None, "--noise",
                                help="Jitter each value by a uniform factor in [1/F, F]."),
    since: str = SINCE_OPTION,
    until: str = UNTIL_OPTION,
    breaks: int = typer.Option(0, "--breaks", help="Also find 1 or 2 era boundaries."),
    sensitivity: bool = typer.Option(False, "--sensitivity",
                                     help="Also show the doubling time by chosen era start."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Growth per era: OOM/year, x/year and doubling time, with bootstrap intervals."""
    from dlrev import trends

    tf, systems, sources = _fit(ctx, preset, metric, domain, eras, groups, bootstrap, seed, ci,
                                noise, since, until)
    bp = se = None
    if breaks:
        with console.status("searching era boundaries...") if not as_json else _null():
            bp = trends.breakpoints(systems, k=breaks, metric=metric, seed=seed,
                                    bootstrap=tf.bootstrap, ci=tf.ci, since=since, until=until)
    if sensitivity:
        se = trends.sensitivity(systems, metric=metric, seed=seed, ci=tf.ci,
                                bootstrap=min(tf.bootstrap, 200), month_days=tf.month_days)
    if as_json:
        out = {"source": sources, "domain": domain, **tf.to_dict()}
        if bp is not None:
            out["breakpoints"] = bp.to_dict()
        if se is not None:
            out["sensitivity"] = se.to_dict()
        print_json(out)
        return
    pct = round(tf.ci * 100)
    unit = "30-day" if abs(tf.month_days - 30) < 1e-9 else "average"
    t = Table(title=f"Trends in {metric}{f' ({domain})' if domain else ''} — preset "
                    f"{tf.preset or 'epoch (default)'}; {pct}% intervals in brackets")
    grouped = any(e.group != "all" for e in tf.eras)
    cols = ["era", *(["group"] if grouped else []), "years", "n", "OOM/year", "x/year",
            "doubling (months)", "R²"]
    for c in cols:
        t.add_column(c, justify="left" if c in ("era", "group", "years") else "right")
    for e in tf.eras:
        years = f"{(e.first_date or '')[:4]}–{(e.last_date or '')[:4]}"
        head = [e.label, *([e.group] if grouped else []), years, str(e.n)]
        if not e.fitted:
            t.add_row(*head, "not fitted", "", "", "")
            continue
        t.add_row(*head, f"{_num(e.slope, 3)} {_iv(e.slope_low, e.slope_high, 2)}",
                  f"{_num(e.growth)} {_iv(e.growth_low, e.growth_high)}",
                  f"{_num(e.doubling_months, 1)} {_iv(e.doubling_low, e.doubling_high, 1)}",
                  _num(e.r2))
    console.print(t)
    dropped = ", ".join(f"{v} {k}" for k, v in tf.dropped.items())
    console.print(f"[dim]{pct}% intervals: {tf.interval_method}. Months of {unit} length "
                  f"({tf.month_days:.3g} days). {tf.n_used} systems used"
                  f"{'; dropped: ' + dropped if dropped else ''}.[/dim]")
    for note in tf.notes:
        console.print(f"[dim]{note}[/dim]")
    for e in tf.eras:
        if e.note and e.fitted:
            console.print(f"[yellow]{e.label} ({e.group}): {e.note}.[/yellow]")
    if bp is not None:
        t = Table(title=f"Era boundaries found from the data ({bp.model} model, k = {bp.k})")
        for c in ("boundary", "year", "date", f"{pct}% interval", "dates"):
            t.add_column(c)
        for i, b in enumerate(bp.boundaries):
            t.add_row(str(i + 1), f"{b.year:.1f}", b.date, _iv(b.low, b.high, 1),
                      f"{b.low_date} – {b.high_date}")
        console.print(t)
        console.print(f"[dim]BIC {bp.bic:.1f} with the break(s) vs {bp.bic_no_break:.1f} "
                      f"without (lower is better); {bp.interval_method}.[/dim]")
    if se is not None:
        t = Table(title="Doubling time by chosen start of the latest era")
        for c in ("start", "n", "x/year", "doubling (months)", f"{pct}% interval"):
            t.add_column(c, justify="right")
        for _, r in se.rows.iloc[::4].iterrows():
            t.add_row(r["start"], str(r["n"]), _num(r["growth"]), _num(r["doubling_months"], 1),
                      _iv(r["doubling_low"], r["doubling_high"], 1))
        console.print(t)
    console.print(f"[dim]{source_line(sources)}[/dim]")


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *a: object) -> None:
        return None


# --- forecast ---------------------------------------------------------------------------------

def forecast_cmd(
    ctx: typer.Context,
    reach: str = typer.Option(None, "--reach",
                              help="A level, e.g. 1e27, 10^27 or 1x10^27: when is it reached?"),
    year: float = typer.Option(None, "--year", help="A year, e.g. 2030: what level then?"),
    preset: str = PRESET_OPTION,
    metric: str = METRIC_OPTION,
    domain: str = DOMAIN_OPTION,
    eras: str = ERAS_OPTION,
    frontier: str = typer.Option(
        "records", "--frontier",
        help="Which systems the trend is fitted to: records (each system that set a new record "
             "when it appeared; the default, since a level is a frontier question), top-k (per "
             "year), residual (above trend), or all."),
    k: int = typer.Option(1, "--k", help="k for --frontier top-k."),
    bootstrap: int = BOOT_OPTION,
    seed: int = SEED_OPTION,
    ci: float = CI_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Extrapolate the latest era's trend: the date a level is reached, or the level at a date,
    with a trend interval and a prediction interval."""
    from dlrev import trends

    level = parse_number(reach, "--reach")
    if (level is None) == (year is None):
        raise DlrevError("give exactly one of --reach LEVEL (e.g. 1e27) or --year YEAR.")
    systems, sources = _systems(ctx, domain)
    subset = systems
    how: str | None = None if frontier in (None, "", "all") else frontier
    if how:
        fr = trends.frontier(systems, how=how, metric=metric, k=k)
        subset = fr.systems.drop(columns=["x", "y"])
    tf = trends.fit(subset, metric=metric, eras=_eras_arg(eras), bootstrap=bootstrap, ci=ci,
                    seed=seed, preset=preset)
    what = (f"the {how} frontier ({tf.n_used} systems with {metric})" if how
            else f"all {tf.n_used} systems with {metric}")
    ex = trends.extrapolate(tf, reach=level, year=year, seed=seed)
    if as_json:
        print_json({"source": sources, "domain": domain, "frontier": how or "all",
                    "fitted_to": what,
                    "fit": tf.era(-1).to_dict(), **ex.to_dict()})
        return
    pct = round(ex.ci * 100)
    console.print(f"Trend of {metric} ({what}, era '{ex.era}', n = {ex.n}): "
                  f"{ex.growth:.2f}x/year, scatter {ex.sigma:.2f} OOM around the line.")
    t = Table(title=f"Extrapolation ({pct}% intervals)")
    for c in ("question", "central", "trend interval", "prediction interval"):
        t.add_column(c)
    if ex.mode == "reach":
        t.add_row(f"when is {fmt_sci(ex.target)} reached?", f"{ex.value:.1f} ({ex.date})",
                  f"{ex.trend_low:.1f} – {ex.trend_high:.1f}", f"{ex.low:.1f} – {ex.high:.1f}")
    else:
        t.add_row(f"level in {ex.target:g}?", fmt_sci(ex.value),
                  f"{fmt_sci(ex.trend_low)} – {fmt_sci(ex.trend_high)}",
                  f"{fmt_sci(ex.low)} – {fmt_sci(ex.high)}")
    console.print(t)
    console.print(f"[dim]{ex.method}.[/dim]")
    for note in ex.notes:
        console.print(f"[yellow]{note}[/yellow]")
    console.print(f"[dim]{source_line(sources)}[/dim]")


# --- backtest ---------------------------------------------------------------------------------

def backtest_cmd(
    ctx: typer.Context,
    metric: str = METRIC_OPTION,
    domain: str = DOMAIN_OPTION,
    since: int = typer.Option(2015, "--since", help="First origin year of the walk forward."),
    horizons: str = typer.Option("1,2,3,5", "--horizons", help="Horizons in years."),
    start: str = typer.Option("2010-01-01", "--start", help="Fit data from this date on."),
    ci: float = typer.Option(0.9, "--ci", help="Prediction-interval level."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Walk-forward backtest: how well would extrapolating the frontier have worked?"""
    from dlrev import trends

    systems, sources = _systems(ctx, domain)
    try:
        hs = [int(h) for h in horizons.split(",") if h.strip()]
    except ValueError:
        raise DlrevError(
            f"--horizons takes whole years separated by commas (got {horizons!r}).") from None
    bt = trends.backtest(systems, metric=metric, since=since, horizons=hs, start=start, ci=ci)
    if as_json:
        print_json({"source": sources, "domain": domain, **bt.to_dict()})
        return
    pct = round(bt.ci * 100)
    t = Table(title=f"Backtest: extrapolating the {metric} frontier (largest system per year), "
                    f"origins {since}–{bt.last_complete_year - 1}")
    for c in ("horizon", "forecasts", "bias (OOM)", "mean abs error", "RMSE",
              f"{pct}% coverage", "no-growth MAE"):
        t.add_column(c, justify="right")
    for _, r in bt.summary.iterrows():
        if not r["n"]:
            t.add_row(f"{r['horizon']} y", "0", "", "", "", "", "")
            continue
        t.add_row(f"{int(r['horizon'])} y", str(int(r["n"])), f"{r['bias']:+.2f}",
                  f"{r['mae']:.2f}", f"{r['rmse']:.2f}", f"{r['coverage']:.0%}",
                  f"{r['baseline_mae']:.2f}")
    console.print(t)
    console.print(f"[dim]Error = actual − predicted, in orders of magnitude (positive: the "
                  f"future was larger). {bt.method}.[/dim]")
    console.print(f"[dim]{source_line(sources)}[/dim]")


__all__ = ["OUTPUT_OPTION", "plot_app", "register"]
