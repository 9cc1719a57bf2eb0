"""`dlrev data ...`: look at, search, validate, export and import the catalog's data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.panel import Panel
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
from dlrev.errors import DlrevError

if TYPE_CHECKING:
    import pandas as pd

    from dlrev import catalog as catalog_mod
    from dlrev import csvio, epoch, schema, summary
else:
    pd = lazy("pandas")
    schema = lazy("dlrev.schema")
    summary = lazy("dlrev.summary")
    catalog_mod = lazy("dlrev.catalog")
    csvio = lazy("dlrev.csvio")
    epoch = lazy("dlrev.epoch")

err_console = Console(stderr=True, soft_wrap=True)
data_app = typer.Typer(help="Look at, search, validate, export and import the data.",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    from dlrev.cli import data_import  # noqa: F401  (adds import-epoch and update to data_app)

    app.add_typer(data_app, name="data")




STRICT_OPTION = typer.Option(
    False, "--strict", help="Fail on the first bad row instead of skipping it (and counting it).")
LIST_COLUMNS = ["name", "organization", "date", "area", "parameters", "compute", "confidence"]


def _systems_table(df: pd.DataFrame, title: str) -> Table:
    t = Table(title=title)
    for c in ("system", "organization", "date", "domain", "parameters", "compute (FLOP)",
              "confidence"):
        t.add_column(c, justify="right" if c in ("parameters", "compute (FLOP)") else "left")
    for _, r in df.iterrows():
        t.add_row(str(r["name"]), str(r["organization"] or ""), fmt_date(r["date"]),
                  str(r["domain"] or ""), fmt_sci(r["parameters"]), fmt_sci(r["compute"]),
                  str(r["confidence"] or ""))
    return t


@data_app.command("stats")
def stats(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Row counts of every table and systems per domain and era."""
    cat = catalog(ctx)
    s = cat.systems
    tables = {n: len(cat.table(n)) for n in cat.TABLE_NAMES}
    dates = s["date"].dropna()
    info = {
        "source": cat.sources,
        "tables": tables,
        "systems": {
            "rows": len(s),
            "with_compute": int(s["compute"].notna().sum()),
            "with_parameters": int(s["parameters"].notna().sum()),
            "with_dataset_size": int(s["dataset_size"].notna().sum()),
            "undated": int(s["date"].isna().sum()),
            "first_date": fmt_date(dates.min()) if len(dates) else None,
            "last_date": fmt_date(dates.max()) if len(dates) else None,
            "by_confidence": s["confidence"].fillna("none").value_counts().to_dict(),
        },
        "by_area_and_era": summary.counts_by_area_and_era(s).reset_index()
        .rename(columns={"index": "area"}),
    }
    if as_json:
        print_json(info)
        return
    t = Table(title="Tables")
    t.add_column("table")
    t.add_column("rows", justify="right")
    for n, k in tables.items():
        t.add_row(n, str(k))
    console.print(t)
    si = info["systems"]
    assert isinstance(si, dict)
    console.print(
        f"systems: {si['rows']} rows, {si['with_compute']} with compute, "
        f"{si['with_parameters']} with parameters, {si['with_dataset_size']} with dataset size; "
        f"dates {si['first_date']} to {si['last_date']}"
        + (f" ({si['undated']} undated)" if si["undated"] else "")
    )
    counts = summary.counts_by_area_and_era(s)
    t = Table(title="Systems per domain and era (with compute)")
    t.add_column("domain")
    eras = [c for c in counts.columns if not c.endswith("with compute")]
    for e in eras:
        t.add_column(e, justify="right")
    for area, row in counts.iterrows():
        t.add_row(str(area), *[f"{row[e]} ({row[e + ' with compute']})" for e in eras])
    console.print(t)
    console.print(f"[dim]{source_line(cat.sources)}[/dim]")


@data_app.command("list")
def list_systems(
    ctx: typer.Context,
    domain: str = typer.Option(None, "--domain", help="vision, games, language, science, other"),
    organization: str = typer.Option(None, "--org", help="Substring of the organization."),
    since: str = typer.Option(None, "--since", help="First date, YYYY or YYYY-MM-DD."),
    until: str = typer.Option(None, "--until", help="Last date, YYYY or YYYY-MM-DD."),
    sort: str = typer.Option("date", "--sort", help="date, compute, parameters or name."),
    limit: int = typer.Option(50, "--limit", help="Rows shown (0 = all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List systems, newest first, with filters."""
    s = catalog(ctx).systems
    if domain and domain not in schema.AREAS:
        raise DlrevError(f"--domain {domain!r} is not one of {', '.join(schema.AREAS)}.")
    from dlrev.query import filter_systems

    s = filter_systems(s, area=domain or None, org=organization or None,
                       since=_date_arg(since, "--since") if since else None,
                       until=_date_arg(until, "--until", end=True) if until else None)
    if sort not in ("date", "compute", "parameters", "name"):
        raise DlrevError(f"--sort {sort!r} is not one of date, compute, parameters, name.")
    s = s.sort_values(sort, ascending=(sort == "name"), na_position="last")
    shown = s if limit == 0 else s.head(limit)
    if as_json:
        print_json(shown[[*LIST_COLUMNS, "source_url"]])
        return
    console.print(_systems_table(shown, f"{len(s)} system(s)"
                                 + (f", first {limit} shown" if limit and len(s) > limit else "")))


def _date_arg(text: str, opt: str, end: bool = False) -> pd.Timestamp:
    try:
        if len(text) == 4 and text.isdigit():
            return pd.Timestamp(f"{text}-12-31" if end else f"{text}-01-01")
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise DlrevError(f"{opt} {text!r} is not a year or an ISO date (YYYY-MM-DD).") from None


@data_app.command("show")
def show(ctx: typer.Context, name: str = typer.Argument(..., help="System name."),
         as_json: bool = JSON_OPTION) -> None:
    """Every field of one system, with its source."""
    cat = catalog(ctx)
    row = cat.system(name)
    if as_json:
        print_json(row)
        return
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    units = {c.name: c.unit for c in schema.SYSTEMS.columns}
    # The explorer's words: 'domain' is the story area (vision, games, language, science, other);
    # Epoch-style labels are 'domain labels'.
    words = {"area": "domain", "domain": "domain labels"}
    order = ["name", "organization", "date", "area", "domain"]
    row = row.reindex([*order, *[k for k in row.index if k not in order]])
    for key, value in row.items():
        if key == "year":
            continue
        if isinstance(value, float):
            text = fmt_sci(value, 3) if value == value else ""
        elif isinstance(value, pd.Timestamp):
            text = fmt_date(value)
        else:  # None and pandas' NA (a flag the source does not record) are left out
            text = "" if value is None or value is pd.NA else str(value)
        if not text:
            continue
        unit = units.get(str(key))
        label = words.get(str(key), str(key))
        t.add_row(label, f"{text} {unit}" if unit and unit != "count" else text)
    console.print(Panel(t, title=str(row["name"]), expand=False))
    if row.get("origin") == "epoch":
        console.print(f"[dim]Data: {epoch.ATTRIBUTION}[/dim]")


@data_app.command("search")
def search(ctx: typer.Context, text: str = typer.Argument(...),
           limit: int = typer.Option(50, "--limit"), as_json: bool = JSON_OPTION) -> None:
    """Systems whose name, organization, task or notes contain TEXT (case-insensitive)."""
    s = catalog(ctx).systems
    hay = s[["name", "organization", "task", "notes", "domain"]].fillna("").agg(" ".join, axis=1)
    hits = s[hay.str.contains(text, case=False, regex=False)].sort_values("date", ascending=False)
    shown = hits if limit == 0 else hits.head(limit)
    if as_json:
        print_json(shown[[*LIST_COLUMNS, "source_url"]])
        return
    console.print(_systems_table(shown, f"{len(hits)} system(s) matching {text!r}"))


@data_app.command("export")
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("csv", "--format", "-f", help="csv, json or parquet"),
    table: str = typer.Option("systems", "--table", help="Which table."),
    out: Path = typer.Option(None, "--out", "-o", help="File to write (stdout if omitted)."),
) -> None:
    """Write a table as CSV, JSON or Parquet (atomically: a failed export leaves nothing)."""
    cat = catalog(ctx)
    frame = cat.table(table).copy()
    if fmt not in ("csv", "json", "parquet"):
        raise DlrevError(f"--format {fmt!r} is not one of csv, json, parquet.")
    for c in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[c]):
            frame[c] = frame[c].dt.strftime("%Y-%m-%d")
    if out is None:
        if fmt == "parquet":
            raise DlrevError("Parquet is binary: give a file with --out.")
        if fmt == "csv":
            sys.stdout.write(csvio.csv_text(frame))
        else:
            print_json({"source": cat.sources, "rows": frame})
        return
    # CSV cells that a spreadsheet would run as formulas are neutralised (csvio.safe_cell);
    # JSON and Parquet stay exact.
    if fmt == "csv":
        csvio.write_csv(frame, out)
    elif fmt == "json":
        from dlrev.jsonio import atomic_write, dumps

        atomic_write(out, dumps({"source": cat.sources, "rows": frame}, indent=1) + "\n")
    else:
        from dlrev.jsonio import atomic_open

        with atomic_open(out, "wb") as fh:
            frame.to_parquet(fh, index=False)
    console.print(f"wrote {len(frame)} rows of {table} to {out}")


@data_app.command("validate")
def validate(
    file: Path = typer.Argument(None, help="A CSV to check; omit to check the embedded data."),
    table: str = typer.Option(None, "--table", help="Table the file belongs to (default: guess)."),
    strict: bool = STRICT_OPTION,
    against: Path = typer.Option(
        None, "--against", metavar="EPOCH_CSV",
        help="With the embedded data: cross-check compute against this Epoch AI export "
             "(default: the cached snapshot, if any)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check a file (or the embedded data) against the schema; exit 2 at the first problem.

    The embedded data is also cross-checked: 6 x N x D for dense transformer language models,
    and, given an Epoch AI export, our compute against Epoch's (0.5 OOM unless the notes say why).
    """
    if file is None:
        _validate_embedded(against, as_json)
        return
    header = csvio.header_of(file)
    if table is None and epoch.looks_like_epoch(header):
        imp = epoch.read_epoch(file, strict=strict)
        print_notes(imp.warnings)
        if as_json:
            print_json({"valid": True, "format": "epoch", **imp.summary()})
        else:
            skipped = f", {imp.n_skipped} rows skipped" if imp.n_skipped else ""
            console.print(f"{file}: valid Epoch AI export, {imp.n_rows} systems, "
                          f"{imp.n_with_compute} with training compute{skipped}.")
        return
    name = table or _guess_table(header, file)
    if name not in schema.TABLES:
        raise DlrevError(f"--table {name!r} is not one of {', '.join(schema.TABLES)}.")
    if name == "systems":
        frame, _ = catalog_mod.read_systems_file(file)
    else:
        frame = catalog_mod.read_table_file(file, schema.TABLES[name])
    if as_json:
        print_json({"valid": True, "format": "dlrev", "table": name, "rows": len(frame)})
    else:
        console.print(f"{file}: valid {name} table, {len(frame)} rows.")


def _validate_embedded(against: Path | None, as_json: bool) -> None:
    from dlrev.crosscheck import crosscheck, six_nd_offenders
    from dlrev.paths import epoch_snapshot_path

    cat = catalog_mod.load()
    counts = {n: len(cat.table(n)) for n in cat.TABLE_NAMES}
    epoch_file = against or (epoch_snapshot_path() if epoch_snapshot_path().exists() else None)
    check = crosscheck(cat.systems, epoch.read_epoch(epoch_file).systems) if epoch_file else None
    six_nd_bad = six_nd_offenders(cat.systems)
    problems = len(six_nd_bad) + (0 if check is None or check.ok else
                                  len(check.epoch_offenders) + len(check.epoch_gaps)
                                  + len(check.unknown_aliases))
    if as_json:
        print_json({"valid": True, "tables": counts,
                    "crosscheck": check.to_dict() if check else None,
                    "epoch_file": str(epoch_file) if epoch_file else None,
                    "six_nd_offenders": six_nd_bad, "problems": problems})
    else:
        console.print("embedded data is valid: "
                      + ", ".join(f"{n} {k} rows" for n, k in counts.items()))
        console.print(f"6 x N x D check: {len(six_nd_bad)} offender(s)")
        for _, r in six_nd_bad.iterrows():
            console.print(f"  {r['name']}: {r['oom_diff']:+.2f} OOM from 6ND")
        if check is None:
            console.print("[dim]no Epoch AI export to cross-check against; give --against FILE "
                          "or run `dlrev data update`.[/dim]")
        else:
            d = check.to_dict()
            console.print(f"Epoch cross-check against {epoch_file}: {d['matched']} systems "
                          f"matched, {d['matched_with_compute']} with compute on both sides; "
                          f"{len(check.epoch_offenders)} off by > 0.5 OOM without a note, "
                          f"{len(check.epoch_gaps)} missing a figure Epoch has, "
                          f"{len(check.unknown_aliases)} unknown 'Epoch:' aliases")
            for _, r in check.epoch_offenders.iterrows():
                console.print(f"  {r['name']}: {r.get('oom_diff', float('nan')):+.2f} OOM")
    if problems:
        raise typer.Exit(1)


def _guess_table(header: list[str], file: Path) -> str:
    best, score = None, 0
    for name, t in schema.TABLES.items():
        s = len(set(header) & set(t.column_names))
        if s > score:
            best, score = name, s
    if best is None:
        raise DlrevError(
            f"{file}: the header has none of the expected columns of any dlrev table or of an "
            "Epoch AI export (e.g. name, date, compute; or Model, Publication date).")
    return best


def print_notes(warnings: list[str], limit: int = 10) -> None:
    """Skips and notes go to stderr, so --json keeps stdout to one document."""
    for w in warnings[:limit]:
        err_console.print(f"[yellow]note:[/yellow] {w}", highlight=False)
    if len(warnings) > limit:
        err_console.print(f"[yellow]note:[/yellow] {len(warnings) - limit} more notes "
                          "(see --json)")
