"""Descriptive summaries of the systems table (pure functions; the CLI and explorer render them)."""

from __future__ import annotations

import pandas as pd

from dlrev.schema import AREAS

# The eras of Sevilla et al. 2022, used for counting (the trend engine lets users choose its own).
ERAS = (
    ("pre-deep-learning", None, "2010-01-01"),
    ("deep learning", "2010-01-01", "2015-09-01"),
    ("large-scale", "2015-09-01", None),
)


def era_of(dates: pd.Series) -> pd.Series:
    out = pd.Series("undated", index=dates.index, dtype=object)
    for name, start, end in ERAS:
        mask = dates.notna()
        if start:
            mask &= dates >= pd.Timestamp(start)
        if end:
            mask &= dates < pd.Timestamp(end)
        out[mask] = name
    return out


def counts_by_area_and_era(systems: pd.DataFrame) -> pd.DataFrame:
    """Rows: areas; columns: eras (and '<era> with compute'); values: numbers of systems."""
    df = systems.assign(era=era_of(systems["date"]))
    eras = [e[0] for e in ERAS] + (["undated"] if df["era"].eq("undated").any() else [])
    total = pd.crosstab(df["area"], df["era"]).reindex(
        index=list(AREAS), columns=eras, fill_value=0)
    withc = pd.crosstab(df.loc[df["compute"].notna(), "area"],
                        df.loc[df["compute"].notna(), "era"]).reindex(
        index=list(AREAS), columns=eras, fill_value=0)
    total = total.fillna(0).astype(int)
    withc = withc.fillna(0).astype(int)
    out = pd.DataFrame(index=total.index)
    for e in eras:
        out[e] = total[e]
        out[f"{e} with compute"] = withc[e]
    out["all"] = total.sum(axis=1)
    out["all with compute"] = withc.sum(axis=1)
    return out[out["all"] > 0]


def largest_per_year(systems: pd.DataFrame, since: int | None = None) -> pd.DataFrame:
    """The system with the most training compute in each calendar year."""
    df = systems[systems["compute"].notna() & systems["date"].notna()].copy()
    df["calendar_year"] = df["date"].dt.year.astype(int)
    if since is not None:
        df = df[df["calendar_year"] >= since]
    idx = df.groupby("calendar_year")["compute"].idxmax()
    cols = ["calendar_year", "name", "organization", "area", "date", "compute", "parameters"]
    return df.loc[idx, cols].sort_values("calendar_year").reset_index(drop=True)


def latest_frontier(systems: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n systems with the most training compute, largest first (ties: newest first)."""
    df = systems[systems["compute"].notna()]
    cols = ["name", "organization", "area", "date", "compute", "parameters", "confidence"]
    df = df.sort_values(["compute", "date"], ascending=[False, False], kind="mergesort")
    return df.head(n)[cols].reset_index(drop=True)
