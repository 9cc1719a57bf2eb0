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

from dlrev import schema, values
from dlrev.csvio import read_rows
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
    skipped: list[DataError] = field(default_factory=list)  # rows left out, each with why

    @property
    def n_skipped(self) -> int:
        return len(self.skipped)

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
            "skipped": self.n_skipped,
            "skipped_rows": [{"row": e.row, "column": e.column, "why": str(e)}
                             for e in self.skipped],
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


def _number(v: str) -> float:
    try:
        return values.parse_number(v)
    except ValueError:
        raise ValueError(values.NUMBER_EXPECTED) from None


# A cell like '1,000' could be one number with a grouping comma or a list of two; refused.
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+")


def _clean_number(v: str, file: str, row: int, epoch_col: str, warnings: list[str]) -> str:
    """One of Epoch's numeric cells as a plain number for the schema, by the one number rule
    (values.parse_number); ValueError saying why when the cell breaks it.

    Epoch writes a few cells as a list of numbers ('2260275840,2290000001'): the first is kept,
    with a warning. A cell that could also be digit grouping ('1,000') is refused, not guessed.
    Zero reads as unknown, with a warning."""
    v = v.strip()
    if "," in v:
        if _GROUPED.fullmatch(v):
            raise ValueError("a number: the comma could group digits or separate a list")
        parts = [p.strip() for p in v.split(",")]
        for p in parts:
            _number(p)
        warnings.append(f"{where(file, row, epoch_col)}: {v!r} holds several numbers; "
                        f"kept the first, {parts[0]}.")
        v = parts[0]
    if _number(v) == 0:
        warnings.append(f"{where(file, row, epoch_col)}: 0 read as unknown.")
        return ""
    return v


def _domain_labels(v: str) -> str:
    labels = [x.strip().lower() for x in _fold(v).split(",") if x.strip()]
    mapped = [x if x in schema.DOMAIN_AREA else "other" for x in labels]
    return ",".join(dict.fromkeys(mapped)) or "other"


def read_epoch(path: str | Path, *, strict: bool = False) -> EpochImport:
    """Read one of Epoch's CSV exports and map it onto the systems table.

    A third-party file is read generously: a row that cannot be read as it stands (no name, a
    cell that breaks the schema or the number rule, a short or cut-off record, a control
    character) is skipped and counted in `skipped`/`warnings`, and the rest is imported.
    `strict=True` raises the first such problem instead. The whole file still fails for what no
    row can fix: not a regular UTF-8 text file, binary content, or no name or date column.
    """
    file = str(path)
    data = read_rows(path, strict=strict, used=lambda h: match_columns(h).values())
    header = data.header
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
    warnings: list[str] = []
    skipped: list[DataError] = list(data.skipped)
    if "compute" not in cols:
        warnings.append(f"{file}: no training-compute column; compute is empty for every row.")
    for ours in ("organization", "domain", "parameters", "dataset_size"):
        if ours not in cols:  # said once, so a renamed column never empties a field unnoticed
            warnings.append(f"{file}: no {ours.replace('_', ' ')} column; {ours} is empty for "
                            "every row.")
    n = data.n_rows
    rownum = data.row_numbers

    def column(ours: str) -> list[str]:
        return data.columns[cols[ours]] if ours in cols else [""] * n

    bad: dict[int, DataError] = {}

    def reject(i: int, epoch_col: str, value: str, message: str) -> None:
        bad.setdefault(i, DataError(f"{where(file, rownum[i], epoch_col)}: {message}", file=file,
                                    row=rownum[i], column=epoch_col, value=value))

    names = [_fold(v) for v in column("name")]
    for i, v in enumerate(names):
        if not v:
            reject(i, cols["name"], v, "the model name is empty.")
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
        cells = [v.strip() for v in column(c)]
        if all(map(values.NUMBER.fullmatch, filter(None, cells))) and not any(
                v and float(v) == 0 for v in cells):
            out[c] = cells  # every cell a plain non-zero number or blank: nothing to decide
            continue
        vals: list[str] = []
        for i, v in enumerate(cells):
            try:
                vals.append(_clean_number(v, file, rownum[i], epoch_col, warnings)
                            if v.strip() else "")
            except ValueError as exc:
                reject(i, epoch_col, v, f"{v[:40]!r} is not {exc}.")
                vals.append("")
        out[c] = vals
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
    schema_bad: dict[int, DataError] = {}
    typed = schema.coerce_columns(out, n, table, file, bad_rows=schema_bad)
    for i, err in schema_bad.items():
        # Name Epoch's header and the file's row, not ours.
        header_name = cols.get(err.column or "") or err.column or ""
        old = where(file, i + 1, err.column)
        reject(i, header_name, str(err.value), str(err)[len(old) + 2:])
    if bad:
        skipped.extend(bad[i] for i in sorted(bad))
        skipped.sort(key=lambda e: e.row or 0)
    if strict and skipped:
        raise skipped[0]
    keep = [i for i in range(n) if i not in bad]
    if skipped and not keep:
        raise DataError(f"{file}: no row could be imported; the first problem: {skipped[0]}",
                        file=file, row=skipped[0].row, column=skipped[0].column,
                        value=skipped[0].value)
    warnings[:0] = skip_messages(file, skipped)
    typed = typed.iloc[keep].reset_index(drop=True)
    typed = _disambiguate(typed, file, warnings)
    typed = schema.add_system_derived(typed, origin="epoch")
    return EpochImport(typed, file, dict(cols), warnings, skipped)


def skip_messages(file: str, skipped: list[DataError], show: int = 20) -> list[str]:
    """One line for the rows with no name ('skipped 3 rows with no name: rows 7, 9, 12'), then one
    per other skipped row (the first `show`), then how many more."""
    if not skipped:
        return []
    no_name = [e.row for e in skipped if str(e).endswith("the model name is empty.")]
    lines = []
    if no_name:
        rows = ", ".join(str(r) for r in no_name[:show]) + (", ..." if len(no_name) > show else "")
        lines.append(f"{file}: skipped {len(no_name)} row{'s' if len(no_name) > 1 else ''} "
                     f"with no name: row{'s' if len(no_name) > 1 else ''} {rows}.")
    others = [e for e in skipped if not str(e).endswith("the model name is empty.")]
    lines += [f"skipped {e}" for e in others[:show]]
    if len(others) > show:
        lines.append(f"{file}: skipped {len(others) - show} more rows (see --json).")
    return lines


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
