"""Building blocks of the explorer's hand-written Vega-Lite specs (Benchmarks, Forecasts,
Scaling): the schema, the shared look, titles and power-of-ten axes.

Like the Trends specs, the page specs hold no data: they name datasets that the page's script fills
from the page data (data/<page>.json). Plain dicts, not Altair, because these charts are small and
the explorer should not pay Altair's import and validation time to start. Colours: dlrev.palette.
"""

from __future__ import annotations

from typing import Any

from dlrev import palette
from dlrev.web.specs import POW10_LABEL

# the Vega-Lite the pages run (vl-convert's bundle, its newest version; a test keeps them in
# step): a spec naming another major version makes vega-embed warn in the console
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
OKABE_ITO = list(palette.OKABE_ITO)
MANY = list(palette.MANY)
CONFIG = {"view": {"stroke": "#bbb"},
          "axis": {"labelFontSize": 12, "titleFontSize": 12.5, "gridColor": "#e2e2e2"},
          "legend": {"labelFontSize": 12, "titleFontSize": 12}}


def chart_title(text: str) -> dict[str, Any]:
    return {"text": text, "subtitle": "", "anchor": "start", "fontSize": 16,
            "subtitleFontSize": 11, "subtitleColor": "#444"}


def base_spec(title: str, description: str, width: int = 900, height: int = 380) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": chart_title(title), "description": description,
            "width": width, "height": height, "config": CONFIG}


def pow10_axis(title: str, ticks: int | None = None) -> dict[str, Any]:
    axis = {"title": title, "labelExpr": POW10_LABEL, "tickMinStep": 1, "grid": True}
    if ticks:
        axis["tickCount"] = ticks
    return axis
