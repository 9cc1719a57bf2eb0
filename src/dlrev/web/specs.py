"""Vega-Lite specs of the explorer's charts, written in Python with Altair.

The specs hold no data: they name datasets ('points', 'eras', 'lines', 'bands', 'labels') that
the page's controller fills (and refills as filters, axes and eras change). Values are plotted in
log10 space on linear scales, so trend lines are straight, fits and chart agree, and the axis
labels can be written as readable powers of ten (10²³).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from dlrev import palette
from dlrev.schema import AREAS
from dlrev.web.pagedata import METRICS, X_AXES, Y_AXES

# Colours and shapes from dlrev.palette (the figures use the same): colour is never the only cue.
AREA_COLORS = {a: palette.domain_color(a) for a in AREAS}
AREA_SHAPES = {a: palette.DOMAIN_SHAPES_VEGA.get(a, "cross") for a in AREAS}
WIDTH = 1000
HEIGHT = 400

_SUP = "['⁰','¹','²','³','⁴','⁵','⁶','⁷','⁸','⁹']"
# 10 to the integer power datum.value, e.g. 10²³ or 10⁻³; blank for non-integer ticks.
POW10_LABEL = (
    "datum.value == floor(datum.value) ? '10' + (datum.value < 0 ? '⁻' : '') + "
    f"(abs(datum.value) >= 10 ? {_SUP}[floor(abs(datum.value) / 10) % 10] : '') + "
    f"{_SUP}[abs(datum.value) % 10] : ''"
)


def axis_title(key: str) -> str:
    if key == "year":
        return "Publication date"
    _, label, unit = METRICS[key]
    return f"{label} ({unit}, log scale)"


def _axis(key: str, **kw: Any) -> Any:
    import altair as alt

    if key == "year":  # labelFlush: the last year's label is never cut at the frame's edge
        return alt.Axis(title=axis_title(key), format="d", tickMinStep=1, grid=True,
                        labelFlush=True, **kw)
    return alt.Axis(title=axis_title(key), labelExpr=POW10_LABEL, tickMinStep=1, grid=True, **kw)


def trends_spec(x: str = "year", y: str = "compute", title: str | None = None,
                subtitle: str | None = None) -> dict[str, Any]:
    """The Trends chart for one choice of axes, as a Vega-Lite dict."""
    import altair as alt  # lazily: importing Altair takes about a second

    if x not in X_AXES:
        raise ValueError(f"x must be one of {', '.join(X_AXES)}, not {x!r}")
    if y not in Y_AXES:
        raise ValueError(f"y must be one of {', '.join(Y_AXES)}, not {y!r}")
    xs = alt.Scale(zero=False, nice=False)
    ys = alt.Scale(zero=False, nice=False)
    xenc = alt.X("x:Q", scale=xs, axis=_axis(x))
    yenc = alt.Y("y:Q", scale=ys, axis=_axis(y))

    eras = alt.Chart(alt.Data(name="eras")).mark_rect(opacity=0.35).encode(
        x=alt.X("start:Q", scale=xs, axis=_axis(x)),
        x2="end:Q",
        fill=alt.Fill("shade:N", scale=None),
    )
    bands = alt.Chart(alt.Data(name="bands")).mark_area(opacity=0.25, color="#333").encode(
        x=alt.X("x:Q", scale=xs, axis=_axis(x)), y=alt.Y("lo:Q", scale=ys, axis=_axis(y)),
        y2="hi:Q", detail="era:N",
    )
    lines = alt.Chart(alt.Data(name="lines")).mark_line(strokeWidth=2.5, color="#222").encode(
        x=alt.X("x:Q", scale=xs, axis=_axis(x)), y=alt.Y("y:Q", scale=ys, axis=_axis(y)),
        detail="era:N",
    )
    tooltip = [
        alt.Tooltip("name:N", title="System"),
        alt.Tooltip("org:N", title="Organization"),
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("ty:N", title=METRICS[y][1]),
    ]
    if x != "year":
        tooltip.append(alt.Tooltip("tx:N", title=METRICS[x][1]))
    tooltip += [
        alt.Tooltip("area:N", title="Domain"),
        alt.Tooltip("confidence:N", title="Confidence"),
        alt.Tooltip("host:N", title="Source"),
    ]
    legend = alt.Legend(orient="bottom", direction="horizontal", symbolOpacity=1,
                        symbolSize=90)
    points = alt.Chart(alt.Data(name="points"), name="points").mark_point(
        filled=True, size=46, opacity=0.8, strokeWidth=0,
    ).encode(
        x=xenc, y=yenc,
        color=alt.Color("area:N", title="Domain",
                        scale=alt.Scale(domain=list(AREAS),
                                        range=[AREA_COLORS[a] for a in AREAS]),
                        legend=legend),
        shape=alt.Shape("area:N", title="Domain",
                        scale=alt.Scale(domain=list(AREAS),
                                        range=[AREA_SHAPES[a] for a in AREAS]),
                        legend=legend),
        tooltip=tooltip,
        description=alt.Description("desc:N"),
    )
    # Record setters (the running frontier) and the selected system are ringed in black.
    rings = alt.Chart(alt.Data(name="rings"), name="rings").mark_point(
        filled=False, size=120, strokeWidth=1.6, color="#000",
    ).encode(x=xenc, y=yenc, tooltip=tooltip)
    labels = alt.Chart(alt.Data(name="labels")).mark_text(
        align="center", baseline="top", fontSize=11.5, fontWeight="bold", color="#111",
        lineHeight=14,
    ).encode(x=xenc, y=alt.Y("py:Q", scale=None, axis=None), text="text:N")

    # Each era's trend carried forward to a chosen year: dashed, grey, with its prediction band,
    # so that a projection never looks like history.
    proj_bands = alt.Chart(alt.Data(name="proj_bands")).mark_area(
        opacity=0.13, color=palette.PROJECTION).encode(
        x=alt.X("x:Q", scale=xs, axis=_axis(x)), y=alt.Y("lo:Q", scale=ys, axis=_axis(y)),
        y2="hi:Q", detail="era:N",
    )
    proj_lines = alt.Chart(alt.Data(name="proj_lines")).mark_line(
        strokeWidth=2, strokeDash=[7, 4], color=palette.PROJECTION).encode(
        x=alt.X("x:Q", scale=xs, axis=_axis(x)), y=alt.Y("y:Q", scale=ys, axis=_axis(y)),
        detail="era:N",
    )
    # Landmark systems, named beside their mark; the page places the labels (lx, ly) so that
    # they do not cover each other.
    # A white halo under each name keeps it readable over the points.
    landmark_enc = {"x": alt.X("lx:Q", scale=xs, axis=_axis(x)),
                    "y": alt.Y("ly:Q", scale=ys, axis=_axis(y)), "text": "text:N"}
    landmarks = alt.layer(
        alt.Chart(alt.Data(name="landmarks")).mark_text(
            align="left", baseline="middle", fontSize=11, stroke="white", strokeWidth=3,
            strokeOpacity=0.85, strokeJoin="round", aria=False).encode(**landmark_enc).properties(
                name="landmark_halo"),
        alt.Chart(alt.Data(name="landmarks")).mark_text(
            align="left", baseline="middle", fontSize=11, color="#111").encode(**landmark_enc)
        .properties(name="landmark_names"))
    proj_text = alt.Chart(alt.Data(name="proj_text")).mark_text(
        align="right", baseline="bottom", fontSize=11, color=palette.PROJECTION, dy=-4,
    ).encode(x=alt.X("x:Q", scale=xs, axis=_axis(x)),
             y=alt.Y("y:Q", scale=ys, axis=_axis(y)), text="text:N")

    chart = alt.layer(eras, proj_bands, bands, proj_lines, lines, points, rings, landmarks,
                      proj_text, labels).properties(
        width=WIDTH, height=HEIGHT,
        title=alt.TitleParams(
            title or f"{METRICS[y][1]} of notable AI systems",
            subtitle=subtitle or "", anchor="start", fontSize=16, subtitleFontSize=11,
            subtitleColor="#444",
        ),
        usermeta={"x": x, "y": y},
    ).configure_view(stroke="#bbb").configure_axis(
        labelFontSize=12, titleFontSize=12.5, gridColor="#e2e2e2",
    ).configure_legend(labelFontSize=12, titleFontSize=12)
    spec: dict[str, Any] = chart.to_dict()
    spec["description"] = (f"Scatter chart of {METRICS[y][1].lower()} against "
                           f"{axis_title(x).lower()}, one mark per system, with trend lines "
                           "per era.")
    return spec


@functools.lru_cache(maxsize=8)
def _all_specs_json(subtitle: str) -> str:
    out = {}
    for y in Y_AXES:
        for x in X_AXES:
            if x == y:
                continue
            out[f"{x}|{y}"] = trends_spec(x, y, subtitle=subtitle)
    return json.dumps(out)


def all_trends_specs(subtitle: str = "") -> dict[str, dict[str, Any]]:
    """Every axis combination the page offers, keyed 'x|y' (made once per process and subtitle:
    Altair's validation takes a second or two)."""
    result: dict[str, dict[str, Any]] = json.loads(_all_specs_json(subtitle))
    return result
