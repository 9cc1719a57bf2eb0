"""The explorer's Benchmarks page: every benchmark's state-of-the-art curve and its saturation
(dlrev.benchmarks: sota_curves, saturation), and the page's headline finding. Pure: the catalog in,
plain dicts out (written to data/benchmarks.json, served under /api/benchmarks)."""

from __future__ import annotations

from typing import Any

from dlrev.catalog import Catalog
from dlrev.jsonio import plain
from dlrev.web.page_records import reader_notes, records, source_list

BENCHMARK_REF_COLUMNS = (("chance", "chance"), ("human_nonexpert", "human non-expert"),
                         ("human_expert", "human expert"), ("ceiling", "ceiling"))


def benchmarks_data(cat: Catalog) -> dict[str, Any]:
    """Every benchmark's state-of-the-art curve (years since introduction) and its saturation."""
    from dlrev import benchmarks as bm

    curves = bm.sota_curves(cat)
    sat = bm.saturation(cat)
    info = []
    for _, b in cat.benchmarks.iterrows():
        refs = []
        for col, label in BENCHMARK_REF_COLUMNS:
            v = plain(b.get(col))
            if v is None:
                continue
            who = plain(b.get(f"{col}_who")) if col.startswith("human") else None
            refs.append({"kind": col, "label": label, "value": float(v), "who": who})
        info.append({
            "name": plain(b["name"]), "measures": plain(b.get("measures")),
            "domain": plain(b["domain"]),
            "introduced": plain(b["introduced"]), "metric": plain(b["metric"]),
            "unit": plain(b.get("unit")), "direction": plain(b["direction"]),
            "scale": plain(b.get("scale")) or "linear", "refs": refs,
            "source_url": plain(b.get("source_url")),
            **reader_notes(plain(b.get("notes"))),
        })
    points = records(curves, ["benchmark", "series", "date", "year", "years_since_intro",
                               "system", "value", "best", "record", "progress", "best_progress",
                               "setting", "source_url"])
    sat_dict = sat.to_dict()
    table = records(sat.table)
    return {
        "finding": saturation_finding(table),
        "benchmarks": info,
        "points": points,
        "saturation": {"levels": sat_dict["levels"], "method": sat_dict["method"],
                       "rows": table},
        "sources": source_list([b["source_url"] for b in info]
                                + [p["source_url"] for p in points]),
        "method": ("State-of-the-art curves and saturation from dlrev.benchmarks (sota_curves, "
                   "saturation). " + str(sat_dict["method"]) + "."),
    }


def saturation_finding(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The Benchmarks page's headline, from the saturation table: how many years benchmarks took
    to get 90% of the way from chance to human level (or the ceiling), older against newer.
    One row per benchmark (its main series, else its first); the split is the median
    introduction year."""
    first: dict[str, dict[str, Any]] = {}
    for r in rows:
        b = str(r["benchmark"])
        if b not in first or (first[b].get("series") and not r.get("series")):
            first[b] = r
    done, open_ = [], []
    for r in first.values():
        if r.get("target") is None:
            continue
        year = int(str(r["introduced"])[:4])
        if r.get("years_to_90") is not None:
            done.append((year, float(r["years_to_90"]), str(r["benchmark"])))
        else:
            open_.append(str(r["benchmark"]))
    if len(done) < 4:
        return {"text": "", "points": []}
    years = sorted(y for y, _, _ in done)
    split = years[len(years) // 2]
    old = sorted(t for y, t, _ in done if y < split)
    new = sorted(t for y, t, _ in done if y >= split)
    if not old or not new:
        return {"text": "", "points": []}

    def median(v: list[float]) -> float:
        m = len(v) // 2
        return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2

    xs = [float(y) for y, _, _ in done]
    ys = [t for _, t, _ in done]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    faster = median(new) < median(old)
    verdict = "Newer benchmarks fall faster" if faster else "Newer benchmarks do not fall faster"
    text = (f"{verdict}: "
            f"the {len(old)} introduced before {split} took a median of {median(old):.1f} years "
            f"to get 90% of the way from chance to human level (or the ceiling), the {len(new)} "
            f"introduced since took {median(new):.1f} (least-squares trend: {slope:+.2f} years "
            "per year of introduction)")
    if open_:
        text += f"; {len(open_)} not there yet ({', '.join(sorted(open_))})"
    return {"text": text + ".", "split": split, "median_before": median(old),
            "median_since": median(new), "slope": slope, "not_yet": sorted(open_),
            "points": [{"benchmark": b, "introduced": y, "years_to_90": t} for y, t, b in done]}
