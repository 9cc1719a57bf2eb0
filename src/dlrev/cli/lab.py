"""`dlrev lab run | isoflop | show`: the scaling lab's one command line (a thin view).

`python -m dlrev.lab ...` and `torchrun -m dlrev lab ...` reach the same commands. Results go to
stdout (tables, or exactly one JSON document with --json); progress and notes go to stderr.
Under torchrun only rank 0 prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from dlrev.cli.common import JSON_OPTION, console, print_json

lab_app = typer.Typer(help="The scaling lab: train a family of language models and watch "
                           "loss fall with size and compute.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")


@contextmanager
def _session(device: str, threads: int | None) -> Iterator[tuple[str, int | None, int]]:
    """Resolve the device; under torchrun join the process group (left again at the end)."""
    from dlrev.lab import device as dev
    from dlrev.lab import require_torch

    require_torch()
    try:
        device, threads, rank, world = dev.setup(device, threads)
        if world > 1 and rank == 0:
            err.print(f"processes: {world} (DistributedDataParallel)")
        yield device, threads, rank
    finally:
        dev.teardown()


def _progress(disable: bool) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[info]}"), TimeRemainingColumn(), console=err,
                    disable=disable, transient=False)


def _step_info(info: dict) -> str:
    extra = f"loss {info['loss']:.3f}"
    return extra + (f" val {info['val_loss']:.3f}" if "val_loss" in info else "")


def _corpus(corpus: str | None, rank: int) -> tuple[Any, Any]:
    """The corpus, with its notes said, and the function that speaks on rank 0 only."""
    from dlrev.lab.corpus import load_corpus

    text = load_corpus(corpus)
    say = err.print if rank == 0 else (lambda *a, **k: None)
    for note in text.notes:
        say(f"note: {note}")
    return text, say


def _finish(summary: Any, folder: Path, rank: int, as_json: bool) -> None:
    """Rank 0 prints the result: the JSON document, or the folder's tables."""
    if rank != 0:
        return
    if as_json:
        print_json(summary)
        return
    from dlrev.cli import labview
    from dlrev.lab import isoflop as iso
    from dlrev.lab import show

    if iso.is_isoflop(folder):
        labview.print_isoflop(console, iso.load(folder))
    else:
        labview.print_report(console, show.load(folder))
    err.print(f"results in {folder}/ (see them again with `dlrev lab show {folder}`)")


@lab_app.command("run")
def run(
    budget: str = typer.Option("5m", "--budget", help="Wall-clock budget (300s, 5m, 1h, none); "
                               "training is shortened first, sizes left out only when needed."),
    corpus: str = typer.Option(None, "--corpus", metavar="PATH",
                               help="A UTF-8 text file, or 'stdlib'; default tiny-shakespeare "
                                    "(downloaded once, sha256-checked)."),
    family: str = typer.Option("default", "--family", help="default, tiny or gpu."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    out: Path = typer.Option(None, "--out", help="Output folder, resumable "
                             "(default lab-runs/<family>)."),
    seed: int = typer.Option(0, "--seed"),
    threads: int = typer.Option(None, "--threads", help="CPU threads (default: 1, or 2 when a "
                                "quick check finds the machine idle)."),
    steps: int = typer.Option(None, "--steps", help="Train every neural model this many steps."),
    only: str = typer.Option(None, "--only", metavar="NAMES",
                             help="Comma-separated model names: train only these."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Train n-gram baselines, a char-LSTM and a ladder of GPTs; fit the scaling laws."""
    from dlrev.lab import device as dev
    from dlrev.lab import sweep
    from dlrev.lab.families import family_of
    from dlrev.lab.results import refuse_other_kind

    family_of(family)  # validate everything cheap before any text is read or folder made
    dev.parse_budget(budget)
    out = out if out is not None else Path("lab-runs") / family
    refuse_other_kind(out, "lab.json")  # before the corpus is fetched (sweep.run checks too)
    with _session(device, threads) as (device, n_threads, rank):
        text, say = _corpus(corpus, rank)
        cfg = sweep.LabConfig(family=family, budget=budget, device=device, seed=seed,
                              threads=n_threads, steps=steps,
                              only=only.split(",") if only else None)
        progress = _progress(disable=rank != 0)
        tasks: dict[str, Any] = {}

        def on_event(kind: str, info: dict) -> None:
            if kind == "threads":
                say(f"threads: {info['threads']} ({info['reason']})")
            elif kind == "probe":
                say("measuring each model's speed to fit the budget...")
            elif kind == "resume":
                say(f"resuming in {out}: finished {', '.join(info['done']) or 'nothing yet'}")
            elif kind == "plan":
                names = ", ".join(f"{m['name']} ({m['steps']:,} steps)" for m in info["models"])
                est = info.get("estimated_s")
                say(f"corpus: {text.source}, {len(text.ids):,} chars, vocab {text.vocab_size}")
                say(f"plan ({info['family']}): n-grams 1..{info['ngram_order']}, {names}"
                    + (f"; about {est / 60:.1f} min" if est else ""))
                for n in info.get("notes", []):
                    say(f"note: {n}")
                progress.start()
            elif kind == "ngram_done":
                best = min(info["results"], key=lambda r: r["val_loss"])
                say(f"n-grams 1..{len(info['results'])}: best {best['order']}-gram "
                    f"{best['val_loss']:.3f} nats/char in {info['seconds']:.1f} s")
            elif kind == "model_start":
                tasks[info["name"]] = progress.add_task(info["name"], total=info["steps"],
                                                        info="")
            elif kind == "step" and info["name"] in tasks:
                if info["step"] % 10 == 0 or "val_loss" in info or info["step"] == info["steps"]:
                    progress.update(tasks[info["name"]], completed=info["step"],
                                    info=_step_info(info))
            elif kind == "model_done" and info["name"] in tasks:
                progress.update(tasks[info["name"]], completed=info["steps"],
                                info=f"val {info['val_loss']:.3f} ({info['params']:,} params, "
                                     f"{info['seconds']:.0f} s)")

        try:
            summary = sweep.run(text, out, cfg, on_event)
        finally:
            progress.stop()
        _finish(summary, out, rank, as_json)


@lab_app.command("isoflop")
def isoflop(
    budget: str = typer.Option("10m", "--budget", help="Wall-clock budget (300s, 10m, 1h); the "
                               "compute budgets are chosen so that every run fits."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    corpus: str = typer.Option(None, "--corpus", metavar="PATH",
                               help="A UTF-8 text file, or 'stdlib'; default tiny-shakespeare."),
    family: str = typer.Option(None, "--family", help="The ladder of sizes: cpu, gpu or tiny "
                               "(default: gpu on a GPU, cpu otherwise)."),
    compute: float = typer.Option(None, "--compute", metavar="FLOP",
                                  help="The smallest compute budget in FLOP (the others are 3x "
                                       "and 9x), instead of planning from --budget."),
    out: Path = typer.Option(None, "--out", help="Output folder, resumable "
                             "(default lab-runs/isoflop-<family>)."),
    seed: int = typer.Option(0, "--seed"),
    threads: int = typer.Option(None, "--threads", help="CPU threads."),
    boot: int = typer.Option(200, "--boot", help="Bootstrap resamples of the L(N, D) fit."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Chinchilla's IsoFLOP experiment: several sizes at each of three compute budgets."""
    from dlrev.lab import device as dev
    from dlrev.lab import isoflop as iso
    from dlrev.lab.families import ISO_FAMILIES
    from dlrev.lab.results import refuse_other_kind

    if family is not None and family not in ISO_FAMILIES:
        raise _err(f"--family {family!r} is not one of {', '.join(ISO_FAMILIES)}")
    if compute is not None and not compute > 0:
        raise _err("--compute must be a positive number of FLOP")
    dev.parse_budget(budget)
    if out is not None:  # before the corpus is fetched (iso.run checks the default folder)
        refuse_other_kind(out, "isoflop.json")
    with _session(device, threads) as (device, n_threads, rank):
        fam = family or ("gpu" if device.startswith("cuda") else "cpu")
        folder = out if out is not None else Path("lab-runs") / f"isoflop-{fam}"
        text, say = _corpus(corpus, rank)
        cfg = iso.IsoConfig(budget=budget, device=device, family=fam, compute=compute,
                            seed=seed, threads=n_threads, n_boot=max(0, boot))
        progress = _progress(disable=rank != 0)
        tasks: dict[str, Any] = {}

        def on_event(kind: str, info: dict) -> None:
            if kind == "threads":
                say(f"threads: {info['threads']} ({info['reason']})")
            elif kind == "probe":
                say(f"measuring the speed of {info['models']} model shapes to fit the budget...")
            elif kind == "resume":
                say(f"resuming in {folder}: {len(info['done'])} runs finished")
            elif kind == "design":
                est = info.get("estimated_s")
                say(f"corpus: {text.source}, {len(text.ids):,} chars; "
                    f"{len(info['runs'])} runs at compute budgets "
                    + ", ".join(f"{c:.2g}" for c in info["computes"]) + " FLOP"
                    + (f"; about {est / 60:.1f} min" if est else ""))
                for n in info.get("notes", []):
                    say(f"note: {n}")
                tasks["all"] = progress.add_task("IsoFLOP runs", total=len(info["runs"]),
                                                 info="")
                progress.start()
            elif kind in ("skip", "run_done"):
                progress.advance(tasks["all"])
                if kind == "run_done":
                    progress.remove_task(tasks.pop(info["key"]))
                    say(f"{info['key']}: N {info['N']:,}, D {info['D']:,}, val "
                        f"{info['val_loss']:.4f} ({info['seconds']:.0f} s)")
            elif kind == "run_start":
                tasks[info["key"]] = progress.add_task(info["key"], total=info["steps"], info="")
            elif kind == "step" and info["key"] in tasks:
                if info["step"] % 20 == 0 or "val_loss" in info:
                    progress.update(tasks[info["key"]], completed=info["step"],
                                    info=_step_info(info))

        try:
            summary = iso.run(text, folder, cfg, on_event)
        finally:
            progress.stop()
        _finish(summary, folder, rank, as_json)


@lab_app.command("show")
def show_cmd(
    folder: Path = typer.Argument(..., help="A folder written by `dlrev lab run` or "
                                            "`dlrev lab isoflop`."),
    as_json: bool = JSON_OPTION,
    width: int = typer.Option(36, "--width", help="Width of each sample panel."),
) -> None:
    """Print a lab run's models, fits and samples, or an IsoFLOP run's curves and optima."""
    from dlrev.cli import labview
    from dlrev.lab import isoflop as iso
    from dlrev.lab import show

    if iso.is_isoflop(folder):
        data = iso.load(folder)
        if as_json:
            print_json(data)
        else:
            labview.print_isoflop(console, data)
        return
    report = show.load(folder)
    if as_json:
        print_json(report)
        return
    if not report.complete:
        err.print("[yellow]this run has not finished; showing the models done so far[/yellow]")
    for n in report.manifest.get("notes", []):
        err.print(f"note: {n}")
    labview.print_report(console, report, width=width)


def _err(msg: str) -> Exception:
    from dlrev.errors import DlrevError

    return DlrevError(msg)
