"""The explorer reads what is defined once elsewhere: trend presets, percentiles, the systems
query; and its API fits every metric the Trends page offers."""

from __future__ import annotations

import numpy as np

from dlrev import trends
from dlrev.web import fits


def test_page_presets_are_the_engines() -> None:
    assert set(fits.PRESETS) == set(trends.PRESETS)
    for key, page in fits.PRESETS.items():
        p = trends.PRESETS[key]
        assert page["eras"] == list(p.eras) and page["label"] == p.title
    sev = fits.PRESETS["sevilla2022"]
    assert (sev["eras"], sev["from"], sev["to"]) == (["2009-12-31", "2015-09-01"], "1952-01-01",
                                                     "2022-02-01")
    assert sev["draw"][2] == ["Large-Scale era", "large-scale"]
    assert fits.PRESETS["epoch"]["draw"] is None


def test_band_uses_the_engines_percentiles() -> None:
    fit = trends.fit(_toy_systems(), metric="compute", eras=["2010-01-01"], seed=0,
                     bootstrap=200, ci=0.9)
    rows = fits.engine_rows(fit, None)
    era = next(e for e in fit.eras if e.fitted)
    row = rows[[e.label for e in fit.eras].index(era.label)]
    x, lo, hi = row["band"][0]
    assert (lo, hi) == trends.percentile_interval(era.boot_intercepts + era.boot_slopes * x, 0.9)


def _toy_systems():
    import pandas as pd

    rng = np.random.default_rng(0)
    dates = pd.date_range("2000-01-01", "2020-01-01", periods=40)
    years = dates.year + dates.day_of_year / 366
    compute = 10 ** (0.3 * (years - 2000) + 15 + rng.normal(0, 0.3, len(dates)))
    return pd.DataFrame({"name": [f"s{i}" for i in range(len(dates))], "date": dates,
                         "compute": compute, "notability": "highly cited"})
