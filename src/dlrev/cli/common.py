"""Shared pieces of the command line: the catalog of the current invocation, JSON and numbers."""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from dlrev._lazy import lazy
from dlrev.errors import DlrevError
from dlrev.jsonio import dumps

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from dlrev.catalog import Catalog
else:
    np = lazy("numpy")
    pd = lazy("pandas")

console = Console(soft_wrap=True)
JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables.")


def catalog(ctx: typer.Context) -> Catalog:
    """The catalog for this invocation (loaded once, honouring the global --data)."""
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    if "catalog" not in obj:
        from dlrev.catalog import load

        obj["catalog"] = load(obj.get("data"))
        root.obj = obj
        for note in obj["catalog"].notes[:10]:  # rows skipped in a third-party file
            typer.echo(f"note: {note}", err=True)
    return obj["catalog"]


def source_line(sources: list[str]) -> str:
    """'Source: ...' under a table or fit (dlrev.catalog.source_line, imported when needed)."""
    from dlrev.catalog import source_line as line

    return line(sources)


def print_json(value: Any) -> None:
    """The result as one JSON document on stdout (the only thing --json writes there)."""
    sys.stdout.write(dumps(value, indent=2) + "\n")


_NUMBER_FORMS = (
    # 1e24, 1.5E+24, 3, 0.5, -2
    (r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", lambda m: float(m.group(0))),
    # 10^24, 10**24
    (r"10\s*(\^|\*\*)\s*([+-]?\d+)", lambda m: 10.0 ** int(m.group(2))),
    # 1x10^24, 1.5 × 10^24, 2*10**24
    (r"([+-]?\d+(\.\d*)?)\s*[xX×*]\s*10\s*(\^|\*\*)\s*([+-]?\d+)",
     lambda m: float(m.group(1)) * 10.0 ** int(m.group(4))),
    # 1,000,000 (commas only between groups of three digits)
    (r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", lambda m: float(m.group(0).replace(",", ""))),
)


def parse_number(text: str | float | None, option: str) -> float | None:
    """A number in the forms people type: 1e24, 10^24, 1x10^24, 1,000,000 (None stays None).
    Anything else is one clear error naming the option."""
    import re

    if text is None or isinstance(text, int | float):
        return None if text is None else float(text)
    t = str(text).strip()
    for pattern, value in _NUMBER_FORMS:
        m = re.fullmatch(pattern, t, flags=re.ASCII)  # never Arabic-Indic or other digits
        if m:
            v = float(value(m))
            if math.isfinite(v):
                return v
    raise DlrevError(f"{option}: {text!r} is not a number; write it as 1e24, 10^24, 1x10^24 or "
                     "1,000,000.")


def fmt_sci(x: Any, digits: int = 2) -> str:
    """3.14e23 -> '3.1e23'; blank for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return ""
    x = float(x)
    if x == 0:
        return "0"
    exp = int(math.floor(math.log10(abs(x))))
    mant = x / 10**exp
    text = f"{mant:.{digits - 1}f}".rstrip("0").rstrip(".")
    if text == "10":
        text, exp = "1", exp + 1
    return f"{text}e{exp}"


def fmt_date(x: Any) -> str:
    if x is None or pd.isna(x):
        return ""
    return pd.Timestamp(x).date().isoformat()
