"""Every page the explorer team owns, at a desktop and at a phone size, in real Chromium: no
sideways scroll, no console error, no request to another host; screenshots of each go to
test-artifacts/ (explorer-<page>-<width>.png) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from test_browser_web import ARTIFACTS, READY, _open, browser, server  # noqa: F401

pytestmark = pytest.mark.browser

TRENDS = "index.html"   # the Trends page (trends.html once the Story page takes index.html)
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
