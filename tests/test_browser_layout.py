"""Every page the explorer team owns, at a desktop and at a phone size, in real Chromium: no
sideways scroll, no console error, no request to another host; screenshots of each go to
test-artifacts/ (explorer-<page>-<width>.png) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_browser_web import ARTIFACTS, READY, _open, server, xss_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]   # about 100 s on 2 busy cores

TRENDS = "trends.html"   # the Trends page (trends.html once the Story page takes index.html)
PAGES = [TRENDS, "data.html", "benchmarks.html", "scaling.html", "lab.html", "about.html"]
SIZES = [(1280, 800), (390, 844)]


@pytest.fixture
def sized(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:  # noqa: F811
    w, h = request.param
    ctx, pg, rec = _open(browser, server)
    pg.set_viewport_size({"width": w, "height": h})
    pg.rec, pg.base, pg.width = rec, server, w
    yield pg
    ctx.close()
    assert rec.errors == [], f"console errors: {rec.errors}"
    assert rec.foreign() == [], f"requests left the server: {rec.foreign()}"


def load(pg: Any, path: str) -> None:
    pg.goto(pg.base + path)
    pg.wait_for_function(READY, timeout=30_000)
    assert pg.evaluate("() => window.dlrevExplorer.errors") == []


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_page_fits_the_viewport(sized: Any, path: str) -> None:
    load(sized, path)
    sized.wait_for_timeout(150)
    width = sized.evaluate("() => document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    name = path.removesuffix(".html")
    sized.screenshot(path=str(ARTIFACTS / f"explorer-{name}-{sized.width}.png"), full_page=True)
    assert width <= sized.width, f"{path} is {width} px wide at a {sized.width} px viewport"


@pytest.mark.parametrize("sized", [(1280, 800)], indirect=True, ids=["desktop"])
def test_a_bad_link_says_what_it_ignored_and_shows_the_defaults(sized: Any) -> None:
    load(sized, TRENDS)
    default_points = sized.evaluate("() => window.dlrevExplorer.points")
    load(sized, TRENDS + "?eras=banana&areas=xyz&y=weight")
    notice = sized.locator("#url-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    for part in ("“banana”", "“xyz”", "“weight”", "defaults"):
        assert part in text, text
    assert sized.evaluate("() => window.dlrevExplorer.points") == default_points > 500
    state = sized.evaluate("() => window.dlrevExplorer.getState()")
    assert state["preset"] == "epoch" and state["eras"] == ["2010-01-01"]
    assert not sized.locator("#count").inner_text().startswith("0 of 0")
    # a good link shows no notice
    load(sized, TRENDS + "?areas=vision")
    assert sized.locator("#url-notice").count() == 0
    # the pages over analysis results do the same
    load(sized, "benchmarks.html?b=NoSuchBench&dom=xyz")
    text = sized.locator("#url-notice").inner_text()
    assert "“NoSuchBench”" in text and "“xyz”" in text
    assert sized.evaluate("() => window.dlrevExplorer.shown") > 50
    load(sized, "scaling.html?sets=kaplan2021,xyz&c=banana")
    assert "“banana”" in sized.locator("#url-notice").inner_text()
    assert sized.evaluate("() => window.dlrevExplorer.curves") > 0


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import dlrev
    from dlrev.web import build_site

    out = tmp_path_factory.mktemp("built") / "site"
    build_site(dlrev.load(), out)
    return out


def test_a_site_opened_as_a_file_names_the_command_that_serves_it(
        browser: Any, built_site: Path) -> None:  # noqa: F811
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = ctx.new_page()
        pg.goto((built_site / "index.html").as_uri())
        notice = pg.locator("#file-notice")
        notice.wait_for(state="visible", timeout=10_000)
        text = notice.inner_text()
        assert "python -m http.server" in text
        assert f'dlrev serve --site "{built_site}"' in text
        assert "Failed to fetch" not in pg.locator("body").inner_text()
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390
        pg.screenshot(path=str(ARTIFACTS / "explorer-file-notice-390.png"))
    finally:
        ctx.close()


@pytest.mark.parametrize("sized", [(390, 844)], indirect=True, ids=["phone"])
def test_about_credits_epoch_and_lists_every_page(sized: Any) -> None:
    load(sized, "about.html")
    text = sized.locator("main").inner_text()
    assert "Epoch AI" in text and "CC BY 4.0" in text
    credit = sized.locator("#epoch-credit").inner_text()
    assert "of the" in credit and "systems carry Epoch AI estimates" in credit
    nav = sized.locator("header nav a").all_text_contents()
    listed = sized.locator("#page-list a").all_text_contents()
    assert listed == nav and len(nav) >= 7


@pytest.mark.parametrize("sized", [(1280, 800)], indirect=True, ids=["desktop"])
def test_data_download_readme_credits_epoch_and_explains_csv_safety(sized: Any) -> None:
    load(sized, "data.html")
    readme = sized.evaluate("() => window.dlrevExplorer.readme()")
    assert "Attribution" in readme and "CC BY 4.0" in readme
    assert "Spreadsheet safety" in readme and "OWASP" in readme


def test_csv_cells_that_look_like_formulas_are_defused(browser: Any, xss_server: str) -> None:  # noqa: F811
    ctx, pg, rec = _open(browser, xss_server)
    try:
        pg.goto(xss_server + "data.html")
        pg.wait_for_function(READY, timeout=30_000)
        csv = pg.evaluate("() => window.dlrevExplorer.selectionCSV()")
        row = next(line for line in csv.splitlines() if "HYPERLINK" in line)
        assert row.startswith('"\'=HYPERLINK(""http://x"")",\'+Org,')
        assert "1e+19" in row or "10000000000000000000" in row   # numbers untouched
    finally:
        ctx.close()
    assert rec.errors == []


def _boxes(pg: Any, selector: str) -> list[dict[str, float]]:
    return pg.evaluate(f"""() => Array.from(document.querySelectorAll({selector!r}))
        .filter(e => (e.textContent || '').trim() && !e.getAttribute('stroke'))  // not halos
        .map(e => {{ const r = e.getBoundingClientRect();
          return {{text: e.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom}}; }})""")


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["l"] < b["r"] - 1 and b["l"] < a["r"] - 1
            and a["t"] < b["b"] - 1 and b["t"] < a["b"] - 1)


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["desktop", "phone"])
@pytest.mark.parametrize("query", ["", "?preset=sevilla2022", "?proj=2035"])
def test_trends_frame_holds_the_data_and_labels_do_not_collide(sized: Any, query: str) -> None:
    load(sized, TRENDS + query)
    frame = sized.evaluate("() => window.dlrevExplorer.frame")
    ys = sized.evaluate("() => window.dlrevExplorer.view.data('points').map(d => d.y)")
    assert frame["y_lo"] <= min(ys) and frame["y_hi"] >= max(ys)
    if "sevilla" not in query:
        assert max(ys) > 26.5   # Grok 4 at 5e26 FLOP is in the data, and inside the frame
    svg = sized.locator("#chart svg").bounding_box()
    texts = _boxes(sized, "#chart g.mark-text text")
    eras = [t for t in texts if "x/year" in t["text"] or "(n=" in t["text"]]
    assert eras, "no era labels"
    for i, a in enumerate(texts):   # no label covers another, and each stays in the picture
        assert svg["x"] - 1 <= a["l"] and a["r"] <= svg["x"] + svg["width"] + 1, a
        for b in texts[i + 1:]:
            assert not _overlap(a, b), (a["text"], b["text"])
    points = _boxes(sized, "#chart g.points_marks path")
    top = min(p["t"] for p in sized.evaluate("""() => Array.from(document.querySelectorAll(
        '#chart g.points_marks path')).map(e => { const r = e.getBoundingClientRect();
        return {t: r.top}; })"""))
    assert all(e["b"] <= top + 2 for e in eras), "an era label sits on the points"
    ticks = _boxes(sized, "#chart g.role-axis-label text")
    assert all(t["r"] <= svg["x"] + svg["width"] + 1 for t in ticks), "an axis label is cut"
    assert points is not None
    if "proj" in query:
        proj = sized.evaluate("() => window.dlrevExplorer.projections")
        assert proj and proj[0].startswith("2035: ")
        band = sized.evaluate("() => window.dlrevExplorer.view.data('proj_bands')")
        assert band and frame["y_hi"] >= max(b["hi"] for b in band)
        assert frame["x_hi"] >= 2035


@pytest.mark.parametrize("sized", [(1280, 800)], indirect=True, ids=["desktop"])
def test_trends_legend_isolates_a_domain_and_landmarks_toggle(sized: Any) -> None:
    load(sized, TRENDS)
    total = sized.evaluate("() => window.dlrevExplorer.points")
    marks = sized.evaluate("() => window.dlrevExplorer.landmarks")
    assert {"AlexNet", "GPT-4", "Transformer"} <= set(marks) and len(marks) >= 6
    before = int(sized.evaluate("() => document.body.getAttribute('data-rendered')"))
    sized.locator("#chart g.role-legend-label text", has_text="language").click()
    sized.wait_for_function(
        f"() => Number(document.body.getAttribute('data-rendered')) > {before}")
    n = sized.evaluate("() => window.dlrevExplorer.points")
    areas = set(sized.evaluate("() => window.dlrevExplorer.view.data('points').map(d => d.area)"))
    assert areas == {"language"} and 0 < n < total
    assert sized.locator("#count").inner_text().startswith(f"{n} of ")
    assert not sized.locator("#area-vision").is_checked()
    before = int(sized.evaluate("() => document.body.getAttribute('data-rendered')"))
    sized.locator("#lm").uncheck()
    sized.wait_for_function(
        f"() => Number(document.body.getAttribute('data-rendered')) > {before}")
    assert sized.evaluate("() => window.dlrevExplorer.landmarks") == []
    assert "lm=0" in sized.url


@pytest.mark.parametrize("sized", [(1280, 800)], indirect=True, ids=["desktop"])
def test_trends_selection_by_name_and_keyboard_beside_the_chart(sized: Any) -> None:
    load(sized, TRENDS)
    # a miss says so; the next find clears it
    sized.locator("#find").fill("AlphaGo Zeroo")
    sized.locator("#find").dispatch_event("change")
    assert "No system named" in sized.locator("#status").inner_text()
    before = int(sized.evaluate("() => document.body.getAttribute('data-rendered')"))
    sized.locator("#find").fill("GPT-3 175B (davinci)")
    sized.locator("#find").press("Enter")
    sized.locator("#find").dispatch_event("change")
    sized.wait_for_function(
        f"() => Number(document.body.getAttribute('data-rendered')) > {before}")
    panel = sized.locator("#selected")
    assert panel.locator("h2").inner_text() == "GPT-3 175B (davinci)"
    assert "No system named" not in sized.locator("#status").inner_text()
    chart = sized.locator("#chart").bounding_box()
    box = panel.bounding_box()
    assert box["x"] >= chart["x"] + chart["width"] - 2 and box["y"] < chart["y"] + chart["height"]
    nxt = panel.locator("button", has_text="Next system")
    nxt.focus()
    before = int(sized.evaluate("() => document.body.getAttribute('data-rendered')"))
    sized.keyboard.press("Enter")
    sized.wait_for_function(
        f"() => Number(document.body.getAttribute('data-rendered')) > {before}")
    assert panel.locator("h2").inner_text() != "GPT-3 175B (davinci)"
    assert "sel=" in sized.url
    # a system of several domains lists them as words, so a narrow panel wraps between them
    before = int(sized.evaluate("() => document.body.getAttribute('data-rendered')"))
    sized.locator("#find").fill("GPT-4")
    sized.locator("#find").dispatch_event("change")
    sized.wait_for_function(
        f"() => Number(document.body.getAttribute('data-rendered')) > {before}")
    lines = panel.inner_text().split("\n")
    domains = lines[lines.index("Domain") + 1]
    assert domains.count(", ") >= 1 and "," not in domains.replace(", ", ""), domains


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["desktop", "phone"])
def test_benchmarks_names_curves_at_their_ends_and_sets_casp_apart(sized: Any) -> None:
    import dlrev
    from dlrev.web.benchmarks_page import benchmarks_data

    load(sized, "benchmarks.html")
    finding = benchmarks_data(dlrev.load())["finding"]
    assert finding["text"].startswith("Newer benchmarks fall faster")
    assert finding["median_since"] < finding["median_before"]
    assert sized.locator("#finding").inner_text() == finding["text"]
    assert sized.locator("#chart g.role-legend").count() == 0       # no 14-colour legend
    ends = sized.evaluate("() => window.dlrevExplorer.ends")
    assert len(ends) >= 10 and "MMLU" in ends and not any("CASP" in e for e in ends)
    assert any("CASP" in e for e in sized.evaluate("() => window.dlrevExplorer.longCurves"))
    assert sized.locator("#chart-long").is_visible()
    labels = _boxes(sized, "#chart g.ends_marks text")
    assert len(labels) == len(ends)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not _overlap(a, b), (a["text"], b["text"])


# Each drawn landmark name, as the browser laid it out, against its mark's position on screen.
LANDMARK_GAPS = """() => {
  const v = window.dlrevExplorer.view, svg = document.querySelector('#chart svg');
  const box = svg.getBoundingClientRect(), o = v.origin(), pad = v.padding().left || 0;
  const pts = {};
  v.data('points').forEach(p => { pts[p.name] = p; });
  const texts = Array.from(svg.querySelectorAll('g.mark-text text'))
    .filter(t => !t.getAttribute('stroke'));
  return v.data('landmarks').map(m => {
    const t = texts.find(e => e.textContent === m.text);
    const p = pts[m.name] || Object.values(pts).filter(q => q.name.startsWith(m.name + ' ('))
      .sort((a, b) => a.x - b.x)[0];
    const r = t.getBoundingClientRect();
    const px = box.left + pad + o[0] + v.scale('x')(p.x);
    return {name: m.name, align: m.align, gap: m.align === 'right' ? px - r.right : r.left - px};
  });
}"""


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["desktop", "phone"])
def test_trends_landmark_names_sit_beside_their_marks(sized: Any) -> None:
    load(sized, TRENDS)
    gaps = sized.evaluate(LANDMARK_GAPS)
    assert len(gaps) >= (6 if sized.width > 700 else 3), gaps
    # 7 px from the mark's centre, on whichever side it was placed, whatever the font's width
    assert all(3 <= g["gap"] <= 11 for g in gaps), gaps
    assert {g["align"] for g in gaps} <= {"left", "right"}
