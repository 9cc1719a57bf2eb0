"""Trend fits shipped with the page: the presets the Trends page offers and the trend engine's
results for each, so the browser can show the engine's numbers (and intervals) for a preset and
refit by itself only when the user moves an era boundary.

Pure: takes the systems frame, returns plain dicts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from dlrev.jsonio import plain
from dlrev.landmarks import LANDMARK_SYSTEMS
from dlrev.trends.presets import PRESETS as TREND_PRESETS
from dlrev.trends.presets import Preset
from dlrev.trends.stats import percentile_interval


def page_preset(p: Preset) -> dict[str, Any]:
    """A trend preset (defined once, in dlrev.trends.presets) as the Trends page's state: `eras`
    are the interior era boundaries (ISO dates); `from`/`to` limit the dates shown and fitted;
    `draw` names the engine's (era label, group) rows drawn on the chart (None: every row)."""
    return {"label": p.title, "x": "year", "y": "compute", "eras": list(p.eras),
            "from": p.shown_from, "to": p.shown_to,
            "draw": [list(d) for d in p.drawn] or None}


PRESETS: dict[str, dict[str, Any]] = {k: page_preset(p) for k, p in TREND_PRESETS.items()}

BAND_POINTS = 25
FIT_BOOTSTRAP = 1000  # what the browser's refits use, as the engine's default
FIT_CI = 0.9


def _trends() -> Any | None:
    try:
        from dlrev import trends
    except ImportError:
        return None
    return trends if hasattr(trends, "fit") else None


def engine_rows(fit: Any, draw: list[list[str]] | None) -> list[dict[str, Any]]:
    """The engine's fitted rows as chart-ready dicts: line ends and a pointwise interval band of
    the fitted line (percentiles of the bootstrap lines at BAND_POINTS dates)."""
    rows = []
    for e in fit.eras:
        d = {k: v for k, v in e.to_dict().items()}
        d["draw"] = bool(e.fitted) and (draw is None or [e.label, e.group] in draw)
        band: list[list[float | None]] = []
        bs = getattr(e, "boot_slopes", np.empty(0))
        bi = getattr(e, "boot_intercepts", np.empty(0))
        if e.fitted and len(bs) and math.isfinite(e.x_first) and e.x_last > e.x_first:
            for gx in np.linspace(e.x_first, e.x_last, BAND_POINTS):
                lo, hi = percentile_interval(bi + bs * gx, e.ci)
                band.append([float(gx), plain(lo), plain(hi)])  # no finite line: None
        d["band"] = band
        rows.append(d)
    return rows


def page_fits(systems: pd.DataFrame) -> dict[str, Any]:
    """{'presets': {key: state}, 'engine': {key: {...fit, 'rows': [...]}}, 'available': bool}.

    The engine's fit of each preset is computed here once, on the whole data; the page shows it
    while the view is the unmodified preset."""
    presets = {k: dict(v) for k, v in PRESETS.items()}
    engine: dict[str, Any] = {}
    trends = _trends()
    with_compute = systems[systems["compute"].notna() & systems["date"].notna()]
    if trends is not None and len(with_compute) >= 6:
        try:
            bp = trends.breakpoints(with_compute, k=2, bootstrap=0)
            presets["auto"] = {"label": "Automatic breakpoints (2)", "x": "year", "y": "compute",
                               "eras": [b.date for b in bp.boundaries], "from": None, "to": None,
                               "draw": None}
        except Exception:  # too few points for two breakpoints: the preset is left out
            pass
        for key, p in presets.items():
            try:
                fit = trends.fit(systems, metric="compute", eras=None if key in PRESETS else
                                 list(p["eras"]), preset=key if key in PRESETS else None,
                                 seed=0, since=p["from"], until=p["to"])
            except Exception as exc:  # a fit the data cannot support: shown with the reason
                engine[key] = {"error": str(exc)}
                continue
            out = fit.to_dict()
            out["rows"] = engine_rows(fit, p.get("draw"))
            out.pop("eras", None)
            engine[key] = out
    return {"presets": presets, "engine": engine, "available": trends is not None,
            "bootstrap": FIT_BOOTSTRAP, "ci": FIT_CI, "notable_rule": NOTABLE_RULE,
            "landmarks": list(LANDMARK_SYSTEMS)}


NOTABLE_RULE = ("Custom fits use the trend engine's default ('epoch') conventions: systems dated "
                "on a boundary open the later era, and when only some systems of the selection "
                "carry a notability criterion, the others are left out of the fit.")


def frame_of_records(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Page-data records (short keys) back to a systems-like frame the trend engine accepts."""
    from dlrev.web.pagedata import SYSTEM_FIELDS

    cols = {short: full for full, short in SYSTEM_FIELDS.items()}
    df = pd.DataFrame.from_records(records).rename(columns=cols)
    if "date" in df.columns:
        df["date"] = pd.to_datetime(df["date"])
    for c in ("compute", "parameters", "dataset_size", "year"):
        if c in df.columns:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df
