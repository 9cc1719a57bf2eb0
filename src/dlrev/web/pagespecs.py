"""The Vega-Lite specs of the Benchmarks, Forecasts and Scaling pages, gathered for
data/pagespecs.json; each page's specs live in its own module (benchmarks_page, forecasts_page,
scaling_page), built from the blocks in vlspec."""

from __future__ import annotations

from typing import Any

from dlrev.web.benchmarks_page import benchmark_progress_spec, benchmark_values_spec
from dlrev.web.forecasts_page import forecast_spec, predictions_spec
from dlrev.web.scaling_page import scaling_iso_spec, scaling_optimal_spec


def page_specs() -> dict[str, dict[str, Any]]:
    return {
        "benchmark-progress": benchmark_progress_spec(),
        "benchmark-values": benchmark_values_spec(log=False),
        "benchmark-values-log": benchmark_values_spec(log=True),
        "forecast": forecast_spec(),
        "predictions": predictions_spec(),
        "scaling-iso": scaling_iso_spec(),
        "scaling-optimal": scaling_optimal_spec(),
    }
