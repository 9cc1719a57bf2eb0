"""`dlrev lab run` and `dlrev lab show`: the scaling lab's command line (a thin view)."""

from __future__ import annotations

from pathlib import Path

import typer

from dlrev.cli.common import JSON_OPTION, console, print_json

lab_app = typer.Typer(help="The scaling lab: train a family of language models and watch "
                           "loss fall with size and compute.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")


@lab_app.command("run")
def run(
    budget: str = typer.Option("5m", "--budget", help="Wall-clock budget (300s, 5m, 1h, none); "
                               "the largest models are left out when it is short."),
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
    from dlrev.lab import require_torch

    require_torch()
    from dlrev.lab import show, sweep
    from dlrev.lab.corpus import load_corpus

    cfg = sweep.LabConfig(family=family, budget=budget, device=device, seed=seed,
                          threads=threads, steps=steps,
                          only=only.split(",") if only else None)
    out = out if out is not None else Path("lab-runs") / family
    # validate everything cheap before any text is read or folder made
    if family not in sweep.FAMILIES:
        raise _err(f"--family {family!r} is not one of {', '.join(sweep.FAMILIES)}")
    sweep.parse_budget(budget)
    sweep.resolve_device(device)
    text = load_corpus(corpus)
    err = console if not as_json else None

    def say(msg: str) -> None:
        if err is not None:
            err.print(msg)
        else:
            typer.echo(msg, err=True)

    for note in text.notes:
        say(f"[yellow]note:[/yellow] {note}" if err else f"note: {note}")
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[info]}"), TimeRemainingColumn(),
                        console=console, disable=as_json, transient=False)
    tasks: dict[str, TaskID] = {}

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
            progress.console.print(f"n-grams 1..{len(info['results'])}: best {best['order']}-gram "
                                   f"{best['val_loss']:.3f} nats/char in {info['seconds']:.1f} s")
        elif kind == "model_start":
            tasks[info["name"]] = progress.add_task(info["name"], total=info["steps"], info="")
        elif kind == "step":
            tid = tasks.get(info["name"])
            if tid is not None and (info["step"] % 10 == 0 or "val_loss" in info
                                    or info["step"] == info["steps"]):
                extra = f"loss {info['loss']:.3f}"
                if "val_loss" in info:
                    extra += f" val {info['val_loss']:.3f}"
                progress.update(tid, completed=info["step"], info=extra)
        elif kind == "model_done":
            tid = tasks.get(info["name"])
            if tid is not None:
                progress.update(tid, completed=info["steps"],
                                info=f"val {info['val_loss']:.3f} ({info['params']:,} params, "
                                     f"{info['seconds']:.0f} s)")
        elif kind == "done":
            progress.stop()

    try:
        summary = sweep.run(text, out, cfg, on_event)
    finally:
        progress.stop()
    if as_json:
        print_json(summary)
        return
    report = show.load(out)
    console.print(show.table(report))
    if report.fits:
        console.print(show.fits_table(report))
    console.print(show.sample_panels(report))
    console.print(f"results in {out}/ (see them again with `dlrev lab show {out}`)")


@lab_app.command("show")
def show_cmd(
    folder: Path = typer.Argument(..., help="A folder written by `dlrev lab run`."),
    as_json: bool = JSON_OPTION,
    width: int = typer.Option(36, "--width", help="Width of each sample panel."),
) -> None:
    """Print a lab run's models, fits and samples side by side."""
    from dlrev.lab import show

    report = show.load(folder)
    if as_json:
        print_json(report)
        return
    if not report.complete:
        console.print("[yellow]this run has not finished; showing the models done so far[/yellow]")
    for n in report.manifest.get("notes", []):
        console.print(f"note: {n}")
    console.print(show.table(report))
    if report.fits:
        console.print(show.fits_table(report))
    console.print(show.sample_panels(report, width=width))


def _err(msg: str) -> Exception:
    from dlrev.errors import DlrevError

    return DlrevError(msg)
