"""`dlrev growth` (the side-by-side growth table) and `dlrev plot growth` (its three-panel figure).

`load_inputs` gathers what the table needs from files, the same way for the CLI, the figure and
the explorer's Growth page: the catalog's systems (the global --data), METR's horizons (a file,
else the imported snapshot, else the curated published table, as `dlrev horizons` does) and,
when this dlrev has `dlrev.capability`, Epoch's benchmark tables (a folder, else the copy
`dlrev data import-benchmarks` made; without one the capability row says it is not available).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from dlrev.cli.common import JSON_OPTION, catalog, console, print_json
from dlrev.errors import DlrevError

if TYPE_CHECKING:
    from dlrev.catalog import Catalog
    from dlrev.growth import GrowthResult, GrowthRow

err = Console(stderr=True, soft_wrap=True)

METR_OPTION = typer.Option(
    None, "--metr", metavar="YAML",
    help="METR task-results file to fit for the time horizon. Default: the snapshot from `dlrev "
         "data import-metr`, else METR's published values (curated table).")
PUBLISHED_OPTION = typer.Option(False, "--published",
                                help="Use METR's published horizons even if a snapshot exists.")
DRAWS_OPTION = typer.Option(1000, "--draws",
                            help="Hierarchical bootstrap draws when fitting a METR file.")
TABLES_OPTION = typer.Option(
    None, "--benchmark-tables", metavar="DIR",
    help="Epoch AI's benchmark-stitching data folder for the capability index. Default: the copy "
         "`dlrev data import-benchmarks` made.")


def register(app: typer.Typer) -> None:
    from dlrev.cli.trends import plot_app

    app.command("growth")(growth_cmd)
    plot_app.command("growth")(plot_growth_cmd)


def capability_available() -> bool:
    """Whether this dlrev has the capability index (issue 16's second measure)."""
    return (importlib.util.find_spec("dlrev.capability") is not None
            and importlib.util.find_spec("dlrev.stitching") is not None)


def _capability(tables: Path | None) -> dict[str, Any]:
    if not capability_available():
        if tables is not None:
            raise DlrevError("--benchmark-tables: this dlrev has no capability index "
                             "(dlrev.capability is not installed).")
        return {}
    from dlrev import capability, stitching

    if tables is None:
        if not stitching.has_cached_tables():
            return {"capability_note": (
                "not available: Epoch AI's benchmark tables are not imported; run `dlrev data "
                "import-benchmarks DIR` with the data/ folder of epoch-research/benchmark-"
                "stitching, or give --benchmark-tables DIR")}
        try:  # a broken import in the cache should not break the table or the site build
            t = stitching.read_stitching(stitching.cached_tables())
        except DlrevError as exc:
            return {"capability_note": f"not available: the imported benchmark tables could "
                                       f"not be read ({exc})"}
    elif not tables.is_dir():
        raise DlrevError(f"{tables}: no such folder.")
    else:
        t = stitching.read_stitching(tables)
    # The trend resamples frontier models; the index's own bootstrap (a minute) changes neither
    # the index values nor that trend, so it is skipped here.
    index = capability.fit_index(capability.prepare(t.scores, t.models), bootstrap=0)
    return {"capability_index": index, "capability_source": t.attribution}


def _horizons(metr_file: Path | None, published: bool, draws: int) -> dict[str, Any]:
    from dlrev import horizons, metr

    if metr_file is not None and not metr_file.exists():
        raise DlrevError(f"{metr_file}: no such file.")
    path = None if published else metr_file
    if path is None and not published and metr.metr_snapshot_path().exists():
        path = metr.metr_snapshot_path()
    if path is None:
        fit = horizons.from_published(metr.read_curated())
        return {"horizon_fit": fit,
                "horizon_source": f"METR's published horizons ({fit.source}); {metr.ATTRIBUTION}"}
    fit = horizons.fit_horizons(metr.read_metr(path), bootstrap=draws)
    return {"horizon_fit": fit, "horizon_source": f"fitted from {path}; {metr.ATTRIBUTION}"}


def load_inputs(metr_file: Path | None = None, published: bool = False, draws: int = 1000,
                tables: Path | None = None) -> dict[str, Any]:
    """Keyword arguments for dlrev.growth.growth besides the catalog."""
    if draws < 0:
        raise DlrevError(f"--draws {draws}: the number of draws cannot be negative.")
    return {**_horizons(metr_file, published, draws), **_capability(tables)}


def compute_growth(cat: Catalog, **inputs: Any) -> GrowthResult:
    from dlrev.growth import growth

    return growth(cat, **inputs)


def growth_cmd(
    ctx: typer.Context,
    metr_file: Path = METR_OPTION,
    published: bool = PUBLISHED_OPTION,
    draws: int = DRAWS_OPTION,
    tables: Path = TABLES_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Growth side by side: frontier training compute, capability index, time horizon and
    benchmark saturation, each with its interval, from 2010 and from 2023."""
    cat = catalog(ctx)
    with err.status("fitting ..."):
        res = compute_growth(cat, **load_inputs(metr_file, published, draws, tables))
    if as_json:
        print_json(res.to_dict())
        return
    render(res)


def _n(x: float, digits: int) -> str:
    return f"{x:.{digits}f}" if math.isfinite(x) else ""


SHORT = {"compute": "compute (frontier)", "capability": "capability index",
         "horizon": "time horizon", "saturation_time": "saturation (years)",
         "saturation_trend": "saturation trend"}
UNITS = {"x/year": "x/yr", "doubling months": "mo doubling", "points/year": "pts/yr",
         "years": "yr", "years per year": "yr/yr"}


def headline(r: GrowthRow) -> str:
    """'4.6 x/yr [4.2, 5.0]': the value in the row's unit with its interval."""
    if not r.available:
        return "not available"
    d = 1 if r.unit in ("doubling months", "points/year", "x/year") else 2
    return f"{_n(r.value, d)} {UNITS.get(r.unit, r.unit)} [{_n(r.low, d)}, {_n(r.high, d)}]"


def render(res: GrowthResult) -> None:
    t = Table(title="Growth side by side (levels and methods below)")
    for c in ("measure", "from", "n", "rate [interval]", "doubling, months", "level"):
        t.add_column(c, justify="left" if c in ("measure", "from") else "right", no_wrap=True)
    for r in res.rows:
        dbl = (f"{_n(r.doubling_months, 1)} [{_n(r.doubling_low, 1)}, {_n(r.doubling_high, 1)}]"
               if r.available and math.isfinite(r.doubling_months) else "")
        rate = "" if r.available and r.unit == "doubling months" else headline(r)
        t.add_row(SHORT.get(r.measure, r.measure), r.window.removeprefix("from "),
                  str(r.n) if r.available else "", rate, dbl,
                  f"{round(r.ci * 100)}%" if r.available else "")
    console.print(t)
    for r in res.rows:
        if r.available:
            console.print(f"[dim]{r.title}, {r.window} ({r.first_date} to {r.last_date}): "
                          f"{r.interval_method}. Source: {r.source.rstrip('.')}.[/dim]",
                          highlight=False)
        if r.note:
            err.print(f"note: {r.title}, {r.window}: {r.note}", highlight=False)
    for n in res.notes:
        err.print(f"note: {n}")


def plot_growth_cmd(
    ctx: typer.Context,
    output: Path = typer.Option(..., "-o", "--output", help="Output file: .svg, .pdf or .png."),
    metr_file: Path = METR_OPTION,
    published: bool = PUBLISHED_OPTION,
    draws: int = DRAWS_OPTION,
    tables: Path = TABLES_OPTION,
) -> None:
    """Three aligned panels on one time axis: frontier compute (log), capability index, time
    horizon (log), each with its fitted lines from 2010 and from 2023."""
    from dlrev.figures.common import figure_format, save
    from dlrev.figures.growth import plot_growth

    figure_format(output)
    res = compute_growth(catalog(ctx), **load_inputs(metr_file, published, draws, tables))
    console.print(f"wrote {save(plot_growth(res), output)}")
