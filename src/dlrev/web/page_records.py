"""Helpers the page-data modules share: table rows as JSON-ready dicts, curation notes as readers
see them, and the list of a page's sources."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dlrev.jsonio import plain


def reader_notes(text: Any) -> dict[str, Any]:
    """Curation notes as readers see them: the clauses that record our own checking ('unverified:
    ... not confirmed in a stored copy') stay in the data files and become a plain flag."""
    if not isinstance(text, str) or not text:
        return {"notes": text if text else None, "unverified": False}
    kept, flagged = [], False
    for clause in text.split("; "):
        if clause.lower().startswith("unverified") or "stored cop" in clause.lower():
            flagged = True
        else:
            kept.append(clause)
    return {"notes": "; ".join(kept) or None, "unverified": flagged}


def records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    out = []
    for row in df[cols].itertuples(index=False, name=None):
        out.append({c: plain(v) for c, v in zip(cols, row, strict=True)})
    return out


def source_list(urls: list[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for u in urls:
        if isinstance(u, str) and u.startswith(("http://", "https://")):
            seen.setdefault(u, None)
    return list(seen)
