"""Shared pieces of the command line: the catalog of the current invocation, JSON and numbers."""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from dlrev._lazy import lazy

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


def to_jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict") and not isinstance(value, pd.DataFrame | pd.Series):
        return to_jsonable(value.to_dict())
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return to_jsonable(value.to_dict())
    if isinstance(value, pd.Timestamp | datetime | date):
        return None if pd.isna(value) else value.date().isoformat() if isinstance(
            value, pd.Timestamp | datetime) else value.isoformat()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if value is pd.NaT or value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


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
