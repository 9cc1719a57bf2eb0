"""The Story's computed numbers: everything the Story page and `dlrev story` say, from the catalog.

Pure functions (no file I/O, no printing). `story(catalog)` returns a `Story` whose `.to_dict()`
is the JSON behind the page; nothing in the page's prose is typed by hand.

The decade ratio (issue 11's definition): for a date D, the largest training compute of any
system published on or before D, divided by the largest published on or before D minus ten
years (same day of the year; 29 February falls back to the 28th).

    >>> s = story(dlrev.load())
    >>> s.post_ratio.ratio, s.post_ratio.top.name, s.post_ratio.base.name
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlrev import family_results
from dlrev.jsonio import plain
from dlrev.landmarks import LANDMARK_SYSTEMS

if TYPE_CHECKING:
    from dlrev.catalog import Catalog

# The post's figure: Sevilla et al., 'Compute Trends Across Three Eras of Machine Learning',
# first version on arXiv 2022-02-11 (https://arxiv.org/abs/2202.05924v1).
POST_DATE = "2022-02-11"
POST_CLAIM = 1e7  # "over 10 million times more compute than ... ten years earlier"
POST_CLAIM_SOURCE = "https://arxiv.org/abs/2202.05924v1"
SINCE_POST = "2023-01-01"
STORY_DOMAINS = ("vision", "games", "language", "science")
# Lanes in the order the story tells them; sub-areas not listed follow, alphabetically.
LANE_ORDER = ("image recognition", "image generation", "video generation", "video games",
              "strategy games", "text generation", "question answering", "planning and acting",
              "coding", "mathematics", "life sciences")
# The systems the post's story turns on, as the milestones table names them. A name missing
# from the milestones in use is simply not drawn.
POST_SYSTEMS: tuple[str, ...] = (
    "GAN", "Parti (20B)", "Imagen", "DVD-GAN", "Imagen Video", "DQN", "AlphaStar", "OpenAI Five",
    "VPT", "AlphaGo Zero", "Cicero", "MRNN (Sutskever et al. 2011)", "GPT-2 (1.5B)",
    "GPT-3 175B (davinci)", "ChatGPT (GPT-3.5)", "PaLM (540B)", "PaLM-SayCan", "Codex",
    "AlphaCode", "Minerva (540B)", "AlphaFold 2", "AlphaTensor")
# Kaplan et al. 2020 (arXiv:2001.08361, section 6.1, figure 14, table 6): compute-efficient model
# size N_opt = 1.3e9 * C_min^0.73 and data D_opt = 2e10 * C_min^0.27 tokens, C_min in PF-days.
KAPLAN_RECIPE: dict[str, Any] = {"coef": 1.3e9, "exponent": 0.73, "d_coef": 2e10,
                                  "d_exponent": 0.27, "pf_day": 8.64e19,
                 "source": "https://arxiv.org/abs/2001.08361"}


@dataclass
class Point:
    name: str
    date: str
    compute: float
    organization: str | None = None
    area: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return plain(self.__dict__)


@dataclass
class DecadeRatio:
    """max compute up to `date` / max compute up to `date` minus ten years."""

    date: str
    start: str
    top: Point
    base: Point
    ratio: float
    log10: float
    n_top: int
    n_base: int
    method: str = ""

    def to_dict(self) -> dict[str, Any]:
        return plain({"date": self.date, "start": self.start, "top": self.top,
                      "base": self.base, "ratio": self.ratio, "log10": self.log10,
                      "n_top": self.n_top, "n_base": self.n_base, "method": self.method})


@dataclass
class Story:
    post_ratio: DecadeRatio | None
    today_ratio: DecadeRatio | None
    fitted_decade: dict[str, Any]
    eras: list[dict[str, Any]]
    largest: list[Point]
    landmarks: list[Point]
    points: list[dict[str, Any]]
    lanes: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    forecasts: list[dict[str, Any]]
    date_forecasts: list[dict[str, Any]]
    forecast_summary: str
    saturation: list[dict[str, Any]]
    predictions: list[dict[str, Any]]
    scaling: dict[str, Any]
    families: list[dict[str, Any]]
    since: list[dict[str, Any]]
    counts: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    # the largest decade ratio at any date: how much the answer depends on the date asked
    peak_ratio: DecadeRatio | None = None
    # older against newer benchmarks, as the Benchmarks page states it (one computation)
    saturation_finding: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return plain({k: getattr(self, k) for k in self.__dataclass_fields__})


def _iso(v: Any) -> str:
    return pd.Timestamp(v).date().isoformat()


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def minus_years(date: str | pd.Timestamp, years: int = 10) -> pd.Timestamp:
    """The same day of the year `years` earlier (29 February becomes the 28th)."""
    d = pd.Timestamp(date)
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _with_compute(systems: pd.DataFrame) -> pd.DataFrame:
    s = systems[systems["date"].notna() & (systems["compute"] > 0)]
    return s.sort_values(["date", "name"], kind="stable")


def _point(row: pd.Series) -> Point:
    return Point(str(row["name"]), _iso(row["date"]), float(row["compute"]),
                 _str(row.get("organization")), _str(row.get("area")))


def _largest_up_to(s: pd.DataFrame, when: pd.Timestamp) -> tuple[pd.Series | None, int]:
    upto = s[s["date"] <= when]
    if upto.empty:
        return None, 0
    return upto.loc[upto["compute"].idxmax()], len(upto)


def decade_ratio(systems: pd.DataFrame, date: str | pd.Timestamp) -> DecadeRatio | None:
    """The decade ratio at `date`; None when no system with compute is dated ten years before."""
    s = _with_compute(systems)
    end = pd.Timestamp(date)
    start = minus_years(end)
    top, n_top = _largest_up_to(s, end)
    base, n_base = _largest_up_to(s, start)
    if top is None or base is None:
        return None
    ratio = float(top["compute"]) / float(base["compute"])
    return DecadeRatio(
        _iso(end), _iso(start), _point(top), _point(base), ratio, math.log10(ratio), n_top,
        n_base, method=(f"largest training compute of the {n_top} systems published on or "
                        f"before {_iso(end)}, divided by the largest of the {n_base} published "
                        f"on or before {_iso(start)}"))


def peak_decade_ratio(systems: pd.DataFrame, until: str | pd.Timestamp | None = None
                      ) -> DecadeRatio | None:
    """The largest decade ratio at any date up to `until` (default: the newest system). The
    ratio only rises when a new record is published and only falls when the ten-year-old record
    changes, so it peaks at a record's date or the day before an old record turns ten; those are
    the only dates tried."""
    s = _with_compute(systems)
    if s.empty:
        return None
    end = pd.Timestamp(until) if until is not None else s["date"].max()
    dates = set(s["date"][s["date"] <= end])
    for d in s["date"]:
        later = minus_years(d, -10) - pd.Timedelta(days=1)
        if later <= end:
            dates.add(later)
    # the running record at each candidate date and at the date ten years before it
    when = s["date"].to_numpy()
    record = np.maximum.accumulate(s["compute"].to_numpy(dtype=float))
    tried = sorted(dates)
    at = np.searchsorted(when, np.array(tried, dtype=when.dtype), side="right") - 1
    back = np.searchsorted(when, np.array([minus_years(d) for d in tried], dtype=when.dtype),
                           side="right") - 1
    ok = back >= 0
    if not ok.any():
        return None
    ratio = np.where(ok, record[at] / record[np.maximum(back, 0)], -np.inf)
    return decade_ratio(s, tried[int(np.argmax(ratio))])


def _fits(systems: pd.DataFrame, at: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The era fits of the Trends page's default preset, and the decade growth the fitted line
    implies for the era that holds `at`."""
    from dlrev import trends

    fit = trends.fit(systems, metric="compute", preset="epoch", seed=0)
    x_at = trends.to_decimal_year(at)
    eras: list[dict[str, Any]] = []
    decade: dict[str, Any] = {}
    for e in fit.eras:
        if not e.fitted:
            continue
        eras.append({"label": e.label, "start": e.first_date, "end": e.last_date, "n": e.n,
                     "slope": e.slope, "intercept": e.intercept, "growth": e.growth,
                     "growth_low": e.growth_low, "growth_high": e.growth_high,
                     "doubling_months": e.doubling_months, "x_first": e.x_first,
                     "x_last": e.x_last, "ci": e.ci})
        if e.x_first <= x_at or not decade:
            decade = {"era": e.label, "n": e.n, "ci": e.ci, "per_year": e.growth,
                      "ratio": 10 ** (10 * e.slope), "log10": 10 * e.slope,
                      "low": e.growth_low ** 10, "high": e.growth_high ** 10,
                      "doubling_months": e.doubling_months,
                      "method": (f"ten years of the {e.label.lower()} trend line (least squares "
                                 f"of log10 compute on date, {e.n} systems, "
                                 f"{round(e.ci * 100)}% bootstrap interval)")}
    return eras, decade


def _lane_key(sub: str) -> tuple[int, str]:
    return (LANE_ORDER.index(sub) if sub in LANE_ORDER else len(LANE_ORDER), sub)


def milestone_lanes(milestones: pd.DataFrame, system_dates: dict[str, Any] | None = None
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The lanes (one per domain and sub-area, in story order) and the milestones, each with its
    lane, a short label and whether the post's story names it. The label is the post's system
    when the milestone names one of its own time (published at most a year before it), else
    the milestone's first system: a 2025 milestone that compares agents with GPT-2 is not a
    GPT-2 milestone."""
    if milestones.empty:
        return [], []
    m = milestones.sort_values(["date", "id"], kind="stable")
    doms = [d for d in STORY_DOMAINS if d in set(m["domain"])]
    doms += sorted(set(m["domain"]) - set(doms))
    lanes = []
    for d in doms:
        for sub in sorted(set(m.loc[m["domain"] == d, "subarea"].dropna()), key=_lane_key):
            lanes.append({"domain": d, "subarea": sub, "lane": f"{d}: {sub}",
                          "n": int(((m["domain"] == d) & (m["subarea"] == sub)).sum())})
    post = set(POST_SYSTEMS)
    dates = system_dates or {}
    out = []
    for _, r in m.iterrows():
        names = [s.strip() for s in (_str(r.get("systems")) or "").split(";") if s.strip()]
        year_before = pd.Timestamp(r["date"]) - pd.Timedelta(days=366)
        named = [n for n in names if n in post
                 and (n not in dates or pd.Timestamp(dates[n]) >= year_before)]
        label = named[0] if named else (names[0] if names else str(r["title"]))
        out.append({"id": str(r["id"]), "date": _iso(r["date"]), "domain": str(r["domain"]),
                    "subarea": _str(r.get("subarea")) or "", "title": str(r["title"]),
                    "summary": _str(r.get("summary")) or "", "systems": names,
                    "headline": _str(r.get("headline")), "url": _str(r.get("source_url")),
                    "label": label, "post": bool(named),
                    "lane": f"{r['domain']}: {_str(r.get('subarea')) or ''}"})
    return lanes, out


def _records(df: pd.DataFrame, cols: list[str]) -> list[dict[str, Any]]:
    return plain(df.reindex(columns=cols))  # type: ignore[no-any-return]


def _forecasts(cat: Catalog) -> list[dict[str, Any]]:
    from dlrev import forecasts as fc

    t = fc.score_forecasts(cat).table
    t = t[(t["kind"] == "value") & t["outcome"].notna() & t["median"].notna()]
    return _records(t, ["question", "benchmark", "forecaster", "forecast_date", "target_date",
                        "median", "low", "high", "outcome", "outcome_system", "position",
                        "source_url", "outcome_source_url"])


def _date_forecasts(cat: Catalog) -> list[dict[str, Any]]:
    """Forecasts of when something would happen, that has happened: who, when, and the
    forecasts module's own sentence for each."""
    from dlrev import forecasts as fc

    t = fc.score_forecasts(cat).table
    # scored against their range, or against their median where only that was given
    scored = t["speed"].notna() | t["median_speed"].notna()
    t = t[(t["kind"] == "date") & t["resolved"] & scored]
    return _records(t, ["question", "forecaster", "forecast_date", "median", "low", "high",
                        "outcome_date", "outcome_system", "speed", "sentence", "source_url",
                        "outcome_source_url"])


def _forecast_summary(cat: Catalog) -> str:
    from dlrev import forecasts as fc

    return str(fc.score_forecasts(cat).summary.get("text", ""))


def _saturation(cat: Catalog) -> list[dict[str, Any]]:
    from dlrev import benchmarks as bm

    t = bm.saturation(cat).table
    t = t[t["target_kind"].astype(str).str.startswith("human") & t["years_to_90"].notna()]
    rows = _records(t, ["benchmark", "series", "domain", "introduced", "target", "target_kind",
                        "date_90", "years_to_90", "best_system", "best_value"])
    for r in rows:
        r["introduced_year"] = trends_year(r["introduced"])
    return rows


def _saturation_finding(cat: Catalog) -> dict[str, Any]:
    from dlrev import benchmarks as bm

    return bm.saturation_finding(plain(bm.saturation(cat).table))


def trends_year(iso: str) -> float:
    from dlrev.trends import to_decimal_year

    return float(to_decimal_year(iso))


def _predictions(cat: Catalog) -> list[dict[str, Any]]:
    from dlrev import forecasts as fc

    p = fc.prediction_timeline(cat)
    p = p[p["predicted_year"].notna()]
    return _records(p, ["who", "made", "made_year", "claim", "predicted_year", "low_year",
                        "high_year", "kind", "source_url"])


def _scaling(budgets: list[Point] | None = None) -> dict[str, Any]:
    """Chinchilla's compute-optimal loss and model size against compute, with Kaplan's recipe
    for the model size beside it; `budgets`: systems whose training compute is marked on the
    loss curve (the loss the fit predicts for a compute-optimal model of that budget)."""
    import numpy as np

    from dlrev import scaling

    computes = np.logspace(18, 27, 19)
    front = scaling.frontier(scaling.HOFFMANN, computes)
    rows = []
    for o in front:
        c = float(o.compute)
        pf = c / KAPLAN_RECIPE["pf_day"]
        kap = KAPLAN_RECIPE["coef"] * pf ** KAPLAN_RECIPE["exponent"]
        kap_d = KAPLAN_RECIPE["d_coef"] * pf ** KAPLAN_RECIPE["d_exponent"]
        rows.append({"compute": c, "loss": float(o.loss), "N_chinchilla": float(o.N),
                     "N_kaplan": float(kap), "tokens_per_param": float(o.D / o.N),
                     "kaplan_tokens_per_param": kap_d / kap})
    marks = []
    for p in budgets or []:
        if computes[0] <= p.compute <= computes[-1]:
            o = scaling.optimal(scaling.HOFFMANN, p.compute)
            marks.append({"name": p.name, "compute": p.compute, "loss": float(o.loss),
                          "N_opt": float(o.N)})
    return {"rows": rows, "budgets": marks, "E": float(scaling.HOFFMANN.E),
            "params": plain(scaling.HOFFMANN.to_dict()),
            "kaplan": KAPLAN_RECIPE, "source": scaling.CHINCHILLA_SOURCE}


def _since(cat: Catalog, milestones: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per domain, what the catalog holds since SINCE_POST: milestones, the largest training
    run and the benchmark records."""
    from dlrev import benchmarks as bm

    s = _with_compute(cat.systems)
    s = s[s["date"] >= pd.Timestamp(SINCE_POST)]
    curves = bm.sota_curves(cat)
    dom_of = dict(zip(cat.benchmarks["name"], cat.benchmarks["domain"], strict=False))
    rec = curves[curves["record"].astype(bool) & (curves["date"] >= pd.Timestamp(SINCE_POST))]
    out = []
    for d in STORY_DOMAINS:
        ms = [m for m in milestones if m["domain"] == d and m["date"] >= SINCE_POST]
        sd = s[s["area"] == d]
        big = _point(sd.loc[sd["compute"].idxmax()]) if len(sd) else None
        r = rec[rec["benchmark"].map(dom_of) == d].sort_values("date")
        records = [{"benchmark": b, "system": str(x["system"]), "date": _iso(x["date"]),
                    "value": float(x["value"]), "unit": _str(x.get("unit"))}
                   for b, g in r.groupby("benchmark", sort=True) for _, x in g.tail(1).iterrows()]
        out.append({"domain": d, "milestones": ms[-4:], "n_milestones": len(ms),
                    "n_systems": int(len(sd)), "largest": big, "records": records})
    return out


def story(cat: Catalog, today: str | None = None) -> Story:
    """Every number of the Story, computed from `cat`."""
    systems = cat.systems
    s = _with_compute(systems)
    newest = _iso(s["date"].max()) if len(s) else POST_DATE
    today = today or newest
    post = decade_ratio(systems, POST_DATE)
    now = decade_ratio(systems, today)
    eras, decade = _fits(systems, today) if len(s) >= 6 else ([], {})
    top = s.sort_values("compute", ascending=False, kind="stable").head(10)
    by_name = {str(r["name"]): r for _, r in s.iterrows()}
    landmarks = [_point(by_name[n]) for n in LANDMARK_SYSTEMS if n in by_name]
    for p in [_point(r) for _, r in top.head(3).iterrows()]:  # "the largest today"
        if p.name not in {x.name for x in landmarks}:
            landmarks.append(p)
    points = [{"name": str(r["name"]), "date": _iso(r["date"]), "compute": float(r["compute"]),
               "area": str(r["area"])} for _, r in s.iterrows()]
    dated = systems.dropna(subset=["date"])
    lanes, ms = milestone_lanes(cat.milestones, dict(zip(dated["name"].astype(str),
                                                          dated["date"], strict=True)))
    return Story(
        post_ratio=post, today_ratio=now, fitted_decade=decade, eras=eras,
        largest=[_point(r) for _, r in top.iterrows()], landmarks=landmarks, points=points,
        lanes=lanes, milestones=ms, forecasts=_forecasts(cat),
        date_forecasts=_date_forecasts(cat), forecast_summary=_forecast_summary(cat),
        saturation=_saturation(cat),
        predictions=_predictions(cat),
        scaling=_scaling([p for p in landmarks if p.area == "language" and p.date >= "2019"]),
        families=family_results.series(cat),
        since=_since(cat, ms),
        counts={"systems": int(len(systems)), "with_compute": int(len(s)),
                "milestones": len(ms), "newest": newest,
                "oldest": _iso(s["date"].min()) if len(s) else None, "post_date": POST_DATE,
                "post_claim": POST_CLAIM, "since": SINCE_POST},
        sources={"post_claim": POST_CLAIM_SOURCE, "systems": cat.systems_source,
                 "kaplan_recipe": str(KAPLAN_RECIPE["source"])},
        peak_ratio=peak_decade_ratio(systems, today),
        saturation_finding=_saturation_finding(cat),
    )
