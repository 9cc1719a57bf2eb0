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

import pandas as pd

from dlrev import schema
from dlrev.csvio import header_of, read_text_columns
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


def _fold(v: str) -> str:
    """Newlines and runs of spaces inside a quoted cell become one space."""
    if "  " in v or "\n" in v or "\t" in v or "\r" in v:
        return " ".join(v.split())
    return v.strip()


def _clean_number(v: str, file: str, row: int, epoch_col: str, warnings: list[str]) -> str:
    """'1,234' lists keep the first number (with a warning); zero reads as unknown; the rest is
    left for the schema to accept or reject."""
    v = v.strip()
    if "," in v:
        first = v.split(",")[0].strip()
        try:
            float(first)
        except ValueError:
            return v
        warnings.append(f"{where(file, row, epoch_col)}: {v!r} holds several numbers; "
                        f"kept the first, {first}.")
        v = first
    try:
        if float(v) == 0:
            warnings.append(f"{where(file, row, epoch_col)}: 0 read as unknown.")
            return ""
    except ValueError:
        pass
    return v


def _domain_labels(v: str) -> str:
    labels = [x.strip().lower() for x in _fold(v).split(",") if x.strip()]
    mapped = [x if x in schema.DOMAIN_AREA else "other" for x in labels]
    return ",".join(dict.fromkeys(mapped)) or "other"


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
    raw = read_text_columns(path, list(dict.fromkeys(cols.values())))
    warnings: list[str] = []
    if "compute" not in cols:
        warnings.append(f"{file}: no training-compute column; compute is empty for every row.")
    n = len(raw[cols["name"]])

    def column(ours: str) -> list[str]:
        return raw[cols[ours]] if ours in cols else [""] * n

    names = [_fold(v) for v in column("name")]
    keep = [i for i, v in enumerate(names) if v]
    if len(keep) < n:
        warnings.append(f"{file}: {n - len(keep)} row(s) with no model name skipped.")
    out: dict[str, list[str]] = {"name": names}
    orgs = column("organization")
    org_of = {v: ",".join(p.strip() for p in _fold(v).split(",") if p.strip()) for v in set(orgs)}
    out["organization"] = [org_of[v] for v in orgs]
    out["date"] = [v.strip() for v in column("date")]
    domains = column("domain")
    domain_of = {v: _domain_labels(v) for v in set(domains)}
    out["domain"] = [domain_of[v] for v in domains]
    out["task"] = [_fold(v) for v in column("task")]
    for c in NUMERIC:
        epoch_col = cols.get(c, c)
        out[c] = [_clean_number(v, file, i + 1, epoch_col, warnings) if v.strip() else ""
                  for i, v in enumerate(column(c))]
    out["dataset_unit"] = ["datapoints" if v else "" for v in out["dataset_size"]]
    conf = [_fold(v).lower() for v in column("confidence")]
    out["confidence"] = [c if c in EPOCH_CONFIDENCE or not c else "unknown" for c in conf]
    out["compute_method"] = ["Epoch AI estimate" if v else "" for v in out["compute"]]
    urls = [v.split()[0] if v.split() else "" for v in column("source_url")]
    out["source_url"] = [u if u.startswith(("http://", "https://")) else "" for u in urls]
    out["notability"] = [_fold(v) for v in column("notability")]
    out["frontier"] = [v.strip() for v in column("frontier")]
    table = replace(IMPORT_TABLE, key=None, columns=tuple(
        replace(c, choices=None) if c.name == "confidence" else c for c in IMPORT_TABLE.columns))
    try:
        typed = schema.coerce_columns(out, n, table, file)
    except DataError as exc:
        # Name Epoch's header, not ours, in the message.
        if exc.column and exc.column in cols:
            msg = str(exc).replace(f'column "{exc.column}"', f'column "{cols[exc.column]}"')
            raise DataError(msg, file=file, row=exc.row, column=cols[exc.column],
                            value=exc.value) from None
        raise
    typed = typed.iloc[keep].reset_index(drop=True)
    typed = _disambiguate(typed, file, warnings)
    typed = schema.add_system_derived(typed, origin="epoch")
    return EpochImport(typed, file, dict(cols), warnings)


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
