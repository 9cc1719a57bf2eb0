"""The milestone-lane chart, drawn on the Story page (one chart per domain) and on the Timeline.

A Vega-Lite spec written as a plain dict: one lane per sub-area, one mark per milestone on a
shared time axis, the mark labelled with its system and (space allowing) its headline number.
The spec holds no width: the page's script (static/cards.js) sets it to the reader's screen and
decides which labels fit (`show`, `lines`, `align` of each label row) so that none collide.
"""

from __future__ import annotations

from typing import Any

from dlrev.palette import DOMAIN_SHAPES_VEGA, INK, MUTED, domain_color
from dlrev.web.vlspec import SCHEMA

LANE_PX = 66  # the height of one lane: its name, the marks and two lines of label
HEADLINE_CHARS = 34  # longer headlines are cut on the chart (the card shows them whole)


def _short(text: str | None) -> str | None:
    if not text:
        return None
    return text if len(text) <= HEADLINE_CHARS else text[:HEADLINE_CHARS - 1].rstrip() + "…"


def decimal_year_of(iso: str) -> float:
    y, m, d = (int(p) for p in iso.split("-"))
    from datetime import date

    start = date(y, 1, 1).toordinal()
    days = date(y + 1, 1, 1).toordinal() - start
    return y + (date(y, m, d).toordinal() - start) / days


def rows(milestones: list[dict[str, Any]], lanes: list[str]) -> list[dict[str, Any]]:
    """One row per milestone: where it sits (decimal year, lane index) and its label lines."""
    out = []
    for m in milestones:
        if m["subarea"] not in lanes:
            continue
        short = _short(m.get("headline"))
        out.append({
            "id": m["id"], "x": round(decimal_year_of(m["date"]), 4), "date": m["date"],
            "lane": m["subarea"], "row": lanes.index(m["subarea"]), "domain": m["domain"],
            "label": m["label"], "headline": short, "title": m["title"], "post": m["post"],
            # the post's systems first, then milestones with a number to show, newest first
            "priority": (2 if m["post"] else 0) + (1 if m.get("headline") else 0),
        })
    return out


def lane_chart(milestones: list[dict[str, Any]], domain: str, lanes: list[str],
               x_domain: tuple[float, float], title: str, subtitle: str) -> dict[str, Any]:
    """The lanes of one domain. `lanes`: its sub-areas, top to bottom."""
    data = rows([m for m in milestones if m["domain"] == domain], lanes)
    color = domain_color(domain)
    x = {"field": "x", "type": "quantitative", "title": None,
         "scale": {"domain": list(x_domain), "nice": False, "zero": False},
         "axis": {"format": "d", "tickMinStep": 1, "grid": True, "gridColor": "#eee",
                  "labelFlush": True, "orient": "top"}}
    y = {"field": "row", "type": "quantitative", "axis": None,
         "scale": {"domain": [-0.5, len(lanes) - 0.5], "reverse": True, "nice": False,
                   "zero": False}}
    lane_rows = [{"row": i, "lane": name, "x": x_domain[0]} for i, name in enumerate(lanes)]
    tooltip = [{"field": "title", "title": "Milestone"}, {"field": "date", "title": "Date"},
               {"field": "label", "title": "System"}]
    desc = (f"{title}: {len(data)} milestones in {len(lanes)} lanes ("
            + ", ".join(lanes) + ") from " + (data[0]["date"][:4] if data else "-") + " to "
            + (data[-1]["date"][:4] if data else "-") + ".")
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": subtitle, "anchor": "start", "fontSize": 15,
                  "subtitleFontSize": 11, "subtitleColor": "#444"},
        "description": desc,
        "height": LANE_PX * len(lanes),
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11}},
        "layer": [
            {"data": {"values": lane_rows},
             "mark": {"type": "rule", "color": "#ddd", "strokeWidth": 1},
             "encoding": {"y": y}},
            {"data": {"values": lane_rows},
             "mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -12,
                      "fontSize": 11.5, "fontWeight": "bold", "color": MUTED},
             "encoding": {"x": x, "y": y, "text": {"field": "lane"}}},
            {"data": {"name": "marks"}, "name": "marks",
             "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1,
                      "shape": DOMAIN_SHAPES_VEGA.get(domain, "circle"), "cursor": "pointer",
                      "color": color, "stroke": INK},
             "encoding": {"x": x, "y": y, "tooltip": tooltip,
                          "strokeWidth": {"condition": {"test": "datum.post", "value": 1.5},
                                          "value": 0},
                          "description": {"field": "title"}}},
            *[{"data": {"name": "marks"},
               "transform": [{"filter": f"datum.show && datum.align == '{side}'"}],
               "mark": {"type": "text", "baseline": "top", "dy": 8, "fontSize": 11,
                        "align": side, "dx": -4 if side == "left" else 4,
                        "color": INK, "lineHeight": 13, "cursor": "pointer"},
               "encoding": {"x": x, "y": y, "text": {"field": "lines"}}}
              for side in ("left", "right")],
        ],
        "datasets": {"marks": data},
        # how the page's script places labels: pixel geometry of this chart, label fields
        "usermeta": {"thin": {"data": "marks", "x": "x", "xdomain": list(x_domain),
                              "y": "row", "ydomain": [-0.5, len(lanes) - 0.5],
                              "yreverse": True, "lines": ["label", "headline"],
                              "below": True, "pad": [8, 8], "domain": domain}},
    }
