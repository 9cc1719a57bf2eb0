"""Which rows a fit uses (a date and a positive value), and Sevilla et al.'s scale labels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlrev.errors import DlrevError
from dlrev.schema import decimal_year
from dlrev.trends.stats import YEAR_DAYS

METRICS = {"compute": "compute", "parameters": "parameters", "data": "dataset_size"}
METRIC_UNITS = {"compute": "FLOP", "parameters": "parameters", "data": "datapoints"}


def prepare(df: pd.DataFrame, metric: str = "compute", notable_only: bool = False
            ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Rows usable for a fit of `metric`: a date and a positive, finite value.

    Returns the rows (sorted by date, with columns x and y = log10 value) and the counts of
    rows dropped by reason."""
    if metric not in METRICS:
        raise DlrevError(f"unknown metric {metric!r}; choose compute, parameters or data.")
    col = METRICS[metric]
    if col not in df.columns:
        raise DlrevError(f"the systems table has no {col!r} column, which metric {metric!r} needs.")
    frame = df
    dropped: dict[str, int] = {}
    if notable_only and "notability" in frame.columns:
        nb = frame["notability"].fillna("").astype(str).str.strip().ne("")
        if nb.any() and not nb.all():
            dropped["not notable"] = int((~nb).sum())
            frame = frame[nb]
    if "year" in frame.columns:
        x = pd.to_numeric(frame["year"], errors="coerce")
    elif "date" in frame.columns:
        x = decimal_year(frame["date"])
    else:
        raise DlrevError("the systems table has neither a 'year' nor a 'date' column.")
    v = pd.to_numeric(frame[col], errors="coerce")
    no_date = x.isna()
    missing = ~no_date & v.isna()
    nonpos = ~no_date & v.notna() & ~(v > 0) | (~no_date & ~np.isfinite(v.fillna(1.0)))
    if no_date.any():
        dropped["no date"] = int(no_date.sum())
    if missing.any():
        dropped[f"no {col}"] = int(missing.sum())
    if nonpos.any():
        dropped[f"non-positive {col}"] = int(nonpos.sum())
    keep = ~(no_date | missing | nonpos)
    out = frame[keep].copy()
    out["x"] = x[keep].astype(float)
    out["y"] = np.log10(v[keep].astype(float))
    out = out.sort_values(["x", "y"], kind="mergesort").reset_index(drop=True)
    return out, dropped


# --- Sevilla et al. 2022: windowed z-scores ----------------------------------------------------

def sevilla_flags(data: pd.DataFrame, window_days: int = 364, low_z: float = -2.0,
                  high_z: float = 0.76, large_scale_from: str = "2015-09-01") -> pd.DataFrame:
    """Per system: z-score of log10 value against all systems within +-window_days (inclusive,
    itself included, population s.d.); 'outlier' if z < low_z; 'large-scale' if z > high_z and
    dated after large_scale_from; else 'regular-scale'."""
    if "date" in data.columns and data["date"].notna().all():
        days = pd.to_datetime(data["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    else:
        days = np.round(data["x"].to_numpy() * YEAR_DAYS).astype(np.int64)
    y = data["y"].to_numpy()
    near = np.abs(days[:, None] - days[None, :]) <= window_days
    cnt = near.sum(axis=1)
    mean = (near @ y) / cnt
    var = (near @ (y * y)) / cnt - mean**2
    sd = np.sqrt(np.clip(var, 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 1e-12, (y - mean) / sd, 0.0)
    ls_day = np.datetime64(pd.Timestamp(large_scale_from).date(), "D").astype(np.int64)
    label = np.where(z < low_z, "outlier",
                     np.where((z > high_z) & (days > ls_day), "large-scale", "regular-scale"))
    return pd.DataFrame({"z": z, "window_n": cnt, "label": label}, index=data.index)


def filter_domain(df: pd.DataFrame, domain: str | None) -> pd.DataFrame:
    """Systems of one story area (vision, games, language, science, other) or one domain label
    (e.g. 'speech'); None keeps all."""
    if not domain:
        return df
    d = domain.strip().lower()
    from dlrev.schema import AREAS, DOMAIN_AREA

    if d not in AREAS and d not in DOMAIN_AREA:
        raise DlrevError(f"unknown domain {domain!r}; use one of {', '.join(AREAS)} or a domain "
                         f"label such as {', '.join(sorted(DOMAIN_AREA)[:6])}, ...")
    area = df["area"].astype(str).str.lower() == d if "area" in df.columns else False
    labels = df["domain"].fillna("").astype(str).str.lower().str.split(",").map(
        lambda xs: d in [x.strip() for x in xs])
    return df[area | labels]
