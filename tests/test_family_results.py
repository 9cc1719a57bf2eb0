"""The family_results table (per-size results of one design trained at several sizes), its
checks, the Story's family series and the small-multiples chart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import dlrev
from dlrev import family_results as fr
from dlrev.errors import DataError
from dlrev.paths import DATA_DIR

# What the papers report (the table's notes name the table of each): the values the story must
# carry, keyed by system, with the family each belongs to.
EXPECTED = {
    "parti": {"Parti (350M)": 14.10, "Parti (750M)": 10.71, "Parti (3B)": 8.10,
              "Parti (20B)": 7.23},
    "gpt-3": {"GPT-3 Small (125M)": 42.7, "GPT-3 Medium (350M)": 54.3,
              "GPT-3 Large (760M)": 60.4, "GPT-3 XL (1.3B)": 63.6, "GPT-3 2.7B": 67.1,
              "GPT-3 6.7B": 70.3, "GPT-3 13B": 72.5, "GPT-3 175B (davinci)": 76.2},
    "palm": {"PaLM (8B)": 25.4, "PaLM (62B)": 53.7, "PaLM (540B)": 69.3},
}


@pytest.fixture(scope="module")
def cat() -> dlrev.Catalog:
    return dlrev.load()


def test_table_loads_and_names_curated_systems(cat: dlrev.Catalog) -> None:
    t = cat.family_results
    assert len(t) == sum(len(v) for v in EXPECTED.values())
    assert set(t["direction"]) == {"higher", "lower"}
    assert t["source_url"].str.startswith("https://arxiv.org/abs/").all()
    # every number says where in the paper it is from
    assert t["notes"].str.contains("table", case=False).all()
    fam_of = dict(zip(cat.systems["name"], cat.systems["family"], strict=False))
    for _, r in t.iterrows():
        assert fam_of[r["system"]] == r["family"]
    # queryable like every other table
    n = cat.sql("SELECT count(*) AS n FROM family_results WHERE family = 'gpt-3'")["n"].iloc[0]
    assert n == 8


def _data_copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d, ignore=shutil.ignore_patterns("lab_reference"))
    return d


def _append(d: Path, row: str) -> None:
    f = d / "family_results" / "language.csv"
    f.write_text(f.read_text("utf-8") + row + "\n", "utf-8")


@pytest.mark.parametrize(("row", "column", "what"), [
    ("gpt-3,GPT-3 Huge (1T),LAMBADA accuracy,80,%,higher,zero-shot,https://x.org,", "system",
     "GPT-3 Huge (1T)"),
    ("gpt-3,GPT-3 13B,LAMBADA accuracy,high,%,higher,zero-shot,https://x.org,", "value", "high"),
    ("palm,GPT-3 13B,MMLU accuracy,50,%,higher,5-shot,https://x.org,", "family", "palm"),
    ("gpt-3,GPT-3 13B,LAMBADA accuracy,72,%,higher,zero-shot,https://x.org,", "system",
     "GPT-3 13B"),
    ("gpt-4,GPT-3 13B,LAMBADA accuracy,72,%,higher,zero-shot,https://x.org,", "family", "gpt-4"),
    ("gpt-3,GPT-3 13B,LAMBADA accuracy,72,%,up,zero-shot,https://x.org,", "direction", "up"),
])
def test_a_bad_row_is_one_clear_error(tmp_path: Path, row: str, column: str, what: str) -> None:
    d = _data_copy(tmp_path)
    n_rows = len((d / "family_results" / "language.csv").read_text("utf-8").splitlines())
    _append(d, row)
    with pytest.raises(DataError) as err:
        dlrev.load(data_dir=d)
    msg = str(err.value)
    assert "family_results/language.csv" in msg and f"row {n_rows}" in msg, msg
    assert f'column "{column}"' in msg and what in msg, msg
    assert err.value.row == n_rows and err.value.column == column


def test_series_carries_every_size_with_its_value(cat: dlrev.Catalog) -> None:
    fams = {f["family"]: f for f in fr.series(cat)}
    assert set(fams) == set(EXPECTED)
    params = dict(zip(cat.systems["name"], cat.systems["parameters"], strict=False))
    for key, values in EXPECTED.items():
        f = fams[key]
        assert {p["system"]: p["value"] for p in f["points"]} == values
        ns = [p["parameters"] for p in f["points"]]
        assert ns == sorted(ns) and ns == [params[p["system"]] for p in f["points"]]
        assert f["param_ratio"] == pytest.approx(ns[-1] / ns[0])
        assert f["improved"]
    assert [p["size"] for p in fams["gpt-3"]["points"]] == [
        "125M", "350M", "760M", "1.3B", "2.7B", "6.7B", "13B", "175B"]
    assert fams["parti"]["direction"] == "lower" and fams["parti"]["name"] == "Parti"
    assert fams["parti"]["change"] == pytest.approx(7.23 - 14.10)
    # the story carries the same series
    from dlrev.story import story

    assert story(cat).to_dict()["families"] == fr.series(cat)


def test_series_skips_sizes_without_parameters(cat: dlrev.Catalog) -> None:
    import dataclasses

    s = cat.systems.copy()
    s.loc[s["name"] == "PaLM (62B)", "parameters"] = float("nan")
    s.loc[s["name"].isin(["Parti (350M)", "Parti (750M)", "Parti (3B)"]), "parameters"] = None
    fams = {f["family"]: f for f in fr.series(dataclasses.replace(cat, systems=s))}
    assert [p["size"] for p in fams["palm"]["points"]] == ["8B", "540B"]
    assert "parti" not in fams  # one size left: no series


def test_chart_has_one_panel_per_family_and_computed_words(cat: dlrev.Catalog) -> None:
    from dlrev.web.family_chart import family_chart, family_words
    from dlrev.web.story_page import story_data

    data = story_data(cat, "Source: test · 2026-01-01")
    fams = data["story"]["families"]
    spec = data["charts"]["families"]
    assert len(spec["concat"]) == spec["usermeta"]["panels"] == len(fams) == 3
    assert [p["title"]["text"] for p in spec["concat"]] == [f["name"] for f in fams]
    for i, (p, f) in enumerate(zip(spec["concat"], fams, strict=True)):
        assert p["data"]["values"][0]["y"] == f["first"]["value"]
        assert [r["label"] for r in spec["datasets"][f"labels-{i}"]] == [
            q["size"] for q in f["points"]]
        y = p["layer"][0]["encoding"]["y"]
        assert y["scale"]["reverse"] == (f["direction"] == "lower")
        assert p["layer"][0]["encoding"]["x"]["axis"]["values"]  # 10^n ticks
    assert "2005.14165" in spec["title"]["subtitle"][1]
    words = " ".join(data["text"]["families"])
    assert "fell from 14.1 FID at 350M parameters to 7.23 FID at 20B" in words
    assert "rose from 42.7% at 125M parameters to 76.2% at 175B, a model 1,400 times" in words
    assert "25.4% at 8B" in words and "69.3% at 540B" in words
    assert "GPT-3, LAMBADA accuracy" in spec["description"]
    assert family_chart([], "x")["concat"] == [] and family_words([]) == []


def test_site_story_shows_the_family_numbers(tmp_path: Path, cat: dlrev.Catalog) -> None:
    from dlrev.web.site import build_site

    build_site(cat, tmp_path / "s")
    html = (tmp_path / "s" / "index.html").read_text("utf-8")
    assert 'data-chart="families"' in html and "What scale alone changed" in html
    for f in fr.series(cat):
        for p in f["points"]:
            assert f"<td>{p['size']}</td>" in html
