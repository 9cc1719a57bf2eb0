"""METR's published horizons (the curated table) as a HorizonFit, so the same trend code and
views serve them when no results file is at hand. No per-agent intervals: the table has none."""

from __future__ import annotations

import math

import pandas as pd

from dlrev.horizons.fit import AgentHorizon, HorizonFit


def from_published(table: pd.DataFrame, source: str = "src/dlrev/data/horizons.csv"
                   ) -> HorizonFit:
    """One AgentHorizon per row of the curated table (p50 only; everything else NaN)."""
    nan = math.nan
    rows = table.sort_values("release_date", kind="mergesort")
    agents = [AgentHorizon(str(r.agent), pd.Timestamp(r.release_date).date().isoformat(),
                           0, 0, 0, nan, nan, nan, nan, float(r.p50_minutes), nan, nan, nan, nan,
                           nan, 0, "published value")
              for r in rows.itertuples()]
    settings = {"model": "METR's published 50% horizons (no refit)", "bootstrap": 0,
                "interval_method": "none: the published table carries no intervals",
                "units": "human minutes"}
    return HorizonFit(agents, settings, source,
                      ["published values from the curated table; fit a results file (`dlrev "
                       "horizons FILE`) for intervals and 80% horizons"])
