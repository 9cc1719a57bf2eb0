"""The Story's numbers in words, and each chart's text summary, from `Story.to_dict()`.

Every sentence that carries a number is built here from the computed results, so the prose can
never drift from the data; the template only places these strings.
"""

from __future__ import annotations

from typing import Any

from dlrev.web.story_page import count, sci, times

DOMAIN_WORDS = {"vision": "vision", "games": "games", "language": "language",
                "science": "science"}


def _ratio_words(r: dict[str, Any] | None) -> dict[str, Any] | None:
    if not r:
        return None
    return {
        "ratio": times(r["ratio"]), "log10": f"{r['log10']:.1f}", "date": r["date"],
        "start": r["start"], "top": r["top"]["name"], "top_date": r["top"]["date"],
        "top_flop": sci(r["top"]["compute"], "FLOP"), "base": r["base"]["name"],
        "base_date": r["base"]["date"], "base_flop": sci(r["base"]["compute"], "FLOP"),
        "n_top": r["n_top"], "n_base": r["n_base"],
    }


def _verdict(st: dict[str, Any]) -> str:
    post, claim = st.get("post_ratio"), st["counts"]["post_claim"]
    if not post:
        return "This catalog has too few systems with a known compute to check the claim."
    if post["ratio"] > claim:
        return (f"The catalog agrees: by its data the ratio on {post['date']} was "
                f"{times(post['ratio'])}, above {times(claim)}.")
    short = claim / post["ratio"]
    peak = st.get("peak_ratio")
    swing = ""
    if peak:
        swing = (f" The ratio swings with the date: its highest in the catalog is "
                 f"{times(peak['ratio'])} on {peak['date']} ({peak['top']['name']} over "
                 f"{peak['base']['name']})"
                 + (f", above {times(claim)}." if peak["ratio"] > claim else "."))
    return (f"On the post's date the catalog does not bear the figure out: by its data the ratio "
            f"on {post['date']} was {times(post['ratio'])}, about {short:.0f} times short of "
            f"{times(claim)}." + swing + " The answer depends on which systems are counted, on "
            "estimates of their compute, and on the date.")


def _lane_sentences(st: dict[str, Any], domain: str) -> list[str]:
    out = []
    for lane in [ln for ln in st["lanes"] if ln["domain"] == domain]:
        ms = [m for m in st["milestones"] if m["domain"] == domain
              and m["subarea"] == lane["subarea"]]
        if not ms:
            continue
        first, last = ms[0], ms[-1]
        ends = {first["label"], last["label"]}
        named = [m for m in ms if m["post"] and m["label"] not in ends]
        mid = ""
        if named:
            mid = ", through " + ", ".join(f"{m['label']} ({m['date'][:4]})"
                                            for m in _unique(named)[:3])
        out.append(f"{lane['subarea'].capitalize()}: from {first['label']} "
                   f"({first['date'][:4]}){mid} to {last['label']} ({last['date'][:4]}).")
    return out


def _unique(ms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for m in ms:
        if m["label"] not in seen:
            seen.add(m["label"])
            out.append(m)
    return out


def wording(st: dict[str, Any]) -> dict[str, Any]:
    c = st["counts"]
    fd = st.get("fitted_decade") or {}
    largest = st["largest"][0] if st["largest"] else None
    forecasts = [(f"Forecasters expected {f['median']:g}% on {f['benchmark']} by "
                  f"{f['target_date']}; the best model scored {f['outcome']:g}%"
                  + (f" ({f['outcome_system']})" if f.get("outcome_system") else "")
                  + (", above the range they gave." if f["position"] == "above" and f["low"]
                     is not None else "." if f["position"] != "above" else
                     ", far above their median."))
                 for f in st["forecasts"]]
    newest_year = int(c["newest"][:4])
    preds = st["predictions"]
    due = [p for p in preds if p["predicted_year"] <= newest_year]
    since = []
    for s in st["since"]:
        parts = [f"{s['n_milestones']} milestones since {c['since'][:4]}"]
        if s["largest"]:
            parts.append(f"the largest training run is {s['largest']['name']} "
                         f"({sci(s['largest']['compute'], 'FLOP')}, {s['largest']['date']})")
        if s["records"]:
            parts.append("records: " + "; ".join(
                f"{r['benchmark']} {r['value']:g}{r['unit'] if r['unit'] == '%' else ''} "
                f"by {r['system']}" for r in s["records"]))
        since.append({"domain": s["domain"], "text": ", ".join(parts) + ".",
                      "milestones": s["milestones"]})
    return {
        "n_systems": c["systems"], "n_compute": c["with_compute"], "n_milestones": c["milestones"],
        "newest": c["newest"], "post_date": c["post_date"], "claim": times(c["post_claim"]),
        "post": _ratio_words(st.get("post_ratio")), "today": _ratio_words(st.get("today_ratio")),
        "peak": _ratio_words(st.get("peak_ratio")),
        "verdict": _verdict(st),
        "fitted": {"ratio": times(fd.get("ratio")), "low": times(fd.get("low")),
                   "high": times(fd.get("high")), "per_year": f"{fd.get('per_year', 0):.1f}",
                   "doubling": f"{fd.get('doubling_months', 0):.1f}", "era": fd.get("era"),
                   "n": fd.get("n"), "ci": round(100 * fd.get("ci", 0.9))} if fd else None,
        "largest": {"name": largest["name"], "flop": sci(largest["compute"], "FLOP"),
                    "org": largest.get("organization"), "date": largest["date"]}
        if largest else None,
        # the chart's labelled systems in date order, their compute written as the chart's
        # summary writes it
        "landmarks": [{"name": p["name"], "date": p["date"], "flop": sci(p["compute"], "FLOP")}
                      for p in sorted(st["landmarks"], key=lambda p: (p["date"], p["name"]))],
        "lanes": {d: _lane_sentences(st, d) for d in DOMAIN_WORDS},
        "chips": {d: [{"id": m["id"], "label": m["label"], "year": m["date"][:4]}
                      for m in _unique([m for m in st["milestones"]
                                        if m["domain"] == d and m["post"]])]
                  for d in DOMAIN_WORDS},
        "forecasts": forecasts,
        "forecast_summary": st.get("forecast_summary") or None,
        "date_forecasts": [f["sentence"] for f in st.get("date_forecasts", [])],
        # the Benchmarks page's finding, word for word (dlrev.benchmarks.saturation_finding)
        "saturation": (st.get("saturation_finding") or {}).get("text") or None,
        "predictions": (f"{len(due)} of the {len(preds)} dated predictions here fall on or "
                        f"before {newest_year}.") if preds else None,
        "since": since,
        "scaling": _scaling_words(st["scaling"]),
    }


def _scaling_words(sc: dict[str, Any]) -> str | None:
    row = next((r for r in sc["rows"] if abs(r["compute"] - 1e24) / 1e24 < 0.01), None)
    if row is None:
        return None
    return (f"For a budget of {sci(1e24, 'FLOP')}, Chinchilla's fitted law (approach 3, as "
            "printed) gives a model of "
            f"{count(row['N_chinchilla'])} parameters trained on "
            f"{row['tokens_per_param']:.0f} tokens per parameter; Kaplan's recipe gives "
            f"{count(row['N_kaplan'])} parameters and {row['kaplan_tokens_per_param']:.1f} "
            "tokens per parameter: a far larger model on far less data.")


def summaries(st: dict[str, Any], text: dict[str, Any]) -> dict[str, str]:
    """One plain sentence or two per chart, for screen readers and the page's text."""
    out = {}
    for d, sentences in text["lanes"].items():
        n = sum(1 for m in st["milestones"] if m["domain"] == d)
        out[f"lanes-{d}"] = f"{n} {d} milestones. " + " ".join(sentences)
    pts = st["points"]
    if pts:
        lm = ", ".join(f"{p['name']} ({p['date'][:4]}, {sci(p['compute'], 'FLOP')})"
                       for p in st["landmarks"])
        out["compute"] = (f"{len(pts)} systems with a known training compute, from "
                          f"{pts[0]['date'][:4]} to {pts[-1]['date'][:4]}, on a log scale. "
                          f"Labelled: {lm}.")
    if text["scaling"]:
        out["scaling"] = text["scaling"]
    sc = st["scaling"]
    if sc["rows"]:
        lo, hi = sc["rows"][0], sc["rows"][-1]
        out["scaling-loss"] = (
            f"Along Chinchilla's compute-optimal frontier the predicted loss falls from "
            f"{lo['loss']:.2f} at {sci(lo['compute'], 'FLOP')} to {hi['loss']:.2f} at "
            f"{sci(hi['compute'], 'FLOP')}, approaching the irreducible {sc['E']:.2f}. "
            + " ".join(f"At {b['name']}'s budget ({sci(b['compute'], 'FLOP')}) it predicts "
                       f"{b['loss']:.2f}." for b in sc["budgets"]))
    if st["forecasts"]:
        fs = st["forecasts"]
        over = sum(1 for f in fs if f["median"] is not None and f["outcome"] > f["median"])
        ranged = [f for f in fs if f["low"] is not None and f["high"] is not None]
        beyond = sum(1 for f in ranged if f["position"] == "above")
        out["forecasts"] = (f"{len(fs)} resolved forecasts: the hollow circle is the "
                            "forecasters' median, the filled one what happened, the grey band "
                            f"their range where they gave one. {over} of the {len(fs)} came out "
                            f"above the median; {beyond} of the {len(ranged)} with a published "
                            "range came out above the whole range.")
    if st["saturation"]:
        out["saturation"] = "Years from introduction to 90% of the way to human level: " + \
            "; ".join(f"{r['benchmark']}{' (' + r['series'] + ')' if r.get('series') else ''}"
                      f", introduced {r['introduced'][:4]}: {r['years_to_90']:.1f}"
                      for r in st["saturation"]) + "."
    if text["predictions"]:
        out["predictions"] = text["predictions"] + " " + "; ".join(
            f"{p['who']} ({p['made'][:4]}): {p['predicted_year']:.0f}"
            for p in st["predictions"]) + "."
    return out
