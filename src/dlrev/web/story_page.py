"""Page data of the Story (the explorer's front page): dlrev.story's numbers, worded for the
prose, and the Vega-Lite specs of its charts (plain dicts, data inline).

Pure apart from reading a lab folder (the shipped reference run, or the user's `--lab DIR`).
The template fills its paragraphs from `text`; nothing there is typed by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlrev.jsonio import plain
from dlrev.web.family_chart import family_chart, family_summary, family_words
from dlrev.web.milestone_chart import lane_chart
from dlrev.web.story_charts import (
    compute_chart,
    count,
    dyear,
    forecast_chart,
    loss_chart,
    predictions_chart,
    saturation_chart,
    scaling_chart,
    sci,
    times,
    to_vega,
)

if TYPE_CHECKING:
    from dlrev.catalog import Catalog

REFERENCE_LAB = Path(__file__).resolve().parent.parent / "data" / "lab_reference"
DOMAIN_TITLES = {"vision": "Vision", "games": "Games", "language": "Language",
                 "science": "Science"}
__all__ = ["count", "lab_samples", "page_part", "sci", "story_data", "times"]

def lab_samples(folder: str | Path | None) -> dict[str, Any] | None:
    """The samples and losses of a lab run (the shipped reference run when `folder` is None)."""
    from dlrev.errors import DlrevError
    from dlrev.lab import show

    path = Path(folder) if folder is not None else REFERENCE_LAB
    try:
        report = show.load(path)
    except DlrevError:
        return None
    corpus = report.manifest.get("corpus", {}) if isinstance(report.manifest, dict) else {}
    samples = [{**s, "size_text": count(s["size"]),
                "kind": "n-gram entries" if "gram" in s["name"] else "parameters"}
               for s in show.samples(report)]
    grams = [s for s in samples if s["kind"] != "parameters" and s["val_loss"] is not None]
    return {"reference": folder is None, "corpus": corpus.get("source") or corpus.get("name"),
            "samples": samples, "words": _scaling_words(report, grams),
            "manifest": {k: report.manifest.get(k)
                         for k in ("family", "seed", "device", "budget_s", "torch")}}


def _scaling_words(report: Any, grams: list[dict[str, Any]]) -> str | None:
    """What the run's GPTs (one kind of model, smallest to largest) show: the loss fell with
    size, or it did not (no scaling by the pure power law's test, fit.shows_scaling)."""
    from dlrev.lab.fit import shows_scaling

    gpts = sorted((r for r in report.runs if r.get("kind") == "gpt"
                   and r.get("val_loss") is not None), key=lambda r: r["params"])
    pure = report.fits.get("params_power")
    if len(gpts) < 2 or pure is None:
        return None
    small, big = gpts[0], gpts[-1]
    span = (f"From {count(small['params'])} to {count(big['params'])} parameters, "
            f"{big['params'] / small['params']:.1f} times larger, ")
    if not shows_scaling(pure):
        high = pure.get("alpha_high")
        trend = ("it rose with size" if high is not None and high < 0 else
                 f"a power law in size explains {max(pure['r2'], 0):.0%} of its variation")
        return (span + f"the GPTs' loss did not fall with size ({small['val_loss']:.2f} at the "
                f"smallest, {big['val_loss']:.2f} at the largest; {trend}): this run is too "
                "short or too small to show scaling.")
    words = (span + f"the GPTs' loss fell from {small['val_loss']:.2f} to "
             f"{big['val_loss']:.2f}.")
    if grams and grams[-1]["val_loss"] < big["val_loss"]:
        words += (f" For comparison, a table of {grams[-1]['size_text']} counted "
                  f"n-grams ({grams[-1]['name']}) scores {grams[-1]['val_loss']:.2f}: "
                  "networks this small, trained for minutes, have not yet passed it.")
    return words


def story_data(cat: Catalog, source_line: str, lab: str | Path | None = None
               ) -> dict[str, Any]:
    """Everything the Story page shows: numbers, worded numbers, chart specs, lab samples."""
    from dlrev.story import STORY_DOMAINS, story

    st = story(cat).to_dict()
    lanes_by = {d: [ln["subarea"] for ln in st["lanes"] if ln["domain"] == d]
                for d in STORY_DOMAINS}
    dates = [m["date"] for m in st["milestones"]]
    x_domain = (dyear(min(dates)) - 0.6, dyear(max(dates)) + 0.6) if dates else (2010.0, 2026.0)
    charts: dict[str, Any] = {}
    built = source_line.rsplit("·", 1)[-1].strip()

    def curated(what: str) -> str:
        """The credit of a chart drawn from our own tables only (no Epoch estimates in it)."""
        return f"Source: dlrev curated {what} · {built}"

    for d in STORY_DOMAINS:
        if lanes_by[d]:
            charts[f"lanes-{d}"] = lane_chart(st["milestones"], d, lanes_by[d], x_domain,
                                              DOMAIN_TITLES[d], curated("milestones"))
    charts["compute"] = compute_chart(st, source_line)
    if st["scaling"]["rows"]:
        charts["scaling"] = scaling_chart(
            st["scaling"], f"Source: Hoffmann et al. 2022; Kaplan et al. 2020 · {built}")
    if st["scaling"]["rows"]:
        charts["scaling-loss"] = loss_chart(
            st["scaling"], f"Source: Hoffmann et al. 2022; budgets: dlrev catalog · {built}")
    if st["families"]:
        papers = sorted({u.rsplit("/", 1)[-1] for f in st["families"] for u in f["sources"]})
        charts["families"] = family_chart(
            st["families"], ["Sources: each family's paper on arXiv:", ", ".join(papers),
                             built])
    if st["forecasts"]:
        charts["forecasts"] = forecast_chart(st["forecasts"], curated("forecasts"))
    if st["saturation"]:
        charts["saturation"] = saturation_chart(st["saturation"],
                                                curated("benchmark results"))
    if st["predictions"]:
        charts["predictions"] = predictions_chart(st["predictions"],
                                                  dyear(st["counts"]["newest"]),
                                                  curated("predictions"))
    from dlrev.web.story_text import summaries, wording

    text = wording(st)
    text["families"] = family_words(st["families"])
    if st["families"]:
        charts["families"]["description"] = family_summary(st["families"])
    for key, summary in summaries(st, text).items():
        if key in charts:
            charts[key]["description"] = summary
    lab_part = lab_samples(lab)
    gpt3 = cat.systems.loc[cat.systems["name"] == "GPT-3 175B (davinci)", "parameters"]
    nets = [s for s in (lab_part or {}).get("samples", []) if s["kind"] == "parameters"]
    if lab_part and nets and len(gpt3) and gpt3.iloc[0] > 0:
        lab_part["gpt3"] = (f"GPT-3, with {count(float(gpt3.iloc[0]))} parameters, is "
                            f"{times(float(gpt3.iloc[0]) / nets[-1]['size'])} times larger than "
                            "the largest model here.")
    # The largest chart compiled to Vega here, so the browser skips Vega-Lite's compiler on the
    # way to the first paint (as the Trends page does); its width is set by the page's script.
    vega = {"compute": to_vega(charts["compute"])}
    names = set(cat.systems["name"].astype(str))
    known = sorted({n for m in st["milestones"] for n in m["systems"] if n in names})
    return plain({"story": st, "text": text, "charts": charts, "vega": vega, "lab": lab_part,
                  "x_domain": list(x_domain), "known_systems": known})


def page_part(data: dict[str, Any]) -> dict[str, Any]:
    """What the Story's and the Timeline's scripts need of `story_data` (data/storypage.json):
    the charts (a chart compiled to Vega only in that form), the milestones for the cards, the
    lanes and the system names that exist on Trends. The full data stays in data/story.json."""
    vega = data.get("vega", {})
    charts = {k: v if k not in vega else  # the Vega form is drawn; keep what placing needs
              {"height": v.get("height"), "usermeta": v.get("usermeta"), "datasets": {}}
              for k, v in data["charts"].items()}
    st = data["story"]
    return {"charts": charts, "vega": vega, "known_systems": data["known_systems"],
            "story": {"milestones": st["milestones"], "lanes": st["lanes"]}}
