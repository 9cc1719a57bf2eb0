"""AI time horizons, as METR measures them, and their trend.

    >>> from dlrev.metr import read_metr
    >>> from dlrev import horizons
    >>> fit = horizons.fit_horizons(read_metr("task_results_1_1.yaml"))   # 1,000 draws, 95%
    >>> fit.agent("GPT-5 (Inspect)").p50                                    # human minutes
    >>> horizons.frontier_trend(fit).doubling_months                        # SOTA agents
    >>> horizons.horizon_trend(fit).crossings                               # day, week, month

All functions are pure (no file I/O, no printing); results are dataclasses with .to_dict().
"""

from dlrev.horizons.fit import (
    REGULARIZATION,
    AgentHorizon,
    Draws,
    HorizonData,
    HorizonFit,
    draw_bootstrap,
    fit_draws,
    fit_horizons,
    prepare,
)
from dlrev.horizons.logistic import fit_logistic, horizon_minutes
from dlrev.horizons.published import from_published
from dlrev.horizons.trend import (
    WORK_DEFINITION,
    WORK_LEVELS,
    Crossing,
    HorizonTrend,
    HorizonTrendFit,
    frontier_trend,
    horizon_trend,
    trend_points,
)
from dlrev.horizons.words import crossing_sentence

__all__ = [
    "crossing_sentence",
    "REGULARIZATION", "WORK_DEFINITION", "WORK_LEVELS", "AgentHorizon", "Crossing", "Draws",
    "HorizonData", "HorizonFit", "HorizonTrend", "HorizonTrendFit", "draw_bootstrap",
    "fit_draws", "fit_horizons", "fit_logistic", "from_published", "frontier_trend",
    "horizon_minutes", "horizon_trend", "prepare", "trend_points",
]
