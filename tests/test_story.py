"""The Story's numbers (dlrev.story), `dlrev story`, and the Story page in the built site.

Headline numbers are checked against values computed here independently, with plain pandas, from
the same table; swapping in the Epoch export must change them."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dlrev
from dlrev import story as st
from dlrev.landmarks import LANDMARK_SYSTEMS


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


def _ratio_by_hand(systems: pd.DataFrame, date: str) -> tuple[float, str, str]:
    s = systems.dropna(subset=["date", "compute"])
    s = s[s["compute"] > 0]
    end = pd.Timestamp(date)
    start = pd.Timestamp(year=end.year - 10, month=end.month, day=min(end.day, 28)
                         if (end.month, end.day) == (2, 29) else end.day)
    top = s[s["date"] <= end].sort_values("compute").iloc[-1]
    base = s[s["date"] <= start].sort_values("compute").iloc[-1]
    return float(top["compute"] / base["compute"]), str(top["name"]), str(base["name"])


def test_decade_ratio_matches_a_hand_computation(cat: dlrev.Catalog) -> None:
    newest = cat.systems.loc[cat.systems["compute"] > 0, "date"].max().date().isoformat()
    for date in (st.POST_DATE, newest, "2016-02-29"):
        r = st.decade_ratio(cat.systems, date)
        assert r is not None
        ratio, top, base = _ratio_by_hand(cat.systems, date)
        assert r.ratio == pytest.approx(ratio, rel=1e-12)
        assert (r.top.name, r.base.name) == (top, base)
        assert r.log10 == pytest.approx(math.log10(ratio))
    # the curated table: the 2022 figure falls short of the post's "over 10 million"
    post = st.decade_ratio(cat.systems, st.POST_DATE)
    assert post is not None and 1e5 < post.ratio < st.POST_CLAIM
    assert st.minus_years("2024-02-29").date().isoformat() == "2014-02-28"


def test_decade_ratio_none_without_a_decade_of_data() -> None:
    df = pd.DataFrame({"name": ["a"], "date": [pd.Timestamp("2020-01-01")], "compute": [1e20]})
    assert st.decade_ratio(df, "2021-01-01") is None


def test_story_numbers(cat: dlrev.Catalog) -> None:
    s = st.story(cat)
    d = s.to_dict()
    json.dumps(d, allow_nan=False)  # plain JSON
    # fitted decade: ten years of the deep-learning era slope, fitted here with numpy
    sysd = cat.systems[(cat.systems["compute"] > 0) & (cat.systems["year"] >= 2010.0)]
    x = sysd["year"].to_numpy(float)
    slope = np.polyfit(x, np.log10(sysd["compute"].to_numpy(float)), 1)[0]
    assert s.fitted_decade["log10"] == pytest.approx(10 * slope, rel=1e-6)
    assert s.fitted_decade["low"] < s.fitted_decade["ratio"] < s.fitted_decade["high"]
    # largest runs sorted by compute, landmarks in the catalog all present
    comp = [p.compute for p in s.largest]
    assert comp == sorted(comp, reverse=True)
    assert comp[0] == cat.systems["compute"].max()
    names = set(cat.systems["name"])
    assert [p.name for p in s.landmarks[:len([n for n in LANDMARK_SYSTEMS if n in names])]] == \
        [n for n in LANDMARK_SYSTEMS if n in names]
    # lanes: every milestone sits in one lane; the post's systems are flagged
    lanes = {ln["lane"] for ln in d["lanes"]}
    assert all(m["lane"] in lanes for m in d["milestones"])
    assert sum(ln["n"] for ln in d["lanes"]) == len(cat.milestones)
    post = {m["label"] for m in d["milestones"] if m["post"]}
    assert {"GAN", "AlphaGo Zero", "AlphaFold 2", "Cicero"} <= post
    # forecasts: the MATH 2022 question, 12.7 forecast against 50.3
    math22 = [f for f in d["forecasts"] if f["benchmark"] == "MATH"
              and f["target_date"].startswith("2022")]
    assert math22 and (math22[0]["median"], math22[0]["outcome"]) == (12.7, 50.3)
    # Chinchilla against Kaplan: Kaplan's recipe asks for the bigger model at 1e24 FLOP
    row = next(r for r in d["scaling"]["rows"] if abs(r["compute"] - 1e24) < 1e21)
    assert row["N_kaplan"] > row["N_chinchilla"]
    assert row["N_kaplan"] == pytest.approx(1.3e9 * (1e24 / 8.64e19) ** 0.73)


def test_epoch_data_changes_the_numbers(cat: dlrev.Catalog, epoch_csv: Path) -> None:
    ours = st.story(cat)
    ep = dlrev.load(epoch_csv)
    theirs = st.story(ep)
    assert theirs.post_ratio is not None and ours.post_ratio is not None
    # the curated table reuses many Epoch estimates, so the 2022 ratio may agree closely; the
    # fitted decade growth and the counts come from the swapped table
    assert theirs.fitted_decade["ratio"] != pytest.approx(ours.fitted_decade["ratio"], rel=0.01)
    ratio, top, base = _ratio_by_hand(ep.systems, st.POST_DATE)
    assert theirs.post_ratio.ratio == pytest.approx(ratio)
    assert theirs.post_ratio.top.name == top
    assert theirs.counts["systems"] == len(ep.systems) != ours.counts["systems"]


def test_cli_story_json(cli, cat: dlrev.Catalog) -> None:
    res = cli("story", "--json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    ratio, top, base = _ratio_by_hand(cat.systems, st.POST_DATE)
    first = d["decade_ratios"][0]
    assert first["date"] == st.POST_DATE and first["ratio"] == pytest.approx(ratio)
    assert (first["top"]["name"], first["base"]["name"]) == (top, base)
    assert "divided by" in first["method"]
    bad = cli("story", "--on", "banana")
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_cli_story_data_flag(cli, epoch_csv: Path) -> None:
    a = json.loads(cli("story", "--json").stdout)
    b = json.loads(cli("--data", str(epoch_csv), "story", "--json").stdout)
    assert a["fitted_decade"]["ratio"] != pytest.approx(b["fitted_decade"]["ratio"], rel=0.01)
    assert a["counts"]["systems"] != b["counts"]["systems"]
    assert b["source"] == epoch_csv.name  # the file name only, never its absolute path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dlrev.web import build_site

    out = tmp_path_factory.mktemp("site") / "s"
    build_site(dlrev.load(), out)
    return out


def test_site_story_page(site: Path, cat: dlrev.Catalog) -> None:
    from dlrev.web.story_page import times

    html = (site / "index.html").read_text("utf-8")
    assert "The deep learning revolution, measured" in html
    assert 'id="controls"' in (site / "trends.html").read_text("utf-8")
    ratio, top, base = _ratio_by_hand(cat.systems, st.POST_DATE)
    assert times(ratio) in html and top in html and base in html
    for name in [n for n in LANDMARK_SYSTEMS if n in set(cat.systems["name"])]:
        assert name in html
    # nav order
    nav = [html.index(f'data-nav="{k}"') for k in ("story", "trends", "timeline", "data", "about")]
    assert nav == sorted(nav)
    data = json.loads((site / "data" / "story.json").read_text("utf-8"))
    assert data["story"]["post_ratio"]["ratio"] == pytest.approx(ratio)
    lab = data["lab"]
    assert lab["reference"] and len(lab["samples"]) >= 3
    nets = [s for s in lab["samples"] if s["kind"] == "parameters"]
    assert f"loss fell from {nets[0]['val_loss']:.2f} to {nets[-1]['val_loss']:.2f}" in html
    assert nets[-1]["size"] > nets[0]["size"] and nets[-1]["val_loss"] < nets[0]["val_loss"]
    for key, spec in data["charts"].items():
        assert spec["description"], key  # every chart has its text summary
    # the page's scripts load the smaller part: the compute chart only in its Vega form
    part = json.loads((site / "data" / "storypage.json").read_text("utf-8"))
    assert "compute" in part["vega"] and "layer" not in part["charts"]["compute"]
    assert len(part["story"]["milestones"]) == len(cat.milestones)
    # no in-site link still points Trends at index.html
    for f in ("static/app.js", "data.html", "timeline.html"):
        assert "index.html?q=" not in (site / f).read_text("utf-8")


def test_api_story(site: Path) -> None:
    from starlette.testclient import TestClient

    from dlrev.web.app import secure_app

    with TestClient(secure_app(site)) as c:
        r = c.get("/api/story")
        assert r.status_code == 200
        d = r.json()
        assert d["story"]["post_ratio"]["date"] == st.POST_DATE
        assert "/api/story" in c.get("/api").json()["endpoints"]


def test_user_lab_replaces_reference(tmp_path: Path, cat: dlrev.Catalog) -> None:
    from dlrev.web.story_page import lab_samples
    from test_web_pages import write_lab_folder

    lab = write_lab_folder(tmp_path / "lab")
    mine = lab_samples(lab)
    ref = lab_samples(None)
    assert mine is not None and ref is not None
    assert not mine["reference"] and ref["reference"]
    assert [s["name"] for s in mine["samples"]] != [s["name"] for s in ref["samples"]]


def test_site_numbers_follow_the_data(site: Path, epoch_csv: Path, tmp_path: Path) -> None:
    """Swapping in the Epoch export changes the numbers the page prints."""
    from dlrev.web import build_site
    from dlrev.web.story_page import times

    ep = dlrev.load(epoch_csv)
    build_site(ep, tmp_path / "ep")
    ours = (site / "index.html").read_text("utf-8")
    theirs = (tmp_path / "ep" / "index.html").read_text("utf-8")
    fitted = st.story(ep).fitted_decade
    assert f"{times(fitted['ratio'])} (90% interval" in theirs
    assert f"{times(fitted['ratio'])} (90% interval" not in ours
    assert f"from the {len(ep.systems)} systems" in theirs
    assert f"from the {len(ep.systems)} systems" not in ours


def test_story_tells_score_and_date_forecasts_apart() -> None:
    """Forecasts of a score are charted; forecasts of a date are listed with their sentences,
    every resolved one that can be scored (against a range or a median), none left out."""
    from dlrev import forecasts as fc
    from dlrev.story import story

    cat = dlrev.load()
    st = story(cat)
    t = fc.score_forecasts(cat).table
    dates = t[(t["kind"] == "date") & t["resolved"]
              & (t["speed"].notna() | t["median_speed"].notna())]
    assert [f["sentence"] for f in st.date_forecasts] == dates["sentence"].tolist()
    assert len(st.date_forecasts) >= 5
    assert all(f["benchmark"] for f in st.forecasts)  # score forecasts only on the chart
    assert not any(f["question"] in set(dates["question"]) for f in st.forecasts)


def test_lab_words_follow_the_gpts_numbers(tmp_path: Path) -> None:
    """Audit item 1: a short run whose GPT losses do not fall (and an LSTM between them) is
    worded as no scaling, comparing GPTs only; a run whose losses fall says they fell."""
    from dlrev.web.story_page import lab_samples
    from test_lab_folders import FLAT, write_run_folder

    flat = lab_samples(write_run_folder(tmp_path / "flat"))
    assert flat is not None
    words = flat["words"]
    assert words.startswith("From 1.8k to 107k parameters, 59.4 times larger, the GPTs' loss "
                            "did not fall with size (2.49 at the smallest, 2.47 at the largest;")
    assert "too short or too small to show scaling" in words
    assert "fell" not in words and "2.25" not in words  # 2.25 is the LSTM's loss
    falling = {n: (p, 5 * p ** -0.1) for n, (p, _) in FLAT.items()}
    fell = lab_samples(write_run_folder(tmp_path / "fell", falling))
    assert fell is not None
    assert fell["words"].startswith(f"From 1.8k to 107k parameters, 59.4 times larger, the "
                                    f"GPTs' loss fell from {5 * 1800 ** -0.1:.2f} to "
                                    f"{5 * 107_000 ** -0.1:.2f}.")
