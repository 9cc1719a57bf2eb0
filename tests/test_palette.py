"""One palette: a domain has the same colour and mark in the web charts and in the figures."""

from __future__ import annotations

import matplotlib.colors as mcolors

import dlrev
from dlrev import palette, trends
from dlrev.figures import common
from dlrev.figures.trends import plot_trends
from dlrev.web import specs, vlspec


def _scale(spec: dict, channel: str) -> dict:
    points = next(layer for layer in spec["layer"] if layer.get("name") == "points")
    return points["encoding"][channel]["scale"]


def test_web_trends_chart_uses_the_palette() -> None:
    spec = specs.trends_spec("year", "compute")
    color, shape = _scale(spec, "color"), _scale(spec, "shape")
    got = dict(zip(color["domain"], color["range"], strict=True))
    assert got["language"] == "#D55E00" == palette.DOMAIN_COLORS["language"]
    assert got == {d: palette.domain_color(d) for d in color["domain"]}
    assert dict(zip(shape["domain"], shape["range"], strict=True)) == {
        d: palette.DOMAIN_SHAPES_VEGA[d] for d in shape["domain"]}
    assert vlspec.OKABE_ITO == list(palette.OKABE_ITO)


def test_figures_draw_each_domain_in_its_web_colour_and_mark(tmp_path) -> None:
    assert common.AREA_COLORS == palette.DOMAIN_COLORS
    lines = ["name,organization,date,domain,compute,source_url"]
    for i, dom in enumerate(["language", "vision", "games", "language", "vision", "games",
                             "language", "vision"]):
        lines.append(f"s{i},Lab,{2000 + i}-06-01,{dom},{10 ** (15 + 0.5 * i):.3g},"
                     f"https://example.org/{i}")
    csv = tmp_path / "systems.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cat = dlrev.load(csv)
    fit = trends.fit(cat.systems, eras=[], bootstrap=0)
    fig = plot_trends(fit, cat.systems)
    ax = fig.axes[0]
    by_label = {c.get_label(): c for c in ax.collections if c.get_label() in palette.DOMAINS}
    lang = by_label["language"]
    assert mcolors.to_hex(lang.get_facecolor()[0]) == palette.DOMAIN_COLORS["language"].lower()
    # the legend shows the mark, not a colour swatch
    legend = {t.get_text(): h for t, h in zip(ax.get_legend().get_texts(),
                                                ax.get_legend().legend_handles, strict=True)}
    assert legend["language"].get_marker() == palette.DOMAIN_MARKERS_MPL["language"]
