"""The trend engine: log-linear fits per era with honest intervals, era breakpoints found from
the data, sensitivity to the era start, the frontier, extrapolation and backtests.

    >>> import dlrev
    >>> from dlrev import trends
    >>> systems = dlrev.load().systems
    >>> tf = trends.fit(systems, preset="epoch")      # split at 2010, 1,000 resamples, 90%
    >>> tf.era("Deep learning era").growth             # x/year
    >>> trends.breakpoints(systems, k=1).boundaries[0] # 2010.x [low, high]
    >>> trends.extrapolate(tf, reach=1e27)             # when the trend reaches 1e27 FLOP

All functions are pure (no file I/O, no printing); results are dataclasses with .to_dict().
"""

from dlrev.trends.breakpoints import (
    Boundary,
    BreakpointResult,
    SensitivityResult,
    breakpoints,
    sensitivity,
)
from dlrev.trends.core import (
    METRICS,
    MONTH_DAYS,
    PRESETS,
    EraFit,
    Preset,
    TrendFit,
    bootstrap_ols,
    doubling_months,
    filter_domain,
    fit,
    fit_one,
    from_decimal_year,
    ols,
    prepare,
    sevilla_flags,
    to_decimal_year,
)
from dlrev.trends.forecast import Backtest, Extrapolation, backtest, extrapolate
from dlrev.trends.frontier import FrontierResult, frontier, yearly_max

__all__ = [
    "Backtest", "Boundary", "BreakpointResult", "EraFit", "Extrapolation", "FrontierResult",
    "METRICS", "MONTH_DAYS", "PRESETS", "Preset", "SensitivityResult", "TrendFit", "backtest",
    "bootstrap_ols", "breakpoints", "doubling_months", "extrapolate", "filter_domain", "fit",
    "fit_one", "from_decimal_year", "frontier", "ols", "prepare", "sensitivity", "sevilla_flags",
    "to_decimal_year", "yearly_max",
]
