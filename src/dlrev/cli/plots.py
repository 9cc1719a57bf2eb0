"""`dlrev plot trends|breakpoints|sensitivity|backtest`: the trend engine's publication figures
(registered on the plot group that cli/trends.py owns)."""

from __future__ import annotations

from pathlib import Path

import typer

from dlrev.cli.common import console
from dlrev.cli.trends import (
    BOOT_OPTION,
    CI_OPTION,
    DOMAIN_OPTION,
    ERAS_OPTION,
    METRIC_OPTION,
    OUTPUT_OPTION,
    PRESET_OPTION,
    SEED_OPTION,
    _fit,
    _systems,
    plot_app,
)
from dlrev.errors import DlrevError


def _saved(path: Path) -> None:
    console.print(f"wrote {path}")


@plot_app.command("trends")
def plot_trends_cmd(
    ctx: typer.Context,
    output: Path = OUTPUT_OPTION,
    preset: str = PRESET_OPTION,
    metric: str = METRIC_OPTION,
    domain: str = DOMAIN_OPTION,
    eras: str = ERAS_OPTION,
    bootstrap: int = BOOT_OPTION,
    seed: int = SEED_OPTION,
    ci: float = CI_OPTION,
    title: str = typer.Option(None, "--title", help="Replace the default title."),
    landmarks: int = typer.Option(10, "--landmarks", help="How many systems to label."),
) -> None:
    """The revolution's main chart: the metric against date, eras, trends and their growth."""
    from dlrev.figures.common import figure_format, save
    from dlrev.figures.trends import plot_trends

    figure_format(output)
    tf, systems, sources = _fit(ctx, preset, metric, domain, eras, None, bootstrap, seed, ci,
                                None, None, None)
    _saved(save(plot_trends(tf, systems, sources, title=title, landmarks=landmarks), output))


@plot_app.command("breakpoints")
def plot_breakpoints_cmd(
    ctx: typer.Context,
    output: Path = OUTPUT_OPTION,
    k: int = typer.Option(1, "--k", help="Number of boundaries (1 or 2)."),
    model: str = typer.Option("continuous", "--model", help="continuous or separate."),
    metric: str = METRIC_OPTION,
    domain: str = DOMAIN_OPTION,
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap resamples."),
    seed: int = SEED_OPTION,
    ci: float = typer.Option(0.9, "--ci", help="Interval level."),
) -> None:
    """Era boundaries found from the data, with the bootstrap distribution of each."""
    from dlrev import trends
    from dlrev.figures.common import figure_format, save
    from dlrev.figures.diagnostics import plot_breakpoints

    figure_format(output)
    systems, sources = _systems(ctx, domain)
    bp = trends.breakpoints(systems, k=k, metric=metric, bootstrap=bootstrap, ci=ci, seed=seed,
                            model=model)
    _saved(save(plot_breakpoints(bp, systems, sources), output))


@plot_app.command("sensitivity")
def plot_sensitivity_cmd(
    ctx: typer.Context,
    output: Path = OUTPUT_OPTION,
    metric: str = METRIC_OPTION,
    domain: str = DOMAIN_OPTION,
    first: str = typer.Option("2005-01-01", "--first", help="Earliest era start tried."),
    last: str = typer.Option("2016-01-01", "--last", help="Latest era start tried."),
    bootstrap: int = typer.Option(200, "--bootstrap", help="Bootstrap resamples per start."),
    seed: int = SEED_OPTION,
    ci: float = typer.Option(0.9, "--ci", help="Interval level."),
) -> None:
    """Doubling time of the latest era as a function of its chosen start date."""
    from dlrev import trends
    from dlrev.figures.common import figure_format, save
    from dlrev.figures.diagnostics import plot_sensitivity

    figure_format(output)
    systems, sources = _systems(ctx, domain)
    se = trends.sensitivity(systems, metric=metric, first=first, last=last, bootstrap=bootstrap,
                            ci=ci, seed=seed)
    _saved(save(plot_sensitivity(se, sources), output))


@plot_app.command("backtest")
def plot_backtest_cmd(
    ctx: typer.Context,
    output: Path = OUTPUT_OPTION,
    metric: str = METRIC_OPTION,
    domain: str = DOMAIN_OPTION,
    since: int = typer.Option(2015, "--since", help="First origin year."),
    horizons: str = typer.Option("1,2,3,5", "--horizons", help="Horizons in years."),
    start: str = typer.Option("2010-01-01", "--start", help="Fit data from this date on."),
) -> None:
    """Forecast errors of frontier extrapolation by origin and horizon, against no growth."""
    from dlrev import trends
    from dlrev.figures.common import figure_format, save
    from dlrev.figures.diagnostics import plot_backtest

    figure_format(output)
    systems, sources = _systems(ctx, domain)
    try:
        hs = [int(h) for h in horizons.split(",") if h.strip()]
    except ValueError:
        raise DlrevError(
            f"--horizons takes whole years separated by commas (got {horizons!r}).") from None
    bt = trends.backtest(systems, metric=metric, since=since, horizons=hs, start=start)
    _saved(save(plot_backtest(bt, sources), output))
