"""The Horizons page in real Chromium at 1280x800 and 390x844: the chart draws one point per
agent, nothing scrolls sideways, no console errors, no request leaves the server. Built twice:
from the curated table (a fresh install) and from METR's results file imported as a snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dlrev
from browser_support import need_browser, serve_folder

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module", params=["published", "fit"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         monkeypatch_module: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    need_browser()
    from dlrev.web.site import build_site

    kind = request.param
    cache = tmp_path_factory.mktemp(f"hcache-{kind}")
    monkeypatch_module.setenv("DLREV_CACHE_DIR", str(cache))
    if kind == "fit":
        from conftest import need_shared
        from dlrev.metr import install_metr_snapshot

        f = need_shared() / "data" / "metr" / "task_results_1_1.yaml"
        install_metr_snapshot(f, source=str(f))
    out = tmp_path_factory.mktemp(f"site-{kind}") / "site"
    build_site(dlrev.load(), out)
    with serve_folder(out) as url:
        yield kind, url


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.mark.parametrize("size", list(SIZES))
def test_horizons_page(browser: Any, site: tuple[str, str], size: str) -> None:
    kind, url = site
    w, h = SIZES[size]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    pg = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(url + "horizons.html")
    pg.wait_for_function("() => window.dlrevHorizons && (window.dlrevHorizons.ready || "
                         "window.dlrevHorizons.errors.length > 0)", timeout=30_000)
    assert pg.evaluate("() => window.dlrevHorizons.errors") == []
    data = pg.evaluate("() => window.dlrevHorizons.data")
    assert data["kind"] == kind
    n_agents = len(data["agents"])
    assert n_agents == (23 if kind == "fit" else 14)
    points = pg.locator("#chart g.mark-symbol.role-mark path").count()
    assert points == n_agents
    assert pg.locator("#agents-table tbody tr").count() == n_agents
    summary = pg.locator("#summary").inner_text()
    assert "doubled every" in summary and "working month" in summary
    assert pg.locator('nav a[data-nav="horizons"]').count() == 1
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= w
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"explorer-horizons-{kind}-{size}.png"), full_page=True)
    ctx.close()
    assert errors == [], errors
    assert [u for u in requests if not u.startswith((url, "data:", "blob:"))] == []
