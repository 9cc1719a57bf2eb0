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

from dlrev.trends.breakpoints import Boundary, BreakpointResult, breakpoints
from dlrev.trends.fit import fit, fit_one, parse_eras
from dlrev.trends.forecast import Backtest, Extrapolation, backtest, extrapolate
from dlrev.trends.frontier import FrontierResult, frontier, yearly_max
from dlrev.trends.prepare import METRIC_UNITS, METRICS, filter_domain, prepare, sevilla_flags
from dlrev.trends.presets import PRESETS, Preset
from dlrev.trends.results import EraFit, TrendFit, html_table
from dlrev.trends.sensitivity import SensitivityResult, sensitivity
from dlrev.trends.stats import (
    MONTH_DAYS,
    bootstrap_ols,
    doubling_months,
    from_decimal_year,
    ols,
    percentile_interval,
    to_decimal_year,
)

__all__ = [
    "Backtest", "backtest", "bootstrap_ols", "Boundary", "BreakpointResult", "breakpoints",
    "doubling_months", "EraFit", "extrapolate", "Extrapolation", "filter_domain", "fit", "fit_one",
    "from_decimal_year", "frontier", "FrontierResult", "html_table", "METRIC_UNITS", "METRICS",
    "MONTH_DAYS", "ols", "parse_eras", "percentile_interval", "prepare", "Preset", "PRESETS",
    "sensitivity", "SensitivityResult", "sevilla_flags", "to_decimal_year", "TrendFit",
    "yearly_max",
]
