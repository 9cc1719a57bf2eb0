"""`dlrev overview` and `dlrev sql`."""

from __future__ import annotations

import typer
from rich.table import Table

from dlrev._lazy import lazy
from dlrev.cli.common import (
    JSON_OPTION,
    catalog,
    console,
    fmt_date,
    fmt_sci,
    print_json,
    source_line,
)

summary = lazy("dlrev.summary")


def register(app: typer.Typer) -> None:
    app.command("overview")(overview)
    app.command("sql")(sql)


def overview(
    ctx: typer.Context,
    as_json: bool = JSON_OPTION,
    top: int = typer.Option(10, "--top", help="How many systems the frontier lists."),
    since: int = typer.Option(2010, "--since", help="First year of the largest-per-year list."),
) -> None:
    """The revolution at a glance: systems per domain and era, the largest system each year,
    the latest frontier."""
    cat = catalog(ctx)
    counts = summary.counts_by_area_and_era(cat.systems)
    largest = summary.largest_per_year(cat.systems, since=since)
    frontier = summary.latest_frontier(cat.systems, n=top)
    if as_json:
        print_json({
            "source": cat.sources,
            "systems": len(cat.systems),
            "with_compute": int(cat.systems["compute"].notna().sum()),
            "counts": counts.reset_index().rename(columns={"index": "area"}),
            "largest_per_year": largest,
            "frontier": frontier,
        })
        return
    eras = [c for c in counts.columns if not c.endswith("with compute") and c != "all"]
    t = Table(title=f"Systems per domain and era ({len(cat.systems)} systems, "
              f"{int(cat.systems['compute'].notna().sum())} with training compute)")
    t.add_column("domain")
    for e in eras + ["all"]:
        t.add_column(e, justify="right")
    for area, row in counts.iterrows():
        t.add_row(str(area), *[f"{row[e]} ({row[e + ' with compute']})" for e in eras + ["all"]])
    console.print(t)
    console.print("[dim](n) = systems with a training-compute figure[/dim]\n")

    t = Table(title=f"Largest training run each year since {since}")
    for c in ("year", "system", "organization", "domain", "date", "compute (FLOP)", "parameters"):
        t.add_column(c, justify="right" if c in ("compute (FLOP)", "parameters") else "left")
    for _, r in largest.iterrows():
        t.add_row(str(r["calendar_year"]), str(r["name"]), str(r["organization"] or ""),
                  str(r["area"]), fmt_date(r["date"]), fmt_sci(r["compute"]),
                  fmt_sci(r["parameters"]))
    console.print(t)

    t = Table(title=f"The latest frontier: the {top} largest training runs")
    for c in ("system", "organization", "date", "compute (FLOP)", "parameters", "confidence"):
        t.add_column(c, justify="right" if c in ("compute (FLOP)", "parameters") else "left")
    for _, r in frontier.iterrows():
        t.add_row(str(r["name"]), str(r["organization"] or ""), fmt_date(r["date"]),
                  fmt_sci(r["compute"]), fmt_sci(r["parameters"]), str(r["confidence"] or ""))
    console.print(t)
    console.print(f"[dim]{source_line(cat.sources)}[/dim]")


def sql(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="One SELECT statement over the catalog's tables."),
    as_json: bool = JSON_OPTION,
    limit: int = typer.Option(None, "--limit", help="Rows fetched and shown (0 = all; default "
                              "50 in the table view, all with --json)."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds before the query is stopped."),
    memory: str = typer.Option("1GB", "--memory", help="Memory the query may use, e.g. 512MB."),
) -> None:
    """Run a read-only SQL query (DuckDB) over systems, milestones, benchmarks and the rest."""
    if limit is None:
        limit = 0 if as_json else 50
    # One row more than shown tells whether there are more, without fetching them all.
    result = catalog(ctx).sql(query, timeout=timeout, memory=memory,
                              limit=None if limit == 0 else limit + 1)
    more = limit > 0 and len(result) > limit
    if more:
        result = result.head(limit)
    if as_json:
        print_json(result)
        return
    t = Table(title=f"{len(result)}{'+' if more else ''} row(s)")
    for c in result.columns:
        t.add_column(str(c))
    for _, r in result.iterrows():
        t.add_row(*[_cell(v) for v in r.tolist()])
    console.print(t)
    if more:
        console.print("[dim]more rows not fetched; --limit N or --limit 0 shows more.[/dim]")


def _cell(v: object) -> str:
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):  # type: ignore[arg-type]
        return ""
    if isinstance(v, float) and (abs(v) >= 1e6 or 0 < abs(v) < 1e-3):
        return fmt_sci(v, 3)
    if isinstance(v, pd.Timestamp):
        return fmt_date(v)
    return str(v)
