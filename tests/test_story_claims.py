"""What the Story claims, checked against the data it is built from: the decade ratio's
highest value and the date it depends on, `story --on` outside the data, milestone labels,
the forecast chart's counts, and whose data each chart credits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import dlrev
from dlrev import story as st


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


@pytest.fixture(scope="module")
def story(cat: dlrev.Catalog) -> dict:
    return st.story(cat).to_dict()


def test_peak_ratio_of_a_hand_made_table() -> None:
    df = pd.DataFrame({"name": ["a", "b", "c", "d"],
                       "date": pd.to_datetime(["2000-01-01", "2005-06-01", "2012-01-01",
                                               "2013-03-01"]),
                       "compute": [1e10, 1e12, 1e15, 1e16]})
    peak = st.peak_decade_ratio(df)
    # d over a: from d's date until the day before b turns ten (2015-05-31); then d over b
    assert peak is not None and peak.ratio == pytest.approx(1e6)
    assert (peak.top.name, peak.base.name, peak.date) == ("d", "a", "2013-03-01")
    assert st.peak_decade_ratio(df.iloc[:1]) is None


def test_peak_ratio_is_the_highest_at_every_date_tried(cat: dlrev.Catalog, story: dict) -> None:
    peak = story["peak_ratio"]
    s = cat.systems[cat.systems["compute"] > 0].dropna(subset=["date"])
    every = [st.decade_ratio(cat.systems, d) for d in sorted(set(s["date"]))]
    highest = max(r.ratio for r in every if r is not None)
    assert peak["ratio"] == pytest.approx(highest) or peak["ratio"] > highest
    again = st.decade_ratio(cat.systems, peak["date"])
    assert again is not None and again.ratio == pytest.approx(peak["ratio"])
    # the ratio depends on the date: the highest is far above both dates the page leads with
    assert peak["ratio"] > 5 * story["post_ratio"]["ratio"] > 5 * story["today_ratio"]["ratio"]


def test_story_words_say_which_date_the_ratio_is_for(story: dict) -> None:
    from dlrev.web.story_page import times
    from dlrev.web.story_text import wording

    w = wording(story)
    peak = story["peak_ratio"]
    assert f"{times(peak['ratio'])} on {peak['date']}" in w["verdict"]
    assert w["peak"]["top"] == peak["top"]["name"]
    assert "depends on" in w["verdict"] and "date" in w["verdict"]


def test_story_on_a_date_outside_the_data(cli, cat: dlrev.Catalog) -> None:
    early = cli("story", "--on", "1900-01-01")
    assert early.exit_code == 2 and "Traceback" not in early.output
    assert "1890-01-01" in early.output and "no decade ratio" in early.output
    late = cli("story", "--on", "2030-01-01", "--json")
    assert late.exit_code == 0, late.output
    d = json.loads(late.stdout)
    newest = d["counts"]["newest"]
    assert d["decade_ratios"][-1]["date"] == "2030-01-01"
    assert any(newest in n and "not a projection" in n for n in d["notes"])
    assert "not a projection" in late.stderr


def test_milestone_labels_name_systems_of_their_time(story: dict, cat: dlrev.Catalog) -> None:
    dates = dict(zip(cat.systems["name"], cat.systems["date"], strict=True))
    for m in story["milestones"]:
        if m["post"] and m["label"] in dates and pd.notna(dates[m["label"]]):
            # a label from the post's list is a system published at most a year before it
            assert pd.Timestamp(m["date"]) - dates[m["label"]] <= pd.Timedelta(days=366), m["id"]
    metr = next(m for m in story["milestones"] if m["id"] == "lang-metr-horizons")
    assert metr["label"] == metr["systems"][0] != "GPT-2 (1.5B)"


def test_lane_sentences_name_no_system_twice(story: dict) -> None:
    from dlrev.web.story_text import wording

    for sentences in wording(story)["lanes"].values():
        for s in sentences:
            names = [p.split(" (")[0] for p in s.replace(" through ", ", ").replace(" to ", ", ")
                     .split(": from ", 1)[1].rstrip(".").split(", ")]
            assert len(names) == len(set(names)), s


def test_forecast_summary_counts_what_the_chart_shows(story: dict) -> None:
    from dlrev.web.story_text import summaries, wording

    fs = story["forecasts"]
    over = sum(1 for f in fs if f["outcome"] > f["median"])
    ranged = [f for f in fs if f["low"] is not None]
    beyond = sum(1 for f in ranged if f["outcome"] > f["high"])
    text = summaries(story, wording(story))["forecasts"]
    assert f"{over} of the {len(fs)} came out above the median" in text
    assert f"{beyond} of the {len(ranged)} with a published range" in text


def test_charts_credit_whose_data_they_draw(cat: dlrev.Catalog) -> None:
    from dlrev.web.story_page import story_data

    line = "Source: Epoch AI (CC BY 4.0) and dlrev · built 2026-12-06"
    charts = story_data(cat, line)["charts"]
    assert charts["compute"]["title"]["subtitle"] == line  # systems carry Epoch's estimates
    ours = [k for k in charts if k.startswith("lanes-")] + ["forecasts", "saturation",
                                                             "predictions"]
    for key in ours:
        sub = charts[key]["title"]["subtitle"]
        sub = " ".join(sub) if isinstance(sub, list) else sub
        assert "Epoch" not in sub and "dlrev curated" in sub and "2026-12-06" in sub, key


def test_story_and_benchmarks_page_state_one_finding(cat: dlrev.Catalog, story: dict) -> None:
    from dlrev.web.benchmarks_page import benchmarks_data
    from dlrev.web.story_text import wording

    page = benchmarks_data(cat)["finding"]
    assert wording(story)["saturation"] == page["text"]
    assert f"before {page['split']} took a median of {page['median_before']:.1f}" in page["text"]


def test_labelled_systems_table_in_date_order_and_the_charts_numbers(cat: dlrev.Catalog,
                                                                     tmp_path: Path) -> None:
    from dlrev.web import build_site
    from dlrev.web.story_page import sci

    out = tmp_path / "site"
    build_site(cat, out)
    html = (out / "index.html").read_text("utf-8")
    table = html[html.index('<table class="landmarks">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<td>(\d{4}-\d\d-\d\d)</td><td>([^<]*)</td>', table)
    assert len(rows) >= 10 and [d for d, _ in rows] == sorted(d for d, _ in rows)
    lenet = cat.systems.loc[cat.systems["name"] == "LeNet-5", "compute"].iloc[0]
    assert sci(lenet, "FLOP") in table  # written as the chart's summary writes it
    summary = json.loads((out / "data" / "story.json").read_text("utf-8"))["charts"]["compute"]
    assert sci(lenet, "FLOP") in summary["description"]
