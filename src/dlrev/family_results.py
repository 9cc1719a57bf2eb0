"""Size families: what scale alone changed, each family in its own metric.

`checked(frame, systems, families)` is the catalog's cross-check of the family_results table
(every row names a curated system of that family); `series(cat)` is the analysis the Story
draws: per family, its sizes (parameters from the systems table) against the per-size results.
Pure functions: no file I/O, no printing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from dlrev.errors import DataError, where

if TYPE_CHECKING:
    from dlrev.catalog import Catalog

_SIZE_TAG = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?[MBT])\b")


def checked(frame: pd.DataFrame, systems: pd.DataFrame, families: pd.DataFrame
            ) -> pd.DataFrame:
    """`frame` (read with its `_file` and `_row`) without those columns, once every row names a
    family of the families table and a system of the systems table that belongs to that family,
    and no system has two results for one metric. Otherwise one DataError naming file, row,
    column and value."""
    if "_file" not in frame.columns:  # no family_results files at all
        return frame
    fam_of = dict(zip(systems["name"].astype(str), systems["family"], strict=False))
    known_families = set(families["family"].astype(str))
    seen: dict[tuple[str, str], int] = {}
    for _, r in frame.iterrows():
        file, row = str(r["_file"]), int(r["_row"])
        family, system = str(r["family"]), str(r["system"])
        if family not in known_families:
            raise DataError(f"{where(file, row, 'family')}: {family!r} is not a family of the "
                            "families table.", file=file, row=row, column="family", value=family)
        if system not in fam_of:
            raise DataError(f"{where(file, row, 'system')}: {system!r} is not a system of the "
                            "systems table (names must match exactly).", file=file, row=row,
                            column="system", value=system)
        if fam_of[system] != family:
            raise DataError(f"{where(file, row, 'family')}: {system!r} belongs to family "
                            f"{fam_of[system]!r} in the systems table, not {family!r}.",
                            file=file, row=row, column="family", value=family)
        key = (system, str(r["metric"]))
        if key in seen:
            raise DataError(f"{where(file, row, 'system')}: a second {key[1]!r} result for "
                            f"{system!r} (first in row {seen[key]}).", file=file, row=row,
                            column="system", value=system)
        seen[key] = row
    return frame.drop(columns=["_file", "_row"]).reset_index(drop=True)


def size_tag(name: str, parameters: float) -> str:
    """The size a paper calls a model by ('GPT-3 XL (1.3B)' -> '1.3B'), else from its count."""
    m = _SIZE_TAG.search(name)
    if m:
        return m.group(1)
    for size, word in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if parameters >= size:
            return f"{parameters / size:.3g}{word}"
    return f"{parameters:.3g}"


def series(cat: Catalog) -> list[dict[str, Any]]:
    """Per family with results for two or more sizes: its name, metric, unit, which way is
    better, and the sizes in order of parameters, each with its value. Families in the order of
    their first system's date. Systems without a parameter count in `cat.systems` (e.g. under
    another systems table) are left out."""
    res = cat.family_results
    if res.empty:
        return []
    s = cat.systems
    params = dict(zip(s["name"].astype(str), s["parameters"], strict=False))
    dates = dict(zip(s["name"].astype(str), s["date"], strict=False))
    fams = cat.families.set_index("family")
    out = []
    for (family, metric), g in res.groupby(["family", "metric"], sort=False):
        pts: list[dict[str, Any]] = []
        for _, r in g.iterrows():
            n = params.get(str(r["system"]))
            if n is None or not pd.notna(n) or n <= 0:
                continue
            pts.append({"system": str(r["system"]), "parameters": float(n),
                        "size": size_tag(str(r["system"]), float(n)),
                        "value": float(r["value"]), "date": dates.get(str(r["system"])),
                        "source_url": str(r["source_url"]),
                        "notes": None if pd.isna(r["notes"]) else str(r["notes"])})
        if len(pts) < 2:
            continue
        pts.sort(key=lambda p: p["parameters"])
        first, last = pts[0], pts[-1]
        info = fams.loc[family] if family in fams.index else None
        out.append({
            "family": str(family), "metric": str(metric),
            "name": str(info["name"]) if info is not None else str(family),
            "organization": None if info is None or pd.isna(info["organization"])
            else str(info["organization"]),
            "unit": _opt(g["unit"].iloc[0]), "direction": str(g["direction"].iloc[0]),
            "setting": _opt(g["setting"].iloc[0]),
            "sources": sorted({p["source_url"] for p in pts}),
            "points": pts,
            "first": first, "last": last,
            "param_ratio": last["parameters"] / first["parameters"],
            "change": last["value"] - first["value"],
            "improved": (last["value"] > first["value"]) == (g["direction"].iloc[0] == "higher"),
            "_start": min((p["date"] for p in pts if p["date"] is not None),
                          default=pd.Timestamp.max),
        })
    out.sort(key=lambda f: (f["_start"], f["name"]))
    for f in out:
        del f["_start"]
        for p in f["points"]:
            p["date"] = None if p["date"] is None else pd.Timestamp(p["date"]).date().isoformat()
    return out


def _opt(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else str(v)
