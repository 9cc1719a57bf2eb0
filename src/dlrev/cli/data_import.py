"""`dlrev data import-epoch` and `dlrev data update`: make an Epoch AI export the cached
snapshot, from a file or from Epoch's site, keeping the old one whenever anything is wrong
(registered on the `data` group that cli/data.py owns)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from dlrev._lazy import lazy
from dlrev.cli.common import JSON_OPTION, console, print_json
from dlrev.cli.data import STRICT_OPTION, data_app, err_console, print_notes
from dlrev.errors import DlrevError

if TYPE_CHECKING:
    from dlrev import csvio, epoch, schema
else:
    csvio = lazy("dlrev.csvio")
    schema = lazy("dlrev.schema")
    epoch = lazy("dlrev.epoch")

FORCE_OPTION = typer.Option(
    False, "--force", help="Take the new file even if it has far fewer rows, or far fewer rows "
                           "with compute, date or parameters, than the current snapshot.")


@data_app.command("import-epoch")
def import_epoch(
    file: Path = typer.Argument(..., help="An Epoch AI CSV export (notable, all, frontier, ...)."),
    out: Path = typer.Option(None, "--out", "-o",
                             help="Also write the mapped systems table here (dlrev's CSV format)."),
    strict: bool = STRICT_OPTION,
    force: bool = FORCE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate an Epoch AI export and make it the cached snapshot that `--data epoch` uses.

    Rows that cannot be read (no name, a malformed number or date, a cut-off record) are skipped
    and counted on stderr; --strict fails on the first instead.
    """
    from dlrev.update import epoch_counts_of, install_snapshot

    imp = epoch.read_epoch(file, strict=strict)
    counts = epoch_counts_of(imp)
    snap = install_snapshot(file, source=str(file), validate=lambda _: counts,
                            force=force)
    if out is not None:
        frame = imp.systems[schema.SYSTEMS.column_names].copy()
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
        csvio.write_csv(frame, out)
    print_notes(imp.warnings)
    if as_json:
        print_json({**imp.summary(), "snapshot": snap.to_dict()})
        return
    s = imp.summary()
    skipped = f", {s['skipped']} rows skipped" if s["skipped"] else ""
    console.print(f"imported {s['rows']} systems from {file} ({s['with_compute']} with training "
                  f"compute, dates {s['first_date']} to {s['last_date']}, {s['undated']} undated"
                  f"{skipped})")
    console.print(f"snapshot: {snap.path}; use it with `dlrev --data epoch ...`")
    console.print(f"[dim]{epoch.ATTRIBUTION}[/dim]")


@data_app.command("update")
def update_cmd(
    url: str = typer.Option(None, "--url", help="Where to fetch from (default: Epoch AI's "
                            "notable_ai_models.csv)."),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds to wait for the next bytes."),
    deadline: float = typer.Option(300.0, "--deadline", help="Seconds for the whole download."),
    max_size: float = typer.Option(100.0, "--max-size", help="Largest download accepted, in MB."),
    force: bool = FORCE_OPTION,
    as_json: bool = JSON_OPTION,
    source: str = typer.Option("epoch", "--source", help="epoch (Epoch AI's models) or metr "
                               "(METR's time-horizon results)."),
) -> None:
    """Download Epoch AI's newest export; keep the previous snapshot if anything is wrong."""
    if source == "metr":
        from dlrev.cli.horizons import update_metr_cmd

        return update_metr_cmd(url, timeout, as_json)
    if source != "epoch":
        raise DlrevError(f"--source {source!r} is not one of epoch, metr.")
    from dlrev.update import snapshot_status, update

    if timeout <= 0 or deadline <= 0 or max_size <= 0:
        raise DlrevError("--timeout, --deadline and --max-size must be positive.")
    before, note = snapshot_status()
    if note:
        err_console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    limits = {"timeout": timeout, "deadline": deadline, "max_bytes": int(max_size * 2**20),
              "force": force}
    if as_json:
        snap = update(url, **limits)  # type: ignore[arg-type]
    else:
        with Progress(TextColumn("downloading"), BarColumn(), DownloadColumn(),
                      console=err_console, transient=True,
                      disable=not err_console.is_terminal) as bar:
            task = bar.add_task("download", total=None)
            snap = update(url, progress=lambda got, total: bar.update(task, completed=got,
                                                                      total=total),
                          **limits)  # type: ignore[arg-type]
    if as_json:
        print_json({"snapshot": snap.to_dict(),
                    "previous": before.to_dict() if before else None})
        return
    change = ""
    if before:
        change = (" (unchanged)" if before.sha256 == snap.sha256
                  else f" (was {before.rows} rows)")
    console.print(f"Epoch snapshot updated: {snap.rows} systems, {snap.with_compute} with "
                  f"compute{change}; saved to {snap.path}")
    console.print(f"[dim]{epoch.ATTRIBUTION}[/dim]")
