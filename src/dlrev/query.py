"""The one systems query: filter the systems table by area, organization, text and dates.

The command line (`dlrev data list`) and the explorer's API (`/api/systems`) both call
`filter_systems`, so the same filter means the same rows everywhere. Pure: a frame in, the
matching rows out (in the same order, index kept, so a caller can map them back to its records).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# The columns a free-text query (q) looks in.
TEXT_COLUMNS = ("name", "organization", "task", "domain")


def filter_systems(systems: pd.DataFrame, *, area: str | Iterable[str] | None = None,
                   org: str | None = None, q: str | None = None, since: Any = None,
                   until: Any = None, before: Any = None) -> pd.DataFrame:
    """The rows of `systems` that match every filter given.

    area: one area or several (vision, games, language, science, other); org: a substring of
    the organization, any case; q: a substring, any case, of name, organization, task and
    domain labels joined by spaces; since: on or after this date; until: on or before it;
    before: strictly before it (dates as ISO strings or timestamps). A system without a date
    fails any date filter."""
    import pandas as pd

    s = systems
    if area:
        areas = {area} if isinstance(area, str) else set(area)
        s = s[s["area"].isin(areas)]
    if org:
        s = s[s["organization"].fillna("").astype(str).str.lower()
              .str.contains(org.lower(), regex=False)]
    text = (q or "").strip().lower()
    if text:
        cols = [s[c].fillna("").astype(str) if c in s.columns else pd.Series("", index=s.index)
                for c in TEXT_COLUMNS]
        joined = cols[0].str.cat(cols[1:], sep=" ").str.lower()
        s = s[joined.str.contains(text, regex=False)]
    if since is not None:
        s = s[s["date"] >= pd.Timestamp(since)]
    if until is not None:
        s = s[s["date"] <= pd.Timestamp(until)]
    if before is not None:
        s = s[s["date"] < pd.Timestamp(before)]
    return s
