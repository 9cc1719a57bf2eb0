"""The Story's charts as Vega-Lite specs (plain dicts, data inline), and the number formats
its prose and charts share. Each spec may carry `usermeta.thin`: what static/cards.js needs to
keep only the labels that fit at the reader's width.
"""

from __future__ import annotations

import math
from typing import Any

from dlrev.palette import DOMAIN_COLORS, DOMAIN_SHAPES_VEGA, INK, MUTED, PROJECTION
from dlrev.web.milestone_chart import SCHEMA
from dlrev.web.specs import POW10_LABEL

SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
CONFIG = {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 12,
                                              "gridColor": "#e8e8e8"}}


def sci(v: float | None, unit: str = "") -> str:
    """2.5 × 10²⁴ FLOP."""
    if v is None or not math.isfinite(v) or v <= 0:
        return "–"
    e = math.floor(math.log10(v))
    m = v / 10 ** e
    if round(m, 1) >= 10:
        m, e = m / 10, e + 1
    return f"{m:.1f} × 10{str(e).translate(SUP)}" + (f" {unit}" if unit else "")


def times(v: float | None) -> str:
    """A ratio in words: 1.4 million, 263,000, 45."""
    if v is None or not math.isfinite(v):
        return "–"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if v >= size:
            return f"{v / size:.1f}".removesuffix(".0") + f" {word}"
    return f"{round(v, -3 if v >= 1e4 else 0):,.0f}"


def count(v: float | None) -> str:
    if v is None:
        return "–"
    for size, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            return f"{v / size:.3g}{word}"
    return f"{v:.0f}"


def _title(text: str, subtitle: str) -> dict[str, Any]:
    return {"text": text, "subtitle": subtitle, "anchor": "start", "fontSize": 15,
            "subtitleFontSize": 11, "subtitleColor": "#444"}


def _thin(data: str, x: str, xd: list[float], y: str, yd: list[float],
          lines: list[str], below: bool = False, reverse: bool = False,
          alt: str | None = None) -> dict[str, Any]:
    return {"thin": {"data": data, "x": x, "xdomain": xd, "y": y, "ydomain": yd,
                     "yreverse": reverse, "lines": lines, "below": below, "pad": [6, 6],
                     "alt": alt}}


def _short_who(who: str) -> str:
    """'Grace et al. survey of ML researchers' -> 'Grace et al.'; 'Ajeya Cotra (Open
    Philanthropy)' -> 'Ajeya Cotra'."""
    name = who.split(" (")[0]
    return name if len(name) <= 16 else " ".join(name.split()[:2])


HALO = {"stroke": "white", "strokeWidth": 3, "strokeOpacity": 0.85, "strokeJoin": "round"}


def _label_layers(data: str, x: dict[str, Any], y: dict[str, Any]) -> list[dict[str, Any]]:
    """The labels `cards.js` kept, each on a white halo so it reads over the points."""
    return [{"data": {"name": data},
             "transform": [{"filter": f"datum.show && datum.align == '{side}'"}],
             "mark": {"type": "text", "align": side, "baseline": "middle", "fontSize": 11,
                      "dx": 7 if side == "left" else -7, "color": INK, "lineHeight": 13,
                      **(HALO if halo else {})},
             "encoding": {"x": x, "y": y, "text": {"field": "lines"}}}
            for side in ("left", "right") for halo in (True, False)]


def compute_chart(st: dict[str, Any], subtitle: str) -> dict[str, Any]:
    """Training compute against date (log axis), era trend lines, the landmarks labelled."""
    pts = [{"x": dyear(p["date"]), "y": math.log10(p["compute"]), "name": p["name"],
            "date": p["date"], "area": p["area"], "flop": sci(p["compute"], "FLOP")}
           for p in st["points"]]
    marks = [{"x": dyear(p["date"]), "y": math.log10(p["compute"]), "label": p["name"],
              "priority": 1, "date": p["date"]} for p in st["landmarks"]]
    lo = min((p["x"] for p in pts), default=1950.0)
    hi = max((p["x"] for p in pts), default=2026.0)
    ylo = math.floor(min((p["y"] for p in pts), default=0.0))
    yhi = math.ceil(max((p["y"] for p in pts), default=27.0) + 0.3)
    xd, yd = [math.floor(lo) - 1, math.ceil(hi) + 1], [ylo, yhi]
    lines = []
    for e in st["eras"]:
        for xv in (e["x_first"], e["x_last"]):
            lines.append({"x": xv, "y": e["intercept"] + e["slope"] * xv, "era": e["label"]})
    x = {"field": "x", "type": "quantitative", "title": "Publication date",
         "scale": {"domain": xd, "nice": False, "zero": False},
         "axis": {"format": "d", "tickMinStep": 1, "labelFlush": True}}
    y = {"field": "y", "type": "quantitative", "title": "Training compute (FLOP)",
         "scale": {"domain": yd, "nice": False, "zero": False},
         "axis": {"labelExpr": POW10_LABEL, "tickMinStep": 1, "grid": True,
                  "labelOverlap": "greedy"}}
    colors = {"domain": list(DOMAIN_COLORS), "range": list(DOMAIN_COLORS.values())}
    shapes = {"domain": list(DOMAIN_SHAPES_VEGA), "range": list(DOMAIN_SHAPES_VEGA.values())}
    post = st.get("post_ratio") or {}
    rule = [{"x": dyear(post["date"]), "y": yd[1], "text": "Sevilla et al. (2022)"}] if post else []
    layers: list[dict[str, Any]] = [
        {"data": {"values": pts}, "mark": {"type": "point", "filled": True, "size": 22,
                                           "opacity": 0.55},
         "encoding": {"x": x, "y": y, "color": {"field": "area", "type": "nominal",
                                                "scale": colors, "title": "Domain",
                                                "legend": {"orient": "bottom", "direction":
                                                           "horizontal", "columns": 3}},
                      "shape": {"field": "area", "type": "nominal", "scale": shapes},
                      "tooltip": [{"field": "name", "title": "System"},
                                  {"field": "date", "title": "Date"},
                                  {"field": "flop", "title": "Training compute"}]}},
        {"data": {"values": lines}, "mark": {"type": "line", "color": INK, "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "detail": {"field": "era"}}},
        {"data": {"name": "labels"}, "mark": {"type": "point", "size": 70, "color": INK,
                                              "strokeWidth": 1.5},
         "encoding": {"x": x, "y": y}},
        *_label_layers("labels", x, y),
    ]
    if rule:
        layers.append({"data": {"values": rule}, "mark": {"type": "rule", "strokeDash": [4, 4],
                                                          "color": PROJECTION},
                       "encoding": {"x": x}})
    return {"$schema": SCHEMA, "title": _title("Training compute of notable AI systems",
                                               subtitle),
            "description": "", "height": 420, "config": CONFIG, "layer": layers,
            "datasets": {"labels": marks},
            "usermeta": {**_thin("labels", "x", xd, "y", yd, ["label"]), "padLeft": 62}}


def scaling_chart(sc: dict[str, Any], subtitle: str) -> dict[str, Any]:
    """Compute-optimal model size against compute: Chinchilla's fit and Kaplan's recipe."""
    vals, marks = [], []
    for r in sc["rows"]:
        lx = math.log10(r["compute"])
        vals.append({"x": lx, "y": math.log10(r["N_chinchilla"]), "who": "Chinchilla (2022)",
                     "loss": round(r["loss"], 3)})
        vals.append({"x": lx, "y": math.log10(r["N_kaplan"]), "who": "Kaplan et al. (2020)",
                     "loss": None})
    last = sc["rows"][-1]
    lx = math.log10(last["compute"])
    for who, key in (("Kaplan et al. (2020)", "N_kaplan"), ("Chinchilla (2022)",
                                                             "N_chinchilla")):
        marks.append({"x": lx, "y": math.log10(last[key]), "label": who, "priority": 1})
    xd = [math.log10(sc["rows"][0]["compute"]), lx]
    yd = [math.floor(min(v["y"] for v in vals)), math.ceil(max(v["y"] for v in vals))]
    x = {"field": "x", "type": "quantitative", "title": "Training compute (FLOP)",
         "scale": {"domain": xd, "nice": False, "zero": False},
         "axis": {"labelExpr": POW10_LABEL, "tickMinStep": 1, "labelOverlap": "greedy"}}
    y = {"field": "y", "type": "quantitative", "title": "Compute-optimal parameters",
         "scale": {"domain": yd, "nice": False, "zero": False},
         "axis": {"labelExpr": POW10_LABEL, "tickMinStep": 1, "labelOverlap": "greedy"}}
    color = {"field": "who", "type": "nominal", "legend": None,
             "scale": {"domain": ["Chinchilla (2022)", "Kaplan et al. (2020)"],
                       "range": [DOMAIN_COLORS["vision"], DOMAIN_COLORS["language"]]}}
    return {"$schema": SCHEMA, "title": _title("How big a model for a compute budget", subtitle),
            "description": "", "height": 300, "config": CONFIG,
            "layer": [{"data": {"values": vals}, "mark": {"type": "line", "strokeWidth": 2.5},
                       "encoding": {"x": x, "y": y, "color": color,
                                    "strokeDash": {"field": "who", "legend": None}}},
                      *_label_layers("labels", x, y)],
            "datasets": {"labels": marks},
            "usermeta": {**_thin("labels", "x", xd, "y", yd, ["label"]), "padLeft": 62}}


def loss_chart(sc: dict[str, Any], subtitle: str) -> dict[str, Any]:
    """Chinchilla's fit: the loss of a compute-optimal model against its training compute,
    with the irreducible loss and the budgets of landmark language models marked."""
    vals = [{"x": math.log10(r["compute"]), "y": r["loss"]} for r in sc["rows"]]
    marks = [{"x": math.log10(b["compute"]), "y": b["loss"], "label": b["name"],
              "priority": 1, "n_opt": count(b["N_opt"]), "loss": round(b["loss"], 3)}
             for b in sc["budgets"]]
    xd = [vals[0]["x"], vals[-1]["x"]]
    yd = [math.floor(sc["E"] * 10) / 10 - 0.1, math.ceil(vals[0]["y"] * 10) / 10]
    x = {"field": "x", "type": "quantitative", "title": "Training compute (FLOP)",
         "scale": {"domain": xd, "nice": False, "zero": False},
         "axis": {"labelExpr": POW10_LABEL, "tickMinStep": 1, "labelOverlap": "greedy"}}
    y = {"field": "y", "type": "quantitative", "title": "Predicted loss (nats per token)",
         "scale": {"domain": yd, "nice": False, "zero": False}}
    floor = [{"x": xd[0], "y": sc["E"]}, {"x": xd[1], "y": sc["E"]}]
    return {"$schema": SCHEMA, "title": _title("Loss falls smoothly with compute", subtitle),
            "description": "", "height": 280, "config": CONFIG,
            "layer": [
                {"data": {"values": floor},
                 "mark": {"type": "line", "strokeDash": [5, 4], "color": PROJECTION},
                 "encoding": {"x": x, "y": y}},
                {"data": {"values": floor[:1]},
                 "mark": {"type": "text", "align": "left", "dy": -7, "dx": 4, "fontSize": 11,
                          "color": MUTED},
                 "encoding": {"x": x, "y": y, "text": {"value": "irreducible loss E"}}},
                {"data": {"values": vals},
                 "mark": {"type": "line", "strokeWidth": 2.5, "color": DOMAIN_COLORS["vision"]},
                 "encoding": {"x": x, "y": y}},
                {"data": {"name": "labels"},
                 "mark": {"type": "point", "filled": True, "size": 60, "color": INK},
                 "encoding": {"x": x, "y": y, "tooltip": [
                     {"field": "label", "title": "Budget of"},
                     {"field": "loss", "title": "Predicted loss"},
                     {"field": "n_opt", "title": "Compute-optimal parameters"}]}},
                *_label_layers("labels", x, y)],
            "datasets": {"labels": marks},
            "usermeta": {**_thin("labels", "x", xd, "y", yd, ["label"]), "padLeft": 56}}


def forecast_chart(rows: list[dict[str, Any]], subtitle: str) -> dict[str, Any]:
    """Each resolved forecast: its median (hollow), its range, the outcome (filled), numbers."""
    vals = []
    for i, r in enumerate(rows):
        q = f"{r['benchmark']}, mid-{r['target_date'][:4]}"
        vals.append({"q": q, "i": i, "median": r["median"], "low": r["low"], "high": r["high"],
                     "outcome": r["outcome"], "mtext": f"{r['median']:g}",
                     "otext": f"{r['outcome']:g}", "who": r["forecaster"],
                     "system": r.get("outcome_system") or ""})
    y = {"field": "q", "type": "nominal", "title": None, "sort": {"field": "i"},
         "axis": {"labelLimit": 150, "labelFontSize": 11}}
    x = {"type": "quantitative", "title": "Score (%)", "scale": {"domain": [0, 100]}}
    return {"$schema": SCHEMA, "title": _title("Forecasts against what happened", subtitle),
            "description": "", "config": CONFIG, "height": {"step": 40},
            "usermeta": {"padLeft": 150},
            "data": {"values": vals},
            "layer": [
                {"transform": [{"filter": "datum.low != null"}],
                 "mark": {"type": "rule", "strokeWidth": 6, "opacity": 0.25, "color": MUTED},
                 "encoding": {"y": y, "x": {**x, "field": "low"}, "x2": {"field": "high"}}},
                {"mark": {"type": "rule", "color": "#999"},
                 "encoding": {"y": y, "x": {**x, "field": "median"}, "x2": {"field": "outcome"}}},
                {"mark": {"type": "point", "size": 90, "filled": False, "color": INK,
                          "strokeWidth": 2},
                 "encoding": {"y": y, "x": {**x, "field": "median"},
                              "tooltip": [{"field": "who", "title": "Forecaster"},
                                          {"field": "median", "title": "Forecast median"}]}},
                {"mark": {"type": "point", "size": 90, "filled": True,
                          "color": DOMAIN_COLORS["language"]},
                 "encoding": {"y": y, "x": {**x, "field": "outcome"},
                              "tooltip": [{"field": "system", "title": "Outcome by"},
                                          {"field": "outcome", "title": "Outcome"}]}},
                {"mark": {"type": "text", "dy": -12, "fontSize": 11, "color": MUTED},
                 "encoding": {"y": y, "x": {**x, "field": "median"}, "text": {"field": "mtext"}}},
                {"mark": {"type": "text", "dy": 13, "fontSize": 11, "fontWeight": "bold",
                          "color": DOMAIN_COLORS["language"]},
                 "encoding": {"y": y, "x": {**x, "field": "outcome"},
                              "text": {"field": "otext"}}},
            ]}


def saturation_chart(rows: list[dict[str, Any]], subtitle: str) -> dict[str, Any]:
    """Years from a benchmark's introduction to 90% of the way to human level."""
    vals = [{"x": r["introduced_year"], "y": r["years_to_90"], "name": r["benchmark"],
             "label": r["benchmark"] + (f" ({r['series']})" if r.get("series") else ""),
             "short": r["benchmark"], "priority": 1, "domain": r["domain"]} for r in rows]
    xd = [math.floor(min((v["x"] for v in vals), default=2000)) - 1,
          math.ceil(max((v["x"] for v in vals), default=2024)) + 1]
    yd = [0, math.ceil(max((v["y"] for v in vals), default=5)) + 1]
    x = {"field": "x", "type": "quantitative", "title": "Year the benchmark was introduced",
         "scale": {"domain": xd, "nice": False, "zero": False},
         "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": "greedy"}}
    y = {"field": "y", "type": "quantitative", "title": "Years to 90% of human level",
         "scale": {"domain": yd, "nice": False}}
    return {"$schema": SCHEMA, "title": _title("Benchmarks fall faster", subtitle),
            "description": "", "height": 280, "config": CONFIG,
            "layer": [{"data": {"name": "labels"},
                       "mark": {"type": "point", "filled": True, "size": 80},
                       "encoding": {"x": x, "y": y, "color": {
                           "field": "domain", "type": "nominal", "legend": None,
                           "scale": {"domain": list(DOMAIN_COLORS),
                                     "range": list(DOMAIN_COLORS.values())}},
                           "tooltip": [{"field": "name", "title": "Benchmark"},
                                       {"field": "y", "title": "Years", "format": ".1f"}]}},
                      *_label_layers("labels", x, y)],
            "datasets": {"labels": vals},
            "usermeta": {**_thin("labels", "x", xd, "y", yd, ["label"], alt="short"),
                         "padLeft": 44}}


def predictions_chart(rows: list[dict[str, Any]], today: float, subtitle: str
                      ) -> dict[str, Any]:
    """When each forecaster expected human-level AI (or its stand-in), with today marked."""
    vals = [{"x": r["predicted_year"], "lo": r.get("low_year"), "hi": r.get("high_year"),
             "y": i, "label": f"{r['who']} ({r['made'][:4]})", "priority": 1,
             "short": f"{_short_who(r['who'])} ({r['made'][:4]})",
             "claim": r["claim"]} for i, r in enumerate(rows)]
    xs = [v["x"] for v in vals] + [v["hi"] for v in vals if v["hi"]] + [today]
    xd = [math.floor(min(xs + [v["lo"] for v in vals if v["lo"]]) / 5) * 5 - 1,
          math.ceil(max(xs) / 5) * 5 + 1]
    yd = [-1.6, len(vals) - 0.3]  # row -1, above the first prediction, holds "today"
    x = {"field": "x", "type": "quantitative", "title": "Predicted year",
         "scale": {"domain": xd, "nice": False, "zero": False},
         "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": "greedy"}}
    y = {"field": "y", "type": "quantitative", "axis": None,
         "scale": {"domain": yd, "nice": False, "zero": False, "reverse": True}}
    return {"$schema": SCHEMA, "title": _title("Predictions of human-level AI", subtitle),
            "description": "", "height": 26 * len(vals) + 40, "config": CONFIG,
            "layer": [
                {"data": {"values": [{"x": today}]},
                 "mark": {"type": "rule", "color": DOMAIN_COLORS["language"], "strokeWidth": 2},
                 "encoding": {"x": x}},
                {"data": {"values": [{"x": today, "y": -1, "t": "today"}]},
                 "mark": {"type": "text", "align": "left", "dx": 4,
                          "baseline": "middle", "color": DOMAIN_COLORS["language"],
                          "fontWeight": "bold"},
                 "encoding": {"x": x, "y": y, "text": {"field": "t"}}},
                {"data": {"name": "labels"}, "transform": [{"filter": "datum.lo != null"}],
                 "mark": {"type": "rule", "strokeWidth": 5, "opacity": 0.25, "color": INK},
                 "encoding": {"x": {**x, "field": "lo"}, "x2": {"field": "hi"}, "y": y}},
                {"data": {"name": "labels"},
                 "mark": {"type": "point", "filled": True, "size": 70, "color": INK},
                 "encoding": {"x": x, "y": y, "tooltip": [
                     {"field": "label", "title": "Who"}, {"field": "claim", "title": "Claim"},
                     {"field": "x", "title": "Year"}]}},
                *_label_layers("labels", x, y)],
            "datasets": {"labels": vals},
            "usermeta": {**_thin("labels", "x", xd, "y", yd, ["label"], reverse=True,
                                 alt="short"), "padLeft": 10}}


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    import vl_convert as vlc

    vl = {**spec, "width": 800, "autosize": {"type": "fit-x", "contains": "padding"}}
    out: dict[str, Any] = vlc.vegalite_to_vega(vl)
    return out


# the chart box's width on the Story at 1280 and at 390 px wide screens (story.css)
PICTURE_WIDTHS = {"wide": 1180, "narrow": 370}
# cards.js's measure of a label: an 11 px sans-serif character and line
CHAR_PX, LINE_PX = 6.4, 13


def thin_labels(rows: list[dict[str, Any]], t: dict[str, Any], height: float,
                plot_w: float) -> None:
    """cards.js's thin(), for the picture drawn at build time: most important labels first,
    each placed left or right of its point where it overlaps no label kept and stays inside the
    plot; sets each row's show, lines and align. Kept in step with the script by a browser test
    (test_story_browser) that runs both on the same chart."""
    def px(v: float) -> float:
        return (v - t["xdomain"][0]) / (t["xdomain"][1] - t["xdomain"][0]) * plot_w

    def py(v: float) -> float:
        f = (v - t["ydomain"][0]) / (t["ydomain"][1] - t["ydomain"][0])
        return f * height if t.get("yreverse") else (1 - f) * height

    kept: list[tuple[float, float, float, float]] = []

    def free(b: tuple[float, float, float, float]) -> bool:
        if b[0] < 0 or b[1] > plot_w or b[2] < -8 or b[3] > height + 8:
            return False
        return not any(b[0] < k[1] and b[1] > k[0] and b[2] < k[3] and b[3] > k[2]
                       for k in kept)

    order = sorted(range(len(rows)), key=lambda i: (-(rows[i].get("priority") or 0),
                                                    -rows[i][t["x"]]))
    for i in order:
        r = rows[i]
        every = [r[f] for f in t["lines"] if r.get(f)]
        tries = [every, every[:1]] if len(every) > 1 else [every]
        if t.get("alt") and r.get(t["alt"]):
            tries.append([r[t["alt"]]])
        x, y = px(r[t["x"]]), py(r[t["y"]])
        r.update(show=False, lines=every[:1], align="left")
        for lines in tries:
            w = max(len(str(s)) for s in lines) * CHAR_PX + 6
            h = len(lines) * LINE_PX
            for align in ("left", "right"):
                if t.get("below"):
                    x0 = x - 4 if align == "left" else x - w + 4
                    b = (x0, x0 + w, y + 7, y + 7 + h)
                else:
                    x1 = x + 7 if align == "left" else x - 7 - w
                    b = (x1, x1 + w, y - h / 2, y + h / 2)
                if free(b):
                    kept.append(b)
                    r.update(show=True, lines=lines, align=align)
                    break
            if r["show"]:
                break


def to_svg(vega: dict[str, Any], width: int = 800) -> str:
    """A Vega chart drawn to SVG at build time: the page shows it at once, and without scripts
    (file://), until the interactive chart replaces it. Labels are thinned as cards.js thins
    them at the same width."""
    import copy

    import vl_convert as vlc

    vg = copy.deepcopy(vega)
    vg["width"] = width
    t = (vg.get("usermeta") or {}).get("thin")
    if t:
        pad = (vg.get("usermeta") or {}).get("padLeft") or 10
        for d in vg.get("data", []):
            if d.get("name") == t["data"]:
                thin_labels(d["values"], t, float(vg.get("height") or 300), width - pad - 12)
    svg: str = vlc.vega_to_svg(vg)
    # the document's own chart is the interactive one; this picture is not announced twice
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def dyear(iso: str) -> float:
    from dlrev.web.milestone_chart import decimal_year_of

    return round(decimal_year_of(iso), 4)
