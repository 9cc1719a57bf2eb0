"""The explorer's page data: the catalog turned into plain, JSON-ready structures.

Pure functions (no file I/O, no printing). The site builder writes what these return as JSON and
CSV files; the ASGI app serves the same structures from its read-only API, so the page, the API
and the downloads can never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from dlrev.catalog import Catalog, epoch_rows
from dlrev.epoch import ATTRIBUTION as EPOCH_ATTRIBUTION
from dlrev.jsonio import plain

# Metrics the Trends chart can put on an axis: key -> (column, label, unit).
METRICS: dict[str, tuple[str, str, str]] = {
    "compute": ("compute", "Training compute", "FLOP"),
    "parameters": ("parameters", "Parameters", "count"),
    "dataset_size": ("dataset_size", "Training dataset size", "datapoints"),
}
X_AXES = ("year", "parameters", "compute")
Y_AXES = tuple(METRICS)

# Short keys keep the page data small (the Trends page must stay well under 600 KB gzipped).
SYSTEM_FIELDS: dict[str, str] = {
    "name": "name",
    "organization": "org",
    "date": "date",
    "year": "year",
    "domain": "domain",
    "area": "area",
    "task": "task",
    "compute": "compute",
    "parameters": "parameters",
    "dataset_size": "dataset_size",
    "dataset_unit": "dataset_unit",
    "confidence": "confidence",
    "frontier": "frontier",
    "source_url": "url",
    "origin": "origin",
    "notability": "notable",
}

# Columns of the CSV download, in order (full names; the README explains each).
CSV_COLUMNS = ("name", "organization", "date", "year", "domain", "area", "task", "compute",
               "parameters", "dataset_size", "dataset_unit", "confidence", "frontier",
               "source_url", "origin")

DLREV_BIBTEX = """@software{dlrev,
  title  = {dlrev: measuring and showing the deep learning revolution},
  author = {{The dlrev contributors}},
  year   = {2026},
  note   = {Curated dataset of AI systems, trend analysis and explorer},
  version = {%s}
}"""

EPOCH_BIBTEX = """@misc{epoch2022pcdtrends,
  title  = {Parameter, Compute and Data Trends in Machine Learning},
  author = {{Epoch AI}},
  year   = {2022},
  url    = {https://epoch.ai/data/notable-ai-models},
  note   = {Accessed through dlrev. Licence: CC BY 4.0}
}"""

LANES = ("vision", "games", "language", "science")


def _float(value: Any) -> float | None:
    """A number column's cell as a float (None for a blank or a stray word; plain() turns NaN
    and infinities into None)."""
    try:
        return plain(float(value))  # type: ignore[no-any-return]
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    s = str(value)
    return s if s else None


def _iso(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def system_records(systems: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per dated system with short keys; undated systems cannot be placed on a chart."""
    dated = systems[systems["date"].notna()].reset_index(drop=True)
    out: list[dict[str, Any]] = []
    cols = {c: dated[c].tolist() if c in dated.columns else [None] * len(dated)
            for c in SYSTEM_FIELDS}
    for i in range(len(dated)):
        rec: dict[str, Any] = {"id": i}
        for col, key in SYSTEM_FIELDS.items():
            v = cols[col][i]
            if col in ("compute", "parameters", "dataset_size", "year"):
                rec[key] = _float(v)
            elif col == "date":
                rec[key] = _iso(v)
            elif col == "notability":
                rec[key] = _text(v) is not None
            elif col == "frontier":
                # null where the table does not record Epoch's flag, never a guessed False
                rec[key] = bool(v) if v is not None and not pd.isna(v) else None
            else:
                rec[key] = _text(v)
        out.append(rec)
    return out


def milestone_records(milestones: pd.DataFrame) -> list[dict[str, Any]]:
    df = milestones.sort_values("date", kind="stable") if len(milestones) else milestones
    out = []
    for _, r in df.iterrows():
        names = [s.strip() for s in (_text(r.get("systems")) or "").split(";") if s.strip()]
        out.append({
            "id": _text(r["id"]),
            "date": _iso(r["date"]),
            "domain": _text(r["domain"]),
            "subarea": _text(r["subarea"]),
            "title": _text(r["title"]),
            "summary": _text(r["summary"]),
            "systems": names,
            "headline": _text(r.get("headline")),
            "url": _text(r["source_url"]),
        })
    return out


@dataclass
class Meta:
    """What every page and download says about where its data came from."""

    title: str
    sources: list[str]
    uses_epoch: bool
    systems_source: str
    n_systems: int
    n_dated: int
    built: str
    version: str
    licence: str
    citation_bibtex: list[str] = field(default_factory=list)
    presets: dict[str, Any] = field(default_factory=dict)
    n_epoch: int = 0   # systems that carry an Epoch AI figure (from its file or curated)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "sources": self.sources, "uses_epoch": self.uses_epoch,
            "systems_source": self.systems_source, "n_systems": self.n_systems,
            "n_dated": self.n_dated, "built": self.built, "version": self.version,
            "licence": self.licence, "citation_bibtex": self.citation_bibtex,
            "presets": self.presets, "n_epoch": self.n_epoch,
            "attribution": EPOCH_ATTRIBUTION if self.uses_epoch else None,
        }

    @property
    def source_line(self) -> str:
        who = "Epoch AI (CC BY 4.0) and dlrev" if self.uses_epoch else "dlrev curated dataset"
        return f"Source: {who} · built {self.built}"


def meta_of(cat: Catalog, built: date | None = None, presets: dict[str, Any] | None = None
            ) -> Meta:
    from dlrev import __version__

    bib = [DLREV_BIBTEX % __version__]
    if cat.uses_epoch:
        bib.append(EPOCH_BIBTEX)
    licence = ("Epoch AI data: CC BY 4.0 (credit Epoch AI). dlrev's curated tables and code: MIT."
               if cat.uses_epoch else "dlrev's curated tables and code: MIT.")
    return Meta(
        title="The deep learning revolution",
        sources=list(cat.sources),
        uses_epoch=cat.uses_epoch,
        systems_source=cat.systems_source,
        n_systems=len(cat.systems),
        n_dated=int(cat.systems["date"].notna().sum()),
        built=(built or date.today()).isoformat(),
        version=__version__,
        licence=licence,
        citation_bibtex=bib,
        presets=presets or {},
        n_epoch=epoch_rows(cat.systems),
    )


def readme_text(meta: Meta, what: str = "systems") -> str:
    """The README that travels with every download: sources, licence, columns, citation."""
    lines = [
        f"dlrev explorer download: {what}",
        "=" * (26 + len(what)),
        "",
        f"Built {meta.built} with dlrev {meta.version}.",
        f"Systems table: {meta.systems_source}",
        "",
        "Sources",
        "-------",
        *[f"- {s}" for s in meta.sources],
        "",
        "Each row carries its own source URL (column source_url / url).",
        "",
        "Licence",
        "-------",
        meta.licence,
        "",
        "Columns",
        "-------",
        "name, organization (comma-separated), date (ISO), year (decimal year used by fits),",
        "domain (labels), area (vision/games/language/science/other), task, compute (training",
        "FLOP), parameters (count), dataset_size (in dataset_unit), confidence, frontier,",
        "source_url, origin (dlrev, epoch or user).",
        "",
        "In the CSV, a text cell that starts with = + - @ (or a tab or carriage return) has a",
        "leading apostrophe added, so a spreadsheet shows it as text instead of running it as a",
        "formula (OWASP's advice on CSV injection). The JSON holds every value exactly.",
        "",
        "Citation",
        "--------",
        *[b + "\n" for b in meta.citation_bibtex],
    ]
    if meta.uses_epoch:
        lines += ["Attribution: " + EPOCH_ATTRIBUTION, ""]
    return "\n".join(lines)


def csv_of(records: list[dict[str, Any]]) -> str:
    """The systems records as CSV with the full column names (for downloads)."""
    rows = []
    for r in records:
        rows.append({c: r.get(SYSTEM_FIELDS[c]) for c in CSV_COLUMNS})
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    from dlrev.csvio import csv_text

    return csv_text(frame)  # text cells that start like a formula get a leading apostrophe
