"""Training runs for scaling fits: recognise N, D, C and loss columns in any table, validate them.

``runs_from_frame(df)`` returns :class:`Runs` (numpy arrays N, D, C, loss). Columns are found
under common names (case, spaces, dashes and underscores ignored) unless named explicitly;
D is derived as C / (6 N) when only compute is given, and C as 6 N D when only tokens are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dlrev.errors import DataError, DlrevError, where

ALIASES: dict[str, tuple[str, ...]] = {
    "N": ("n", "params", "parameters", "modelsize", "nparams", "numparams", "paramcount",
          "parametercount", "size"),
    "D": ("d", "tokens", "datasetsize", "trainingtokens", "ntokens", "numtokens", "data",
          "datasize"),
    "C": ("c", "flop", "flops", "compute", "trainingflop", "trainingflops",
          "trainingcompute", "trainingcomputeflop"),
    "loss": ("loss", "l", "finalloss", "evalloss", "validationloss", "valloss", "testloss",
             "trainloss"),
}
LABELS = {"N": "parameters N", "D": "tokens D", "C": "compute C (FLOP)", "loss": "loss"}


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-()\[\]./]", "", str(name)).lower()


def find_column(df: pd.DataFrame, what: str, given: str | None = None,
                source: str | None = None) -> str | None:
    """The column of ``df`` holding ``what`` (N, D, C or loss): ``given``, else an alias."""
    if given is not None:
        if given not in df.columns:
            raise DataError(f"{where(source)}: no column {given!r} (columns: "
                            f"{', '.join(map(str, df.columns))}).", file=source, column=given)
        return given
    by_norm = {_norm(c): c for c in df.columns}
    for alias in ALIASES[what]:
        if alias in by_norm:
            return str(by_norm[alias])
    return None


@dataclass
class Runs:
    """Validated training runs: parameters N, tokens D, compute C (FLOP) and final loss."""

    N: np.ndarray
    D: np.ndarray
    C: np.ndarray
    loss: np.ndarray
    columns: dict[str, str]  # which input column (or 'derived: ...') gave each quantity
    dropped: int = 0         # rows removed by drop_highest_loss

    def __len__(self) -> int:
        return int(self.loss.size)

    def x(self, var: str) -> np.ndarray:
        return {"N": self.N, "D": self.D, "C": self.C}[var]


def _values(df: pd.DataFrame, col: str, source: str | None) -> np.ndarray:
    vals = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(vals) | (vals <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raw = df[col].iloc[i]
        raise DataError(f"{where(source, i + 2, col)}: {raw!r} is not a positive number "
                        f"({int(bad.sum())} such row(s)); scaling fits need N, D, C and loss > 0.",
                        file=source, row=i + 2, column=col, value=raw)
    return vals


def runs_from_frame(df: pd.DataFrame, *, need: tuple[str, ...] = ("N", "D", "loss"),
                    n_col: str | None = None, d_col: str | None = None,
                    c_col: str | None = None, loss_col: str | None = None,
                    drop_highest_loss: int = 0, source: str | None = None) -> Runs:
    """Pick and validate the columns ``need`` (a subset of N, D, C, loss) from ``df``.

    Row numbers in errors count the header as row 1, as a spreadsheet shows a CSV file.
    """
    cols = {k: find_column(df, k, g, source)
            for k, g in (("N", n_col), ("D", d_col), ("C", c_col), ("loss", loss_col))}
    used = {k: c for k, c in cols.items() if c is not None}
    # Derive the missing one of N, D, C from the other two (C = 6 N D).
    derive = None
    if "D" not in used and "C" in used and "N" in used:
        derive = "D"
        used["D"] = f"derived: {used['C']} / (6 * {used['N']})"
    elif "C" not in used and "N" in used and "D" in used:
        derive = "C"
        used["C"] = f"derived: 6 * {used['N']} * {used['D']}"
    for k in need:
        if k not in used:
            hint = {"N": "--n-col", "D": "--d-col (or give compute with --c-col and N)",
                    "C": "--c-col (or give N and D)", "loss": "--loss-col"}[k]
            names = ", ".join(repr(a) for a in ALIASES[k][:4])
            raise DataError(f"{where(source)}: no column for {LABELS[k]} (looked for {names}, "
                            f"...; columns are {', '.join(map(str, df.columns))}); name it with "
                            f"{hint}.", file=source, column=k)
    n = len(df)
    wanted = set(need) | ({"N", "C"} if derive == "D" and "D" in need else set()) \
        | ({"N", "D"} if derive == "C" and "C" in need else set())
    full = {k: (_values(df, used[k], source) if k in wanted and k != derive
                else np.full(n, np.nan)) for k in ("N", "D", "C", "loss")}
    if derive == "D" and "D" in need:
        full["D"] = full["C"] / (6.0 * full["N"])
    if derive == "C" and "C" in need:
        full["C"] = 6.0 * full["N"] * full["D"]
    dropped = 0
    if drop_highest_loss:
        if drop_highest_loss < 0 or drop_highest_loss >= n:
            raise DlrevError(f"--drop-highest-loss {drop_highest_loss} must be between 0 and "
                             f"{n - 1} for {n} rows.")
        keep = np.ones(n, dtype=bool)
        keep[np.argsort(-full["loss"], kind="stable")[:drop_highest_loss]] = False
        full = {k: v[keep] for k, v in full.items()}
        dropped = drop_highest_loss
    return Runs(N=full["N"], D=full["D"], C=full["C"], loss=full["loss"], columns=used,
                dropped=dropped)
