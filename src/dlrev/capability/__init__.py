"""The capability index across benchmarks (an item-response model, as Epoch AI's ECI).

    >>> from dlrev.stitching import read_stitching
    >>> from dlrev import capability
    >>> t = read_stitching("benchmark-stitching/data")
    >>> idx = capability.fit_index(capability.prepare(t.scores, t.models))
    >>> idx.model("gpt-4-0613")["eci"]                  # on Epoch's scale (130 / 150 anchors)
    >>> tr = capability.frontier_trend(idx)             # points per year, breakpoints, crossings

All functions are pure (no file I/O, no printing); results have .to_dict().
"""

from dlrev.capability.data import FitInput, prepare
from dlrev.capability.index import ANCHORS, REFERENCE, CapabilityIndex, fit_index
from dlrev.capability.irt import IRTData, IRTParams, bootstrap_weights, fit_irt
from dlrev.capability.report import CapabilityReport, capability_report
from dlrev.capability.trend import FrontierTrend, frontier_models, frontier_trend, index_growth

__all__ = [
    "ANCHORS", "REFERENCE", "CapabilityIndex", "CapabilityReport", "FitInput", "FrontierTrend",
    "IRTData", "IRTParams", "bootstrap_weights", "capability_report", "fit_index", "fit_irt",
    "frontier_models", "frontier_trend", "index_growth", "prepare",
]
