"""The dlrev command line: parses, calls the library, renders. No analysis lives here.

Each area registers its commands from its own module; errors the library raises as DlrevError
are printed as one sentence on stderr with exit status 2 and no traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from dlrev.errors import DlrevError


class DlrevGroup(TyperGroup):
    """Turns DlrevError anywhere below into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DlrevError as exc:
            typer.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            typer.echo("interrupted.", err=True)
            ctx.exit(130)


app = typer.Typer(
    cls=DlrevGroup,
    help="Measure and show the deep learning revolution.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _global(
    ctx: typer.Context,
    data: str = typer.Option(
        None, "--data", metavar="FILE",
        help="Use this systems table instead of the curated one: an Epoch AI CSV export, a CSV "
             "in dlrev's format, or 'epoch' for the snapshot fetched by `dlrev data update`.",
    ),
) -> None:
    ctx.obj = {"data": data}


# Command modules register themselves on `app`; keep this list in one place.
from dlrev.cli import capability as _capability  # noqa: E402
from dlrev.cli import data as _data  # noqa: E402
from dlrev.cli import growth as _growth  # noqa: E402
from dlrev.cli import horizons as _horizons  # noqa: E402
from dlrev.cli import lab as _lab  # noqa: E402
from dlrev.cli import overview as _overview  # noqa: E402
from dlrev.cli import progress as _progress  # noqa: E402
from dlrev.cli import scaling as _scaling  # noqa: E402
from dlrev.cli import story as _story  # noqa: E402
from dlrev.cli import trends as _trends  # noqa: E402
from dlrev.cli import web as _web  # noqa: E402

_overview.register(app)
_data.register(app)
_lab.register(app)
_trends.register(app)
_progress.register(app)
_scaling.register(app)
_story.register(app)
_web.register(app)
_horizons.register(app)
_growth.register(app)
_capability.register(app)


def main() -> None:
    try:
        app()
    except DlrevError as exc:  # raised outside a command (e.g. while parsing)
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
