"""Import Epoch AI's published model tables onto the systems table.

Epoch's exports drift between snapshots (System vs Model, FLOPs vs FLOP, dataset size as
'(total)', '(datapoints)' or '(gradients)'), hold several comma-separated values in Domain and
Organization, blank or malformed numbers, and newlines inside quoted text. Columns are matched
by name patterns; the import keeps Epoch's Confidence, Notability and Frontier fields and none of
its free-text notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from dlrev import schema
from dlrev.csvio import header_of, read_text_frame
from dlrev.errors import DataError, where

ATTRIBUTION = (
    "Epoch AI, 'Parameter, Compute and Data Trends in Machine Learning'. Published online at "
    "epoch.ai. Retrieved from 'https://epoch.ai/data/notable-ai-models'. Licence: CC BY 4.0."
)
EPOCH_URL = "https://epoch.ai/data/notable_ai_models.csv"

# Our column -> regular expressions for Epoch's header names (matched case-insensitively).
COLUMN_PATTERNS: dict[str, tuple[str, ...]] = {
    "name": (r"^model$", r"^system$", r"^model name$"),
    "organization": (r"^organi[sz]ation(\(s\))?$",),
    "date": (r"^publication date$", r"^date$"),
    "domain": (r"^domain$",),
    "task": (r"^task$",),
    "parameters": (r"^parameters$",),
    "compute": (r"^training compute \(flops?\)$", r"^training compute$"),
    "dataset_size": (
        r"^training dataset size \((total|datapoints|gradients)\)$",
        r"^training dataset size$",
    ),
    "confidence": (r"^confidence$",),
    "source_url": (r"^link$",),
    "notability": (r"^notability criteria$",),
    "frontier": (r"^frontier model$",),
}
NUMERIC = ("parameters", "compute", "dataset_size")

# The systems table as imported: the date may be blank (Epoch lists announced, undated models).
IMPORT_TABLE = replace(
    schema.SYSTEMS,
    columns=tuple(
        replace(c, required=False) if c.name == "date" else c for c in schema.SYSTEMS.columns
    ),
)
EPOCH_CONFIDENCE = {"confident", "likely", "speculative", "unknown", "unverified", "wrong"}


@dataclass
class EpochImport:
    """The imported systems table and what the import had to do to get it."""

    systems: pd.DataFrame
    file: str
    columns: dict[str, str]  # our column -> Epoch's header
    warnings: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.systems)

    @property
    def n_with_compute(self) -> int:
        return int(self.systems["compute"].notna().sum())

    def summary(self) -> dict[str, object]:
        dates = self.systems["date"].dropna()
        return {
            "file": self.file,
            "rows": self.n_rows,
            "with_compute": self.n_with_compute,
            "with_parameters": int(self.systems["parameters"].notna().sum()),
            "with_dataset_size": int(self.systems["dataset_size"].notna().sum()),
            "undated": int(self.systems["date"].isna().sum()),
            "first_date": dates.min().date().isoformat() if len(dates) else None,
            "last_date": dates.max().date().isoformat() if len(dates) else None,
            "columns": self.columns,
            "warnings": self.warnings,
            "attribution": ATTRIBUTION,
        }


def match_columns(header: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for ours, patterns in COLUMN_PATTERNS.items():
        for h in header:
            if any(re.match(p, h.strip(), flags=re.IGNORECASE) for p in patterns):
                found[ours] = h
                break
    return found


def looks_like_epoch(header: list[str]) -> bool:
    cols = match_columns(header)
    return "name" in cols and "date" in cols and ("compute" in cols or "parameters" in cols)


def _clean_numbers(text: pd.Series, file: str, col: str, epoch_col: str,
                   warnings: list[str]) -> pd.Series:
    """Blank -> NaN; '1,234' lists keep the first number (with a warning); other junk raises."""
    s = text.str.strip()
    blank = s.eq("")
    nums = pd.to_numeric(s.where(~blank, None), errors="coerce").astype(float)
    bad = nums.isna() & ~blank
    if bad.any():
        first = s[bad].str.split(",").str[0].str.strip()
        rescued = pd.to_numeric(first, errors="coerce")
        ok = rescued.notna() & s[bad].str.contains(",")
        for idx in rescued[ok].index:
            warnings.append(
                f"{where(file, int(idx) + 1, epoch_col)}: {s[idx]!r} holds several numbers; "
                f"kept the first, {rescued[idx]:g}."
            )
        nums.loc[rescued[ok].index] = rescued[ok].astype(float)
        still = nums.isna() & ~blank
        if still.any():
            idx = int(np.flatnonzero(still.to_numpy())[0])
            raise DataError(
                f"{where(file, idx + 1, epoch_col)}: {text.iloc[idx]!r} is not a number.",
                file=file, row=idx + 1, column=epoch_col, value=text.iloc[idx],
            )
    neg = nums.lt(0) | ~np.isfinite(nums.fillna(0))
    if neg.any():
        idx = int(np.flatnonzero(neg.to_numpy())[0])
        raise DataError(
            f"{where(file, idx + 1, epoch_col)}: {text.iloc[idx]!r} is not a positive number.",
            file=file, row=idx + 1, column=epoch_col, value=text.iloc[idx],
        )
    zero = nums.eq(0)
    if zero.any():
        warnings.append(f"{file}: {int(zero.sum())} zero value(s) in {epoch_col!r} read as unknown.")
        nums = nums.where(~zero)
    return nums


def read_epoch(path: str | Path) -> EpochImport:
    """Read one of Epoch's CSV exports and map it onto the systems table."""
    file = str(path)
    header = header_of(path)
    cols = match_columns(header)
    if "name" not in cols or "date" not in cols:
        missing = [c for c in ("name", "date") if c not in cols]
        expected = {"name": "Model or System", "date": "Publication date"}
        raise DataError(
            f"{file}: the header has no {' and no '.join(expected[m] for m in missing)} column, "
            f"so it is not an Epoch AI export (found: {', '.join(header[:6])}"
            f"{', ...' if len(header) > 6 else ''}).",
            file=file,
        )
    raw = read_text_frame(path, usecols=list(dict.fromkeys(cols.values())))
    warnings: list[str] = []
    if "compute" not in cols:
        warnings.append(f"{file}: no training-compute column; compute is empty for every row.")

    out = pd.DataFrame(index=raw.index)
    for ours in schema.SYSTEMS.column_names:
        out[ours] = raw[cols[ours]] if ours in cols else ""
    # Newlines inside quoted cells: fold to single spaces in the short text fields we keep.
    for c in ("name", "organization", "domain", "task", "notability", "confidence", "source_url"):
        out[c] = out[c].str.replace(r"\s+", " ", regex=True).str.strip()
    out["organization"] = out["organization"].str.replace(r"\s*,\s*", ",", regex=True)
    dom = out["domain"].str.lower().str.split(",")
    out["domain"] = dom.map(
        lambda xs: ",".join(dict.fromkeys(x.strip() if x.strip() in schema.DOMAIN_AREA else "other"
                                          for x in xs if x.strip())) if isinstance(xs, list) else ""
    )
    out.loc[out["domain"].eq(""), "domain"] = "other"
    conf = out["confidence"].str.lower()
    out["confidence"] = conf.where(conf.isin(EPOCH_CONFIDENCE), "unknown").where(conf.ne(""), "")
    url = out["source_url"].map(lambda u: u.split()[0] if u.split() else "")
    out["source_url"] = url.where(url.str.match(r"^https?://"), "")
    out["dataset_unit"] = np.where(out["dataset_size"].str.strip().ne(""), "datapoints", "")
    out["compute_method"] = np.where(out["compute"].str.strip().ne(""), "Epoch AI estimate", "")

    blank_name = out["name"].eq("")
    if blank_name.any():
        warnings.append(f"{file}: {int(blank_name.sum())} row(s) with no model name skipped.")
    numbers = {c: _clean_numbers(out[c], file, c, cols.get(c, c), warnings) for c in NUMERIC}
    for c in NUMERIC:
        out[c] = ""
    table = replace(IMPORT_TABLE, columns=tuple(
        replace(c, choices=None) if c.name == "confidence" else c for c in IMPORT_TABLE.columns
    ), key=None)
    # Rename the date column for error messages that name Epoch's header.
    try:
        typed = schema.coerce(out, table, file)
    except DataError as exc:
        if exc.column and exc.column in cols:
            msg = str(exc).replace(f'column "{exc.column}"', f'column "{cols[exc.column]}"')
            raise DataError(msg, file=file, row=exc.row, column=cols[exc.column],
                            value=exc.value) from None
        raise
    for c in NUMERIC:
        typed[c] = numbers[c]
    typed = typed[~blank_name.to_numpy()].reset_index(drop=True)
    typed = _disambiguate(typed, file, warnings)
    typed = schema.add_system_derived(typed, origin="epoch")
    used = {k: v for k, v in cols.items()}
    return EpochImport(typed, file, used, warnings)


def _disambiguate(frame: pd.DataFrame, file: str, warnings: list[str]) -> pd.DataFrame:
    """Epoch's full export repeats a few names; suffix the year so every name stays a key."""
    dup = frame["name"].duplicated(keep=False)
    if not dup.any():
        return frame
    frame = frame.copy()
    years = frame["date"].dt.year.astype("Int64").astype(str).replace("<NA>", "undated")
    frame.loc[dup, "name"] = frame.loc[dup, "name"] + " (" + years[dup] + ")"
    # Still duplicated (same name, same year): number them.
    again = frame["name"].duplicated(keep="first")
    if again.any():
        counts = frame.groupby("name").cumcount() + 1
        frame.loc[again, "name"] = frame.loc[again, "name"] + " #" + counts[again].astype(str)
    warnings.append(f"{file}: {int(dup.sum())} rows share a name with another; "
                    "the year was added to tell them apart.")
    return frame
