"""Everything the views show, in one result: the index, its frontier trend (all years and since
2023) and the benchmark crossings. Pure: takes the frames dlrev.stitching reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dlrev.capability.data import prepare
from dlrev.capability.index import BOOTSTRAP, SEED, CapabilityIndex, fit_index
from dlrev.capability.trend import FrontierTrend, frontier_trend
from dlrev.jsonio import plain

RECENT = "2023-01-01"


@dataclass
class CapabilityReport:
    index: CapabilityIndex
    trend: FrontierTrend
    recent: FrontierTrend
    source: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return plain({"source": self.source, "index": self.index.to_dict(),
                      "trend": self.trend.to_dict(), "trend_since_2023": self.recent.to_dict()})


def capability_report(scores: pd.DataFrame, models: pd.DataFrame, bootstrap: int = BOOTSTRAP,
                      seed: int = SEED, since: str | None = None,
                      source: dict[str, Any] | None = None) -> CapabilityReport:
    """Prepare, fit and trend in one call (the defaults are the documented choices)."""
    idx = fit_index(prepare(scores, models, since=since), bootstrap=bootstrap, seed=seed)
    return CapabilityReport(idx, frontier_trend(idx), frontier_trend(idx, since=RECENT),
                            dict(source or {}))
