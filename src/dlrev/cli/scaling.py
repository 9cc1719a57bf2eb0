"""`dlrev scaling fit|optimal|compare` and `dlrev plot scaling`: thin views over dlrev.scaling."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from dlrev._lazy import lazy
from dlrev.cli.common import JSON_OPTION, console, fmt_sci, parse_number, print_json
from dlrev.errors import DlrevError

if TYPE_CHECKING:
    import pandas as pd

    from dlrev import scaling
else:
    pd = lazy("pandas")
    scaling = lazy("dlrev.scaling")

scaling_app = typer.Typer(
    help="Scaling laws: fit them to training runs, compare parameter sets, plan compute-optimal "
         "training.",
    no_args_is_help=True,
)

N_COL = typer.Option(None, "--n-col", help="Column holding parameters N.")
D_COL = typer.Option(None, "--d-col", help="Column holding training tokens D.")
C_COL = typer.Option(None, "--c-col", help="Column holding training compute C (FLOP).")
LOSS_COL = typer.Option(None, "--loss-col", help="Column holding the final loss.")
DROP = typer.Option(0, "--drop-highest-loss", metavar="K",
                    help="Leave out the K runs with the highest loss (the replication drops 5).")


def read_runs_csv(path: Path) -> pd.DataFrame:
    """Read a CSV of training runs, turning every failure into one sentence."""
    if not path.is_file():
        raise DlrevError(f"{path}: no such file.")
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DlrevError(f"{path}: not a readable CSV file ({msg}).") from None
    if df.empty:
        raise DlrevError(f"{path}: the file has no rows.")
    return df


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:.4g}" if 1e-3 <= abs(v) < 1e5 else fmt_sci(v, 3)


def _fit_table(result: Any) -> Table:
    table = Table(title=result.to_dict()["law"])
    table.add_column("parameter")
    table.add_column("estimate", justify="right")
    table.add_column("s.e.", justify="right")
    level = next(iter(result.intervals.values())).level
    table.add_column(f"{level:.0%} interval", justify="right")
    for name, iv in result.intervals.items():
        rng = f"{_fmt(iv.low)} – {_fmt(iv.high)}" if iv.low is not None else ""
        table.add_row(name, _fmt(iv.estimate), _fmt(iv.se), rng)
    return table


def _do_fit(file: Path, form: str, x: str, drop: int, n_boot: int, seed: int,
            cols: dict[str, Any], quiet: bool) -> Any:
    df = read_runs_csv(file)
    status = Console(stderr=True).status(f"fitting {form} law ({n_boot} bootstrap resamples)")
    if not quiet:
        status.start()
    try:
        return scaling.fit(df, form, x=x.upper(), n_boot=n_boot,
                           seed=seed, drop_highest_loss=drop, source=str(file), **cols)
    finally:
        if not quiet:
            status.stop()


@scaling_app.command("fit")
def fit_cmd(
    file: Path = typer.Argument(..., help="CSV of training runs (N, D or C, loss)."),
    form: str = typer.Option("chinchilla", "--form",
                             help="chinchilla (E + A/N^alpha + B/D^beta), power "
                                  "(E + (X0/X)^alpha) or kaplan."),
    x: str = typer.Option("N", "--x", help="The variable of a power law: N, D or C."),
    drop: int = DROP,
    n_boot: int = typer.Option(1000, "--bootstrap", metavar="B",
                               help="Bootstrap resamples for the intervals (0: none)."),
    seed: int = typer.Option(42, "--seed", help="Seed of the bootstrap."),
    n_col: str | None = N_COL, d_col: str | None = D_COL, c_col: str | None = C_COL,
    loss_col: str | None = LOSS_COL,
    as_json: bool = JSON_OPTION,
) -> None:
    """Fit a scaling law by Hoffmann et al.'s procedure (Huber on log loss, 4,500 L-BFGS starts)."""
    form = form.lower()
    if form not in ("chinchilla", "power", "kaplan"):
        raise DlrevError(f"--form must be chinchilla, power or kaplan, not {form!r}.")
    if x.upper() not in ("N", "D", "C"):
        raise DlrevError(f"--x must be N, D or C, not {x!r}.")
    if n_boot < 0:
        raise DlrevError("--bootstrap must be 0 or more.")
    cols: dict[str, Any] = {"n_col": n_col, "d_col": d_col, "c_col": c_col, "loss_col": loss_col}
    result = _do_fit(file, form, x, drop, n_boot, seed, cols, as_json)
    out = result.to_dict()
    if form == "chinchilla":
        out["optimal_at_1e24"] = scaling.optimal(result, 1e24).to_dict()
    out["file"] = str(file)
    if as_json:
        print_json(out)
        return
    console.print(_fit_table(result))
    g = result.fit
    console.print(f"{g.n} runs; RMSE of loss {g.rmse:.4f}, of log loss {g.rmse_log:.4f}; "
                  f"R² {g.r2:.4f}; best of {result.info.n_starts} starts "
                  f"({result.info.n_converged} converged).")
    for note in result.info.notes:
        console.print(f"note: {note}")
    if form == "chinchilla":
        o = out["optimal_at_1e24"]
        console.print(f"compute-optimal at 1e24 FLOP: N = {fmt_sci(o['N'], 3)}, "
                      f"D = {fmt_sci(o['D'], 3)} ({o['tokens_per_param']:.1f} tokens/parameter), "
                      f"a = {o['a']:.3f}, b = {o['b']:.3f}.")


def _params_from(spec: str, drop: int, cols: dict[str, Any], quiet: bool) -> Any:
    if spec.lower() in scaling.PUBLISHED:
        return scaling.PUBLISHED[spec.lower()]
    path = Path(spec)
    if not path.is_file():
        raise DlrevError(f"--fit {spec!r} is neither a parameter set "
                         f"({', '.join(scaling.PUBLISHED)}) nor a CSV file of runs.")
    return _do_fit(path, "chinchilla", "N", drop, 0, 42, cols, quiet)


@scaling_app.command("optimal")
def optimal_cmd(
    compute: list[str] = typer.Option(
        ..., "--compute", help="Budget in FLOP, e.g. 1e24, 10^24 or 1x10^24 (repeatable)."),
    fit: str = typer.Option("besiroglu", "--fit",
                            help="hoffmann, hoffmann-tex, besiroglu, or a CSV of runs to fit."),
    drop: int = DROP,
    n_col: str | None = N_COL, d_col: str | None = D_COL, c_col: str | None = C_COL,
    loss_col: str | None = LOSS_COL,
    as_json: bool = JSON_OPTION,
) -> None:
    """Compute-optimal parameters and tokens for a budget (C = 6 N D)."""
    cols: dict[str, Any] = {"n_col": n_col, "d_col": d_col, "c_col": c_col, "loss_col": loss_col}
    params = _params_from(fit, drop, cols, as_json)
    budgets = [parse_number(c, "--compute") for c in compute]
    rows = [scaling.optimal(params, c) for c in budgets if c is not None]
    if as_json:
        print_json({"fit": params.to_dict() if isinstance(params, scaling.ChinchillaParams)
                    else params.params.to_dict(), "optimal": rows})
        return
    table = Table(title=f"compute-optimal training ({fit})")
    for col in ("compute (FLOP)", "parameters N", "tokens D", "tokens/param", "loss"):
        table.add_column(col, justify="right")
    for o in rows:
        table.add_row(fmt_sci(o.compute, 3), fmt_sci(o.N, 3), fmt_sci(o.D, 3),
                      f"{o.tokens_per_param:.1f}", f"{o.loss:.3f}")
    console.print(table)
    console.print(f"N ∝ C^{rows[0].a:.3f}, D ∝ C^{rows[0].b:.3f}")


@scaling_app.command("compare")
def compare_cmd(
    file: Path = typer.Argument(..., help="CSV of training runs."),
    drop: int = DROP,
    n_col: str | None = N_COL, d_col: str | None = D_COL, c_col: str | None = C_COL,
    loss_col: str | None = LOSS_COL,
    as_json: bool = JSON_OPTION,
) -> None:
    """How well each published parameter set predicts the runs in FILE."""
    runs = scaling.runs_from_frame(read_runs_csv(file), n_col=n_col, d_col=d_col, c_col=c_col,
                                   loss_col=loss_col, drop_highest_loss=drop, source=str(file))
    cmp = scaling.compare(list(scaling.PUBLISHED), runs)
    if as_json:
        print_json(cmp)
        return
    table = Table(title=f"{cmp.n} runs from {file}")
    for col in ("parameters", "E", "A", "B", "alpha", "beta", "RMSE loss", "mean residual"):
        table.add_column(col, justify="right")
    for r in cmp.rows:
        table.add_row(r["name"], *(_fmt(r[k]) for k in ("E", "A", "B", "alpha", "beta")),
                      f"{r['rmse']:.4f}", f"{r['mean_residual']:+.4f}")
    console.print(table)
    console.print(f"best: {cmp.best}")


def _register_plot() -> None:
    from dlrev.cli.trends import OUTPUT_OPTION, plot_app

    @plot_app.command("scaling")
    def plot_scaling(
        output: Path = OUTPUT_OPTION,
        runs_file: Path = typer.Option(None, "--runs", help="CSV of runs to draw (N, C, loss)."),
        drop: int = DROP,
        view: str = typer.Option("frontier", "--view",
                                 help="frontier (loss and N_opt against compute) or residuals "
                                      "(each published parameter set on the runs)."),
    ) -> None:
        """Loss against compute with iso-parameter curves and the compute-optimal frontiers."""
        from dlrev.figures.common import save
        from dlrev.figures.scaling import residuals_figure, scaling_figure

        if view not in ("frontier", "residuals"):
            raise DlrevError(f"--view must be frontier or residuals, not {view!r}.")
        runs = None
        if runs_file is not None:
            runs = scaling.runs_from_frame(read_runs_csv(runs_file), drop_highest_loss=drop,
                                           source=str(runs_file))
        if view == "residuals":
            if runs is None:
                raise DlrevError("--view residuals needs runs: give --runs FILE.")
            save(residuals_figure(runs), output)
        else:
            save(scaling_figure(runs), output)
        console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(scaling_app, name="scaling")
    _register_plot()
