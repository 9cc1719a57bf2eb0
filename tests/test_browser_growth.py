"""The Growth page in real Chromium at 1280x800 and 390x844: the stacked panels draw one point per
system, model and agent in the page data, the table has one row per growth row, nothing scrolls
sideways, no console errors, no request leaves the server. Built from a fresh install (curated
tables), and, where this dlrev has the capability index, with Epoch's benchmark tables imported."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dlrev
from browser_support import need_browser, serve_folder

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module", params=["fresh", "capability"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         monkeypatch_module: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    need_browser()
    from dlrev.web.site import build_site

    kind = request.param
    cache = tmp_path_factory.mktemp(f"gcache-{kind}")
    monkeypatch_module.setenv("DLREV_CACHE_DIR", str(cache))
    if kind == "capability":
        if importlib.util.find_spec("dlrev.capability") is None:
            pytest.skip("this dlrev has no capability index (dlrev.capability)")
        from conftest import need_shared
        from dlrev import stitching

        folder = need_shared() / "data" / "benchmarks" / "epoch-benchmark-stitching"
        stitching.install_tables(folder, stitching.cached_tables())
    out = tmp_path_factory.mktemp(f"gsite-{kind}") / "site"
    build_site(dlrev.load(), out)
    with serve_folder(out) as url:
        yield kind, url


@pytest.mark.parametrize("size", list(SIZES))
def test_growth_page(browser: Any, site: tuple[str, str], size: str) -> None:
    kind, url = site
    w, h = SIZES[size]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    pg = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(url + "growth.html")
    pg.wait_for_function("() => window.dlrevGrowth && (window.dlrevGrowth.ready || "
                         "window.dlrevGrowth.errors.length > 0)", timeout=30_000)
    assert pg.evaluate("() => window.dlrevGrowth.errors") == []
    data = pg.evaluate("() => window.dlrevGrowth.data")
    panels = data["spec"]["vconcat"]
    expected = ["compute", "capability", "horizon"] if kind == "capability" else None
    drawn = [k for k in ("compute", "capability", "horizon")
             if data["spec"]["datasets"].get(f"{k}_points")]
    if expected:
        assert drawn == expected
    assert len(panels) == len(drawn) >= 2
    n_points = sum(len(data["spec"]["datasets"][f"{k}_points"]) for k in drawn)
    assert pg.locator("#chart g.mark-symbol.role-mark path").count() == n_points
    # one fitted line per available window of each drawn panel
    n_lines = sum(1 for r in data["rows"] if r["measure"] in drawn and r["available"])
    assert pg.locator("#chart g.mark-line.role-mark path").count() == n_lines
    assert pg.locator("#growth-table tbody tr").count() == len(data["rows"])
    table = pg.locator("#growth-table").inner_text()
    assert "x/year" in table and "months doubling" in table
    assert pg.locator('nav a[data-nav="growth"]').count() == 1
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= w
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"explorer-growth-{kind}-{size}.png"), full_page=True)
    ctx.close()
    assert errors == [], errors
    assert [u for u in requests if not u.startswith((url, "data:", "blob:"))] == []
