"""Shared style for dlrev's publication figures (matplotlib).

Every figure module uses these helpers so that all charts look alike and save the same way:

    from dlrev.figures.common import new_figure, log_axis, source_line, save

    with figure_style():
        fig, ax = new_figure()
        ax.scatter(years, compute)
        log_axis(ax, "y")
        source_line(fig, sources)          # "Source: ..." with Epoch's attribution when used
        save(fig, "out.svg")               # svg / pdf / png, byte-identical between runs

Determinism: SVG ids come from a fixed `svg.hashsalt`, and the date/creator metadata that SVG,
PDF and PNG writers would stamp is fixed or removed, so the same data gives the same bytes.
Files are written to a temporary name and renamed, so a failed save leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter  # noqa: E402

from dlrev import catalog, palette  # noqa: E402
from dlrev.errors import DlrevError  # noqa: E402
from dlrev.jsonio import atomic_open  # noqa: E402

FORMATS = ("svg", "pdf", "png")

# Colours and marks come from dlrev.palette, the one palette the web charts also use.
AREA_COLORS: dict[str, str] = {a: palette.domain_color(a) for a in palette.DOMAINS}
AREA_MARKERS: dict[str, str] = dict(palette.DOMAIN_MARKERS_MPL)
# A sequence for anything else (eras, groups, series).
PALETTE = palette.OKABE_ITO
INK = palette.INK
MUTED = palette.MUTED
GRID = palette.GRID

STYLE: dict[str, Any] = {
    "svg.hashsalt": "dlrev",
    "svg.fonttype": "path",  # text as paths: identical rendering without the reader's fonts
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 11.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.0,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "legend.frameon": False,
    "legend.fontsize": 8.0,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "path.simplify": False,
    "image.interpolation": "nearest",
}

# Metadata fixed per format: no dates, a constant creator.
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": "dlrev"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "dlrev", "Producer": "dlrev"},
    "png": {"Software": "dlrev"},
}


@contextlib.contextmanager
def figure_style(**overrides: Any) -> Iterator[None]:
    """Apply dlrev's rcParams (plus any overrides) for the figures made inside the block."""
    params: Any = {**STYLE, **overrides}
    with matplotlib.rc_context(params):
        yield


def new_figure(width: float = 7.2, height: float = 4.4, **kwargs: Any) -> tuple[Figure, Any]:
    """A figure and its axes (one Axes, or an array with nrows/ncols) in dlrev's style; sizes are
    inches (7.2 in is about a two-column journal width). Draw inside `with figure_style():`."""
    with figure_style():
        fig, ax = plt.subplots(figsize=(width, height), **kwargs)
    return fig, ax


def figure_format(path: str | Path, fmt: str | None = None) -> str:
    """The output format from an explicit name or the file's suffix; one clear error otherwise."""
    name = (fmt or Path(path).suffix.lstrip(".")).lower()
    if name not in FORMATS:
        raise DlrevError(
            f"{path}: cannot tell the figure format; use a file ending in .svg, .pdf or .png."
        )
    return name


def save(fig: Figure, path: str | Path, fmt: str | None = None, close: bool = True) -> Path:
    """Write `fig` to `path` deterministically (temp file + rename); returns the path."""
    out = Path(path)
    kind = figure_format(out, fmt)
    if out.parent and not out.parent.exists():
        raise DlrevError(f"{out}: the folder {out.parent} does not exist.")
    try:
        with figure_style(), atomic_open(out, "wb") as f:
            fig.savefig(f, format=kind, metadata=_METADATA[kind], bbox_inches=None)
    finally:
        if close:
            plt.close(fig)
    return out


def _power_label(exp: int) -> str:
    return f"$10^{{{exp}}}$"


def decade_ticks(lo: float, hi: float, max_ticks: int = 9) -> list[int]:
    """Integer exponents for 10^n ticks covering [lo, hi] (values, not logs), at most max_ticks,
    spaced by 1, 2, 3, 5 or 10 decades and aligned to multiples of that step."""
    if not (lo > 0 and hi > 0 and math.isfinite(lo) and math.isfinite(hi)):
        return []
    a, b = math.floor(math.log10(min(lo, hi))), math.ceil(math.log10(max(lo, hi)))
    for step in (1, 2, 3, 5, 10, 20):
        first = math.ceil(a / step) * step
        exps = list(range(first, b + 1, step))
        if len(exps) <= max_ticks:
            return exps
    return list(range(a, b + 1, max(1, (b - a) // max_ticks)))


def log_axis(ax: Axes, which: str = "y", max_ticks: int = 9, label: str | None = None) -> None:
    """Make one axis logarithmic with readable 10^n tick labels (no 1e+23 offset text).

    Call after the data are drawn (the ticks follow the current limits)."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    (ax.set_yscale if which == "y" else ax.set_xscale)("log")
    lo, hi = ax.get_ylim() if which == "y" else ax.get_xlim()
    exps = decade_ticks(lo, hi, max_ticks)
    if exps:
        axis.set_major_locator(FixedLocator([10.0**e for e in exps]))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: _power_label(round(math.log10(v)))
                                               if v > 0 else ""))
        step = exps[1] - exps[0] if len(exps) > 1 else 1
        minor = [10.0**e for e in range(exps[0] - step, exps[-1] + step + 1)] if step > 1 else []
        axis.set_minor_locator(FixedLocator(minor))
        axis.set_minor_formatter(NullFormatter())
        (ax.set_ylim if which == "y" else ax.set_xlim)(lo, hi)
    if label is not None:
        (ax.set_ylabel if which == "y" else ax.set_xlabel)(label)


def source_text(sources: Iterable[str] | str | None, extra: str | None = None) -> str:
    """'Source: a; b' from catalog sources (Catalog.sources); Epoch's attribution is kept whole."""
    if sources is None:
        items: list[str] = []
    elif isinstance(sources, str):
        items = [sources]
    else:
        items = [s for s in sources if s]
    text = catalog.source_line(items).rstrip(".")
    if extra:
        text = f"{text}. {extra}" if text else extra
    return text


def source_line(fig: Figure, sources: Iterable[str] | str | None, extra: str | None = None,
                fontsize: float = 6.5, wrap: int = 150) -> None:
    """Write the source line at the bottom-left of the figure (wrapped, muted), making room."""
    import textwrap

    text = source_text(sources, extra)
    if not text:
        return
    lines = textwrap.wrap(text, wrap)
    fig.text(0.01, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize=fontsize,
             color=MUTED, wrap=False)
    # Room for the line(s) (about 1.3 x fontsize points each) plus the x tick labels and the
    # axis label above them (about 0.45 inch).
    height_in = fig.get_figheight()
    need = (len(lines) * fontsize * 1.3 + 6) / 72.0 / height_in
    fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, need + 0.45 / height_in))


def year_axis(ax: Axes, lo: float, hi: float, max_ticks: int = 10) -> None:
    """Integer-year ticks on the x axis between decimal years lo and hi."""
    span = max(hi - lo, 1.0)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= max_ticks)
    first = math.ceil(lo / step) * step
    ticks = [float(t) for t in range(int(first), int(math.floor(hi)) + 1, step)]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))
    ax.set_xlim(lo, hi)
