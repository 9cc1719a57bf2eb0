"""The catalog: every table loaded, validated and typed, plus read-only SQL through DuckDB.

    >>> import dlrev
    >>> cat = dlrev.load()                       # the embedded, curated data
    >>> cat.sql("SELECT name, compute FROM systems ORDER BY compute DESC LIMIT 3")
    >>> cat = dlrev.load("notable_ai_models.csv")  # an Epoch AI export as the systems table
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dlrev import family_results, schema
from dlrev.csvio import header_of, read_text_frame
from dlrev.epoch import ATTRIBUTION, looks_like_epoch, read_epoch, skip_messages
from dlrev.errors import DataError, DlrevError
from dlrev.paths import DATA_DIR, epoch_snapshot_path

CURATED_SOURCE = "dlrev curated dataset (each row carries its own source URL)"


def _empty(table: schema.Table) -> pd.DataFrame:
    return schema.coerce(pd.DataFrame({c: pd.Series(dtype=str) for c in table.column_names}),
                         table, table.name)


def read_table_file(path: Path, table: schema.Table, label: str | None = None) -> pd.DataFrame:
    """One CSV in our own format, validated against `table`."""
    raw = read_text_frame(path, final_newline=True)
    return schema.coerce(raw, table, label or str(path))


def _read_parts(table: schema.Table, data_dir: Path, keep_origin: bool = False) -> pd.DataFrame:
    """A table stored as data/<name>.csv or split into data/<name>/*.csv (one file per domain).
    keep_origin: keep each row's file and row number (`_file`, `_row`) for later checks."""
    files = []
    single = data_dir / f"{table.name}.csv"
    if single.exists():
        files.append(single)
    folder = data_dir / table.name
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.csv")))
    if not files:
        return _empty(table)
    frames = []
    for f in files:
        label = str(f.relative_to(data_dir.parent)) if f.is_relative_to(data_dir.parent) else str(f)
        frame = read_table_file(f, table, label)
        frame["_file"] = label
        frame["_row"] = range(1, len(frame) + 1)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    if table.key:
        dup = out[table.key].duplicated(keep="first")
        if dup.any():
            i = int(dup.to_numpy().nonzero()[0][0])
            value = out[table.key].iloc[i]
            first = out[out[table.key].eq(value)].iloc[0]
            raise DataError(
                f"{out['_file'].iloc[i]}: duplicate {table.key} {value!r} "
                f"(also in {first['_file']}).", file=out["_file"].iloc[i], column=table.key,
                value=value,
            )
    return out if keep_origin else out.drop(columns=["_file", "_row"])


def read_systems_file(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """A systems table from a file: Epoch's export format or ours, told apart by the header."""
    frame, sources, _ = _read_systems(path)
    return frame, sources


def _read_systems(path: str | Path) -> tuple[pd.DataFrame, list[str], list[str]]:
    """read_systems_file, plus what an Epoch import skipped (one line per kind of skip)."""
    header = header_of(path)
    if looks_like_epoch(header):
        imp = read_epoch(path)
        return imp.systems, [ATTRIBUTION], skip_messages(str(path), imp.skipped)
    known = set(schema.SYSTEMS.column_names)
    if not known.intersection(header):
        raise DataError(
            f"{path}: the header has none of the expected columns (ours: name, date, domain, "
            f"compute, ...; or Epoch AI's: Model, Publication date, Training compute (FLOP)).",
            file=str(path),
        )
    frame = read_table_file(Path(path), schema.SYSTEMS)
    # Only the file's name: pages and /api/meta must not show where it lies on this machine.
    return schema.add_system_derived(frame, origin="user"), [f"user data: {Path(path).name}"], []


@dataclass
class Catalog:
    """All tables as typed pandas DataFrames; `sql()` queries them read-only."""

    systems: pd.DataFrame
    milestones: pd.DataFrame
    families: pd.DataFrame
    benchmarks: pd.DataFrame
    benchmark_results: pd.DataFrame
    forecasts: pd.DataFrame
    predictions: pd.DataFrame
    family_results: pd.DataFrame
    sources: list[str] = field(default_factory=list)
    systems_source: str = CURATED_SOURCE
    notes: list[str] = field(default_factory=list)  # what loading had to do (rows skipped, ...)

    TABLE_NAMES = tuple(schema.TABLES)

    @property
    def uses_epoch(self) -> bool:
        return any(s == ATTRIBUTION for s in self.sources)

    def table(self, name: str) -> pd.DataFrame:
        if name not in schema.TABLES:
            raise DlrevError(f"unknown table {name!r}; tables are {', '.join(schema.TABLES)}.")
        return getattr(self, name)

    def system(self, name: str) -> pd.Series:
        """One system by exact name, or by case-insensitive match when that is unique."""
        s = self.systems
        hit = s[s["name"] == name]
        if hit.empty:
            hit = s[s["name"].str.lower() == name.lower()]
        if hit.empty:
            hint = suggest(name, s["name"].astype(str).tolist())
            raise DlrevError(f"no system named {name!r} in {self.systems_source}.{hint}")
        return hit.iloc[0]

    def sql(self, query: str, *, timeout: float | None = None, memory: str | None = None,
            limit: int | None = None) -> pd.DataFrame:
        """One read-only SELECT; at most `limit` rows, under a time and memory limit (dlrev.sql
        explains the defaults and what a query may do)."""
        from dlrev import sql

        return sql.run_readonly(query, {n: self.table(n) for n in self.TABLE_NAMES},
                                timeout=timeout or sql.DEFAULT_TIMEOUT_S,
                                memory=memory or sql.DEFAULT_MEMORY, limit=limit)


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def suggest(name: str, names: list[str], n: int = 5) -> str:
    """' Did you mean GPT-4?' for a name that is close to known ones ('' when none is): equal
    once case and punctuation are ignored, containing it, or close by edit similarity."""
    import difflib

    key = _squash(name)
    exact = [x for x in names if key and _squash(x) == key]
    contains = [x for x in names if key and key in _squash(x) and x not in exact]
    by_key = {_squash(x): x for x in names}
    near = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.75)]
    picks = exact or list(dict.fromkeys(sorted(contains, key=len) + near))[:n]
    if not picks:
        return ""
    return f" Did you mean {' or '.join(picks) if len(picks) <= 2 else ', '.join(picks)}?"


def load(data: str | Path | None = None, data_dir: Path | None = None) -> Catalog:
    """Load the catalog.

    data: None for the curated systems; 'epoch' for the cached Epoch snapshot (see
    `dlrev data update`); or a path to a CSV in Epoch's export format or in ours.
    """
    d = data_dir or DATA_DIR
    tables = {name: _read_parts(t, d) for name, t in schema.TABLES.items()}
    tables["systems"] = schema.add_system_derived(tables["systems"], origin="dlrev")
    # per-size results name curated systems: checked here, before --data swaps the systems
    tables["family_results"] = family_results.checked(
        _read_parts(schema.FAMILY_RESULTS, d, keep_origin=True), tables["systems"],
        tables["families"])
    sources = [CURATED_SOURCE]
    systems_source = CURATED_SOURCE
    notes: list[str] = []
    if data is not None:
        path = Path(data)
        if str(data) == "epoch":
            path = epoch_snapshot_path()
            if not path.exists():
                raise DlrevError(
                    "no Epoch AI snapshot in the cache yet; run `dlrev data update` or "
                    "`dlrev data import-epoch FILE` first."
                )
        systems, extra, notes = _read_systems(path)
        tables["systems"] = systems
        sources = extra + sources
        systems_source = "epoch" if str(data) == "epoch" else path.name
    if ATTRIBUTION not in sources and epoch_rows(tables["systems"]):
        # our curated rows carry Epoch AI's estimates too: credit them whenever they are shown,
        # after the table they come in (the first source is where the rows come from)
        sources.append(ATTRIBUTION)
    return Catalog(**tables, sources=sources, systems_source=systems_source, notes=notes)


def source_line(sources: Iterable[str]) -> str:
    """'Source: ...' for a catalog's sources (Catalog.sources), first the table the rows come
    from. Epoch AI's attribution after our curated table is credited as the source of the
    estimates our rows take from it.

        >>> source_line([CURATED_SOURCE, ATTRIBUTION])[:60]
        'Source: dlrev curated dataset (each row carries its own sour'
    """
    items = list(dict.fromkeys(s.strip().rstrip(".").strip() for s in sources if s.strip()))
    if not items:
        return ""
    epoch = ATTRIBUTION.rstrip(".")
    if items[0] == CURATED_SOURCE and epoch in items[1:]:
        items[items.index(epoch)] = f"its Epoch AI estimates: {epoch}"
    return "Source: " + "; ".join(items) + "."


def epoch_rows(systems: pd.DataFrame) -> int:
    """How many systems carry an Epoch AI figure: rows from Epoch's file, and curated rows whose
    compute_method names Epoch AI's estimate."""
    n = 0
    if "origin" in systems.columns:
        n += int((systems["origin"] == "epoch").sum())
    if "compute_method" in systems.columns:
        named = systems["compute_method"].fillna("").astype(str).str.contains("Epoch")
        if "origin" in systems.columns:
            named &= systems["origin"] != "epoch"
        n += int(named.sum())
    return n
