"""Growth side by side: how fast each measure of the revolution grows, from 2010 and from 2023.

    >>> import dlrev
    >>> from dlrev import growth, horizons, metr
    >>> cat = dlrev.load()
    >>> g = growth.growth(cat, horizon_fit=horizons.from_published(metr.read_curated()))
    >>> g.row("compute", "from 2010").value          # x/year of the frontier's training compute
    >>> g.to_dict()["rows"]                          # every row with its interval and method

Each row is a thin copy of one engine's own result, so the numbers are the engines' numbers:
  - compute: record setters (`trends.frontier(how="records")`), then `trends.fit` on them with
    one era from the window's start (x/year and doubling months, the 'epoch' preset's 90%
    bootstrap);
  - capability: `capability.frontier_trend(index, since)` (index points per year, 90%);
  - horizon: `horizons.frontier_trend(fit, since)` (doubling months of the 50% horizon of
    state-of-the-art agents, 95%);
  - saturation: from `benchmarks.saturation(levels=(1.0,))`, the years each benchmark took from
    its introduction until its best result first reached the human level; the median over
    benchmarks introduced in the window (bootstrap over benchmarks) and the line of those years
    against the introduction date (`trends.fit_one`, years per year).
A window the data do not reach (no point before the next window's start) says so instead of
repeating the next window. Pure: no file I/O, no printing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlrev import benchmarks as bm
from dlrev import trends
from dlrev.errors import DlrevError
from dlrev.jsonio import plain

if TYPE_CHECKING:
    from dlrev.catalog import Catalog
    from dlrev.horizons import HorizonFit

WINDOWS: tuple[tuple[str, str], ...] = (("from 2010", "2010-01-01"), ("from 2023", "2023-01-01"))
MEASURES: dict[str, str] = {
    "compute": "Training compute of the frontier",
    "capability": "Capability index of the frontier",
    "horizon": "50% time horizon of the frontier",
    "saturation_time": "Benchmark saturation: years from introduction to human level",
    "saturation_trend": "Benchmark saturation: change per year of introduction",
}
SATURATION_SEED = 0
SATURATION_CI = 0.9
SATURATION_BOOTSTRAP = 1000
MIN_MEDIAN = 3  # benchmarks at human level needed for a median
MIN_LINE = 5  # ... and for a line against introduction date (3 points: a degenerate bootstrap)
HUMAN_TARGETS = ("human expert", "human non-expert")


@dataclass
class GrowthRow:
    """One measure over one window: the headline value in `unit` with its interval."""

    measure: str
    window: str
    since: str
    available: bool
    unit: str = ""
    value: float = math.nan
    low: float = math.nan
    high: float = math.nan
    doubling_months: float = math.nan  # where the measure grows by a factor (compute, horizon)
    doubling_low: float = math.nan
    doubling_high: float = math.nan
    n: int = 0
    first_date: str | None = None
    last_date: str | None = None
    ci: float = math.nan
    interval_method: str = ""
    source: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return MEASURES.get(self.measure, self.measure)

    def to_dict(self) -> dict[str, Any]:
        return plain({"title": self.title, **asdict(self)})


@dataclass
class GrowthResult:
    """All rows, and the points and fitted lines the three-panel figure draws."""

    rows: list[GrowthRow]
    panels: dict[str, dict[str, Any]]  # compute/capability/horizon: points, lines, note, unit
    windows: tuple[tuple[str, str], ...] = WINDOWS
    notes: list[str] = field(default_factory=list)

    def row(self, measure: str, window: str) -> GrowthRow:
        for r in self.rows:
            if r.measure == measure and r.window == window:
                return r
        raise DlrevError(f"no growth row {measure!r} {window!r}; measures are "
                         f"{', '.join(dict.fromkeys(r.measure for r in self.rows))}.")

    @property
    def x_range(self) -> tuple[float, float]:
        """The shared time axis: from the first window's start to past the newest point."""
        last = max((float(p["points"]["x"].max()) for p in self.panels.values()
                    if len(p.get("points", ()))), default=trends.to_decimal_year("2026-01-01"))
        return trends.to_decimal_year(self.windows[0][1]), math.ceil(last + 0.25)

    def to_dict(self) -> dict[str, Any]:
        panels = {k: {**{n: v for n, v in p.items() if not isinstance(v, pd.DataFrame)},
                      "points": _records(p["points"]), "lines": _records(p["lines"])}
                  for k, p in self.panels.items()}
        return plain({"windows": [{"label": a, "since": b} for a, b in self.windows],
                      "rows": [r.to_dict() for r in self.rows], "panels": panels,
                      "x_range": list(self.x_range), "notes": self.notes})


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in r.items()} for r in
            df.drop(columns=[c for c in ("x",) if c in df.columns]).to_dict(orient="records")]


def _reach(xs: np.ndarray, i: int) -> str:
    """'' when the data reach window i, else why not (no point before the next window)."""
    if i + 1 >= len(WINDOWS) or not len(xs):
        return "" if len(xs) else "not available: no data"
    nxt = trends.to_decimal_year(WINDOWS[i + 1][1])
    if xs.min() >= nxt:
        return (f"not available: the data begin on {trends.from_decimal_year(float(xs.min()))}, "
                f"after {WINDOWS[i + 1][1]}; the {WINDOWS[i + 1][0]} row covers them all")
    return ""


def _line(label: str, era: trends.EraFit, log: bool) -> list[dict[str, Any]]:
    """The fitted line's two ends (its data range), in the panel's units."""
    out = []
    for x in (era.x_first, era.x_last):
        y = float(era.predict_log10(x))
        out.append({"window": label, "x": x, "date": trends.from_decimal_year(x),
                    "value": 10**y if log else y})
    return out


def _rate_row(measure: str, label: str, since: str, era: trends.EraFit, source: str,
              log: bool, unit: str) -> GrowthRow:
    r = GrowthRow(measure, label, since, era.fitted, unit, n=era.n, first_date=era.first_date,
                  last_date=era.last_date, ci=era.ci, interval_method=era.interval_method,
                  source=source, note=era.note)
    if not era.fitted:
        return r
    if log:
        r.value, r.low, r.high = era.growth, era.growth_low, era.growth_high
        r.doubling_months, r.doubling_low, r.doubling_high = (
            era.doubling_months, era.doubling_low, era.doubling_high)
    else:
        r.value, r.low, r.high = era.slope, era.slope_low, era.slope_high
    return r


# --- the four measures -------------------------------------------------------------------------

def compute_rows(systems: pd.DataFrame, source: str, bootstrap: int | None = None,
                 seed: int = 0) -> tuple[list[GrowthRow], dict[str, Any]]:
    """x/year and doubling months of the record setters' training compute, per window."""
    # The 'epoch' preset fits notable systems only; take the records among those same systems.
    base, _ = trends.prepare(systems, "compute", notable_only=True)
    front = trends.frontier(base, how="records", metric="compute", prepared=True)
    table = front.systems.drop(columns=["x", "y"])
    rows, lines = [], []
    xs = front.systems["x"].to_numpy(float)
    for i, (label, since) in enumerate(WINDOWS):
        why = _reach(xs, i)
        if why:
            rows.append(GrowthRow("compute", label, since, False, "x/year", source=source,
                                  note=why))
            continue
        tf = trends.fit(table, metric="compute", eras=[], since=since, bootstrap=bootstrap,
                        seed=seed)
        era = tf.eras[0]
        row = _rate_row("compute", label, since, era, source, True, "x/year")
        row.interval_method = (f"{round(era.ci * 100)}% {era.interval_method}; the frontier = "
                               f"record setters ({front.n} of {front.n_candidates} systems)")
        rows.append(row)
        if era.fitted:
            lines += _line(label, era, True)
    data = base[base["x"] >= trends.to_decimal_year(WINDOWS[0][1])]
    rec = set(front.systems.index)  # the frontier keeps base's index
    points = pd.DataFrame({
        "x": data["x"], "date": [trends.from_decimal_year(x) for x in data["x"]],
        "value": 10 ** data["y"], "name": data.get("name", pd.Series("", index=data.index)),
        "frontier": [i in rec for i in data.index]})
    panel = {"title": MEASURES["compute"], "unit": "training compute (FLOP)", "log": True,
             "points": points.reset_index(drop=True), "lines": pd.DataFrame(lines),
             "note": "", "source": source}
    return rows, panel


def horizon_rows(fit: HorizonFit, source: str) -> tuple[list[GrowthRow], dict[str, Any]]:
    """Doubling months of the state-of-the-art agents' 50% horizon, per window."""
    from dlrev import horizons

    pts = horizons.trend_points(fit)
    xs = pts.loc[pts["sota"], "x"].to_numpy(float)
    rows, lines = [], []
    for i, (label, since) in enumerate(WINDOWS):
        why = _reach(xs, i)
        if why:
            rows.append(GrowthRow("horizon", label, since, False, "doubling months",
                                  source=source, note=why))
            continue
        t = horizons.frontier_trend(fit, since=since)
        row = GrowthRow("horizon", label, since, t.fitted, "doubling months", n=t.n,
                        first_date=t.first_date, last_date=t.last_date, ci=t.ci,
                        interval_method=(f"{round(t.ci * 100)}% {t.interval_method}"),
                        source=source, note=t.note)
        if t.fitted:
            row.value, row.low, row.high = t.doubling_months, t.doubling_low, t.doubling_high
            row.doubling_months, row.doubling_low, row.doubling_high = (
                t.doubling_months, t.doubling_low, t.doubling_high)
            row.extra = {"growth_per_year": t.growth, "doubling_days": t.doubling_days,
                         "metr_doubling_low": t.metr_doubling_low,
                         "metr_doubling_high": t.metr_doubling_high,
                         "metr_interval_method": t.metr_interval_method}
            if t.era is not None:
                lines += _line(label, t.era, True)
        rows.append(row)
    points = pd.DataFrame({"x": pts["x"], "date": pts["release_date"], "value": pts["p50"],
                           "name": pts["agent"], "frontier": pts["sota"]})
    panel = {"title": MEASURES["horizon"], "unit": "50% time horizon (human minutes)",
             "log": True, "points": points, "lines": pd.DataFrame(lines), "note": "",
             "source": source}
    return rows, panel


def capability_rows(index: Any, source: str) -> tuple[list[GrowthRow], dict[str, Any]]:
    """Index points per year of the capability index's frontier, per window (`index` is a
    dlrev.capability.CapabilityIndex)."""
    from dlrev import capability

    front = capability.frontier_models(index)
    xs = front["year"].to_numpy(float)
    rows, lines = [], []
    for i, (label, since) in enumerate(WINDOWS):
        why = _reach(xs, i)
        if why:
            rows.append(GrowthRow("capability", label, since, False, "points/year",
                                  source=source, note=why))
            continue
        t = capability.frontier_trend(index, since=since)
        row = _rate_row("capability", label, since, t.fit, source, False, "points/year")
        row.interval_method = f"{round(t.ci * 100)}% {t.fit.interval_method}"
        rows.append(row)
        if t.fit.fitted:
            lines += _line(label, t.fit, False)
    m = index.models.dropna(subset=["date"])
    fm = set(front["model"])
    points = pd.DataFrame({"x": [trends.to_decimal_year(d) for d in m["date"]],
                           "date": [pd.Timestamp(d).date().isoformat() for d in m["date"]],
                           "value": m["eci"].to_numpy(float), "name": m["name"].to_numpy(),
                           "frontier": m["model"].isin(fm).to_numpy()})
    panel = {"title": MEASURES["capability"], "unit": "capability index (Epoch's scale)",
             "log": False, "points": points, "lines": pd.DataFrame(lines), "note": "",
             "source": source}
    return rows, panel


def saturation_frame(catalog: Catalog) -> pd.DataFrame:
    """Per benchmark with a human level: introduction date and years until its best result first
    reached that level (the fastest of its series); NaN where no series has reached it yet."""
    sat = bm.saturation(catalog, levels=(1.0,)).table
    sat = sat[sat["target_kind"].isin(HUMAN_TARGETS)]
    out = sat.groupby("benchmark", sort=False).agg(
        introduced=("introduced", "first"), years=("years_to_100", "min")).reset_index()
    out["x"] = [trends.to_decimal_year(pd.Timestamp(d).date().isoformat())
                for d in out["introduced"]]
    return out.sort_values("x", kind="mergesort").reset_index(drop=True)


def saturation_rows(catalog: Catalog, seed: int = SATURATION_SEED, ci: float = SATURATION_CI,
                    bootstrap: int = SATURATION_BOOTSTRAP) -> list[GrowthRow]:
    """The median years to human level of benchmarks introduced in each window, and the line of
    those years against the introduction date."""
    sat = saturation_frame(catalog)
    source = "dlrev curated benchmarks and results (src/dlrev/data/benchmarks.csv)"
    rows = []
    for i, (label, since) in enumerate(WINDOWS):
        win = sat[sat["x"] >= trends.to_decimal_year(since)]
        done = win[win["years"].notna()]
        waiting = sorted(win.loc[win["years"].isna(), "benchmark"])
        why = _reach(sat["x"].to_numpy(float), i)
        censored = (f"{len(waiting)} benchmark(s) with a human level not reached yet are left "
                    f"out: {', '.join(waiting)}" if waiting else "")
        extra = {"benchmarks": {str(r.benchmark): float(r.years) for r in done.itertuples()},
                 "not_reached": waiting}
        med = GrowthRow("saturation_time", label, since, False, "years", n=len(done), ci=ci,
                        source=source, extra=extra)
        trend = GrowthRow("saturation_trend", label, since, False, "years per year", n=len(done),
                          ci=ci, source=source)
        if why or len(done) < MIN_MEDIAN:
            note = why or (f"not available: {len(done)} benchmark(s) reached human level, a "
                           f"median needs at least {MIN_MEDIAN}")
            med.note, trend.note = note, note
            rows += [med, trend]
            continue
        x, y = done["x"].to_numpy(float), done["years"].to_numpy(float)
        rng = np.random.default_rng(seed)
        draws = np.median(y[rng.integers(0, len(y), size=(bootstrap, len(y)))], axis=1)
        med.available, med.value = True, float(np.median(y))
        med.low, med.high = trends.percentile_interval(draws, ci)
        med.first_date, med.last_date = (trends.from_decimal_year(float(x.min())),
                                          trends.from_decimal_year(float(x.max())))
        med.interval_method = (f"{round(ci * 100)}% percentile bootstrap of the median: "
                               f"{bootstrap} resamples of the benchmarks, seed {seed}")
        med.note = "; ".join(n for n in (censored, "dates are introduction dates") if n)
        if len(done) < MIN_LINE:
            trend.note = (f"not available: {len(done)} benchmarks reached human level; a line "
                          f"through fewer than {MIN_LINE} has no meaningful bootstrap interval")
            rows += [med, trend]
            continue
        era = trends.fit_one(x, y, label=label, start=since, bootstrap=bootstrap, ci=ci,
                             rng=np.random.default_rng(seed),
                             method=f"percentile bootstrap: {bootstrap} resamples of the "
                                    f"benchmarks with replacement, seed {seed}")
        trend = _rate_row("saturation_trend", label, since, era, source, False, "years per year")
        trend.interval_method = f"{round(ci * 100)}% {era.interval_method}"
        trend.note = "; ".join(n for n in (era.note, censored) if n)
        rows += [med, trend]
    return rows


def growth(catalog: Catalog, horizon_fit: HorizonFit | None = None,
           capability_index: Any = None, capability_note: str | None = None,
           horizon_source: str = "", capability_source: str = "",
           bootstrap: int | None = None, seed: int = 0) -> GrowthResult:
    """The side-by-side table. horizon_fit: a HorizonFit (fitted or published). capability_index:
    a dlrev.capability.CapabilityIndex, or None with capability_note saying why it is missing
    (None note: the capability measure is left out altogether). bootstrap/seed: the compute
    fit's (default: the 'epoch' preset, 1,000 resamples, seed 0)."""
    src = "; ".join(catalog.sources) or "dlrev systems table"
    rows, panels = compute_rows(catalog.systems, src, bootstrap, seed)
    panels = {"compute": panels}
    notes: list[str] = []
    if capability_index is not None:
        crows, panels["capability"] = capability_rows(capability_index, capability_source)
        rows += crows
    elif capability_note is not None:
        rows += [GrowthRow("capability", w, s, False, "points/year", note=capability_note)
                 for w, s in WINDOWS]
        panels["capability"] = {"title": MEASURES["capability"], "log": False,
                                "unit": "capability index (Epoch's scale)",
                                "points": pd.DataFrame(columns=["x", "date", "value"]),
                                "lines": pd.DataFrame(), "note": capability_note, "source": ""}
    if horizon_fit is not None:
        hrows, panels["horizon"] = horizon_rows(horizon_fit, horizon_source or horizon_fit.source)
        rows += hrows
    else:
        notes.append("no time horizons given")
    rows += saturation_rows(catalog)
    order = {k: i for i, k in enumerate(MEASURES)}
    rows.sort(key=lambda r: (order.get(r.measure, 99), r.since))
    panels = {k: panels[k] for k in ("compute", "capability", "horizon") if k in panels}
    return GrowthResult(rows, panels, WINDOWS, notes)


__all__ = ["GrowthResult", "GrowthRow", "MEASURES", "WINDOWS", "capability_rows",
           "compute_rows", "growth", "horizon_rows", "saturation_frame", "saturation_rows"]
