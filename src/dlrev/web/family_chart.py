"""The Story's size-family chart: one panel per family (Parti, GPT-3, PaLM ...), parameters on a
log axis against the family's own metric, every size labelled; and its numbers in words.

Input is `Story.to_dict()["families"]` (dlrev.family_results.series). static/cards.js lays the
panels out at the reader's width (`usermeta.panels`): side by side, or one per row on a phone.
"""

from __future__ import annotations

import math
from typing import Any

from dlrev.palette import DOMAIN_COLORS
from dlrev.web.milestone_chart import SCHEMA
from dlrev.web.specs import POW10_LABEL
from dlrev.web.story_charts import _label_layers

PANEL_HEIGHT = 210


def value_text(v: float, unit: str | None) -> str:
    """42.7%, 7.23 FID."""
    num = f"{v:g}"
    if not unit:
        return num
    return num + unit if unit == "%" else f"{num} {unit}"


def _better(direction: str) -> str:
    return "higher is better" if direction == "higher" else "lower is better (axis flipped)"


def _plain_better(direction: str) -> str:
    return f"{direction} is better"


def _panel(i: int, f: dict[str, Any], color: str) -> tuple[dict[str, Any], list[dict[str, Any]],
                                                       dict[str, Any]]:
    """One family's panel, its label rows and what cards.js needs to thin them."""
    pts = [{"x": math.log10(p["parameters"]), "y": p["value"], "size": p["size"],
            "value": value_text(p["value"], f["unit"]), "system": p["system"]}
           for p in f["points"]]
    # the smallest and the largest size first: the prose quotes those two
    labels = [{**p, "label": p["size"], "priority": 2 if k in (0, len(pts) - 1) else 1}
              for k, p in enumerate(pts)]
    xs, ys = [p["x"] for p in pts], [p["y"] for p in pts]
    xd = [min(xs) - 0.35, max(xs) + 0.6]
    span = (max(ys) - min(ys)) or 1.0
    yd = [min(ys) - 0.15 * span, max(ys) + 0.15 * span]
    ticks = list(range(math.ceil(xd[0]), math.floor(xd[1]) + 1))
    x = {"field": "x", "type": "quantitative", "title": "Parameters",
         "scale": {"domain": xd, "nice": False, "zero": False},
         "axis": {"values": ticks, "labelExpr": POW10_LABEL, "grid": False}}
    y = {"field": "y", "type": "quantitative", "title": f["unit"] or f["metric"],
         "scale": {"domain": yd, "nice": False, "zero": False,
                   "reverse": f["direction"] == "lower"},
         "axis": {"tickCount": 4, "grid": True}}
    tip = [{"field": "system", "title": "System"}, {"field": "value", "title": f["metric"]}]
    name = f"labels-{i}"
    thin = {"data": name, "x": "x", "xdomain": xd, "y": "y", "ydomain": yd,
            "yreverse": f["direction"] == "lower", "lines": ["label", "value"],
            "below": False, "pad": [6, 6], "alt": None}
    panel = {
        # short lines, so a panel's title never sets its width on a phone
        "title": {"text": f["name"], "subtitle": [f["metric"], *([f["setting"]] if f["setting"]
                                                               else []),
                                                  _better(f["direction"])],
                  "anchor": "start", "fontSize": 13, "subtitleFontSize": 10.5,
                  "subtitleColor": "#444", "limit": 0},
        "height": PANEL_HEIGHT,
        "data": {"values": pts},
        "layer": [
            {"mark": {"type": "line", "color": color, "strokeWidth": 2},
             "encoding": {"x": x, "y": y}},
            {"mark": {"type": "point", "filled": True, "size": 55, "color": color},
             "encoding": {"x": x, "y": y, "tooltip": tip}},
            *_label_layers(name, x, y),
        ],
    }
    return panel, labels, thin


def family_chart(fams: list[dict[str, Any]], subtitle: str | list[str]) -> dict[str, Any]:
    """Small multiples: one panel per family, each with its own y axis and metric; the sizes
    and values labelled where they fit (cards.js thins each panel's labels at its width)."""
    colors = [DOMAIN_COLORS["vision"], DOMAIN_COLORS["language"], DOMAIN_COLORS["science"],
              DOMAIN_COLORS["games"]]
    built = [_panel(i, f, colors[i % len(colors)]) for i, f in enumerate(fams)]
    return {"$schema": SCHEMA,
            "title": {"text": "What scale alone changed", "subtitle": subtitle,
                      "anchor": "start", "fontSize": 15, "subtitleFontSize": 11,
                      "subtitleColor": "#444"},
            "description": "", "config": {"view": {"stroke": None},
                                          "axis": {"labelFontSize": 10.5, "titleFontSize": 11,
                                                   "gridColor": "#e8e8e8"}},
            "concat": [b[0] for b in built], "columns": len(built), "spacing": 28,
            "datasets": {f"labels-{i}": b[1] for i, b in enumerate(built)},
            "usermeta": {"panels": len(built), "thins": [b[2] for b in built], "padLeft": 58}}


def family_words(fams: list[dict[str, Any]]) -> list[str]:
    """One sentence per family: its metric at the smallest and the largest size."""
    out = []
    for f in fams:
        a, b = f["first"], f["last"]
        verb = ("rose" if b["value"] > a["value"] else "fell") if b["value"] != a["value"] \
            else "stayed"
        metric = f["metric"]
        if len(metric) > 1 and metric[1].islower():
            metric = metric[0].lower() + metric[1:]
        out.append(f"{f['name']}'s {metric}"
                   f"{' (' + f['setting'] + ')' if f['setting'] else ''} {verb} from "
                   f"{value_text(a['value'], f['unit'])} at {a['size']} parameters to "
                   f"{value_text(b['value'], f['unit'])} at {b['size']}, a model "
                   f"{f['param_ratio']:,.0f} times larger ({_plain_better(f['direction'])}).")
    return out


def family_summary(fams: list[dict[str, Any]]) -> str:
    """The chart's text summary: every size and value of every family."""
    parts = []
    for f in fams:
        sizes = "; ".join(f"{p['size']} {value_text(p['value'], f['unit'])}" for p in f["points"])
        parts.append(f"{f['name']}, {f['metric']} ({_plain_better(f['direction'])}): "
                     f"{sizes}.")
    return ("Each panel is one family of models trained the same way at several sizes, "
            "parameters on a log axis. " + " ".join(parts))
