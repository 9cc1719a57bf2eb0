"""Publication figures (matplotlib): thin views over dlrev's analysis results.

Shared style and saving live in `dlrev.figures.common`; each area has its own module
(`dlrev.figures.trends`, ...). Figures are deterministic: the same data gives the same
SVG and PDF bytes.
"""

from dlrev.figures.common import AREA_COLORS, figure_style, log_axis, new_figure, save, source_line

__all__ = ["AREA_COLORS", "figure_style", "log_axis", "new_figure", "save", "source_line"]
