"""The Story and Timeline pages in real Chromium at 1280x800 and 390x844: no sideways scroll,
the landmark and post systems visible as text, a click on a milestone opens its card, the lab
samples with their sizes, zero console errors and zero requests to another host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dlrev
from browser_support import cache_with_bundle, dlrev_serve
from dlrev.landmarks import LANDMARK_SYSTEMS
from dlrev.story import POST_SYSTEMS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZES = ((1280, 800), (390, 844))
READY = ("() => (window.dlrevStory && (window.dlrevStory.ready || window.dlrevStory.errors.length))"
         " || (window.dlrevTimeline && (window.dlrevTimeline.ready || "
         "window.dlrevTimeline.errors.length))")
SHOTS = Path("/tmp/dlrev-story-shots")
# Pairs of chart labels (not axis, title or legend text, not the white halos) whose boxes overlap
# by more than 2 px both ways.
OVERLAPS = """() => {
  const out = [];
  let n = 0;
  document.querySelectorAll('figure[data-chart] svg').forEach(svg => {
    const boxes = [];
    svg.querySelectorAll('g.mark-text text').forEach(t => {
      if (t.closest('.role-axis, .role-title, .role-legend') || t.getAttribute('stroke')) return;
      const r = t.getBoundingClientRect();
      if (r.width > 0) boxes.push([r.left, r.top, r.right, r.bottom, t.textContent]);
    });
    n += boxes.length;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 2 &&
          Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 2) out.push(a[4] + ' / ' + b[4]);
    }
  });
  return {labels: n, overlaps: out};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with dlrev_serve(cache_with_bundle(tmp_path_factory.mktemp("storycache"))) as url:
        yield url


def _visit(browser: Any, url: str, size: tuple[int, int]) -> tuple[Any, Any, dict[str, list]]:
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    rec: dict[str, list] = {"errors": [], "requests": []}
    page.on("console", lambda m: rec["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: rec["errors"].append(str(e)))
    page.on("request", lambda r: rec["requests"].append(r.url))
    page.goto(url)
    page.wait_for_function(READY, timeout=60_000)
    return ctx, page, rec


def _check_clean(page: Any, rec: dict[str, list], base: str, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert rec["errors"] == []
    assert [u for u in rec["requests"] if not u.startswith((base, "data:", "blob:"))] == []


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_story_page(browser: Any, server: str, size: tuple[int, int]) -> None:
    ctx, page, rec = _visit(browser, server, size)
    try:
        assert page.evaluate("window.dlrevStory.errors") == []
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"story-{size[0]}.png"), full_page=True)
        _check_clean(page, rec, server, size[0])
        text = page.inner_text("main")
        names = set(dlrev.load().systems["name"])
        for name in [n for n in LANDMARK_SYSTEMS if n in names]:
            assert name in text, name
        data = page.evaluate("window.dlrevStory.data.story.milestones")
        labels = {m["label"] for m in data}
        for name in [n for n in POST_SYSTEMS if n in labels]:
            assert name in text, name
        # the lab's samples, each with its size
        samples = page.locator(".sample")
        assert samples.count() >= 3
        assert re.search(r"\d[\d.]*k? parameters", samples.nth(1).inner_text())
        # every chart drawn (the build-time picture of the compute chart replaced), and no two
        # labels on a chart collide
        assert page.locator("figure[data-chart] svg").count() == page.locator(
            "figure[data-chart]").count() >= 7
        assert page.locator(".chart-box .picture").count() == 0
        labels = page.evaluate(OVERLAPS)
        assert labels["overlaps"] == [] and labels["labels"] > 30, labels
        # a click on a milestone mark opens its card
        mark = page.locator("figure[data-chart='lanes-games'] svg .marks path, "
                            "figure[data-chart='lanes-games'] svg g.mark-symbol path").first
        mark.scroll_into_view_if_needed()
        mark.click(force=True)
        card = page.locator("#ms-card")
        card.wait_for(state="visible", timeout=5000)
        assert card.locator("h3").inner_text()
        assert card.get_attribute("data-id") in {m["id"] for m in data if m["domain"] == "games"}
        page.keyboard.press("Escape")
        assert card.is_hidden()
        # and so does a keyboard-reachable button naming one
        page.locator("[data-ms]").first.focus()
        page.keyboard.press("Enter")
        card.wait_for(state="visible", timeout=5000)
        assert card.locator("a[href^='trends.html?q=']").count() >= 1
        # the print layout: no navigation, no card, nothing wider than the page
        page.emulate_media(media="print")
        assert page.locator("header.top nav").is_hidden() and card.is_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        assert rec["errors"] == []
    finally:
        ctx.close()


LABELS = """sel => Array.from(document.querySelectorAll(sel + ' g.mark-text text'))
  .filter(t => !t.getAttribute('stroke') && !t.closest('.role-axis, .role-title, .role-legend'))
  .map(t => t.textContent).sort()"""


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_story_compute_chart_shows_without_scripts(browser: Any, server: str,
                                                   size: tuple[int, int]) -> None:
    """The compute chart is drawn at build time into the page itself: a reader sees it before
    any script has run, and where none runs (file://, scripts off); it shows the points and the
    labels the interactive chart shows at the same width (story_charts.thin_labels in step with
    cards.js)."""
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]},
                              java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(server)
        picture = page.locator("figure[data-chart=compute] .picture svg:visible")
        assert picture.count() == 1
        box = picture.bounding_box()
        assert box and size[0] * 0.9 < box["width"] <= size[0] and box["height"] > 300
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        marks = picture.locator("g.mark-symbol path").count()
        wanted = "wide" if size[0] > 700 else "narrow"
        labels = page.evaluate(LABELS, f"figure[data-chart=compute] .picture .{wanted}")
        page.screenshot(path=str(SHOTS / f"story-noscript-{size[0]}.png"))
    finally:
        ctx.close()
    ctx, page, rec = _visit(browser, server, size)
    try:
        drawn = page.locator("figure[data-chart=compute] svg")
        assert drawn.count() == 1
        assert drawn.locator("g.mark-symbol path").count() == marks > 300
        assert page.evaluate(LABELS, "figure[data-chart=compute]") == labels
        assert len(labels) >= 4 and "GPT-3 175B (davinci)" in labels
    finally:
        ctx.close()


def test_old_trends_link_opens_trends(browser: Any, server: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    try:
        page.goto(server + "index.html?preset=sevilla2022&y=parameters")
        page.wait_for_url(re.compile(r"trends\.html\?preset=sevilla2022&y=parameters"))
        page.wait_for_function("() => window.dlrevExplorer && window.dlrevExplorer.ready",
                               timeout=60_000)
        assert page.evaluate("window.dlrevExplorer.getState().preset") == "sevilla2022"
        assert page.evaluate("window.dlrevExplorer.getState().y") == "parameters"
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_timeline_chart(browser: Any, server: str, size: tuple[int, int]) -> None:
    ctx, page, rec = _visit(browser, server + "timeline.html", size)
    try:
        assert page.evaluate("window.dlrevTimeline.errors") == []
        page.screenshot(path=str(SHOTS / f"timeline-{size[0]}.png"), full_page=True)
        _check_clean(page, rec, server, size[0])
        labels = page.evaluate(OVERLAPS)
        assert labels["overlaps"] == [] and labels["labels"] > 15
        height = page.evaluate("document.documentElement.scrollHeight")
        if size[0] == 1280:
            assert height < 3000, height
        n = len(dlrev.load().milestones)
        assert page.locator("#count").inner_text() == f"{n} of {n} milestones"
        # one mark per milestone
        assert page.locator("figure[data-chart] svg g.mark-symbol path").count() == n
        # the sub-area filter keeps one lane and says so in the URL (on a phone the controls
        # fold behind a button first)
        toggle = page.locator(".ctl-toggle")
        if toggle.count() and toggle.first.is_visible():
            toggle.first.click()
        page.select_option("#subarea", "strategy games")
        page.wait_for_function("() => location.search.indexOf('sub=strategy') >= 0")
        shown = page.evaluate("window.dlrevTimeline.shown")
        assert 0 < shown < n
        page.wait_for_timeout(300)
        assert page.locator("figure[data-chart]:visible svg g.mark-symbol path").count() == shown
        mark = page.locator("figure[data-chart]:visible svg g.mark-symbol path").first
        mark.click(force=True)
        page.locator("#ms-card").wait_for(state="visible", timeout=5000)
        assert rec["errors"] == []
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_family_chart(browser: Any, server: str, size: tuple[int, int]) -> None:
    """The size-family chart: every family's name and every size as text, in the chart and in
    the table under it; side by side on a wide screen, one panel per row on a phone."""
    from dlrev.family_results import series

    ctx, page, rec = _visit(browser, server, size)
    try:
        fig = page.locator("figure[data-chart='families']")
        fig.scroll_into_view_if_needed()
        fig.screenshot(path=str(SHOTS / f"families-{size[0]}.png"))
        _check_clean(page, rec, server, size[0])
        fams = series(dlrev.load())
        assert {f["name"] for f in fams} >= {"Parti", "GPT-3", "PaLM"}
        svg_text = page.evaluate(  # a label of two lines is one <text> of two <tspan>s
            "() => Array.from(document.querySelectorAll(\"figure[data-chart='families'] svg "
            "text\")).flatMap(t => t.children.length ? Array.from(t.children) : [t])"
            ".map(t => t.textContent)")
        table = page.inner_text("table.families")
        for f in fams:
            assert f["name"] in svg_text, f["name"]
            # labels thin out where they would collide; the smallest and largest size stay
            for p in (f["first"], f["last"]):
                assert p["size"] in svg_text, (f["name"], p["size"], svg_text)
            # and the table under the chart names every size with its result
            for p in f["points"]:
                assert re.search(rf"{re.escape(f['name'])}\s+{re.escape(p['size'])}\s+"
                                 rf"{p['value']:g}", table), (f["name"], p["size"])
        # the panels' titles: in one row at 1280 px, one above another at 390 px
        tops = page.evaluate(
            "names => Array.from(document.querySelectorAll(\"figure[data-chart='families'] svg "
            "text\")).filter(t => names.includes(t.textContent))"
            ".map(t => Math.round(t.getBoundingClientRect().top))", [f["name"] for f in fams])
        assert len(tops) == len(fams)
        assert len(set(tops)) == (1 if size[0] == 1280 else len(fams)), tops
        box = fig.locator(".chart-box").bounding_box()
        assert box and box["width"] <= size[0]
        if size[0] == 1280:
            assert box["height"] < 420, box
        else:
            assert box["height"] > 2.5 * 230, box
        labels = page.evaluate(OVERLAPS)
        assert labels["overlaps"] == [], labels
        assert rec["errors"] == []
    finally:
        ctx.close()
