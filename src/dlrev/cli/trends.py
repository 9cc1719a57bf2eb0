"""`dlrev trends`, `dlrev forecast`, `dlrev backtest`, and the `dlrev plot` group.

Other areas add their own figures to the plot group:

    from dlrev.cli.trends import plot_app

    @plot_app.command("scaling")
    def plot_scaling(ctx: typer.Context, output: Path = OUTPUT_OPTION) -> None: ...
"""

from __future__ import annotations

from pathlib import Path

import typer

plot_app = typer.Typer(
    help="Publication figures (SVG, PDF or PNG; byte-identical between runs for SVG and PDF).",
    no_args_is_help=True,
)

OUTPUT_OPTION = typer.Option(..., "-o", "--output", help="Output file: .svg, .pdf or .png.")


def register(app: typer.Typer) -> None:
    app.add_typer(plot_app, name="plot")


__all__ = ["plot_app", "register", "OUTPUT_OPTION", "Path"]
