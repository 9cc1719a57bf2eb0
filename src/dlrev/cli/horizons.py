"""`dlrev horizons [FILE]` (METR time horizons and their trend) and `dlrev data import-metr`."""

from __future__ import annotations

import math
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from dlrev._lazy import lazy
from dlrev.cli.common import JSON_OPTION, console
from dlrev.errors import DlrevError

if TYPE_CHECKING:
    from dlrev import horizons, jsonio, metr
else:
    horizons = lazy("dlrev.horizons")
    metr = lazy("dlrev.metr")
    jsonio = lazy("dlrev.jsonio")

err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    from dlrev.cli.data import data_app

    app.command("horizons")(horizons_cmd)
    data_app.command("import-metr")(import_metr_cmd)


def fmt_minutes(m: float | None) -> str:
    """4.03 -> '4.0 min', 203 -> '3.4 h'; blank for missing."""
    if m is None or not math.isfinite(m):
        return ""
    if m < 1:
        return f"{m * 60:.0f} s"
    if m < 60:
        return f"{m:.1f} min"
    return f"{m / 60:.1f} h"


def _interval(lo: float, hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    return f"[{fmt_minutes(lo)}, {fmt_minutes(hi)}]"


def analyse(file: Path | None, bootstrap: int, seed: int, ci: float, weighting: str,
            published: bool, release_dates: Path | None = None) -> dict[str, Any]:
    """Fit a results file (or show the published table) and the SOTA trend; one JSON-ready dict
    that the text view, --json and the web page all read."""
    source_kind = "fit"
    res = None
    if published:
        file = None
    elif file is None and metr.metr_snapshot_path().exists():
        file = metr.metr_snapshot_path()
    if file is None:
        fit = horizons.from_published(metr.read_curated())
        source_kind = "published"
    else:
        dates = metr.read_release_dates(release_dates) if release_dates else None
        res = metr.read_metr(file, release_dates=dates)
        fit = horizons.fit_horizons(res, bootstrap=bootstrap, seed=seed, ci=ci,
                                    weighting=weighting)
    trend = horizons.horizon_trend(fit, bootstrap=1000, ci=ci, seed=seed)
    out: dict[str, Any] = {"kind": source_kind, **fit.to_dict(), "trend": trend.to_dict(),
                           "attribution": metr.ATTRIBUTION}
    if res is not None:
        out["file"] = res.summary()
    return out


def horizons_cmd(
    file: Path = typer.Argument(
        None, help="METR task-results YAML (task_results_1_1.yaml). Default: the snapshot from "
                   "`dlrev data import-metr` / `update --source metr`, else METR's published "
                   "values from the curated table."),
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Hierarchical bootstrap draws."),
    seed: int = typer.Option(42, "--seed", help="Random seed (METR's draws start at 42)."),
    ci: float = typer.Option(0.95, "--ci", help="Interval level."),
    weighting: str = typer.Option("invsqrt", "--weighting",
                                  help="invsqrt (METR's headline), file or equal."),
    published: bool = typer.Option(False, "--published",
                                   help="Show METR's published values even if a snapshot exists."),
    release_dates: Path = typer.Option(
        None, "--release-dates", metavar="YAML",
        help="METR's release_dates.yaml: fills release dates the results file lacks."),
    as_json: bool = JSON_OPTION,
) -> None:
    """AI time horizons (METR's method): each agent's 50% and 80% horizon with bootstrap
    intervals, the trend of state-of-the-art agents, and when it reaches a day, week, month."""
    if not 0 < ci < 1:
        raise DlrevError(f"--ci must lie between 0 and 1 (got {ci}).")
    if file is not None and not file.exists():
        raise DlrevError(f"{file}: no such file.")
    if as_json:
        d = analyse(file, bootstrap, seed, ci, weighting, published, release_dates)
        sys.stdout.write(jsonio.dumps(d, indent=2) + "\n")
        return
    with err.status("fitting horizons ..."):
        d = analyse(file, bootstrap, seed, ci, weighting, published, release_dates)
    render(d)


def render(d: dict[str, Any], today: str | None = None) -> None:
    """The text view; crossing dates before `today` (ISO; default the real today) read as past."""
    tr = d["trend"]
    pct = round(float(d["settings"].get("ci", tr["settings"]["ci"])) * 100)
    fitted = d["kind"] == "fit"
    t = Table(title=("Time horizons fitted from " + d["source"]) if fitted else
              "METR's published time horizons (curated table; give a results file to refit)")
    for c in ("agent", "released", "50% horizon", f"{pct}% interval", "80% horizon",
              f"{pct}% interval ", "SOTA"):
        t.add_column(c, justify="right" if "horizon" in c or "interval" in c else "left",
                     no_wrap=c in ("agent", "released"))
    sota = set(tr["sota"])
    nan = float("nan")
    for name, a in d["agents"].items():
        def g(k: str, a: dict[str, Any] = a) -> float:
            v = a.get(k)
            return nan if v is None else float(v)
        t.add_row(name, a["release_date"] or "", fmt_minutes(g("p50")),
                  _interval(g("p50_low"), g("p50_high")), fmt_minutes(g("p80")),
                  _interval(g("p80_low"), g("p80_high")), "*" if name in sota else "")
    console.print(t)
    shown: set[tuple[str, ...]] = set()
    for w in tr["windows"]:
        if tuple(w["agents"]) in shown:
            console.print(f"trend {w['label']}: the same agents as above.")
            continue
        shown.add(tuple(w["agents"]))
        if not w["fitted"]:
            console.print(f"trend {w['label']}: not fitted ({w['note']})")
            continue
        line = (f"SOTA trend {w['label']} (n = {w['n']}): doubling every "
                f"{w['doubling_months']:.1f} months ({w['doubling_days']:.0f} days), {pct}% "
                f"[{w['doubling_days_low']:.0f}, {w['doubling_days_high']:.0f}] days by "
                "resampling agents")
        if w.get("metr_doubling_days_low") is not None:
            line += (f"; [{w['metr_doubling_days_low']:.0f}, {w['metr_doubling_days_high']:.0f}]"
                     " days from the hierarchical draws (METR's interval)")
        console.print(line)
    console.print(f"breakpoint: {tr['breakpoint_note']}")
    groups = [(tr["windows"][0]["label"], tr["crossings"])]
    if tr.get("recent_crossings"):
        groups.append((tr["windows"][-1]["label"], tr["recent_crossings"]))
    today = today or date.today().isoformat()
    console.print(f"50% horizon against work time ({pct}% prediction intervals, as of {today}):")
    for label, crossings in groups:
        for c in crossings:
            console.print(horizons.crossing_sentence(c, today, label))
    console.print(f"[dim]{tr['definition']}. {d['settings']['interval_method']}.[/dim]")
    if fitted:
        s = d["settings"]
        console.print(f"[dim]settings: weighting {s['weighting']}; regularization "
                      f"{s['regularization']:g} (sklearn C = {s['sklearn_C']:g}); "
                      f"seed {s['seed']}.[/dim]")
        skipped = d["file"]["skipped"]
        if skipped:
            err.print(f"note: skipped {sum(skipped.values())} row(s): "
                      + ", ".join(f"{k} {v}" for k, v in skipped.items()))
    for n in d["notes"]:
        err.print(f"note: {n}")
    console.print(f"[dim]Data: {d['attribution']}[/dim]")


def import_metr_cmd(
    file: Path = typer.Argument(..., help="A METR task-results YAML (task_results_1_1.yaml)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate a METR results file and make it the cached snapshot `dlrev horizons` uses."""
    if not file.exists():
        raise DlrevError(f"{file}: no such file.")
    meta = metr.install_metr_snapshot(file, source=str(file.resolve()))
    if as_json:
        sys.stdout.write(jsonio.dumps({"snapshot": meta}, indent=2) + "\n")
        return
    console.print(f"imported {meta['agents']} agents, {meta['task_rows']} agent x task rows "
                  f"({meta['runs']} runs) from {file}; snapshot: {meta['path']}")
    if meta["skipped"]:
        err.print("note: skipped " + ", ".join(f"{k} {v}" for k, v in meta["skipped"].items()))
    console.print(f"[dim]Data: {metr.ATTRIBUTION}[/dim]")


def update_metr_cmd(url: str | None, timeout: float, as_json: bool) -> None:
    """`dlrev data update --source metr`: fetch METR's newest results file atomically."""
    meta = metr.update_metr(url, timeout=timeout)
    if as_json:
        sys.stdout.write(jsonio.dumps({"snapshot": meta}, indent=2) + "\n")
        return
    console.print(f"METR snapshot updated: {meta['agents']} agents, {meta['task_rows']} rows; "
                  f"saved to {meta['path']}")
    console.print(f"[dim]Data: {metr.ATTRIBUTION}[/dim]")
