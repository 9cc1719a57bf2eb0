"""One palette for every view: each domain's colour and mark, and the series colours.

The web charts (Vega-Lite) and the publication figures (matplotlib) both read these, so a domain
looks the same in the browser, in an exported SVG and in a PDF. Colours are Okabe & Ito's
colour-blind-safe set; each domain also has its own mark shape, so colour is never the only cue.
"""

from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
# deficiencies. Black is kept for the main series of a chart.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000")
# For charts with more series than Okabe-Ito has colours (Paul Tol's muted scheme extends it).
MANY = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999933", "#000000",
        "#882255", "#44AA99", "#117733", "#AA4499", "#6699CC", "#888888")

DOMAINS = ("vision", "games", "language", "science", "other")
DOMAIN_COLORS: dict[str, str] = {
    "vision": "#0072B2",    # blue
    "games": "#E69F00",     # orange
    "language": "#D55E00",  # vermillion
    "science": "#009E73",   # bluish green
    "other": "#7f7f7f",     # grey
}
# The same shape in both grammars: Vega-Lite's shape names and matplotlib's marker codes.
DOMAIN_SHAPES_VEGA: dict[str, str] = {
    "vision": "circle", "games": "square", "language": "triangle-up", "science": "diamond",
    "other": "cross",
}
DOMAIN_MARKERS_MPL: dict[str, str] = {
    "vision": "o", "games": "s", "language": "^", "science": "D", "other": "P",
}

# The scaling-law parameter sets: the same set keeps its colour on every chart and figure.
SCALING_SETS: dict[str, str] = {
    "besiroglu": "#0072B2",     # blue
    "hoffmann": "#D55E00",      # vermillion
    "hoffmann-tex": "#CC79A7",  # reddish purple
    "kaplan": "#E69F00",        # orange
    "this fit": "#009E73",      # bluish green
}

INK = "#222222"
MUTED = "#666666"
GRID = "#e2e2e2"
PROJECTION = "#555555"  # projections are drawn dashed, in grey, never in a domain colour


def domain_color(domain: str) -> str:
    return DOMAIN_COLORS.get(domain, DOMAIN_COLORS["other"])
