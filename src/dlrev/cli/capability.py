"""`dlrev capability [DIR]` and `dlrev data import-benchmarks DIR`: the capability index across
benchmarks (an item-response fit of Epoch AI's benchmark-stitching tables, on Epoch's scale)."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from dlrev.cli.common import JSON_OPTION, console
from dlrev.errors import DlrevError

if TYPE_CHECKING:
    from dlrev.capability import CapabilityReport

err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("capability")(capability_cmd)
    from dlrev.cli.data import data_app

    data_app.command("import-benchmarks")(import_benchmarks_cmd)


def _folder(folder: Path | None) -> Path:
    from dlrev.stitching import cached_tables, has_cached_tables

    if folder is not None:
        return folder
    if has_cached_tables():
        return cached_tables()
    raise DlrevError("no benchmark tables: give the folder of Epoch AI's benchmark-stitching "
                     "data (its data/ folder, with external_benchmark_*.csv and "
                     "model_versions.csv), or import it once with `dlrev data import-benchmarks "
                     "DIR`.")


def run_report(folder: Path, bootstrap: int, seed: int, since: str | None) -> CapabilityReport:
    """Read the tables and fit (shared by the CLI and the explorer's page)."""
    from dlrev.capability import capability_report
    from dlrev.stitching import read_stitching

    tables = read_stitching(folder)
    source = {"folder": str(folder), "attribution": tables.attribution,
              "reader": tables.to_dict()}
    return capability_report(tables.scores, tables.models, bootstrap=bootstrap, seed=seed,
                             since=since, source=source)


def _num(x: Any, digits: int = 1) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def capability_cmd(
    folder: Path = typer.Argument(None, help="Epoch AI's benchmark-stitching data folder "
                                             "(default: the copy `dlrev data import-benchmarks` "
                                             "made)."),
    bootstrap: int = typer.Option(500, "--bootstrap", help="Bootstrap draws for the 90% "
                                                           "intervals (0: none)."),
    seed: int = typer.Option(12345, "--seed", help="Seed of the bootstrap."),
    since: str = typer.Option(None, "--since", metavar="DATE",
                              help="Fit only models released on or after DATE (YYYY-MM-DD)."),
    top: int = typer.Option(15, "--top", help="Models to list (by index; the JSON has all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The capability index: one number per model across ~40 benchmarks, on Epoch's scale."""
    if bootstrap < 0:
        raise DlrevError(f"--bootstrap {bootstrap}: the number of draws cannot be negative.")
    if since is not None:
        from dlrev.trends import to_decimal_year

        to_decimal_year(since)  # one sentence if it is not a date
    path = _folder(folder)
    t0 = time.perf_counter()
    with err.status(f"fitting the capability index ({bootstrap} bootstrap draws)..."):
        rep = run_report(path, bootstrap, seed, since)
    err.print(f"fitted in {time.perf_counter() - t0:.1f} s", style="dim")
    if as_json:
        from dlrev.jsonio import dumps

        sys.stdout.write(dumps(rep.to_dict(), indent=2) + "\n")
        return
    _show(rep, top)


def _show(rep: CapabilityReport, top: int) -> None:
    idx = rep.index
    c = idx.counts
    console.print(f"capability index: {len(idx.models)} models, {len(idx.benchmarks)} "
                  f"benchmarks, {c.get('fit rows', 0)} scores (from {c.get('score rows', 0)} "
                  f"rows; {c.get('merged duplicates', 0)} duplicates merged); reference "
                  f"{idx.reference}; scale: {idx.anchors[0][0]} = {idx.anchors[0][1]:g}, "
                  f"{idx.anchors[1][0]} = {idx.anchors[1][1]:g}", highlight=False)
    t = Table(title=f"Top {top} models ({round(idx.ci * 100)}% intervals)")
    for col in ("#", "model id", "name", "released", "index", "interval", "benchmarks"):
        t.add_column(col, justify="right" if col in ("#", "index", "benchmarks") else "left")
    ranked = idx.models.sort_values("eci", ascending=False).head(top)
    for i, r in enumerate(ranked.itertuples(), 1):
        when = "" if r.date is None or r.date != r.date else str(r.date)[:10]
        t.add_row(str(i), r.model, r.name, when, _num(r.eci),
                  f"[{_num(r.eci_low)}, {_num(r.eci_high)}]", str(r.n_benchmarks))
    console.print(t)
    for tr in (rep.trend, rep.recent):
        console.print(tr.summary(), highlight=False)
    bp = rep.trend.breakpoint
    if bp:
        console.print(f"breakpoint: {bp['date']} [{bp['low_date']}, {bp['high_date']}]: "
                      f"{bp['points_per_year_before']:.1f} -> {bp['points_per_year_after']:.1f} "
                      f"points/year (BIC {'supports' if bp['supported'] else 'does not support'}"
                      f" a break)", highlight=False)
    cr = rep.trend.crossings
    ahead = cr[~cr["reached"]]
    if len(ahead):
        t = Table(title="When the frontier trend reaches each remaining benchmark")
        for col in ("benchmark", "score", "date", "interval"):
            t.add_column(col)
        for r in ahead.sort_values("year").itertuples():
            t.add_row(r.benchmark, f"{round(r.level * 100)}%", r.date,
                      f"[{r.low_date}, {r.high_date}]")
        console.print(t)
    console.print(f"[dim]{rep.source.get('attribution', '')}[/dim]")


def import_benchmarks_cmd(
    folder: Path = typer.Argument(..., help="Epoch AI's benchmark-stitching data folder."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check Epoch's benchmark tables and keep a copy in the cache, for `dlrev capability` and
    the explorer's Capabilities page."""
    from dlrev.stitching import cached_tables, install_tables, read_stitching

    names = install_tables(folder, cached_tables())
    info = read_stitching(cached_tables()).to_dict()
    if as_json:
        from dlrev.jsonio import dumps

        sys.stdout.write(dumps({"copied": names, "to": str(cached_tables()), **info},
                               indent=2) + "\n")
        return
    skipped = ", ".join(f"{v} {k}" for k, v in info["skipped"].items()) or "none"
    console.print(f"imported {info['rows']} score rows on {len(info['per_benchmark'])} "
                  f"benchmarks from {folder} into {cached_tables()} (skipped: {skipped})",
                  highlight=False)
    console.print(f"[dim]{info['attribution']}[/dim]")
