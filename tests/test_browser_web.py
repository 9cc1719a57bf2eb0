"""The explorer in a real browser: Debian's Chromium driven by Playwright.

One `dlrev serve` process (with Epoch's notable-models file) and one browser serve the whole
module. Every test runs in a fresh page that records console errors and every request; after
each test, no console error may have happened and no request may have left the server's origin.
Screenshots of each page (1280x800) go to test-artifacts/.
"""

from __future__ import annotations

import io
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dlrev
from dlrev import forecasts as fc
from dlrev import trends

pytestmark = pytest.mark.browser

from browser_support import ARGS, CHROMIUM, cache_with_bundle, dlrev_serve  # noqa: F401, E402
from browser_support import need_browser as _need_browser  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
READY = "() => window.dlrevExplorer && (window.dlrevExplorer.ready || " \
        "window.dlrevExplorer.errors.length > 0)"


@pytest.fixture(scope="module")
def epoch_cat(epoch_csv: Path) -> dlrev.Catalog:
    return dlrev.load(epoch_csv)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, epoch_csv: Path) -> Iterator[str]:
    """`dlrev serve --port 0` in a subprocess (Epoch's data, a lab folder); yields its URL."""
    _need_browser()
    env = cache_with_bundle(tmp_path_factory.mktemp("servecache"))
    from test_web_pages import write_lab_folder

    lab = write_lab_folder(tmp_path_factory.mktemp("lab") / "lab")
    with dlrev_serve(env, "--data", str(epoch_csv), "--lab", str(lab), timeout=90) as url:
        yield url


class Recorder:
    def __init__(self, base: str) -> None:
        self.base = base
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []

    def foreign(self) -> list[str]:
        return [u for u in self.requests
                if not (u.startswith(self.base) or u.startswith(("data:", "blob:")))]


def _open(browser: Any, base: str) -> tuple[Any, Any, Recorder]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = ctx.new_page()
    rec = Recorder(base)
    page.on("console", lambda m: rec.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: rec.errors.append(str(e)))
    page.on("request", lambda r: rec.requests.append(r.url))
    page.on("dialog", lambda d: (rec.dialogs.append(d.message), d.dismiss()))
    return ctx, page, rec


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    ctx, pg, rec = _open(browser, server)
    pg.rec = rec
    pg.base = server
    yield pg
    ctx.close()
    assert rec.errors == [], f"console errors: {rec.errors}"
    assert rec.foreign() == [], f"requests left the server: {rec.foreign()}"
    assert rec.requests, "the page made no requests at all"


def goto(pg: Any, path: str = "trends.html") -> Any:
    pg.goto(pg.base + path)
    pg.wait_for_function(READY, timeout=30_000)
    assert pg.evaluate("() => window.dlrevExplorer.errors") == []
    return pg


def api(pg: Any, expr: str) -> Any:
    return pg.evaluate(f"() => window.dlrevExplorer.{expr}")


def rendered(pg: Any) -> int:
    return int(pg.evaluate("() => Number(document.body.getAttribute('data-rendered') || 0)"))


def wait_render(pg: Any, before: int) -> None:
    pg.wait_for_function(
        f"() => Number(document.body.getAttribute('data-rendered') || 0) > {before}",
        timeout=20_000)


def shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"explorer-{name}.png"))


def n_with(cat: dlrev.Catalog, col: str, exclude_area: str | None = None) -> int:
    s = cat.systems
    m = s["date"].notna() & (s[col] > 0)
    if exclude_area:
        m &= s["area"] != exclude_area
    return int(m.sum())


# --- Trends ---------------------------------------------------------------------------------

def test_trends_draws_one_mark_per_system(page: Any, epoch_cat: dlrev.Catalog) -> None:
    goto(page)
    expected = n_with(epoch_cat, "compute")
    assert expected == 529
    assert page.locator("#chart g.points_marks path").count() == expected
    assert api(page, "points") == expected
    # the engine's fit of the Epoch preset is what the page shows
    fits = api(page, "fits")
    assert [f["engine"] for f in fits] == [True, True]
    assert fits[1]["slope"] == pytest.approx(0.6385, abs=5e-4)
    labels = page.locator("#chart g.role-mark.mark-text text").all_text_contents()
    assert any("4.4x/year, doubling every 5.7 months [5.4, 5.9]" in t for t in labels), labels
    # readable log ticks: powers of ten
    assert "10²⁴" in page.locator("#chart").inner_text() or page.locator(
        "#chart text", has_text="10²⁴").count() == 1
    shot(page, "trends")


def test_hover_shows_a_systems_values(page: Any) -> None:
    goto(page)
    mark = page.locator('#chart path[aria-label^="GPT-3 175B (davinci),"]')
    assert mark.count() == 1
    box = mark.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(box["x"] + box["width"] / 2 + 0.5, box["y"] + box["height"] / 2)
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=5000)
    text = tip.inner_text()
    for part in ("GPT-3 175B (davinci)", "OpenAI", "2020-05-28", "3.1e23 FLOP", "arxiv.org"):
        assert part in text
    # a click selects it: the panel links to the source
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    sel = page.locator("#selected")
    sel.wait_for(state="visible")
    assert sel.locator("a").get_attribute("href").startswith("https://arxiv.org/")
    assert "sel=GPT-3" in page.url


def test_filter_changes_the_count(page: Any, epoch_cat: dlrev.Catalog) -> None:
    goto(page)
    before = rendered(page)
    page.locator("#area-language").uncheck()
    wait_render(page, before)
    expected = n_with(epoch_cat, "compute", exclude_area="language")
    assert api(page, "points") == expected < 529
    assert page.locator("#chart g.points_marks path").count() == expected
    assert "areas=vision%2Cgames%2Cscience%2Cother" in page.url
    # search narrows further
    before = rendered(page)
    page.locator("#q").fill("AlphaGo")
    wait_render(page, before)
    names = page.evaluate("() => window.dlrevExplorer.view.data('points').map(d => d.name)")
    assert names and all("alphago" in n.lower() for n in names)


def test_url_round_trips(page: Any, browser: Any, server: str) -> None:
    goto(page)
    for sel, value in (("#y", "parameters"), ("#frontier", "ring")):
        before = rendered(page)
        page.locator(sel).select_option(value)
        wait_render(page, before)
    before = rendered(page)
    page.locator("#area-games").uncheck()
    wait_render(page, before)
    before = rendered(page)
    page.locator("#from").fill("2012-01-01")
    wait_render(page, before)
    state = api(page, "getState()")
    points = api(page, "points")
    url = page.url
    assert "y=parameters" in url and "frontier=ring" in url and "from=2012-01-01" in url
    ctx, other, rec = _open(browser, server)
    try:
        other.goto(url)
        other.wait_for_function(READY, timeout=30_000)
        assert api(other, "getState()") == state
        assert api(other, "points") == points
        assert other.locator("#y").input_value() == "parameters"
        assert not other.locator("#area-games").is_checked()
        assert other.locator("#chart g.rings_marks path").count() > 0
    finally:
        ctx.close()
    assert rec.errors == [] and rec.foreign() == []


def test_moving_an_era_boundary_refits_like_the_engine(page: Any,
                                                       epoch_cat: dlrev.Catalog) -> None:
    goto(page)
    handle = page.locator(".handle").first
    box = handle.bounding_box()
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + 40
    before = rendered(page)
    page.mouse.move(x0, y0)
    page.mouse.down()
    for dx in (20, 50, 80, 110):
        page.mouse.move(x0 + dx, y0)
    page.mouse.up()
    wait_render(page, before)
    state = api(page, "getState()")
    assert state["preset"] == "" and len(state["eras"]) == 1
    assert state["eras"][0] > "2010-06-01"   # moved to the right
    fits = api(page, "fits")
    assert not any(f["engine"] for f in fits)
    ref = trends.fit(epoch_cat.systems, eras=state["eras"], bootstrap=0)
    assert [f["n"] for f in fits] == [e.n for e in ref.eras]
    for got, want in zip(fits, ref.eras, strict=True):
        assert got["slope"] == pytest.approx(want.slope, abs=1e-6)
        assert got["intercept"] == pytest.approx(want.intercept, abs=1e-6)
    # typing a boundary and the keyboard do the same
    before = rendered(page)
    page.locator("#era-0").fill("2012-09-30")
    page.locator("#era-0").dispatch_event("change")
    wait_render(page, before)
    ref = trends.fit(epoch_cat.systems, eras=["2012-09-30"], bootstrap=0)
    fits = api(page, "fits")
    assert fits[1]["slope"] == pytest.approx(ref.eras[1].slope, abs=1e-6)
    before = rendered(page)
    page.locator(".handle").first.focus()
    page.keyboard.press("Shift+ArrowRight")
    wait_render(page, before)
    assert api(page, "getState()")["eras"][0].startswith("2013-09")
    assert "eras=2013-09" in page.url


def test_presets_and_axes(page: Any) -> None:
    goto(page, "trends.html?preset=sevilla2022")
    assert page.locator("#from").input_value() == "1952-01-01"
    fits = api(page, "fits")
    assert all(f["engine"] for f in fits)
    assert any(f["group"] == "large-scale" for f in fits)
    before = rendered(page)
    page.locator("#x").select_option("parameters")
    wait_render(page, before)
    assert api(page, "fits") == []      # fits are against time only
    assert page.locator("#eras").is_hidden()
    n = api(page, "points")
    assert n == page.locator("#chart g.points_marks path").count() > 100


def test_svg_download_has_title_and_source(page: Any) -> None:
    goto(page)
    with page.expect_download() as dl:
        page.locator("#dl-svg").click()
    path = dl.value.path()
    svg = Path(path).read_text("utf-8")
    assert svg.startswith("<svg") and "Training compute of notable AI systems" in svg
    assert "Epoch AI (CC BY 4.0)" in svg and "built 20" in svg
    with page.expect_download() as dl2:
        page.locator("#dl-png").click()
    assert Path(dl2.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- Data, Timeline, About ------------------------------------------------------------------

def test_data_table_search_sort_page_and_download(page: Any, epoch_cat: dlrev.Catalog) -> None:
    goto(page, "data.html")
    assert api(page, "selected") == 1031
    assert page.locator("#table tbody tr").count() == 50
    shot(page, "data")
    before = rendered(page)
    page.locator("#q").fill("gpt")
    wait_render(page, before)
    n = api(page, "selected")
    s = epoch_cat.systems
    hay = (s["name"].fillna("") + " " + s["organization"].fillna("") + " " + s["task"].fillna("")
           + " " + s["domain"].fillna("")).str.lower()
    assert n == int((hay.str.contains("gpt", regex=False) & s["date"].notna()).sum())
    before = rendered(page)
    page.locator("th[data-col=compute] button").click()
    wait_render(page, before)
    assert page.locator("th[data-col=compute]").get_attribute("aria-sort") == "descending"
    first = page.locator("#table tbody tr th").first.inner_text()
    gpt = s[hay.str.contains("gpt", regex=False)].sort_values("compute", ascending=False)
    assert first == gpt["name"].iloc[0]
    with page.expect_download() as dl:
        page.locator("#dl-csv").click()
    z = zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert sorted(z.namelist()) == ["README.txt", "systems.csv"]
    rows = z.read("systems.csv").decode().strip().split("\n")
    assert len(rows) == n + 1
    readme = z.read("README.txt").decode()
    assert "@misc{epoch" in readme and "@software{dlrev" in readme and "CC BY 4.0" in readme
    assert "q=gpt" in readme   # the URL that reproduces the selection


def test_timeline_lanes_and_links(page: Any) -> None:
    # the Timeline is drawn by timeline.js (the Story's milestone-lane chart), not app.js
    page.goto(page.base + "timeline.html")
    page.wait_for_function("() => window.dlrevTimeline && window.dlrevTimeline.ready",
                           timeout=30_000)
    total = len(dlrev.load().milestones)
    assert page.evaluate("() => window.dlrevTimeline.shown") == total > 0
    shot(page, "timeline")
    page.locator("input[name=lane][value=games]").uncheck()
    page.wait_for_function("() => location.search.indexOf('lanes=') >= 0")
    games = int((dlrev.load().milestones["domain"] == "games").sum())
    assert page.evaluate("() => window.dlrevTimeline.shown") == total - games
    assert "lanes=vision%2Clanguage%2Cscience" in page.url
    page.locator("details.ms-list summary").first.click()
    page.locator("details.ms-list [data-ms]").first.click()
    link = page.locator("#ms-card a[href^='trends.html?q=']").first
    if link.count():
        link.click()
        page.wait_for_function(READY, timeout=30_000)
        assert api(page, "points") >= 1
        assert page.locator("#selected").is_visible()


def test_about_page_and_keyboard(page: Any) -> None:
    goto(page, "about.html")
    text = page.locator("main").inner_text()
    assert "How intervals are made" in text and "Epoch AI" in text
    shot(page, "about")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"


# --- hostile data ---------------------------------------------------------------------------

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    import uvicorn

    from dlrev.web import build_site, secure_app

    d = tmp_path_factory.mktemp("xss")
    csv = d / "systems.csv"
    csv.write_text(
        "name,organization,date,domain,compute,parameters,source_url\n"
        f"\"{XSS}\",\"<b>Org</b>\",2020-01-01,language,1e23,1e9,https://example.org/a\n"
        "Plain,Lab,2019-01-01,vision,1e21,1e8,https://example.org/b\n"
        "Other,Lab,2018-01-01,vision,1e20,1e7,https://example.org/c\n"
        "\"=HYPERLINK(\"\"http://x\"\")\",+Org,2017-01-01,vision,1e19,1e6,https://example.org/d\n",
        encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLREV_CACHE_DIR", str(d / "cache"))
        build_site(dlrev.load(csv), d / "site")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(secure_app(d / "site"), log_level="warning",
                                        lifespan="off"))
    t = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    t.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    t.join(timeout=5)
    shutil.rmtree(d, ignore_errors=True)


def test_hostile_names_show_as_text(browser: Any, xss_server: str) -> None:
    ctx, pg, rec = _open(browser, xss_server)
    try:
        pg.goto(xss_server + "data.html")
        pg.wait_for_function(READY, timeout=30_000)
        assert pg.locator("#table tbody th", has_text=XSS).count() == 1
        assert pg.locator("#table tbody td", has_text="<b>Org</b>").count() == 1
        pg.goto(xss_server + "trends.html?sel=" + XSS)
        pg.wait_for_function(READY, timeout=30_000)
        assert pg.locator("#selected h2").inner_text() == XSS
        mark = pg.locator("#chart g.points_marks path").first
        box = mark.bounding_box()
        pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        pg.wait_for_timeout(300)
        assert pg.evaluate("() => document.querySelectorAll('img').length") == 0
        assert pg.evaluate("() => document.querySelectorAll('b').length") == 0
    finally:
        ctx.close()
    assert rec.dialogs == []
    assert rec.foreign() == []
    assert not [e for e in rec.errors if "x" in e and "img" in e.lower()]


# --- Benchmarks, Forecasts, Scaling, Lab ----------------------------------------------------

def _round_trip(page: Any, browser: Any, server: str) -> None:
    """Opening the page's URL in a fresh browser restores the same state."""
    state, url = api(page, "getState()"), page.url
    ctx, other, rec = _open(browser, server)
    try:
        other.goto(url)
        other.wait_for_function(READY, timeout=30_000)
        assert api(other, "getState()") == state
    finally:
        ctx.close()
    assert rec.errors == [] and rec.foreign() == []


def test_benchmarks_page(page: Any, browser: Any, server: str) -> None:
    from dlrev import benchmarks as bm

    goto(page, "benchmarks.html")
    cat = dlrev.load()
    curves = bm.sota_curves(cat)
    with_progress = curves[curves["best_progress"].notna()]
    assert api(page, "shown") == len(with_progress)
    # one mark per record-setting result with a progress figure (long-running ones apart)
    assert page.locator("#chart g.records_marks path, #chart-long g.records_marks path"
                        ).count() == int(with_progress["record"].sum())
    assert page.locator("#sat-table tbody tr").count() == len(bm.saturation(cat).table)
    assert "Atari 57" in page.locator("#bench-info").inner_text()   # beyond-human note
    shot(page, "benchmarks")
    before = rendered(page)
    page.locator("#bench").select_option("MMLU")
    wait_render(page, before)
    assert "b=MMLU" in page.url
    n = int((cat.benchmark_results["benchmark"] == "MMLU").sum())
    assert page.locator("#chart g.results_marks path").count() == n == api(page, "shown")
    chart_text = page.locator("#chart").inner_text() or " ".join(
        page.locator("#chart text").all_text_contents())
    assert "human expert: 89.8%" in " ".join(page.locator("#chart text").all_text_contents()) \
        or "human expert: 89.8%" in chart_text
    assert page.locator("#sat-table tbody tr").count() == 1
    _round_trip(page, browser, server)
    # keyboard: the domain checkboxes and the selector are reachable and labelled
    before = rendered(page)
    page.locator("#bench").focus()
    page.keyboard.press("Home")
    wait_render(page, before)
    assert api(page, "getState()")["b"] == ""
    before = rendered(page)
    page.locator("#dom-games").uncheck()
    wait_render(page, before)
    assert "dom=vision%2Clanguage%2Cscience" in page.url


def test_forecasts_page(page: Any, browser: Any, server: str) -> None:
    goto(page, "forecasts.html")
    page.wait_for_function("() => document.body.getAttribute('data-forecasts-text') === '1'")
    cat = dlrev.load()
    scores = fc.score_forecasts(cat)
    summary = page.locator("#summary").inner_text()
    assert ("4 outcomes came faster than the forecasters' range (a score above it, or an event "
            "before it), 2 slower and 2 inside") in summary
    sentences = page.locator("#sentences li").all_text_contents()
    value = scores.table["kind"] == "value"
    assert sentences == (scores.table.loc[value, "sentence"].tolist()
                         + scores.table.loc[~value, "sentence"].tolist())
    # the forecasts of a date, in their own table
    assert page.locator("#date-table tbody tr").count() == int((~value).sum()) == 7
    assert page.locator("#date-table tbody tr.pos-outside").count() == 1  # Simon's chess
    assert sentences[0].startswith("Hypermind aggregate expected 12.7% on MATH by mid-2022")
    # predictions whose figures could not be checked carry a plain badge, not curation wording
    from dlrev.web.forecasts_page import forecasts_data

    flagged = sum(p["unverified"] for p in forecasts_data(cat)["predictions"])
    assert page.locator("#pred-table tbody .badge").count() == flagged > 0
    # and the caption says what the word means, for a phone that shows no tooltip
    assert "could not be checked" in page.locator("#pred-table caption").inner_text()
    assert "stored copy" not in page.locator("#pred-table").inner_text()
    # the trend caption says where the dotted line is missing and why
    note = page.locator("#trend-note").inner_text()
    assert "MATH (forecasts of 2021-09-30)" in note and "needs at least 3" in note
    f = scores.table[value]
    math_f = f[f["benchmark"] == "MATH"]
    assert page.locator("#fc-table tbody tr").count() == len(f) == 22
    n_out = int(math_f["outcome"].notna().sum())
    assert page.locator("#chart g.outcomes_marks path").count() == n_out == api(page, "outcomes")
    # the forecast and outcome numbers are written on the chart
    outcome_text = page.locator("#chart g.outcome_labels_marks text").all_text_contents()
    assert "50.3" in outcome_text and "94.8" in outcome_text
    median_text = page.locator("#chart g.median_labels_marks text").all_text_contents()
    assert "12.7" in median_text and "52" in median_text
    assert api(page, "fans") == int((math_f["low"].notna() & math_f["high"].notna()).sum())
    # outcomes outside their interval are marked in the table
    assert page.locator("#fc-table td.pos-outside").count() == 5
    assert api(page, "predictions") == len(cat.predictions)
    shot(page, "forecasts")
    before = rendered(page)
    page.locator("#fc-table button", has_text="CIFAR-10 adversarially robust").first.click()
    wait_render(page, before)
    assert "b=CIFAR-10+robust" in page.url
    assert page.locator("#bench").input_value() == "CIFAR-10 robust"
    assert page.locator("#chart g.trend_marks path").count() >= 1      # the dotted line
    before = rendered(page)
    page.locator("#kind-singularity").uncheck()
    wait_render(page, before)
    assert api(page, "predictions") == len(cat.predictions) - 1
    _round_trip(page, browser, server)
    with page.expect_download() as dl:
        page.locator("#dl-csv").click()
    z = zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert sorted(z.namelist()) == ["README.txt", "forecasts.csv"]
    assert len(z.read("forecasts.csv").decode().strip().split("\n")) == 23
    readme = z.read("README.txt").decode()
    assert "@software{dlrev" in readme and "bounded-regret.ghost.io" in readme
    assert "b=CIFAR-10" in readme
    with page.expect_download() as dl2:
        page.locator("#dl-svg").click()
    svg = Path(dl2.value.path()).read_text("utf-8")
    assert "CIFAR-10 robust: forecasts against what happened" in svg and "built 20" in svg


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_forecasts_page_fits_the_width(browser: Any, server: str, width: int,
                                       height: int) -> None:
    ctx, pg, rec = _open(browser, server)
    pg.set_viewport_size({"width": width, "height": height})
    pg.base = server
    goto(pg, "forecasts.html")
    pg.wait_for_function("() => document.body.getAttribute('data-forecasts-text') === '1'")
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= width
    # the wide tables scroll inside their own box, not the page
    for table in ("#fc-table", "#date-table", "#pred-table"):
        box = pg.evaluate(f"() => document.querySelector('{table}').parentElement"
                          ".getBoundingClientRect().right")
        assert box <= width + 0.5
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"explorer-forecasts-{width}.png"), full_page=True)
    ctx.close()
    assert rec.errors == [], f"console errors: {rec.errors}"
    assert rec.foreign() == [], f"requests left the server: {rec.foreign()}"


def test_scaling_page(page: Any, browser: Any, server: str) -> None:
    goto(page, "scaling.html")
    assert page.locator("#sets-table tbody tr").count() == 4   # three Chinchilla sets + Kaplan
    text = " ".join(page.locator("#chart text").all_text_contents())
    for name in ("hoffmann", "hoffmann-tex", "besiroglu", "kaplan"):
        assert name in text
    assert page.locator("#chart g.frontier_marks path").count() == 4   # one frontier a panel
    kaplan = page.locator("#sets-table tbody tr", has_text="kaplan").inner_text()
    assert "0.730" in kaplan and "0.270" in kaplan
    # one colour per law on the allocation chart, the palette's
    from dlrev.palette import SCALING_SETS

    strokes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#chart2 g.mark-line path')).map(p => p.getAttribute('stroke'))""")
    assert SCALING_SETS["kaplan"] in strokes and SCALING_SETS["hoffmann"] in strokes
    row = page.locator("#sets-table tbody tr").first.inner_text()
    assert "1.69" in row and "0.452" in row
    shot(page, "scaling")
    before = rendered(page)
    page.locator("#set-besiroglu").uncheck()
    wait_render(page, before)
    assert "sets=hoffmann%2Choffmann-tex%2Ckaplan" in page.url
    assert page.locator("#chart g.frontier_marks path").count() == 3
    before = rendered(page)
    page.locator("#budget").select_option("1e22")
    wait_render(page, before)
    assert "c=1e22" in page.url
    _round_trip(page, browser, server)


def test_lab_page(page: Any, browser: Any, server: str) -> None:
    from test_web_pages import HOSTILE_SAMPLE

    goto(page, "lab.html")
    assert page.locator("#lab-models tbody tr").count() == 8
    assert page.locator("#chart svg").count() == 1
    assert "0.100" in page.locator("#lab-fits").inner_text()   # the lab's fitted exponent
    # a sample is text, never markup
    assert page.locator(".sample pre", has_text=HOSTILE_SAMPLE).count() == 1
    assert page.evaluate("() => document.querySelectorAll('main img, main script').length") == 0
    shot(page, "lab")
    before = rendered(page)
    page.locator("#which").select_option("compute")
    wait_render(page, before)
    assert "chart=compute" in page.url
    page.locator("#lab-models button", has_text="gpt-2x32").click()
    assert "m=gpt-2x32" in page.url
    assert page.locator(".sample.current h3").inner_text().startswith("gpt-2x32")
    _round_trip(page, browser, server)
    assert page.rec.dialogs == []
